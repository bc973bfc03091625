// tg::half and tg::bfloat16: arithmetic, abs, relu, the complex-only functions on reals and the
// binary operations of cases.hpp, checked as narrow.hpp describes; constants keep float
// precision in the float computation.
#include "ops/narrow.hpp"

using namespace ops_test;

TEST_CASE("half and bfloat16: arithmetic", "[ops][narrow]") { check_both_narrow(arithmetic_cases()); }
TEST_CASE("half and bfloat16: abs, relu, real, imag, conj, norm, arg", "[ops][narrow]") {
  check_both_narrow(piecewise_cases());
}
TEST_CASE("half and bfloat16: binary operations", "[ops][narrow]") { check_both_narrow(binary_cases()); }

TEST_CASE("half and bfloat16: constants that are not exact in the narrow type", "[ops][narrow]") {
  // A captured or literal constant keeps float precision in the float computation: 0.1 * x
  // at x = 3 is float(0.1) * 3 rounded once, not half(0.1) * 3.
  const auto f = [](auto x) { return 0.1 * x + x * x; };
  for (const float x : {3.0f, -0.75f, 100.0f}) {
    const float value = tg::eval(f, x);
    const float grad = tg::grad(f, x)[0];
    CHECK(to_ld(tg::eval(f, tg::half(x))) == to_ld(tg::half(value)));
    CHECK(to_ld(tg::grad(f, tg::half(x))[0]) == to_ld(tg::half(grad)));
    CHECK(to_ld(tg::eval(f, tg::bfloat16(x))) == to_ld(tg::bfloat16(value)));
    CHECK(to_ld(tg::grad(f, tg::bfloat16(x))[0]) == to_ld(tg::bfloat16(grad)));
  }
}
