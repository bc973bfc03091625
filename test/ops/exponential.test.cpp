// exp, exp2, expm1, log, log2, log10, log1p, sqrt, cbrt, and pow with a constant base or
// exponent, for float, double and long double: value against <cmath> in long double, first
// and second derivatives against the analytic formulas and central differences, through every
// static-layer entry point (support.hpp), including points near the domain edges (cases.hpp).
#include "ops/cases.hpp"

using namespace ops_test;

TEST_CASE("exp", "[ops][exponential]") { check_real(exp_case()); }
TEST_CASE("exp2", "[ops][exponential]") { check_real(exp2_case()); }
TEST_CASE("expm1", "[ops][exponential]") { check_real(expm1_case()); }
TEST_CASE("log", "[ops][exponential]") { check_real(log_case()); }
TEST_CASE("log2", "[ops][exponential]") { check_real(log2_case()); }
TEST_CASE("log10", "[ops][exponential]") { check_real(log10_case()); }
TEST_CASE("log1p", "[ops][exponential]") { check_real(log1p_case()); }
TEST_CASE("sqrt", "[ops][exponential]") { check_real(sqrt_case()); }
TEST_CASE("cbrt", "[ops][exponential]") { check_real(cbrt_case()); }

TEST_CASE("pow with a constant exponent", "[ops][exponential]") {
  check_real(pow_x_3_case());
  check_real(pow_x_2_case());
  check_real(pow_x_m2_case());
  check_real(pow_x_half_case());
  check_real(pow_x_2_5_case());
  check_real(pow_x_1_case());
}

TEST_CASE("pow with a constant base", "[ops][exponential]") {
  check_real(pow_2_x_case());
  check_real(pow_half_x_case());
}
