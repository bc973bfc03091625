// sin, cos, tan, asin, acos, atan and the hyperbolic functions, for float, double and long
// double: value against <cmath> in long double, first and second derivatives against the
// analytic formulas and central differences, through every static-layer entry point
// (support.hpp), including points near poles and domain edges (tan near pi/2, asin/acos/atanh
// near +-1, acosh near 1+; cases.hpp).
#include "ops/cases.hpp"

using namespace ops_test;

TEST_CASE("sin", "[ops][trigonometric]") { check_real(sin_case()); }
TEST_CASE("cos", "[ops][trigonometric]") { check_real(cos_case()); }
TEST_CASE("tan", "[ops][trigonometric]") { check_real(tan_case()); }
TEST_CASE("asin", "[ops][trigonometric]") { check_real(asin_case()); }
TEST_CASE("acos", "[ops][trigonometric]") { check_real(acos_case()); }
TEST_CASE("atan", "[ops][trigonometric]") { check_real(atan_case()); }
TEST_CASE("sinh", "[ops][hyperbolic]") { check_real(sinh_case()); }
TEST_CASE("cosh", "[ops][hyperbolic]") { check_real(cosh_case()); }
TEST_CASE("tanh", "[ops][hyperbolic]") { check_real(tanh_case()); }
TEST_CASE("asinh", "[ops][hyperbolic]") { check_real(asinh_case()); }
TEST_CASE("acosh", "[ops][hyperbolic]") { check_real(acosh_case()); }
TEST_CASE("atanh", "[ops][hyperbolic]") { check_real(atanh_case()); }
