// tg::digamma / trigamma / polygamma: accuracy against mpmath (digamma_reference.inc, from
// make_digamma_reference.py), closed forms, the recurrence, finite differences of lgamma, pole
// and infinity values, and batch lanes against the scalar results.
#include <typegrad/special/digamma.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <limits>
#include <numbers>
#include <random>
#include <vector>

#include <xsimd/xsimd.hpp>

namespace tg = typegrad;

namespace {

struct psi_reference {
  int n;
  double x;               // a float value
  long double value;      // polygamma(n, x)
  long double derivative; // polygamma(n + 1, x)
};

const psi_reference references[] = {
#include "digamma_reference.inc"
};

constexpr long double euler_gamma = 0.5772156649015328606065120900824024310422L;
constexpr long double zeta3 = 1.202056903159594285399738161511449990765L;
constexpr long double zeta5 = 1.036927755143369926331365486457034168057L;
constexpr long double pi = std::numbers::pi_v<long double>;
constexpr long double ln2 = std::numbers::ln2_v<long double>;

/// |got - want| in units of S's epsilon times `scale`.
template <class S> double error_in_eps(S got, long double want, long double scale) {
  return static_cast<double>(std::fabs(static_cast<long double>(got) - want) /
                             (scale * static_cast<long double>(std::numeric_limits<S>::epsilon())));
}

/// Error measures over the reference table for element type S:
/// `relative` in eps of |f| (reported for x > 0, where digamma's root is handled), and
/// `conditioned` in eps of |f| + |x f'(x)|, i.e. forgiving what a few ulp of x would cause
/// (x < 0 near the roots of the function, where no method without extra precision does better).
template <class S> struct accuracy {
  double relative_positive = 0;
  double conditioned = 0;
  double relative_all = 0;
  std::size_t points = 0;
};

template <class S> accuracy<S> measure() {
  accuracy<S> acc;
  for (const auto& r : references) {
    const auto x = static_cast<S>(r.x);
    if (std::fabs(r.value) > static_cast<long double>(std::numeric_limits<S>::max()) / 2 ||
        std::fabs(r.value) < static_cast<long double>(std::numeric_limits<S>::min()) * 1e3L)
      continue;  // out of S's range
    const S got = tg::polygamma(r.n, x);
    const double rel = error_in_eps(got, r.value, std::fabs(r.value));
    const double cond = error_in_eps(got, r.value, std::fabs(r.value) + std::fabs(r.x * r.derivative));
    if (r.x > 0) acc.relative_positive = std::max(acc.relative_positive, rel);
    acc.relative_all = std::max(acc.relative_all, rel);
    acc.conditioned = std::max(acc.conditioned, cond);
    ++acc.points;
  }
  return acc;
}

bool same_special(double a, double b) {
  return (std::isnan(a) && std::isnan(b)) || (a == b && std::signbit(a) == std::signbit(b));
}

}  // namespace

TEST_CASE("polygamma: accuracy against mpmath, double", "[special][digamma]") {
  const auto a = measure<double>();
  INFO("double: max relative error (x > 0) " << a.relative_positive << " eps, conditioned "
                                              << a.conditioned << " eps, relative (all) "
                                              << a.relative_all << " eps over " << a.points << " points");
  CHECK(a.points > 900);
  CHECK(a.relative_positive <= 10);
  CHECK(a.conditioned <= 4);
}

TEST_CASE("polygamma: accuracy against mpmath, float", "[special][digamma]") {
  const auto a = measure<float>();
  INFO("float: max relative error (x > 0) " << a.relative_positive << " eps, conditioned "
                                             << a.conditioned << " eps over " << a.points << " points");
  CHECK(a.points > 900);
  CHECK(a.relative_positive <= 10);
  CHECK(a.conditioned <= 4);
}

TEST_CASE("polygamma: accuracy against mpmath, long double", "[special][digamma]") {
  const auto a = measure<long double>();
  INFO("long double: max relative error (x > 0) " << a.relative_positive << " eps, conditioned "
                                                   << a.conditioned << " eps over " << a.points << " points");
  CHECK(a.points > 900);
  CHECK(a.relative_positive <= 10);
  CHECK(a.conditioned <= 4);
}

TEST_CASE("polygamma: closed forms", "[special][digamma]") {
  const auto close = [](double got, long double want, double tol_eps) {
    const double err = error_in_eps(got, want, std::fabs(want));
    INFO("got " << got << " want " << static_cast<double>(want) << " error " << err << " eps");
    CHECK(err <= tol_eps);
  };
  close(tg::digamma(1.0), -euler_gamma, 8);
  close(tg::digamma(0.5), -euler_gamma - 2 * ln2, 8);
  close(tg::digamma(0.25), -euler_gamma - pi / 2 - 3 * ln2, 8);
  close(tg::digamma(0.75), -euler_gamma + pi / 2 - 3 * ln2, 8);
  close(tg::digamma(1.0 / 3), -euler_gamma - pi / (2 * std::sqrt(3.0L)) - 1.5L * std::log(3.0L), 8);
  close(tg::digamma(-0.5), -euler_gamma - 2 * ln2 + 2, 16);
  // digamma(n) = H_(n-1) - gamma; digamma(n + 1/2) = -gamma - 2 ln 2 + sum_k<=n 2/(2k - 1).
  long double harmonic = 0, odd = 0;
  for (int n = 1; n <= 200; ++n) {
    close(tg::digamma(static_cast<double>(n)), harmonic - euler_gamma, 8);
    harmonic += 1.0L / n;
    odd += 2.0L / (2 * n - 1);
    close(tg::digamma(n + 0.5), -euler_gamma - 2 * ln2 + odd, 8);
  }
  close(tg::trigamma(1.0), pi * pi / 6, 4);
  close(tg::trigamma(0.5), pi * pi / 2, 4);
  close(tg::trigamma(-0.5), pi * pi / 2 + 4, 8);  // psi1(1/2) + 1/(1/2)^2
  long double squares = 0;
  for (int n = 1; n <= 100; ++n) {
    close(tg::trigamma(static_cast<double>(n)), pi * pi / 6 - squares, 8);
    squares += 1.0L / (static_cast<long double>(n) * n);
  }
  close(tg::polygamma(2, 1.0), -2 * zeta3, 4);
  close(tg::polygamma(3, 1.0), pi * pi * pi * pi / 15, 4);
  close(tg::polygamma(4, 1.0), -24 * zeta5, 4);
  close(tg::polygamma(2, 0.5), -14 * zeta3, 4);  // -2! (2^3 - 1) zeta(3)
  close(tg::polygamma(0, 1.0), -euler_gamma, 8);
  close(tg::polygamma(1, 1.0), pi * pi / 6, 4);
  // Integer arguments go through double.
  close(tg::digamma(3), 1.5L - euler_gamma, 8);
  close(tg::trigamma(1), pi * pi / 6, 4);
  close(tg::polygamma(2, 1), -2 * zeta3, 4);
  // long double closed forms to long double precision.
  CHECK(error_in_eps(tg::digamma(1.0L), -euler_gamma, euler_gamma) <= 8);
  CHECK(error_in_eps(tg::trigamma(1.0L), pi * pi / 6, pi * pi / 6) <= 8);
  CHECK(error_in_eps(tg::polygamma(2, 1.0L), -2 * zeta3, 2 * zeta3) <= 8);
}

TEST_CASE("polygamma: recurrence in x (psi^(n)(x + 1) - psi^(n)(x) = (-1)^n n! x^-(n+1))", "[special][digamma]") {
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> dist(-20.0, 50.0);
  for (int n : {0, 1, 2, 3}) {
    const double fact = std::tgamma(n + 1.0);
    for (int i = 0; i < 2000; ++i) {
      const double x = dist(rng);
      if (std::fabs(x - std::nearbyint(x)) < 1e-3) continue;
      const double lhs = tg::polygamma(n, x + 1);
      const double term = (n % 2 == 0 ? fact : -fact) / std::pow(x, n + 1);
      const double rhs = tg::polygamma(n, x) + term;
      // x + 1 rounds: allow its effect (x psi^(n+1)) as well as a few ulp of every term.
      const double slope = std::fabs(tg::polygamma(n + 1, x + 1)) * std::fabs(x + 1);
      const double scale = std::fabs(lhs) + std::fabs(rhs) + std::fabs(term) + slope;
      INFO("n = " << n << ", x = " << x);
      REQUIRE(std::fabs(lhs - rhs) <= 16 * std::numeric_limits<double>::epsilon() * scale);
    }
  }
}

TEST_CASE("digamma: central differences of std::lgamma", "[special][digamma]") {
  // Five-point stencil in long double; truncation about h^4 psi^(4) / 30, so h shrinks with the
  // distance d to the nearest pole (the error is then about (h / d)^4 relative).
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> dist(-20.0, 50.0);
  for (int i = 0; i < 1000; ++i) {
    const double x = dist(rng);
    const double dist_pole = x > 0 ? x : std::fabs(x - std::nearbyint(x));
    if (dist_pole < 1e-3) continue;
    const long double h = 1e-3L * std::min(1.0, dist_pole);
    const long double X = x;
    const long double d = (8 * (std::lgamma(X + h) - std::lgamma(X - h)) -
                           (std::lgamma(X + 2 * h) - std::lgamma(X - 2 * h))) / (12 * h);
    const double got = tg::digamma(x);
    INFO("x = " << x << ", digamma " << got << ", lgamma difference " << static_cast<double>(d));
    REQUIRE(std::fabs(got - static_cast<double>(d)) <= 1e-8 * (1 + std::fabs(got)));
  }
}

TEST_CASE("polygamma: poles, infinities, NaN, extreme arguments", "[special][digamma]") {
  constexpr double inf = std::numeric_limits<double>::infinity();
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  CHECK(same_special(tg::digamma(0.0), -inf));
  CHECK(same_special(tg::digamma(-0.0), inf));
  CHECK(same_special(tg::digamma(-1.0), nan));
  CHECK(same_special(tg::digamma(-7.0), nan));
  CHECK(same_special(tg::digamma(-1e300), nan));
  CHECK(same_special(tg::digamma(inf), inf));
  CHECK(same_special(tg::digamma(-inf), nan));
  CHECK(same_special(tg::digamma(nan), nan));
  CHECK(same_special(tg::trigamma(0.0), inf));
  CHECK(same_special(tg::trigamma(-0.0), inf));
  CHECK(same_special(tg::trigamma(-3.0), inf));
  CHECK(same_special(tg::trigamma(inf), 0.0));
  CHECK(same_special(tg::trigamma(-inf), nan));
  CHECK(same_special(tg::trigamma(nan), nan));
  CHECK(same_special(tg::polygamma(2, 0.0), -inf));
  CHECK(same_special(tg::polygamma(2, -4.0), -inf));
  CHECK(same_special(tg::polygamma(3, -2.0), inf));
  CHECK(same_special(tg::polygamma(2, inf), -0.0));
  CHECK(same_special(tg::polygamma(-1, 2.0), nan));
  CHECK(same_special(tg::polygamma(101, -0.5), nan));  // past the reflection cap
  CHECK(same_special(tg::digamma(0.0f), -std::numeric_limits<float>::infinity()));
  CHECK(std::isnan(tg::digamma(-2.0f)));
  CHECK(same_special(tg::digamma(0.0L), -std::numeric_limits<long double>::infinity()));
  // Tiny and huge arguments.
  CHECK(tg::digamma(1e-300) == Approx(-1e300).epsilon(1e-15));
  CHECK(tg::digamma(-1e-300) == Approx(1e300).epsilon(1e-15));
  CHECK(same_special(tg::digamma(std::numeric_limits<double>::denorm_min()), -inf));
  CHECK(tg::digamma(1e300) == Approx(std::log(1e300)).epsilon(1e-15));
  constexpr double big = std::numeric_limits<double>::max();
  CHECK(tg::digamma(big) == Approx(std::log(big)));
  CHECK(tg::trigamma(1e-200) == inf);
  CHECK(tg::trigamma(1e300) == Approx(1e-300).epsilon(1e-15));
  CHECK(tg::digamma(-1e15 - 0.5) == Approx(std::log(1e15)).epsilon(1e-12));
  CHECK(tg::digamma(1e-30f) == Approx(-1e30f).epsilon(1e-6));
  // Large orders are finite where n! is.
  CHECK(tg::polygamma(20, 30.0) == Approx(-4.78608520457176e-13).epsilon(1e-13));
  CHECK(tg::polygamma(20, -0.5) == Approx(-487772949462610.0).epsilon(1e-13));
  CHECK(tg::polygamma(10, -3.25) == Approx(15220204740667.8).epsilon(1e-13));
  CHECK(tg::polygamma(30, -0.75) == Approx(-1.2232629049437594944e+51).epsilon(1e-13));
  CHECK(tg::polygamma(99, -2.25) == Approx(1.4996944612358479061e+216).epsilon(1e-13));
  CHECK(tg::polygamma(100, -0.5) == Approx(-1.5303349262176004090e+140).epsilon(1e-13));
  CHECK(tg::polygamma(100, 0.5) == Approx(-2.3661006604908971562e+188).epsilon(1e-13));
}

namespace {

/// Arguments that mix every path inside one batch: positive, near the root, negative, poles,
/// infinities, NaN, tiny and huge.
template <class S> std::vector<S> lane_inputs() {
  std::vector<S> xs = {S(1),     S(0.5),     S(1.4616321),   S(-0.5),  S(0),       S(-0.0),  S(-3),
                       S(1e-20), S(-1e-20),  S(3e30),        S(-2.25), S(7.75),    S(9.5),   S(10.5),
                       std::numeric_limits<S>::infinity(),   -std::numeric_limits<S>::infinity(),
                       std::numeric_limits<S>::quiet_NaN(),  S(1.5),   S(-19.75),  S(49.5)};
  std::mt19937_64 rng(17);
  std::uniform_real_distribution<S> dist(S(-20), S(50));
  for (int i = 0; i < 400; ++i) xs.push_back(dist(rng));
  while (xs.size() % 16 != 0) xs.push_back(S(2.5));
  return xs;
}

template <class S, class F, class G> void check_lanes(int n, F batch_fn, G scalar_fn) {
  using B = xsimd::batch<S>;
  constexpr std::size_t L = B::size;
  const auto xs = lane_inputs<S>();
  for (std::size_t i = 0; i < xs.size(); i += L) {
    const B r = batch_fn(B::load_unaligned(xs.data() + i));
    std::array<S, L> out{};
    r.store_unaligned(out.data());
    for (std::size_t j = 0; j < L; ++j) {
      const S x = xs[i + j];
      const S want = scalar_fn(x);
      INFO("n = " << n << ", lane " << j << ", x = " << x << ": batch " << out[j] << ", scalar " << want);
      if (!std::isfinite(want) || !std::isfinite(out[j]) || want == 0) {
        REQUIRE(same_special(static_cast<double>(out[j]), static_cast<double>(want)));
        continue;
      }
      // xsimd's log and tan differ from libm's by an ulp or so; for x < 0 allow what that
      // becomes through the reflection's cancellation (x psi^(n+1)(x), as in the accuracy test).
      const auto xl = static_cast<long double>(x);
      const long double slope = x < 0 ? std::fabs(xl * tg::polygamma(n + 1, xl)) : 0;
      REQUIRE(error_in_eps(out[j], want, std::fabs(static_cast<long double>(want)) + slope) <= 4);
    }
  }
}

template <class S> void check_all_lanes() {
  using B = xsimd::batch<S>;
  check_lanes<S>(0, [](const B& b) { return tg::digamma(b); }, [](S x) { return tg::digamma(x); });
  check_lanes<S>(1, [](const B& b) { return tg::trigamma(b); }, [](S x) { return tg::trigamma(x); });
  for (int n : {0, 1, 2, 3, 6})
    check_lanes<S>(
        n, [n](const B& b) { return tg::polygamma(n, b); }, [n](S x) { return tg::polygamma(n, x); });
}

}  // namespace

TEST_CASE("polygamma: batch<double> lanes match the scalar results", "[special][digamma][batch]") {
  check_all_lanes<double>();
}

TEST_CASE("polygamma: batch<float> lanes match the scalar results", "[special][digamma][batch]") {
  check_all_lanes<float>();
}
