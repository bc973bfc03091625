// Unary + and -, + - * / mixed with constants on either side, square, and abs, fabs, relu away
// from their kink, and real, imag, conj, norm, arg of real arguments (x, 0, x, x^2, 0 or pi, as
// <complex> gives for a real argument), for float, double and long double: values, first and
// second derivatives through every static-layer entry point (support.hpp, cases.hpp).
#include "ops/cases.hpp"

using namespace ops_test;

TEST_CASE("arithmetic with constants and square", "[ops][arithmetic]") {
  for_each_case(arithmetic_cases(), [](const auto& c) { check_real(c); });
}

TEST_CASE("abs, fabs and relu away from 0, and real, imag, conj, norm, arg of reals", "[ops][selection]") {
  // as std::real, std::imag, std::norm, std::arg of a real argument
  for (const double x : {-2.0, 0.0, 1.5}) {
    CHECK(std::real(x) == x);
    CHECK(std::imag(x) == 0);
    CHECK(std::norm(x) == x * x);
  }
  CHECK(std::arg(-2.0) == std::acos(-1.0));
  CHECK(std::arg(1.5) == 0);
  // arg of a negative long double is long double's pi (a regression check, see cases.hpp).
  for_each_case(piecewise_cases(), [](const auto& c) { check_real(c); });
}
