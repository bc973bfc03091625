// std::complex<float> and std::complex<double>.
//   Holomorphic operations (+ - * / with constants, pow, sqrt, exp, exp2, expm1, log, log2,
//   log10, log1p, the trigonometric and hyperbolic functions and their inverses, square,
//   sigmoid): tg::eval against <complex> in long double; tg::derivative<0>, tg::jvp,
//   tg::jacobian and tg::dual<std::complex<T>, 1> against the analytic complex derivative f'(z);
//   tg::derivative<0>(tg::derivative<0>) against f''(z).
//   Real-valued losses of complex variables, with torch's convention grad = dL/dx + i dL/dy:
//   real(f(z)) and abs(f(z)) for every operation, and imag, norm, arg of a few, plus real, imag,
//   abs, norm, arg, conj of z itself; tg::value_and_grad against the analytic conj(f'(z)) w
//   (w = 2 dL/d conj(f)), which is itself checked against central differences in x and y.
//   Points avoid the branch cuts; several have Re z < 0 or Im z < 0.
#include <typegrad/static.hpp>

#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <complex>
#include <initializer_list>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

namespace tg = typegrad;

namespace {

using ops_test::ld;
using ops_test::ln2;
using ops_test::ln10;
using cld = std::complex<ld>;
const cld I(0, 1);

template <class T> constexpr ld eps_of = std::numeric_limits<typename T::value_type>::epsilon();
template <class T> const char* type_name = std::is_same_v<T, std::complex<float>> ? "complex<float>" : "complex<double>";

template <class T> cld widen(const T& z) {
  if constexpr (std::is_arithmetic_v<T>) return cld(static_cast<ld>(z));
  else return {static_cast<ld>(z.real()), static_cast<ld>(z.imag())};
}

std::string show(const cld& z) {
  std::ostringstream os;
  os.precision(19);
  os << '(' << z.real() << ", " << z.imag() << ')';
  return os.str();
}

void expect_close(const std::string& what, const cld& got, const cld& ref, ld tol) {
  INFO(what << ": got " << show(got) << ", expected " << show(ref) << " (tolerance " << tol << ")");
  CHECK(std::isfinite(got.real()));
  CHECK(std::isfinite(got.imag()));
  CHECK(std::abs(got - ref) <= tol);
}

/// Central difference of a real function of z in the direction dz, Richardson-extrapolated
/// twice (error O(h^6)), so that it can judge double results.
template <class L> ld directional(const L& loss, const cld& z, const cld& dz) {
  const auto d = [&](ld s) { return (loss(z + s * dz) - loss(z - s * dz)) / (2 * s); };
  const auto r = [&](ld s) { return (4 * d(s / 2) - d(s)) / 3; };
  return (16 * r(5e-4L) - r(1e-3L)) / 15;
}

/// Torch's gradient of a real loss by central differences: dL/dx + i dL/dy.
template <class L> cld torch_gradient(const L& loss, const cld& z) { return {directional(loss, z, 1), directional(loss, z, I)}; }

template <class Op, class F, class D1, class D2> struct holomorphic_case {
  std::string name;
  Op op;
  F f;
  D1 df;
  D2 d2f;
  std::vector<cld> points;
};
template <class Op, class F, class D1, class D2>
holomorphic_case<Op, F, D1, D2> holomorphic(std::string name, Op op, F f, D1 df, D2 d2f, std::initializer_list<cld> points) {
  return {std::move(name), op, f, df, d2f, std::vector<cld>(points)};
}

/// The analytic table against differences (once, in long double): f' and f'' by complex
/// differences along the real and the imaginary axis (equal, as f is holomorphic).
template <class Case> void check_table(const Case& c, const cld& z) {
  for (const cld dir : {cld(1), I}) {
    const cld h = 1e-3L * dir;
    const auto diff = [&](const auto& g) { return (4.0L * (g(z + h / 2.0L) - g(z - h / 2.0L)) / h - (g(z + h) - g(z - h)) / (2.0L * h)) / 3.0L; };
    expect_close("table: f' vs difference of f, " + c.name + " at " + show(z), c.df(z), diff(c.f), 1e-8L * (std::abs(c.df(z)) + std::abs(c.f(z))));
    expect_close("table: f'' vs difference of f', " + c.name + " at " + show(z), c.d2f(z), diff(c.df), 1e-8L * (std::abs(c.d2f(z)) + std::abs(c.df(z))));
  }
}

/// Real losses of f(z) and their torch gradients conj(f') w, with w = 2 dL/d conj(f).
template <class Case, class T> void check_losses(const Case& c, const T& zt, ld tol_scale) {
  const cld z = widen(zt);
  const cld f = c.f(z), fp = c.df(z);
  const std::string at = c.name + " <" + type_name<T> + "> at z = " + show(z);
  const auto real_loss = [op = c.op](auto w) { return real(op(w)); };
  const auto abs_loss = [op = c.op](auto w) { return abs(op(w)); };
  const cld g_real = std::conj(fp);
  const cld g_abs = std::conj(fp) * f / std::abs(f);
  // the analytic gradients against differences of the long double losses
  expect_close("table: grad real(f) vs differences, " + at, g_real, torch_gradient([&](const cld& w) { return c.f(w).real(); }, z),
               1e-8L * std::abs(fp));
  expect_close("table: grad abs(f) vs differences, " + at, g_abs, torch_gradient([&](const cld& w) { return std::abs(c.f(w)); }, z),
               1e-8L * std::abs(fp));
  const ld tol = tol_scale * (std::abs(fp) + std::abs(z) * std::abs(c.d2f(z)));
  const auto [v_real, gr] = tg::value_and_grad(real_loss, zt);
  static_assert(std::is_same_v<std::remove_const_t<decltype(v_real)>, typename T::value_type>,
                "the value of a real loss is real");
  expect_close("tg::value_and_grad value of real(f), " + at, v_real, f.real(), tol_scale * (std::abs(f) + std::abs(z * fp)));
  expect_close("tg::value_and_grad gradient of real(f), " + at, widen(gr[0]), g_real, tol);
  const auto [v_abs, ga] = tg::value_and_grad(abs_loss, zt);
  expect_close("tg::value_and_grad value of abs(f), " + at, v_abs, std::abs(f), tol_scale * (std::abs(f) + std::abs(z * fp)));
  expect_close("tg::grad of abs(f), " + at, widen(tg::grad(abs_loss, zt)[0]), g_abs, tol);
  expect_close("tg::value_and_grad gradient of abs(f), " + at, widen(ga[0]), g_abs, tol);
}

template <class T, bool Symbolic, class Case> void check_holomorphic_at(const Case& c, const cld& point) {
  const T zt(static_cast<typename T::value_type>(point.real()), static_cast<typename T::value_type>(point.imag()));
  const cld z = widen(zt);
  const cld f0 = c.f(z), f1 = c.df(z), f2 = c.d2f(z);
  // the error model of support.hpp: c * eps * (|g| + |z g'|), third derivative by differences
  const cld h = 1e-3L;
  const cld f3 = (c.d2f(z + h) - c.d2f(z - h)) / (2.0L * h);
  const ld e = eps_of<T>;
  const ld tv = 8 * e * (std::abs(f0) + std::abs(z * f1));
  const ld t1 = 16 * e * (std::abs(f1) + std::abs(z * f2));
  const ld t2 = 32 * e * (std::abs(f2) + std::abs(z * f3));
  const std::string at = c.name + " <" + type_name<T> + "> at z = " + show(z);
  const T v(0.5, -1);

  expect_close("tg::eval, " + at, widen(tg::eval(c.op, zt)), f0, tv);
  if constexpr (Symbolic) {
    const auto d1 = tg::derivative<0>(c.op)(zt);
    const auto d2 = tg::derivative<0>(tg::derivative<0>(c.op))(zt);
    expect_close("tg::derivative<0>, " + at, widen(d1), f1, t1);
    expect_close("tg::derivative<0>(tg::derivative<0>), " + at, widen(d2), f2, t2);
    // A regression check: when the symbolic derivative folds to a literal (the second
    // derivative of z * z + 2.5 z - 1 is the literal 2), tg::derivative returned the real type
    // (float) instead of std::complex<float>.
    CHECK(std::is_same_v<std::remove_const_t<decltype(d1)>, T>);
    CHECK(std::is_same_v<std::remove_const_t<decltype(d2)>, T>);
  }
  const auto [jv, jt] = tg::jvp(c.op, std::array<T, 1>{zt}, std::array<T, 1>{v});
  expect_close("tg::jvp value, " + at, widen(jv), f0, tv);
  expect_close("tg::jvp tangent (v = 0.5 - i), " + at, widen(jt), f1 * widen(v), std::abs(widen(v)) * t1);
  expect_close("tg::jacobian, " + at, widen(tg::jacobian(c.op, zt)[0][0]), f1, t1);
  const auto d = c.op(tg::dual<T, 1>(zt, 0));
  expect_close("tg::dual<complex, 1> value, " + at, widen(d.value()), f0, tv);
  expect_close("tg::dual<complex, 1> tangent, " + at, widen(d.tangent(0)), f1, t1);
  check_losses(c, zt, 16 * e);
}

/// Symbolic = false leaves out tg::derivative (see "pow(2, z)").
template <bool Symbolic = true, class Case> void check_holomorphic(const Case& c) {
  for (const cld& z : c.points) {
    check_table(c, z);
    check_holomorphic_at<std::complex<float>, Symbolic>(c, z);
    check_holomorphic_at<std::complex<double>, Symbolic>(c, z);
  }
}

// points off every branch cut of the principal branches (cuts lie on the real and imaginary axes)
const std::initializer_list<cld> general{{0.5, 0.25}, {-1.5, 0.75}, {0.3, -1.2}, {-0.7, -0.4}, {2, 1}};

}  // namespace

TEST_CASE("complex: arithmetic with constants, square, pow", "[ops][complex]") {
  check_holomorphic(holomorphic(
      "z * z + 2.5 * z - 1", [](auto z) { return z * z + 2.5 * z - 1.0; }, [](cld z) { return z * z + 2.5L * z - 1.0L; },
      [](cld z) { return 2.0L * z + 2.5L; }, [](cld) { return cld(2); }, general));
  check_holomorphic(holomorphic(
      "2.5 / z - z / 4", [](auto z) { return 2.5 / z - z / 4.0; }, [](cld z) { return 2.5L / z - z / 4.0L; },
      [](cld z) { return -2.5L / (z * z) - 0.25L; }, [](cld z) { return 5.0L / (z * z * z); }, general));
  check_holomorphic(holomorphic(
      "-z + (3 - z)", [](auto z) { return -z + (3.0 - z); }, [](cld z) { return 3.0L - 2.0L * z; }, [](cld) { return cld(-2); },
      [](cld) { return cld(0); }, general));
  check_holomorphic(holomorphic(
      "square", [](auto z) { return square(z); }, [](cld z) { return z * z; }, [](cld z) { return 2.0L * z; },
      [](cld) { return cld(2); }, general));
  check_holomorphic(holomorphic(
      "pow(z, 3)", [](auto z) { return pow(z, 3.0); }, [](cld z) { return z * z * z; }, [](cld z) { return 3.0L * z * z; },
      [](cld z) { return 6.0L * z; }, general));
  check_holomorphic(holomorphic(
      "pow(z, 0.5)", [](auto z) { return pow(z, 0.5); }, [](cld z) { return std::sqrt(z); },
      [](cld z) { return 0.5L / std::sqrt(z); }, [](cld z) { return -0.25L / (z * std::sqrt(z)); }, general));
  // pow(2, z): symbolic derivatives too (they once failed to compile for complex z).
  check_holomorphic(holomorphic(
      "pow(2, z)", [](auto z) { return pow(2.0, z); }, [](cld z) { return std::exp(z * ln2); },
      [](cld z) { return ln2 * std::exp(z * ln2); }, [](cld z) { return ln2 * ln2 * std::exp(z * ln2); }, general));
}

TEST_CASE("complex: exponential and logarithms", "[ops][complex]") {
  const auto e = [](cld z) { return std::exp(z); };
  check_holomorphic(holomorphic("exp", [](auto z) { return exp(z); }, e, e, e, general));
  check_holomorphic(holomorphic(
      "exp2", [](auto z) { return exp2(z); }, [](cld z) { return std::exp(z * ln2); },
      [](cld z) { return ln2 * std::exp(z * ln2); }, [](cld z) { return ln2 * ln2 * std::exp(z * ln2); }, general));
  check_holomorphic(holomorphic(
      "expm1", [](auto z) { return expm1(z); }, [](cld z) { return std::exp(z) - 1.0L; }, e, e, general));
  check_holomorphic(holomorphic(
      "log", [](auto z) { return log(z); }, [](cld z) { return std::log(z); }, [](cld z) { return 1.0L / z; },
      [](cld z) { return -1.0L / (z * z); }, general));
  check_holomorphic(holomorphic(
      "log2", [](auto z) { return log2(z); }, [](cld z) { return std::log(z) / ln2; }, [](cld z) { return 1.0L / (z * ln2); },
      [](cld z) { return -1.0L / (z * z * ln2); }, general));
  check_holomorphic(holomorphic(
      "log10", [](auto z) { return log10(z); }, [](cld z) { return std::log10(z); }, [](cld z) { return 1.0L / (z * ln10); },
      [](cld z) { return -1.0L / (z * z * ln10); }, general));
  check_holomorphic(holomorphic(
      "log1p", [](auto z) { return log1p(z); }, [](cld z) { return std::log(1.0L + z); }, [](cld z) { return 1.0L / (1.0L + z); },
      [](cld z) { return -1.0L / ((1.0L + z) * (1.0L + z)); }, {{0.5, 0.25}, {-0.5, 0.75}, {0.3, -1.2}, {-1.7, -0.4}, {2, 1}}));
  check_holomorphic(holomorphic(
      "sqrt", [](auto z) { return sqrt(z); }, [](cld z) { return std::sqrt(z); }, [](cld z) { return 0.5L / std::sqrt(z); },
      [](cld z) { return -0.25L / (z * std::sqrt(z)); }, general));
  const auto s = [](cld z) { return 1.0L / (1.0L + std::exp(-z)); };
  check_holomorphic(holomorphic(
      "sigmoid", [](auto z) { return sigmoid(z); }, s, [s](cld z) { return s(z) * (1.0L - s(z)); },
      [s](cld z) { return s(z) * (1.0L - s(z)) * (1.0L - 2.0L * s(z)); }, general));
}

TEST_CASE("complex: trigonometric functions and their inverses", "[ops][complex]") {
  check_holomorphic(holomorphic(
      "sin", [](auto z) { return sin(z); }, [](cld z) { return std::sin(z); }, [](cld z) { return std::cos(z); },
      [](cld z) { return -std::sin(z); }, general));
  check_holomorphic(holomorphic(
      "cos", [](auto z) { return cos(z); }, [](cld z) { return std::cos(z); }, [](cld z) { return -std::sin(z); },
      [](cld z) { return -std::cos(z); }, general));
  check_holomorphic(holomorphic(
      "tan", [](auto z) { return tan(z); }, [](cld z) { return std::tan(z); },
      [](cld z) { return 1.0L + std::tan(z) * std::tan(z); },
      [](cld z) { return 2.0L * std::tan(z) * (1.0L + std::tan(z) * std::tan(z)); }, general));
  const auto r = [](cld z) { return 1.0L / std::sqrt(1.0L - z * z); };
  check_holomorphic(holomorphic(
      "asin", [](auto z) { return asin(z); }, [](cld z) { return std::asin(z); }, r, [r](cld z) { return z * r(z) * r(z) * r(z); },
      general));
  check_holomorphic(holomorphic(
      "acos", [](auto z) { return acos(z); }, [](cld z) { return std::acos(z); }, [r](cld z) { return -r(z); },
      [r](cld z) { return -z * r(z) * r(z) * r(z); }, general));
  check_holomorphic(holomorphic(
      "atan", [](auto z) { return atan(z); }, [](cld z) { return std::atan(z); }, [](cld z) { return 1.0L / (1.0L + z * z); },
      [](cld z) { return -2.0L * z / ((1.0L + z * z) * (1.0L + z * z)); }, general));
}

TEST_CASE("complex: hyperbolic functions and their inverses", "[ops][complex]") {
  check_holomorphic(holomorphic(
      "sinh", [](auto z) { return sinh(z); }, [](cld z) { return std::sinh(z); }, [](cld z) { return std::cosh(z); },
      [](cld z) { return std::sinh(z); }, general));
  check_holomorphic(holomorphic(
      "cosh", [](auto z) { return cosh(z); }, [](cld z) { return std::cosh(z); }, [](cld z) { return std::sinh(z); },
      [](cld z) { return std::cosh(z); }, general));
  check_holomorphic(holomorphic(
      "tanh", [](auto z) { return tanh(z); }, [](cld z) { return std::tanh(z); },
      [](cld z) { return 1.0L - std::tanh(z) * std::tanh(z); },
      [](cld z) { return -2.0L * std::tanh(z) * (1.0L - std::tanh(z) * std::tanh(z)); }, general));
  const auto r = [](cld z) { return 1.0L / std::sqrt(1.0L + z * z); };
  check_holomorphic(holomorphic(
      "asinh", [](auto z) { return asinh(z); }, [](cld z) { return std::asinh(z); }, r,
      [r](cld z) { return -z * r(z) * r(z) * r(z); }, general));
  // acosh' = 1 / (sqrt(z - 1) sqrt(z + 1)) on the principal branch (cut (-inf, 1]); this is
  // -1 / sqrt(z^2 - 1) where Re z < 0.
  // A regression check: the acosh partial was once 1 / sqrt(z*z - 1), of the wrong sign for
  // complex z with Re z < 0 (here -1.5 + 0.75i and -0.7 - 0.4i).
  const auto q = [](cld z) { return 1.0L / (std::sqrt(z - 1.0L) * std::sqrt(z + 1.0L)); };
  check_holomorphic(holomorphic(
      "acosh", [](auto z) { return acosh(z); }, [](cld z) { return std::acosh(z); }, q,
      [q](cld z) { return -z * q(z) * q(z) * q(z); }, general));
  check_holomorphic(holomorphic(
      "atanh", [](auto z) { return atanh(z); }, [](cld z) { return std::atanh(z); }, [](cld z) { return 1.0L / (1.0L - z * z); },
      [](cld z) { return 2.0L * z / ((1.0L - z * z) * (1.0L - z * z)); }, general));
}

namespace {

/// tg::grad of a real loss of complex z against torch's convention by differences.
template <class T, class Loss, class Ref> void check_loss(const std::string& name, const Loss& loss, const Ref& ref, const cld& point) {
  const T zt(static_cast<typename T::value_type>(point.real()), static_cast<typename T::value_type>(point.imag()));
  const cld z = widen(zt);
  const cld expected = torch_gradient(ref, z);
  const ld tol = 64 * eps_of<T> * (std::abs(expected) + std::abs(ref(z)) / std::abs(z) + 1);
  const std::string at = name + " <" + type_name<T> + "> at z = " + show(z);
  const auto [v, g] = tg::value_and_grad(loss, zt);
  expect_close("tg::value_and_grad value, " + at, v, ref(z), 16 * eps_of<T> * (std::abs(ref(z)) + std::abs(z) * std::abs(expected)));
  expect_close("tg::value_and_grad gradient, " + at, widen(g[0]), expected, tol);
  expect_close("tg::grad, " + at, widen(tg::grad(loss, zt)[0]), expected, tol);
}

template <class Loss, class Ref> void check_loss_both(const std::string& name, const Loss& loss, const Ref& ref) {
  for (const cld& z : general) {
    check_loss<std::complex<float>>(name, loss, ref, z);
    check_loss<std::complex<double>>(name, loss, ref, z);
  }
}

}  // namespace

TEST_CASE("complex: real-valued losses follow torch's gradient convention", "[ops][complex]") {
  // the complex-only functions of z itself: grad real(z) = 1, imag(z) = i, abs(z) = z / |z|,
  // norm(z) = 2 z, arg(z) = i z / |z|^2, real(conj(z)) = 1, imag(conj(z)) = -i
  const cld z(0.3, -1.2);
  const auto g = [](const auto& loss, const std::complex<double>& w) { return widen(tg::grad(loss, w)[0]); };
  const std::complex<double> zd(0.3, -1.2);
  expect_close("grad real(z)", g([](auto w) { return real(w); }, zd), cld(1), 0);
  expect_close("grad imag(z)", g([](auto w) { return imag(w); }, zd), I, 0);
  expect_close("grad real(conj(z))", g([](auto w) { return real(conj(w)); }, zd), cld(1), 0);
  expect_close("grad imag(conj(z))", g([](auto w) { return imag(conj(w)); }, zd), -I, 0);
  expect_close("grad abs(z)", g([](auto w) { return abs(w); }, zd), z / std::abs(z), 1e-15L);
  expect_close("grad norm(z)", g([](auto w) { return norm(w); }, zd), 2.0L * z, 1e-15L);
  expect_close("grad arg(z)", g([](auto w) { return arg(w); }, zd), I * z / std::norm(z), 1e-15L);
  CHECK(tg::eval([](auto w) { return norm(w); }, zd) == std::norm(zd));
  CHECK(tg::eval([](auto w) { return arg(w); }, zd) == std::arg(zd));
  CHECK(tg::eval([](auto w) { return abs(w); }, zd) == std::abs(zd));

  // compositions, against central differences of the same loss in long double
  check_loss_both("real(z)", [](auto w) { return real(w); }, [](cld w) { return w.real(); });
  check_loss_both("imag(z)", [](auto w) { return imag(w); }, [](cld w) { return w.imag(); });
  check_loss_both("abs(z)", [](auto w) { return abs(w); }, [](cld w) { return std::abs(w); });
  check_loss_both("norm(z)", [](auto w) { return norm(w); }, [](cld w) { return std::norm(w); });
  check_loss_both("arg(z)", [](auto w) { return arg(w); }, [](cld w) { return std::arg(w); });
  check_loss_both("imag(exp(z))", [](auto w) { return imag(exp(w)); }, [](cld w) { return std::exp(w).imag(); });
  check_loss_both("norm(sin(z))", [](auto w) { return norm(sin(w)); }, [](cld w) { return std::norm(std::sin(w)); });
  check_loss_both("arg(z * z + 1)", [](auto w) { return arg(w * w + 1.0); }, [](cld w) { return std::arg(w * w + 1.0L); });
  check_loss_both("abs(log(z)) * real(z)", [](auto w) { return abs(log(w)) * real(w); },
                  [](cld w) { return std::abs(std::log(w)) * w.real(); });
  check_loss_both("real(conj(z) * exp(z))", [](auto w) { return real(conj(w) * exp(w)); },
                  [](cld w) { return (std::conj(w) * std::exp(w)).real(); });
  check_loss_both("imag(z * conj(sinh(z)))", [](auto w) { return imag(w * conj(sinh(w))); },
                  [](cld w) { return (w * std::conj(std::sinh(w))).imag(); });
  check_loss_both("norm(z - conj(z)) + abs(1 / z)", [](auto w) { return norm(w - conj(w)) + abs(1.0 / w); },
                  [](cld w) { return std::norm(w - std::conj(w)) + std::abs(1.0L / w); });
  check_loss_both("sqrt(norm(z) + 1) via real", [](auto w) { return real(sqrt(norm(w) + 1.0)); },
                  [](cld w) { return std::sqrt(std::norm(w) + 1.0L); });
}
