// xsimd::batch<float> and xsimd::batch<double>: the exponential, trigonometric, hyperbolic and
// special functions of cases.hpp, each lane an independent point (batch.hpp).
#include "ops/batch.hpp"

using namespace ops_test;

TEST_CASE("batches: exponential functions and pow", "[ops][batch]") { check_both_batches(exponential_cases()); }
TEST_CASE("batches: trigonometric and hyperbolic functions", "[ops][batch]") {
  check_both_batches(trigonometric_cases());
}
TEST_CASE("batches: special functions", "[ops][batch]") { check_both_batches(special_cases()); }
