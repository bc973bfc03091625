// Where operations are deliberately non-smooth or undefined, typegrad follows torch's
// conventions; at exact domain edges it gives the IEEE limits <cmath> gives. Checked for float,
// double and long double (and half, bfloat16 and batch lanes for the kinks):
//   abs'(0) = fabs'(0) = relu'(0) = 0, relu'(NaN) = 1 (torch's relu passes the gradient there);
//   max/min split the gradient 1/2-1/2 at ties (torch.maximum/minimum), fmax/fmin give it all to
//   the first operand at ties (torch.fmax/fmin) and ignore a NaN operand, max/min propagate NaN;
//   pow(x, y): d/dy at x = 0 is 0 (not 0 * log 0), d/dx at x = 0 is y * 0^(y-1);
//   where(cond, a, b): the gradient flows only into the chosen branch, for every comparison;
//   log, sqrt, cbrt, asin, acos, acosh, atanh, log1p at their edges: +-inf values and slopes.
#include <typegrad/static.hpp>

#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <limits>
#include <numbers>

#include <xsimd/xsimd.hpp>

namespace tg = typegrad;

namespace {

template <class T> long double wide(const T& x) { return static_cast<long double>(x); }

constexpr auto abs_ = [](auto x) { return abs(x); };
constexpr auto fabs_ = [](auto x) { return fabs(x); };
constexpr auto relu_ = [](auto x) { return relu(x); };
constexpr auto max_ = [](auto x, auto y) { return max(x, y); };
constexpr auto min_ = [](auto x, auto y) { return min(x, y); };
constexpr auto fmax_ = [](auto x, auto y) { return fmax(x, y); };
constexpr auto fmin_ = [](auto x, auto y) { return fmin(x, y); };
constexpr auto pow_ = [](auto x, auto y) { return pow(x, y); };

/// value, derivative (reverse, symbolic, forward) and second derivative of f at x.
template <class T, class F> void expect_kink(const F& f, T x, long double value, long double slope) {
  CAPTURE(wide(x));
  CHECK(wide(tg::eval(f, x)) == value);
  CHECK(wide(tg::grad(f, x)[0]) == slope);
  CHECK(wide(tg::derivative<0>(f)(x)) == slope);
  CHECK(wide(tg::jvp(f, std::array<T, 1>{x}, std::array<T, 1>{T(1)}).second) == slope);
  CHECK(wide(tg::hessian(f, x)[0][0]) == 0);
}

template <class T> void kinks_at_zero() {
  for (const T z : {T(0.0), T(-0.0)}) {
    expect_kink(abs_, z, 0, 0);
    expect_kink(fabs_, z, 0, 0);
    expect_kink(relu_, z, 0, 0);
  }
  // next to the kink
  expect_kink(abs_, T(-0.5), 0.5, -1);
  expect_kink(relu_, T(-0.5), 0, 0);
  expect_kink(relu_, T(0.5), 0.5, 1);
  // NaN: relu keeps it, and its slope there is 1 (torch 1.13: relu(nan).backward() gives 1)
  const T nan = std::numeric_limits<T>::quiet_NaN();
  CHECK(std::isnan(wide(tg::eval(relu_, nan))));
  CHECK(wide(tg::grad(relu_, nan)[0]) == 1);
  CHECK(wide(tg::derivative<0>(relu_)(nan)) == 1);
  CHECK(wide(tg::jvp(relu_, std::array<T, 1>{nan}, std::array<T, 1>{T(1)}).second) == 1);
}

template <class T> void ties() {
  for (const T t : {T(-1.5), T(0), T(2)}) {
    CAPTURE(wide(t));
    // torch.maximum / torch.minimum: half the gradient to each operand
    for (const auto& g : {tg::grad(max_, t, t), tg::grad(min_, t, t)}) {
      CHECK(wide(g[0]) == 0.5L);
      CHECK(wide(g[1]) == 0.5L);
    }
    CHECK(wide(tg::derivative<0>(max_)(t, t)) == 0.5L);
    CHECK(wide(tg::derivative<1>(min_)(t, t)) == 0.5L);
    // forward mode splits the tangent the same way: (1 + 3) / 2, as torch's forward AD (a
    // regression guard: the forward sweep once took the first operand's tangent at a tie)
    CHECK(wide(tg::jvp(max_, std::array<T, 2>{t, t}, std::array<T, 2>{T(1), T(3)}).second) == 2);
    CHECK(wide(tg::jvp(min_, std::array<T, 2>{t, t}, std::array<T, 2>{T(1), T(3)}).second) == 2);
    const auto H = tg::hessian(max_, t, t);
    CHECK((wide(H[0][0]) == 0 && wide(H[0][1]) == 0 && wide(H[1][0]) == 0 && wide(H[1][1]) == 0));
    // the same variable on both sides: the halves add up to the derivative of x
    CHECK(wide(tg::grad([](auto x) { return max(x, x); }, t)[0]) == 1);
    CHECK(wide(tg::grad([t](auto x) { return min(x, 2.0 * x - t); }, t)[0]) == 1.5L);  // tie at x = t: (1 + 2) / 2
    // torch.fmax / torch.fmin: the first operand takes the whole gradient at a tie
    for (const auto& g : {tg::grad(fmax_, t, t), tg::grad(fmin_, t, t)}) {
      CHECK(wide(g[0]) == 1);
      CHECK(wide(g[1]) == 0);
    }
  }
}

template <class T> void nan_operands() {
  const T nan = T(std::numeric_limits<float>::quiet_NaN());
  // fmax / fmin ignore a NaN operand, and the gradient goes to the other one
  CHECK(wide(tg::eval(fmax_, nan, T(1))) == 1);
  CHECK(wide(tg::eval(fmax_, T(1), nan)) == 1);
  CHECK(wide(tg::eval(fmin_, nan, T(1))) == 1);
  CHECK(wide(tg::eval(fmin_, T(1), nan)) == 1);
  for (const auto& g : {tg::grad(fmax_, nan, T(1)), tg::grad(fmin_, nan, T(1))}) {
    CHECK(wide(g[0]) == 0);
    CHECK(wide(g[1]) == 1);
  }
  for (const auto& g : {tg::grad(fmax_, T(1), nan), tg::grad(fmin_, T(1), nan)}) {
    CHECK(wide(g[0]) == 1);
    CHECK(wide(g[1]) == 0);
  }
  // max / min propagate NaN (torch.maximum / torch.minimum)
  CHECK(std::isnan(wide(tg::eval(max_, nan, T(1)))));
  CHECK(std::isnan(wide(tg::eval(max_, T(1), nan))));
  CHECK(std::isnan(wide(tg::eval(min_, nan, T(1)))));
  CHECK(std::isnan(wide(tg::eval(min_, T(1), nan))));
}

template <class T> void pow_at_zero_base() {
  // d/dy pow(x, y) = pow(x, y) log(x) is taken as 0 at x = 0 (torch), not 0 * -inf = NaN
  for (const T y : {T(1), T(2), T(3), T(0.5), T(2.5)}) {
    CAPTURE(wide(y));
    const auto g = tg::grad(pow_, T(0), y);
    CHECK(wide(g[1]) == 0);
    CHECK(wide(tg::derivative<1>(pow_)(T(0), y)) == 0);
    // (for y < 1 the x-partial is +inf and inf * 0 makes the tangent NaN, as in torch)
    if (y >= 1) CHECK(wide(tg::jvp(pow_, std::array<T, 2>{T(0), y}, std::array<T, 2>{T(0), T(1)}).second) == 0);
  }
  // d/dx = y * 0^(y-1): 0 for y > 1, 1 for y = 1, +inf for 0 < y < 1
  CHECK(wide(tg::grad(pow_, T(0), T(2))[0]) == 0);
  CHECK(wide(tg::grad(pow_, T(0), T(3))[0]) == 0);
  CHECK(wide(tg::grad(pow_, T(0), T(1))[0]) == 1);
  CHECK(wide(tg::grad(pow_, T(0), T(0.5))[0]) == HUGE_VALL);
  // y = 0: pow(x, 0) = 1 for every x, and torch's pow backward gives d/dx = 0 there (where
  // exponent == 0), also at x = 0 where y * 0^(y-1) = 0 * inf is NaN.
  // (A regression check: tg::grad gave NaN here before the pow fix of 248c3c1.)
  CHECK(wide(tg::grad(pow_, T(0), T(0))[0]) == 0);
  CHECK(wide(tg::grad(pow_, T(2), T(0))[0]) == 0);
  // second derivatives at (0, 2): d2/dx2 = 2, the others 0
  const auto H = tg::hessian(pow_, T(0), T(2));
  CHECK(wide(H[0][0]) == 2);
  CHECK(wide(H[0][1]) == 0);
  CHECK(wide(H[1][0]) == 0);
  CHECK(wide(H[1][1]) == 0);
  // a constant base 0
  const auto zero_base = [](auto y) { return pow(0.0, y); };
  CHECK(wide(tg::eval(zero_base, T(2))) == 0);
  CHECK(wide(tg::grad(zero_base, T(2))[0]) == 0);
  CHECK(wide(tg::derivative<0>(zero_base)(T(2))) == 0);
  // negative base, integral exponent: std::pow's value, d/dx finite, d/dy NaN (log of a
  // negative number, as torch)
  CHECK(wide(tg::eval(pow_, T(-2), T(3))) == -8);
  const auto g = tg::grad(pow_, T(-2), T(3));
  CHECK(wide(g[0]) == 12);
  CHECK(std::isnan(wide(g[1])));
}

template <class T> void where_branches() {
  const auto f = [](auto x) { return where(x > 0.0, x * x, -x); };
  CHECK(wide(tg::eval(f, T(2))) == 4);
  CHECK(wide(tg::grad(f, T(2))[0]) == 4);
  CHECK(wide(tg::hessian(f, T(2))[0][0]) == 2);
  CHECK(wide(tg::derivative<0>(f)(T(2))) == 4);
  CHECK(wide(tg::derivative<0>(tg::derivative<0>(f))(T(2))) == 2);
  CHECK(wide(tg::jvp(f, std::array<T, 1>{T(2)}, std::array<T, 1>{T(0.5)}).second) == 2);
  CHECK(wide(tg::eval(f, T(-2))) == 2);
  CHECK(wide(tg::grad(f, T(-2))[0]) == -1);
  CHECK(wide(tg::hessian(f, T(-2))[0][0]) == 0);
  CHECK(wide(tg::eval(f, T(0))) == 0);  // x > 0 is false at 0: the second branch
  CHECK(wide(tg::grad(f, T(0))[0]) == -1);

  // every comparison, at a tie and off it, with the constant on either side
  const T one(1), two(2);
  const auto check = [&](const auto& g, T x, long double expected_grad) {
    CAPTURE(wide(x));
    CHECK(wide(tg::grad(g, x)[0]) == expected_grad);
    CHECK(wide(tg::derivative<0>(g)(x)) == expected_grad);
  };
  // where(cond, 3x, -5x): gradient 3 where cond holds, -5 elsewhere
  check([](auto x) { return where(x < 1.0, 3.0 * x, -5.0 * x); }, one, -5);
  check([](auto x) { return where(x < 1.0, 3.0 * x, -5.0 * x); }, T(0.5), 3);
  check([](auto x) { return where(x <= 1.0, 3.0 * x, -5.0 * x); }, one, 3);
  check([](auto x) { return where(x <= 1.0, 3.0 * x, -5.0 * x); }, two, -5);
  check([](auto x) { return where(x > 1.0, 3.0 * x, -5.0 * x); }, one, -5);
  check([](auto x) { return where(x > 1.0, 3.0 * x, -5.0 * x); }, two, 3);
  check([](auto x) { return where(x >= 1.0, 3.0 * x, -5.0 * x); }, one, 3);
  check([](auto x) { return where(x >= 1.0, 3.0 * x, -5.0 * x); }, T(0.5), -5);
  check([](auto x) { return where(x == 1.0, 3.0 * x, -5.0 * x); }, one, 3);
  check([](auto x) { return where(x == 1.0, 3.0 * x, -5.0 * x); }, two, -5);
  check([](auto x) { return where(x != 1.0, 3.0 * x, -5.0 * x); }, one, -5);
  check([](auto x) { return where(x != 1.0, 3.0 * x, -5.0 * x); }, two, 3);
  check([](auto x) { return where(1.0 < x, 3.0 * x, -5.0 * x); }, two, 3);
  check([](auto x) { return where(1.0 >= x, 3.0 * x, -5.0 * x); }, two, -5);

  // two variables: the condition compares them, each branch uses both
  const auto h = [](auto x, auto y) { return where(x < y, x * y, x + 2.0 * y); };
  const auto g1 = tg::grad(h, T(1), T(3));  // x * y
  CHECK((wide(g1[0]) == 3 && wide(g1[1]) == 1));
  const auto g2 = tg::grad(h, T(3), T(1));  // x + 2 y
  CHECK((wide(g2[0]) == 1 && wide(g2[1]) == 2));
  const auto H = tg::hessian(h, T(1), T(3));
  CHECK((wide(H[0][0]) == 0 && wide(H[0][1]) == 1 && wide(H[1][0]) == 1 && wide(H[1][1]) == 0));

  // the branch not taken gets no gradient, even where its own value is not finite
  const auto safe_log = [](auto x) { return where(x > 0.0, log(x), 0.0 * x); };
  CHECK(wide(tg::eval(safe_log, T(-1))) == 0);
  CHECK(wide(tg::grad(safe_log, T(-1))[0]) == 0);
  CHECK(wide(tg::grad(safe_log, T(2))[0]) == 0.5L);
}

template <class T> void domain_edges() {
  const long double inf = HUGE_VALL;
  const auto value_and_slope = [](const auto& f, T x) {
    const auto [v, g] = tg::value_and_grad(f, x);
    return std::pair{wide(v), wide(g[0])};
  };
  using P = std::pair<long double, long double>;
  CHECK(value_and_slope([](auto x) { return log(x); }, T(0)) == P{-inf, inf});
  CHECK(value_and_slope([](auto x) { return log2(x); }, T(0)) == P{-inf, inf});
  CHECK(value_and_slope([](auto x) { return log10(x); }, T(0)) == P{-inf, inf});
  CHECK(value_and_slope([](auto x) { return log1p(x); }, T(-1)) == P{-inf, inf});
  CHECK(value_and_slope([](auto x) { return sqrt(x); }, T(0)) == P{0, inf});
  CHECK(value_and_slope([](auto x) { return cbrt(x); }, T(0)) == P{0, inf});
  CHECK(value_and_slope([](auto x) { return acos(x); }, T(1)) == P{0, -inf});
  CHECK(value_and_slope([](auto x) { return acosh(x); }, T(1)) == P{0, inf});
  CHECK(value_and_slope([](auto x) { return atanh(x); }, T(1)) == P{inf, inf});
  CHECK(value_and_slope([](auto x) { return atanh(x); }, T(-1)) == P{-inf, inf});
  const auto [asin_v, asin_g] = value_and_slope([](auto x) { return asin(x); }, T(1));
  CHECK(asin_v == wide(T(std::numbers::pi_v<long double> / 2)));
  CHECK(asin_g == inf);
  // outside the domain: NaN, as <cmath>
  CHECK(std::isnan(wide(tg::eval([](auto x) { return log(x); }, T(-1)))));
  CHECK(std::isnan(wide(tg::eval([](auto x) { return sqrt(x); }, T(-1)))));
  CHECK(std::isnan(wide(tg::eval([](auto x) { return asin(x); }, T(1.5)))));
  // saturation at +-inf: finite values, zero slopes
  CHECK(value_and_slope([](auto x) { return tanh(x); }, T(inf)) == P{1, 0});
  CHECK(value_and_slope([](auto x) { return tanh(x); }, T(-inf)) == P{-1, 0});
  CHECK(value_and_slope([](auto x) { return erf(x); }, T(inf)) == P{1, 0});
  CHECK(value_and_slope([](auto x) { return erfc(x); }, T(inf)) == P{0, 0});
  CHECK(value_and_slope([](auto x) { return atan(x); }, T(inf)).second == 0);
  CHECK(value_and_slope([](auto x) { return exp(x); }, T(-inf)) == P{0, 0});
  CHECK(value_and_slope([](auto x) { return exp(x); }, T(inf)) == P{inf, inf});
  // sigmoid and softplus far out: no overflow, no NaN
  // (at -1000 the values are e^-1000: 0 in float and double, 5e-435 in x87 long double)
  const auto tiny = [](const P& p) { return p.first >= 0 && p.first < 1e-300L && p.second >= 0 && p.second < 1e-300L; };
  CHECK(tiny(value_and_slope([](auto x) { return sigmoid(x); }, T(-1000))));
  CHECK(value_and_slope([](auto x) { return sigmoid(x); }, T(1000)) == P{1, 0});
  CHECK(tiny(value_and_slope([](auto x) { return softplus(x); }, T(-1000))));
  CHECK(value_and_slope([](auto x) { return softplus(x); }, T(1000)) == P{1000, 1});
  // the gamma functions at their poles (<cmath>: tgamma(+0) = +inf, lgamma = +inf at poles)
  CHECK(wide(tg::eval([](auto x) { return tgamma(x); }, T(0))) == inf);
  CHECK(wide(tg::eval([](auto x) { return lgamma(x); }, T(0))) == inf);
  CHECK(wide(tg::eval([](auto x) { return lgamma(x); }, T(-1))) == inf);
  CHECK(wide(tg::eval([](auto x) { return digamma(x); }, T(0))) == -inf);
}

}  // namespace

TEST_CASE("abs, fabs and relu at 0", "[ops][conventions]") {
  kinks_at_zero<float>();
  kinks_at_zero<double>();
  kinks_at_zero<long double>();
  for (const float z : {0.0f, -0.0f}) {
    CHECK(wide(tg::grad(abs_, tg::half(z))[0]) == 0);
    CHECK(wide(tg::grad(relu_, tg::half(z))[0]) == 0);
    CHECK(wide(tg::grad(abs_, tg::bfloat16(z))[0]) == 0);
    CHECK(wide(tg::grad(relu_, tg::bfloat16(z))[0]) == 0);
  }
}

TEST_CASE("max, min, fmax, fmin at ties", "[ops][conventions]") {
  ties<float>();
  ties<double>();
  ties<long double>();
  const auto g = tg::grad(max_, tg::half(1.5f), tg::half(1.5f));
  CHECK((wide(g[0]) == 0.5L && wide(g[1]) == 0.5L));
}

TEST_CASE("max, min, fmax, fmin with a NaN operand", "[ops][conventions]") {
  nan_operands<float>();
  nan_operands<double>();
  nan_operands<long double>();
}

TEST_CASE("pow at base 0 and at negative bases", "[ops][conventions]") {
  pow_at_zero_base<float>();
  pow_at_zero_base<double>();
  pow_at_zero_base<long double>();
}

TEST_CASE("where: the gradient flows into the chosen branch", "[ops][conventions]") {
  where_branches<float>();
  where_branches<double>();
  where_branches<long double>();
}

TEST_CASE("exact domain edges", "[ops][conventions]") {
  domain_edges<float>();
  domain_edges<double>();
  domain_edges<long double>();
}

TEST_CASE("kinks, ties and where per batch lane", "[ops][conventions][batch]") {
  // lanes mixing ties, kinks and ordinary points: each lane follows the scalar convention
  using B = xsimd::batch<double>;
  constexpr std::size_t L = B::size;
  std::array<double, L> xs{}, ys{};
  for (std::size_t i = 0; i < L; ++i) {
    xs[i] = static_cast<double>(i % 3) - 1.0;  // -1, 0, 1, -1, ...
    ys[i] = (i % 2 == 0) ? xs[i] : 0.5;        // ties on even lanes
  }
  const B x = B::load_unaligned(xs.data()), y = B::load_unaligned(ys.data());
  const auto gmax = tg::grad(max_, x, y);
  const auto gfmax = tg::grad(fmax_, x, y);
  const B gabs = tg::grad(abs_, x)[0];
  const B grelu = tg::grad(relu_, x)[0];
  const auto w = [](auto a) { return where(a > 0.0, a * a, -a); };
  const B wv = tg::eval(w, x);
  const B wg = tg::grad(w, x)[0];
  for (std::size_t i = 0; i < L; ++i) {
    CAPTURE(i, xs[i], ys[i]);
    const auto s = tg::grad(max_, xs[i], ys[i]);
    CHECK(gmax[0].get(i) == s[0]);
    CHECK(gmax[1].get(i) == s[1]);
    CHECK(gmax[0].get(i) + gmax[1].get(i) == 1);
    if (xs[i] == ys[i]) CHECK(gmax[0].get(i) == 0.5);
    const auto sf = tg::grad(fmax_, xs[i], ys[i]);
    CHECK(gfmax[0].get(i) == sf[0]);
    CHECK(gfmax[1].get(i) == sf[1]);
    CHECK(gabs.get(i) == (xs[i] > 0 ? 1.0 : xs[i] < 0 ? -1.0 : 0.0));
    CHECK(grelu.get(i) == (xs[i] > 0 ? 1.0 : 0.0));
    CHECK(wv.get(i) == (xs[i] > 0 ? xs[i] * xs[i] : -xs[i]));
    CHECK(wg.get(i) == (xs[i] > 0 ? 2 * xs[i] : -1.0));
  }
  const B gnan = tg::grad(relu_, B(std::numeric_limits<double>::quiet_NaN()))[0];
  for (std::size_t i = 0; i < L; ++i) CHECK(gnan.get(i) == 1.0);
}

TEST_CASE("overflow: infinite values and slopes, not NaN", "[ops][conventions]") {
  // Gamma(40) = 2e46 is beyond float: value and slope +inf
  const auto [v, g] = tg::value_and_grad([](auto x) { return tgamma(x); }, 40.0f);
  CHECK(v == HUGE_VALF);
  CHECK(g[0] == HUGE_VALF);
  const auto [e, ge] = tg::value_and_grad([](auto x) { return exp(x); }, 100.0f);
  CHECK(e == HUGE_VALF);
  CHECK(ge[0] == HUGE_VALF);
  // sinh, cosh past float's range
  CHECK(tg::grad([](auto x) { return cosh(x); }, 100.0f)[0] == HUGE_VALF);
  CHECK(tg::grad([](auto x) { return sinh(x); }, -100.0f)[0] == HUGE_VALF);
}
