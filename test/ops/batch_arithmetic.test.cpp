// xsimd::batch<float> and xsimd::batch<double>: arithmetic, abs, relu, the complex-only
// functions on reals and the binary operations of cases.hpp, each lane an independent point
// (batch.hpp).
#include "ops/batch.hpp"

using namespace ops_test;

TEST_CASE("batches: arithmetic", "[ops][batch]") { check_both_batches(arithmetic_cases()); }
TEST_CASE("batches: abs, relu, real, imag, conj, norm, arg", "[ops][batch]") { check_both_batches(piecewise_cases()); }
TEST_CASE("batches: binary operations", "[ops][batch]") { check_both_batches(binary_cases()); }
