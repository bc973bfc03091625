#pragma once
/// \file test/ops/support.hpp
/// Table-driven checks of one elementary operation against analytic formulas.
///
/// A case names the operation as a generic lambda (`[](auto x) { return sin(x); }`, run on
/// placeholders and dual numbers) and gives the reference value and derivatives as plain
/// long double lambdas. At every point the checks compare, for a scalar type T:
///   tg::eval, tg::value_and_grad, tg::grad, tg::jacobian, tg::jvp, tg::vjp   against f, f'
///   tg::derivative<0> (symbolic)                                          against f'
///   tg::derivative<0>(tg::derivative<0>(op)), tg::hessian, tg::hvp          against f''
///   tg::dual<T, 1> and tg::dual<T, 3> run directly                          against f, f'
/// (tg::dual and tg::jacobian are left out for long double: tg::dual<long double, N> does not
/// compile, see check_unary_at),
/// and once per point, in long double:
///   the analytic f' and f'' against Richardson-extrapolated central differences of f, f'
///   (so a wrong formula in the table cannot hide a wrong library result)
///   tg::grad against central differences of tg::eval, tg::hessian against those of tg::grad.
///
/// Tolerances follow the forward error of an accurate evaluation in T: a result g(x) computed
/// at an exactly representable x is allowed c * eps_T * (|g(x)| + |x g'(x)|) (the second term
/// is the conditioning, large near poles, roots of 1 - x^2 and the like), plus an optional
/// absolute floor c * eps_T * floor for derivatives computed from the output (1 - tanh^2,
/// sigmoid * (1 - sigmoid)), plus c * min_normal_T (results in the subnormal range).
#include <typegrad/static.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <complex>
#include <cstdlib>
#include <initializer_list>
#include <iomanip>
#include <limits>
#include <map>
#include <sstream>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

namespace tg = typegrad;

namespace ops_test {

using ld = long double;

inline constexpr ld pi = 3.141592653589793238462643383279502884L;
inline constexpr ld two_over_sqrt_pi = 1.128379167095512573896158903121545172L;
inline constexpr ld ln2 = 0.693147180559945309417232121458176568L;
inline constexpr ld ln10 = 2.302585092994045684017991454684364208L;

// ---- scalar types ------------------------------------------------------------------------------
template <class T> struct traits {
  static constexpr ld eps = std::numeric_limits<T>::epsilon();
  static constexpr ld min_normal = std::numeric_limits<T>::min();
  static constexpr ld max = std::numeric_limits<T>::max();
  static constexpr const char* name = std::is_same_v<T, float> ? "float" : std::is_same_v<T, double> ? "double" : "long double";
};
template <> struct traits<tg::half> {
  static constexpr ld eps = 0x1p-10L;
  static constexpr ld min_normal = 0x1p-14L;
  static constexpr ld max = 65504.0L;
  static constexpr const char* name = "half";
};
template <> struct traits<tg::bfloat16> {
  static constexpr ld eps = 0x1p-7L;
  static constexpr ld min_normal = 0x1p-126L;
  static constexpr ld max = 0x1.fep127L;
  static constexpr const char* name = "bfloat16";
};

template <class T> ld to_ld(const T& x) { return static_cast<ld>(x); }

inline std::string show(ld x) {
  std::ostringstream os;
  os << std::setprecision(21) << x;
  return os.str();
}

// ---- comparisons -------------------------------------------------------------------------------
/// got == ref within tol; NaN matches NaN, an infinity matches the same infinity only.
inline bool near(ld got, ld ref, ld tol) {
  if (std::isnan(ref)) return std::isnan(got);
  if (std::isinf(ref)) return got == ref;
  if (!std::isfinite(got)) return false;
  return std::fabs(got - ref) <= tol;
}

/// Largest observed |got - ref| / tol per scalar type for the current case (printed with
/// TG_OPS_REPORT=1: a calibration aid for the error model's constants).
inline std::map<std::string, ld>& worst_ratio() {
  static std::map<std::string, ld> r;
  return r;
}

inline void report_worst(const std::string& name) {
  if (std::getenv("TG_OPS_REPORT")) {
    std::ostringstream os;
    for (const auto& [type, r] : worst_ratio()) os << ' ' << type << ' ' << std::setprecision(3) << r;
    WARN(name << ": worst error / tolerance:" << os.str());
  }
  worst_ratio().clear();
}

inline void expect_near(const std::string& what, ld got, ld ref, ld tol) {
  INFO(what << ": got " << show(got) << ", expected " << show(ref) << " (tolerance " << show(tol) << ")");
  CHECK(near(got, ref, tol));
}

/// expect_near for a result of type T: a reference beyond T's range expects the infinity
/// of its sign (either that or the largest finite value when it is within rounding of it).
template <class T> void expect_near_in(const std::string& what, ld got, ld ref, ld tol) {
  const ld max = traits<T>::max;
  if (std::isfinite(ref) && std::fabs(ref) > max * (1 - traits<T>::eps)) {
    INFO(what << ": got " << show(got) << ", expected " << show(ref) << ", beyond the range of " << traits<T>::name);
    const bool overflow = std::fabs(ref) > max * (1 + 2 * traits<T>::eps);
    CHECK((got == std::copysign(HUGE_VALL, ref) || (!overflow && std::fabs(got) == max && std::signbit(got) == std::signbit(ref))));
    return;
  }
  if (std::isfinite(got) && std::isfinite(ref) && tol > 0) {
    ld& w = worst_ratio()[traits<T>::name];
    w = std::max(w, std::fabs(got - ref) / tol);
  }
  expect_near(what, got, ref, tol);
}

/// Richardson-extrapolated central difference of g at x with step h: error O(h^4).
template <class G> ld central_difference(const G& g, ld x, ld h) {
  const auto d = [&](ld s) { return (g(x + s) - g(x - s)) / (2 * s); };
  return (4 * d(h / 2) - d(h)) / 3;
}

// ---- references the standard library lacks ------------------------------------------------------
/// psi^(n)(x), n = 0..4, in long double: the recurrence up to x >= 30, then the asymptotic
/// series. Works at negative non-integers too (the recurrence steps over the poles).
inline ld polygamma_ref(int n, ld x) {
  static constexpr ld bernoulli[] = {1.0L / 6,          -1.0L / 30,  1.0L / 42,         -1.0L / 30,
                                     5.0L / 66,         -691.0L / 2730, 7.0L / 6,       -3617.0L / 510,
                                     43867.0L / 798,    -174611.0L / 330};
  ld factorial = 1;  // n!
  for (int k = 2; k <= n; ++k) factorial *= k;
  const ld sign_n = (n % 2 == 0) ? 1 : -1;  // (-1)^n
  ld acc = 0;
  while (x < 30) {
    acc -= sign_n * factorial / std::pow(x, static_cast<ld>(n + 1));
    x += 1;
  }
  ld s = 0;
  if (n == 0) {
    s = std::log(x) - 1 / (2 * x);
    for (int k = 1; k <= 10; ++k) s -= bernoulli[k - 1] / (2 * k * std::pow(x, static_cast<ld>(2 * k)));
  } else {
    const ld fact_nm1 = factorial / n;  // (n-1)!
    s = fact_nm1 / std::pow(x, static_cast<ld>(n)) + factorial / (2 * std::pow(x, static_cast<ld>(n + 1)));
    for (int k = 1; k <= 10; ++k) {
      // (2k + n - 1)! / (2k)!
      ld ratio = 1;
      for (int j = 2 * k + 1; j <= 2 * k + n - 1; ++j) ratio *= j;
      s += bernoulli[k - 1] * ratio / std::pow(x, static_cast<ld>(2 * k + n));
    }
    s *= -sign_n;  // (-1)^(n+1)
  }
  return s + acc;
}

// ---- cases --------------------------------------------------------------------------------------
/// A point; `scale` bounds the finite-difference steps (1e-3 * scale): give the distance to the
/// nearest singularity or domain edge when that is below 1.
struct point {
  ld x;
  ld scale = 1;
};
struct point2 {
  ld x, y;
  ld scale = 1;
};

/// Absolute floors (in units of c * eps_T) for the value, first and second derivative.
struct floors {
  ld v = 0, d1 = 0, d2 = 0;
};

/// Multiplier c of the error model (see the file comment).
struct slack {
  ld v = 4, d1 = 8, d2 = 16;
};

template <class Op, class F, class D1, class D2> struct unary_case {
  std::string name;
  Op op;
  F f;
  D1 df;
  D2 d2f;
  std::vector<point> points;
  floors floor{};
  slack c{};
};

template <class Op, class F, class D1, class D2>
unary_case<Op, F, D1, D2> unary(std::string name, Op op, F f, D1 df, D2 d2f, std::initializer_list<point> points,
                                floors fl = {}, slack c = {}) {
  return {std::move(name), op, f, df, d2f, std::vector<point>(points), fl, c};
}

template <class Op, class F, class FX, class FY, class FXX, class FXY, class FYY> struct binary_case {
  std::string name;
  Op op;
  F f;
  FX fx;
  FY fy;
  FXX fxx;
  FXY fxy;
  FYY fyy;
  std::vector<point2> points;
  floors floor{};
  slack c{};
};

template <class Op, class F, class FX, class FY, class FXX, class FXY, class FYY>
binary_case<Op, F, FX, FY, FXX, FXY, FYY> binary(std::string name, Op op, F f, FX fx, FY fy, FXX fxx, FXY fxy, FYY fyy,
                                                 std::initializer_list<point2> points, floors fl = {},
                                                 slack c = {}) {
  return {std::move(name), op, f, fx, fy, fxx, fxy, fyy, std::vector<point2>(points), fl, c};
}

/// The point as the nearest T, or false if rounding to T moves it by more than 1% of its scale
/// (e.g. 1 - 2^-20 in half is 1, on the domain edge: such points are skipped for that type).
template <class T> bool representable(const point& p, T& xt) {
  xt = T(p.x);
  return std::fabs(to_ld(xt) - p.x) <= 0.01L * p.scale;
}

/// The error allowed for a result g at x, with g' its derivative (see the file comment).
template <class T> ld allowed(ld c, ld g, ld x_dg, ld floor = 0) {
  return c * traits<T>::eps * (std::fabs(g) + std::fabs(x_dg) + floor) + c * traits<T>::min_normal;
}

// ---- unary: the table itself, checked once in long double --------------------------------------
/// The analytic f' and f'' against central differences of f and f', and the library's gradient
/// and Hessian against central differences of its own value and gradient, all in long double.
template <class Case> void check_unary_reference(const Case& c, const point& p) {
  const ld x = p.x, h = 1e-3L * p.scale;
  const ld f1 = c.df(x), f2 = c.d2f(x);
  const ld cd1 = central_difference(c.f, x, h), cd2 = central_difference(c.df, x, h);
  const ld tol = 1e-7L;
  const std::string at = c.name + " at x = " + show(x);
  expect_near("table: f' vs difference of f, " + at, f1, cd1, tol * (std::fabs(f1) + std::fabs(c.f(x)) + 1e-30L));
  expect_near("table: f'' vs difference of f', " + at, f2, cd2, tol * (std::fabs(f2) + std::fabs(f1) + 1e-30L));
  // the library's results may carry the absolute error of the floors, amplified 1/h by the differences
  const ld eps = traits<ld>::eps;
  const ld g = tg::grad(c.op, x)[0];
  const ld lib_cd1 = central_difference([&](ld s) { return tg::eval(c.op, s); }, x, h);
  expect_near("long double tg::grad vs difference of tg::eval, " + at, g, lib_cd1,
              tol * (std::fabs(f1) + std::fabs(c.f(x)) + 1e-30L) + 16 * eps * c.floor.v / h);
  const ld hh = tg::hessian(c.op, x)[0][0];
  const ld lib_cd2 = central_difference([&](ld s) { return tg::grad(c.op, s)[0]; }, x, h);
  expect_near("long double tg::hessian vs difference of tg::grad, " + at, hh, lib_cd2,
              tol * (std::fabs(f2) + std::fabs(f1) + 1e-30L) + 16 * eps * c.floor.d1 / h);
}

/// Every entry point of the static layer at one point, scalar type T (float, double, long double).
template <class T, class Case> void check_unary_at(const Case& c, const point& p) {
  T xt;
  if (!representable(p, xt)) return;
  const ld x = to_ld(xt), h = 1e-3L * p.scale;
  const ld f0 = c.f(x), f1 = c.df(x), f2 = c.d2f(x);
  const ld f3 = central_difference(c.d2f, x, h);
  const ld tv = allowed<T>(c.c.v, f0, x * f1, c.floor.v);
  const ld t1 = allowed<T>(c.c.d1, f1, x * f2, c.floor.d1);
  const ld t2 = allowed<T>(c.c.d2, f2, x * f3, c.floor.d2);
  const std::string at = c.name + " <" + traits<T>::name + "> at x = " + show(x);
  const T v = T(0.75);

  expect_near_in<T>("tg::eval, " + at, to_ld(tg::eval(c.op, xt)), f0, tv);
  const auto [val, gr] = tg::value_and_grad(c.op, xt);
  expect_near_in<T>("tg::value_and_grad value, " + at, to_ld(val), f0, tv);
  expect_near_in<T>("tg::value_and_grad gradient, " + at, to_ld(gr[0]), f1, t1);
  expect_near_in<T>("tg::grad, " + at, to_ld(tg::grad(c.op, xt)[0]), f1, t1);
  // Not for long double: tg::jacobian(f, long double) does not compile (it runs on
  // tg::dual<long double, N>, whose default tangent store instantiates xsimd::batch<long double>;
  // reported to the lead).
  if constexpr (!std::is_same_v<T, long double>)
    expect_near_in<T>("tg::jacobian, " + at, to_ld(tg::jacobian(c.op, xt)[0][0]), f1, t1);
  expect_near_in<T>("tg::derivative<0>, " + at, to_ld(tg::derivative<0>(c.op)(xt)), f1, t1);
  const auto [jv, jt] = tg::jvp(c.op, std::array<T, 1>{xt}, std::array<T, 1>{v});
  expect_near_in<T>("tg::jvp value, " + at, to_ld(jv), f0, tv);
  expect_near_in<T>("tg::jvp tangent (v = 0.75), " + at, to_ld(jt), 0.75L * f1, 0.75L * t1);
  expect_near_in<T>("tg::vjp (v = 0.75), " + at, to_ld(tg::vjp(c.op, std::array<T, 1>{xt}, std::array<T, 1>{v})[0]), 0.75L * f1,
              0.75L * t1);

  expect_near_in<T>("tg::hessian, " + at, to_ld(tg::hessian(c.op, xt)[0][0]), f2, t2);
  expect_near_in<T>("tg::derivative<0>(tg::derivative<0>), " + at, to_ld(tg::derivative<0>(tg::derivative<0>(c.op))(xt)), f2, t2);
  expect_near_in<T>("tg::hvp (v = 0.75), " + at, to_ld(tg::hvp(c.op, std::array<T, 1>{xt}, std::array<T, 1>{v})[0]), 0.75L * f2,
              0.75L * t2);

  // tg::dual used directly. Not for long double: tg::dual<long double, N> does not compile
  // (detail::default_tangents instantiates xsimd::batch<long double>; reported to the lead).
  if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double>) {
    const auto d1 = c.op(tg::dual<T, 1>(xt, 0));
    expect_near_in<T>("tg::dual<T, 1> value, " + at, to_ld(d1.value()), f0, tv);
    expect_near_in<T>("tg::dual<T, 1> tangent, " + at, to_ld(d1.tangent(0)), f1, t1);
    const auto d3 = c.op(tg::dual<T, 3>(xt, std::array<T, 3>{T(1), T(-0.5), T(0)}));
    expect_near_in<T>("tg::dual<T, 3> value, " + at, to_ld(d3.value()), f0, tv);
    expect_near_in<T>("tg::dual<T, 3> tangent 0, " + at, to_ld(d3.tangent(0)), f1, t1);
    expect_near_in<T>("tg::dual<T, 3> tangent 1, " + at, to_ld(d3.tangent(1)), -0.5L * f1, 0.5L * t1);
    expect_near_in<T>("tg::dual<T, 3> tangent 2, " + at, to_ld(d3.tangent(2)), 0, 0);
  }
}

/// The case at all its points, for float, double and long double.
template <class Case> void check_unary(const Case& c) {
  for (const point& p : c.points) {
    check_unary_reference(c, p);
    check_unary_at<float>(c, p);
    check_unary_at<double>(c, p);
    check_unary_at<long double>(c, p);
  }
  report_worst(c.name);
}

// ---- binary --------------------------------------------------------------------------------------
template <class Case> void check_binary_reference(const Case& c, const point2& p) {
  const ld x = p.x, y = p.y, h = 1e-3L * p.scale, tol = 1e-7L;
  const std::string at = c.name + " at (" + show(x) + ", " + show(y) + ")";
  const auto in_x = [&](const auto& g) { return central_difference([&](ld s) { return g(s, y); }, x, h); };
  const auto in_y = [&](const auto& g) { return central_difference([&](ld s) { return g(x, s); }, y, h); };
  const ld f0 = std::fabs(c.f(x, y)) + 1e-30L;
  expect_near("table: fx vs difference of f, " + at, c.fx(x, y), in_x(c.f), tol * (std::fabs(c.fx(x, y)) + f0));
  expect_near("table: fy vs difference of f, " + at, c.fy(x, y), in_y(c.f), tol * (std::fabs(c.fy(x, y)) + f0));
  const ld g1 = std::fabs(c.fx(x, y)) + std::fabs(c.fy(x, y)) + 1e-30L;
  expect_near("table: fxx vs difference of fx, " + at, c.fxx(x, y), in_x(c.fx), tol * (std::fabs(c.fxx(x, y)) + g1));
  expect_near("table: fxy vs difference of fx in y, " + at, c.fxy(x, y), in_y(c.fx), tol * (std::fabs(c.fxy(x, y)) + g1));
  expect_near("table: fxy vs difference of fy in x, " + at, c.fxy(x, y), in_x(c.fy), tol * (std::fabs(c.fxy(x, y)) + g1));
  expect_near("table: fyy vs difference of fy, " + at, c.fyy(x, y), in_y(c.fy), tol * (std::fabs(c.fyy(x, y)) + g1));
  const auto lib = [&](ld a, ld b) { return tg::eval(c.op, a, b); };
  const auto g = tg::grad(c.op, x, y);
  expect_near("long double tg::grad[0] vs difference of tg::eval, " + at, g[0], in_x(lib), tol * (std::fabs(c.fx(x, y)) + f0));
  expect_near("long double tg::grad[1] vs difference of tg::eval, " + at, g[1], in_y(lib), tol * (std::fabs(c.fy(x, y)) + f0));
}

template <class T, class Case> void check_binary_at(const Case& c, const point2& p) {
  T xt, yt;
  if (!representable(point{p.x, p.scale}, xt) || !representable(point{p.y, p.scale}, yt)) return;
  const ld x = to_ld(xt), y = to_ld(yt), h = 1e-3L * p.scale;
  const auto in_x = [&](const auto& g) { return central_difference([&](ld s) { return g(s, y); }, x, h); };
  const auto in_y = [&](const auto& g) { return central_difference([&](ld s) { return g(x, s); }, y, h); };
  // error model in two variables: c * eps * (|g| + |x dg/dx| + |y dg/dy|)
  const auto tol = [&](ld cc, ld g, ld gx, ld gy, ld floor) {
    return allowed<T>(cc, g, std::fabs(x * gx) + std::fabs(y * gy), floor);
  };
  const ld f0 = c.f(x, y), fx = c.fx(x, y), fy = c.fy(x, y);
  const ld fxx = c.fxx(x, y), fxy = c.fxy(x, y), fyy = c.fyy(x, y);
  const ld tv = tol(c.c.v, f0, fx, fy, c.floor.v);
  const ld tx = tol(c.c.d1, fx, fxx, fxy, c.floor.d1), ty = tol(c.c.d1, fy, fxy, fyy, c.floor.d1);
  const ld txx = tol(c.c.d2, fxx, in_x(c.fxx), in_y(c.fxx), c.floor.d2);
  const ld txy = tol(c.c.d2, fxy, in_x(c.fxy), in_y(c.fxy), c.floor.d2);
  const ld tyy = tol(c.c.d2, fyy, in_x(c.fyy), in_y(c.fyy), c.floor.d2);
  const std::string at = c.name + " <" + traits<T>::name + "> at (" + show(x) + ", " + show(y) + ")";

  expect_near_in<T>("tg::eval, " + at, to_ld(tg::eval(c.op, xt, yt)), f0, tv);
  const auto [val, g] = tg::value_and_grad(c.op, xt, yt);
  expect_near_in<T>("tg::value_and_grad value, " + at, to_ld(val), f0, tv);
  expect_near_in<T>("tg::value_and_grad d/dx, " + at, to_ld(g[0]), fx, tx);
  expect_near_in<T>("tg::value_and_grad d/dy, " + at, to_ld(g[1]), fy, ty);
  const auto gg = tg::grad(c.op, xt, yt);
  expect_near_in<T>("tg::grad d/dx, " + at, to_ld(gg[0]), fx, tx);
  expect_near_in<T>("tg::grad d/dy, " + at, to_ld(gg[1]), fy, ty);
  if constexpr (!std::is_same_v<T, long double>) {  // see check_unary_at
    const auto J = tg::jacobian(c.op, xt, yt);
    expect_near_in<T>("tg::jacobian d/dx, " + at, to_ld(J[0][0]), fx, tx);
    expect_near_in<T>("tg::jacobian d/dy, " + at, to_ld(J[0][1]), fy, ty);
  }
  expect_near_in<T>("tg::derivative<0>, " + at, to_ld(tg::derivative<0>(c.op)(xt, yt)), fx, tx);
  expect_near_in<T>("tg::derivative<1>, " + at, to_ld(tg::derivative<1>(c.op)(xt, yt)), fy, ty);
  const auto [jv, jt] = tg::jvp(c.op, std::array<T, 2>{xt, yt}, std::array<T, 2>{T(0.75), T(-0.5)});
  expect_near_in<T>("tg::jvp value, " + at, to_ld(jv), f0, tv);
  expect_near_in<T>("tg::jvp tangent (v = (0.75, -0.5)), " + at, to_ld(jt), 0.75L * fx - 0.5L * fy, 0.75L * tx + 0.5L * ty);
  const auto w = tg::vjp(c.op, std::array<T, 2>{xt, yt}, std::array<T, 1>{T(0.75)});
  expect_near_in<T>("tg::vjp d/dx (v = 0.75), " + at, to_ld(w[0]), 0.75L * fx, 0.75L * tx);
  expect_near_in<T>("tg::vjp d/dy (v = 0.75), " + at, to_ld(w[1]), 0.75L * fy, 0.75L * ty);

  const auto H = tg::hessian(c.op, xt, yt);
  expect_near_in<T>("tg::hessian xx, " + at, to_ld(H[0][0]), fxx, txx);
  expect_near_in<T>("tg::hessian xy, " + at, to_ld(H[0][1]), fxy, txy);
  expect_near_in<T>("tg::hessian yx, " + at, to_ld(H[1][0]), fxy, txy);
  expect_near_in<T>("tg::hessian yy, " + at, to_ld(H[1][1]), fyy, tyy);
  expect_near_in<T>("tg::derivative<0>(tg::derivative<0>), " + at, to_ld(tg::derivative<0>(tg::derivative<0>(c.op))(xt, yt)), fxx, txx);
  expect_near_in<T>("tg::derivative<1>(tg::derivative<0>), " + at, to_ld(tg::derivative<1>(tg::derivative<0>(c.op))(xt, yt)), fxy, txy);
  expect_near_in<T>("tg::derivative<0>(tg::derivative<1>), " + at, to_ld(tg::derivative<0>(tg::derivative<1>(c.op))(xt, yt)), fxy, txy);
  expect_near_in<T>("tg::derivative<1>(tg::derivative<1>), " + at, to_ld(tg::derivative<1>(tg::derivative<1>(c.op))(xt, yt)), fyy, tyy);
  const auto hv = tg::hvp(c.op, std::array<T, 2>{xt, yt}, std::array<T, 2>{T(0.75), T(-0.5)});
  expect_near_in<T>("tg::hvp x (v = (0.75, -0.5)), " + at, to_ld(hv[0]), 0.75L * fxx - 0.5L * fxy, 0.75L * txx + 0.5L * txy);
  expect_near_in<T>("tg::hvp y (v = (0.75, -0.5)), " + at, to_ld(hv[1]), 0.75L * fxy - 0.5L * fyy, 0.75L * txy + 0.5L * tyy);

  if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double>) {
    const auto d = c.op(tg::dual<T, 2>(xt, 0), tg::dual<T, 2>(yt, 1));
    expect_near_in<T>("tg::dual<T, 2> value, " + at, to_ld(d.value()), f0, tv);
    expect_near_in<T>("tg::dual<T, 2> d/dx, " + at, to_ld(d.tangent(0)), fx, tx);
    expect_near_in<T>("tg::dual<T, 2> d/dy, " + at, to_ld(d.tangent(1)), fy, ty);
  }
}

template <class Case> void check_binary(const Case& c) {
  for (const point2& p : c.points) {
    check_binary_reference(c, p);
    check_binary_at<float>(c, p);
    check_binary_at<double>(c, p);
    check_binary_at<long double>(c, p);
  }
  report_worst(c.name);
}

// ---- dispatch ----------------------------------------------------------------------------------
template <class... Ts> void check_real(const unary_case<Ts...>& c) { check_unary(c); }
template <class... Ts> void check_real(const binary_case<Ts...>& c) { check_binary(c); }

/// check(case) for every case of a tuple of cases.
template <class Tuple, class Check> void for_each_case(const Tuple& cases, const Check& check) {
  std::apply([&](const auto&... c) { (check(c), ...); }, cases);
}

}  // namespace ops_test
