// The binary operations of two variables: + - * /, pow, atan2, hypot, and min, max, fmin, fmax
// away from ties (cases.hpp), for float, double and long double: value, both partials and all
// second derivatives (the mixed one included) through every static-layer entry point
// (support.hpp). The conventions at ties, with NaN and at pow's base 0 are in
// conventions.test.cpp.
#include "ops/cases.hpp"

using namespace ops_test;

// one TEST_CASE per operation, in binary_cases()'s order
TEST_CASE("x + y", "[ops][arithmetic]") { check_real(std::get<0>(binary_cases())); }
TEST_CASE("x - y", "[ops][arithmetic]") { check_real(std::get<1>(binary_cases())); }
TEST_CASE("x * y", "[ops][arithmetic]") { check_real(std::get<2>(binary_cases())); }
TEST_CASE("x / y", "[ops][arithmetic]") { check_real(std::get<3>(binary_cases())); }
TEST_CASE("pow(x, y)", "[ops][exponential]") { check_real(std::get<4>(binary_cases())); }
TEST_CASE("atan2(y, x)", "[ops][trigonometric]") { check_real(std::get<5>(binary_cases())); }
TEST_CASE("hypot(x, y)", "[ops][trigonometric]") { check_real(std::get<6>(binary_cases())); }
TEST_CASE("min(x, y)", "[ops][selection]") { check_real(std::get<7>(binary_cases())); }
TEST_CASE("max(x, y)", "[ops][selection]") { check_real(std::get<8>(binary_cases())); }
TEST_CASE("fmin(x, y)", "[ops][selection]") { check_real(std::get<9>(binary_cases())); }
TEST_CASE("fmax(x, y)", "[ops][selection]") { check_real(std::get<10>(binary_cases())); }
