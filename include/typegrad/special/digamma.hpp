#pragma once
/// \file special/digamma.hpp
/// tg::digamma, tg::trigamma and tg::polygamma for float, double, long double and
/// xsimd::batch<float|double>: one generic implementation, branch-free per lane for batches.
///
///     double a = tg::digamma(0.5);                          // -EulerGamma - 2 ln 2
///     double b = tg::polygamma(2, 1.0);                     // -2 zeta(3)
///     xsimd::batch<double> c = tg::trigamma(xsimd::batch<double>(1.0));  // pi^2/6 per lane
///
/// Method. For x > 0: the recurrence psi^(n)(x) = psi^(n)(x + 1) - (-1)^n n! / x^(n+1) shifts
/// x up to a threshold chosen from n and the precision (about 9 for double digamma), then the
/// asymptotic (Stirling-type) series with Bernoulli coefficients. Batches take a fixed number
/// of masked steps (xsimd::select); the loop stops early only once no lane needs a step. Near
/// digamma's positive root x0 = 1.4616... a Taylor series around x0 replaces the recurrence,
/// which would cancel there. For x < 0: reflection, psi(x) = psi(1 - x) - pi cot(pi x), and for
/// n >= 1 its n-th derivative, psi^(n)(x) = (-1)^n [psi^(n)(1 - x) - pi^(n+1) Q_n(cot(pi x))]
/// with Q_0 = c, Q_(k+1) = (1 + c^2) Q_k'(c); the argument of cot is reduced exactly.
///
/// Values at poles and infinities: digamma(+0) = -inf, digamma(-0) = +inf, digamma(negative
/// integer) = NaN (as torch and SciPy); for n >= 1 at x = 0 or a negative integer, +inf when n
/// is odd (the two-sided limit; torch's trigamma gives a huge finite number off 0) and -inf
/// when n is even (torch's value, the limit from the right). psi^(n)(+inf) is +inf for n = 0
/// and (signed) 0 for n >= 1; psi^(n)(-inf) and n < 0 give NaN.
///
/// Accuracy, measured against mpmath at ~1000 points in [-20, 50] (test/special/digamma.test.cpp):
/// for x > 0, at most about 6 eps relative error (float, double, long double, n = 0..8). For
/// x < 0 the error stays below 2 eps of |f| + |x f'(x)| (a few ulp of backward error in x), so
/// the relative error grows near the negative roots of digamma and of the even-order polygammas,
/// where the function is ill-conditioned (torch behaves the same). Limits: n! must be finite in
/// the element type (n <= 34 for float, n <= 170 for double); for x < 0 the order is capped at
/// n <= 100 (NaN beyond).
#include <array>
#include <cmath>
#include <concepts>
#include <limits>
#include <numbers>
#include <type_traits>

#include <xsimd/xsimd.hpp>

namespace typegrad {
namespace detail::psi {

template <class T> struct element { using type = T; };
template <class T, class A> struct element<xsimd::batch<T, A>> { using type = T; };
template <class T> using element_t = typename element<T>::type;

template <class T> inline constexpr bool is_batch_v = xsimd::is_batch<T>::value;

/// float, double, long double, or an xsimd batch of float or double.
template <class T>
concept argument = std::floating_point<T> || (is_batch_v<T> && std::floating_point<element_t<T>>);

// Lane-wise helpers that also accept plain scalars (bool masks).
template <class M> bool any_lane(const M& m) noexcept {
  if constexpr (std::is_same_v<M, bool>) return m;
  else return xsimd::any(m);
}
template <class M> M both(const M& a, const M& b) noexcept {
  if constexpr (std::is_same_v<M, bool>) return a && b;
  else return a & b;
}
template <class T, class M> T select(const M& m, const T& a, const T& b) noexcept {
  if constexpr (is_batch_v<T>) return xsimd::select(m, a, b);
  else return m ? a : b;
}

/// -v, also for zeros: xsimd 8.1's AVX-512 unary minus computes 0 - v, which maps +0 to +0.
template <class T> T negate(const T& v) noexcept { return v * T(element_t<T>(-1)); }

/// r^e for e >= 0 by squaring (e is the same for every lane).
template <class T> T ipow(T r, int e) noexcept {
  T result(element_t<T>(1));
  while (e > 0) {
    if (e & 1) result *= r;
    e >>= 1;
    if (e > 0) r *= r;
  }
  return result;
}

// Constants from test/special/make_digamma_reference.py --coefficients (mpmath, exact
// rationals for the Bernoulli terms). Long double literals, rounded once more to float/double.

/// B_2k / (2k), k = 1..13: psi(x) ~ ln x - 1/(2x) - sum_k B_2k / (2k x^2k).
inline constexpr long double digamma_series[13] = {
    0.08333333333333333333333333L, -0.008333333333333333333333333L, 0.003968253968253968253968254L,
    -0.004166666666666666666666667L, 0.007575757575757575757575758L, -0.02109279609279609279609280L,
    0.08333333333333333333333333L, -0.4432598039215686274509804L, 3.053954330270119743803954L,
    -26.45621212121212121212121L, 281.4601449275362318840580L, -3607.510546398046398046398L,
    54827.58333333333333333333L};

/// B_2k / (2k)!, k = 1..13: psi^(n)(x) ~ (-1)^(n+1) (n-1)!/x^n [1 + n/(2x)
/// + sum_k B_2k/(2k)! n (n+1) ... (n+2k-1) / x^2k].
inline constexpr long double polygamma_series[13] = {
    0.08333333333333333333333333L, -0.001388888888888888888888889L, 3.306878306878306878306878e-5L,
    -8.267195767195767195767196e-7L, 2.087675698786809897921009e-8L, -5.284190138687493184847682e-10L,
    1.338253653068467883282698e-11L, -3.389680296322582866830195e-13L, 8.586062056277844564135905e-15L,
    -2.174868698558061873041516e-16L, 5.509002828360229515202653e-18L, -1.395446468581252334070769e-19L,
    3.534707039629467471693230e-21L};

/// psi^(k)(x0) / k!, k = 1..28, at the positive root x0 of digamma.
inline constexpr long double root_taylor[28] = {
    0.9676722454476211704274448L, -0.4427631689835921060928653L, 0.2584997609556510106244014L,
    -0.1639427054424065275042513L, 0.1078240506912623657571829L, -0.07219956125645471092612178L,
    0.04880428816414310722509253L, -0.03316112647484735929225840L, 0.02259764823221810465962483L,
    -0.01542476590494895913880032L, 0.01053879161661217538812405L, -0.007204534386356868240970474L,
    0.004926781395729853446354266L, -0.003369801655439328082792857L, 0.002305126326734927836938380L,
    -0.001576936771430197259270935L, 0.001078825201916296580691918L, -0.0007380709389960051295660474L,
    0.0005049532658346020351773982L, -0.0003454680251063076995555680L, 0.0002363560156402705279236960L,
    -0.0001617062209197480344935831L, 0.0001106337276874741090408716L, -7.569179582195065919237709e-5L,
    5.178575795222080868993268e-5L, -3.543007094765960631569882e-5L, 2.424006611860131765268307e-5L,
    -1.658424227185413337524254e-5L};

/// x0 = root_d1 + root_d2 + root_d3 exactly (three doubles), 1.461632144968362341262659542...
inline constexpr double root_d1 = 0x1.762d86356be3fp+0;
inline constexpr double root_d2 = 0x1.b86a722197829p-54;
inline constexpr double root_d3 = 0x1.e0d62a6be90c7p-109;

/// Orders above this give NaN for x < 0 (the reflection polynomial has n + 2 coefficients).
inline constexpr int max_reflection_order = 100;

/// Per-precision choices for element type S.
template <class S> struct tuning {
  static constexpr int digits = std::numeric_limits<S>::digits;
  /// Terms of the asymptotic series (the threshold below adapts to them).
  static constexpr int series_terms = digits <= 24 ? 4 : digits <= 53 ? 8 : 12;
  /// Taylor terms around the root, enough for |x - x0| < root_radius: the terms shrink like
  /// (0.25 / x0)^k. The radius covers where the recurrence's cancellation would cost > 5 ulp.
  static constexpr int root_terms = digits <= 24 ? 10 : digits <= 53 ? 21 : 26;
  static constexpr S root_radius = S(0.25);
  /// x0 split as hi + lo in S, so x - hi is exact near x0 and lo restores the rest.
  static constexpr S root_hi = static_cast<S>(static_cast<long double>(root_d1) + root_d2);
  static constexpr S root_lo = static_cast<S>(
      (static_cast<long double>(root_d1) - static_cast<long double>(root_hi)) + root_d2 + root_d3);
};

/// n (n + 1) ... (n + m - 1).
constexpr long double rising(int n, int m) noexcept {
  long double r = 1;
  for (int i = 0; i < m; ++i) r *= static_cast<long double>(n + i);
  return r;
}

/// The smallest integer y such that, for x >= y, the first omitted term of the asymptotic
/// series (relative to its leading term) is below epsilon / 4.
template <class S> constexpr int shift_threshold(int n) noexcept {
  constexpr int K = tuning<S>::series_terms;
  const long double omitted = n == 0 ? digamma_series[K] : polygamma_series[K] * rising(n, 2 * K + 2);
  const long double bound = (omitted < 0 ? -omitted : omitted) * 4 / std::numeric_limits<S>::epsilon();
  int y = 4;
  for (;; ++y) {
    long double p = 1;
    for (int i = 0; i < 2 * K + 2; ++i) p *= y;
    if (p >= bound) return y;
  }
}

template <class S> inline constexpr auto shift_thresholds = [] {
  std::array<int, 33> t{};
  for (int n = 0; n < static_cast<int>(t.size()); ++n) t[static_cast<std::size_t>(n)] = shift_threshold<S>(n);
  return t;
}();

template <class S> int threshold(int n) noexcept {
  const auto& t = shift_thresholds<S>;
  return n < static_cast<int>(t.size()) ? t[static_cast<std::size_t>(n)] : shift_threshold<S>(n);
}

/// psi^(n)(y) for y > 0 (and NaN, +inf); n >= 0.
template <class T> T positive(int n, T y) noexcept {
  using S = element_t<T>;
  using std::abs;
  using std::log;
  constexpr int K = tuning<S>::series_terms;
  const T y0 = y;
  const T zero(S(0)), one(S(1));

  // Shift: acc = sum over the steps of 1/y^(n+1), y moved up past the threshold.
  const int steps = threshold<S>(n);
  const T y_min(static_cast<S>(steps));
  T acc = zero;
  for (int i = 0; i < steps; ++i) {
    const auto m = y < y_min;
    if (!any_lane(m)) break;
    const T r = one / y;
    acc += select(m, n == 0 ? r : ipow(r, n + 1), zero);
    y = select(m, y + one, y);
  }

  const T r = one / y;
  const T z = r * r;
  T result;
  if (n == 0) {
    T p(static_cast<S>(digamma_series[K - 1]));
    for (int k = K - 2; k >= 0; --k) p = p * z + T(static_cast<S>(digamma_series[k]));
    result = log(y) - (T(S(0.5)) * r + z * p) - acc;

    // Near the root the recurrence cancels to a small result: use the Taylor series there.
    const T t = (y0 - T(tuning<S>::root_hi)) - T(tuning<S>::root_lo);
    const auto near = abs(t) < T(tuning<S>::root_radius);
    if (any_lane(near)) {
      constexpr int N = tuning<S>::root_terms;
      T q(static_cast<S>(root_taylor[N - 1]));
      for (int k = N - 2; k >= 0; --k) q = q * t + T(static_cast<S>(root_taylor[k]));
      result = select(near, q * t, result);
    }
  } else {
    // (-1)^(n+1) [(n-1)!/y^n (1 + n/(2y) + sum_k a_k / y^2k) + n! acc], every term positive
    // except the small alternating a_k: no cancellation.
    // Scalar set-up in W: double unless S is wider (x87 long double arithmetic is slow), and
    // wide enough for float's rising factorials.
    using W = std::conditional_t<(std::numeric_limits<S>::digits > 53), long double, double>;
    std::array<S, K> a{};  // a_k = B_2k / (2k)! * n (n + 1) ... (n + 2k - 1)
    W rise = 1;
    for (int k = 1; k <= K; ++k) {
      rise *= static_cast<W>(n + 2 * k - 2) * static_cast<W>(n + 2 * k - 1);
      a[static_cast<std::size_t>(k - 1)] = static_cast<S>(static_cast<W>(polygamma_series[k - 1]) * rise);
    }
    T p(a[K - 1]);
    for (int k = K - 2; k >= 0; --k) p = p * z + T(a[static_cast<std::size_t>(k)]);
    const T series = one + (T(static_cast<S>(n) / 2) * r + z * p);
    W fact = 1;  // (n - 1)!
    for (int i = 2; i < n; ++i) fact *= i;
    const T magnitude = T(static_cast<S>(fact)) * ipow(r, n) * series + T(static_cast<S>(fact * n)) * acc;
    result = (n % 2 == 1) ? magnitude : negate(magnitude);
  }
  return result;
}

/// pi^(n+1) Q_n(c), where d^n/du^n cot(u) = (-1)^n Q_n(cot u); 1 <= n <= max_reflection_order.
template <class T> T reflection_term(int n, const T& c) noexcept {
  using S = element_t<T>;
  // Coefficients of c^0 .. c^(m+1) for Q_m, ping-ponged between two rows; Q_0 = c.
  long double q[2][max_reflection_order + 2];
  q[0][0] = 0;
  q[0][1] = 1;
  for (int m = 0; m < n; ++m) {
    // Q_(m+1) = (1 + c^2) Q_m', degree m + 2: new[i] = (i + 1) q[i + 1] + (i - 1) q[i - 1].
    const long double* from = q[m % 2];
    long double* to = q[(m + 1) % 2];
    for (int i = 0; i <= m + 2; ++i) {
      long double v = 0;
      if (i <= m) v += (i + 1) * from[i + 1];
      if (i >= 2) v += (i - 1) * from[i - 1];
      to[i] = v;
    }
  }
  const long double* qn = q[n % 2];
  // Only the powers of c with the parity of n + 1 are nonzero: Horner in c^2.
  const T c2 = c * c;
  const int top = n + 1;
  T p(static_cast<S>(qn[top]));
  for (int j = top - 2; j >= 0; j -= 2) p = p * c2 + T(static_cast<S>(qn[j]));
  if (top % 2 == 1) p *= c;
  long double scale = 1;
  for (int i = 0; i <= n; ++i) scale *= std::numbers::pi_v<long double>;
  return T(static_cast<S>(scale)) * p;
}

/// x where |x| < 2^(digits - 1), 0 elsewhere (NaN, infinities, and the large values, which
/// are all integers): rounding functions are then exact and defined. xsimd 8.1's SSE2 floor
/// and trunc convert every lane through int64, which overflows (UB) for the large ones.
template <class T> T roundable(const T& x) noexcept {
  using S = element_t<T>;
  using std::abs;
  constexpr S limit = [] {
    S p = 1;
    for (int i = 1; i < std::numeric_limits<S>::digits; ++i) p *= 2;
    return p;
  }();
  return select(abs(x) < T(limit), x, T(S(0)));
}

/// cot(pi x) to about an ulp, also where it is near zero, for finite non-integer x. The period
/// goes first, exactly: r = x - round(x) in [-1/2, 1/2] (pi * x itself would round it away for
/// large |x|). Then cot(pi r) = 1 / tan(pi |r|) for |r| <= 1/4 and tan(pi (1/2 - |r|)) above
/// (1/2 - |r| is exact), so a result near 0 does not carry the absolute error of tan(pi/2).
template <class T> T cot_pi(const T& x) noexcept {
  using S = element_t<T>;
  using std::abs;
  using std::copysign;
  using std::nearbyint;
  using std::tan;
  const T xr = roundable(x);
  const T r = xr - nearbyint(xr);
  const T a = abs(r);
  const auto small = a <= T(S(0.25));
  const T t = tan(T(std::numbers::pi_v<S>) * select(small, a, T(S(0.5)) - a));
  return copysign(select(small, T(S(1)) / t, t), r);
}

/// psi^(n)(x) for every x: reflection for x < 0, pole values, then the positive kernel.
template <class T> T evaluate(int n, const T& x) noexcept {
  using S = element_t<T>;
  using std::copysign;
  using std::floor;
  constexpr S inf = std::numeric_limits<S>::infinity();
  constexpr S nan = std::numeric_limits<S>::quiet_NaN();
  const T zero(S(0)), one(S(1));
  if (n < 0) return T(nan);

  const auto negative = x < zero;
  const bool any_negative = any_lane(negative);
  T result = positive(n, any_negative ? select(negative, one - x, x) : x);

  if (any_negative) {
    const T c = cot_pi(x);
    T reflected;
    if (n == 0) {
      reflected = result - T(std::numbers::pi_v<S>) * c;
    } else if (n <= max_reflection_order) {
      reflected = result - reflection_term(n, c);
      if (n % 2 == 1) reflected = negate(reflected);
    } else {
      reflected = T(nan);
    }
    result = select(negative, reflected, result);
  }

  // Poles at 0, -1, -2, ..., and -inf (roundable maps it to 0, an "integer"): NaN there.
  const T xr = roundable(x);
  const auto pole = both(x <= zero, floor(xr) == xr);
  if (any_lane(pole)) {
    T at_pole;
    if (n == 0) at_pole = select(x == zero, negate(copysign(T(inf), x)), T(nan));
    else at_pole = T(n % 2 == 1 ? inf : -inf);
    result = select(pole, select(x == T(-inf), T(nan), at_pole), result);
  }
  return result;
}

}  // namespace detail::psi

/// The digamma function psi(x) = d/dx ln Gamma(x), lane-wise for batches. digamma(+0) = -inf,
/// digamma(-0) = +inf, NaN at negative integers and -inf.
template <detail::psi::argument T> T digamma(const T& x) noexcept { return detail::psi::evaluate(0, x); }

/// digamma of an integer, computed in double (as <cmath> does for integer arguments).
template <std::integral I> double digamma(I x) noexcept { return digamma(static_cast<double>(x)); }

/// The trigamma function psi'(x), lane-wise for batches; +inf at 0 and the negative integers.
template <detail::psi::argument T> T trigamma(const T& x) noexcept { return detail::psi::evaluate(1, x); }

/// trigamma of an integer, computed in double.
template <std::integral I> double trigamma(I x) noexcept { return trigamma(static_cast<double>(x)); }

/// The polygamma function psi^(n)(x), the n-th derivative of digamma (n = 0 is digamma,
/// n = 1 trigamma), lane-wise for batches; NaN for n < 0. At 0 and the negative integers:
/// +inf for odd n, -inf for even n >= 2.
template <detail::psi::argument T> T polygamma(int n, const T& x) noexcept {
  return detail::psi::evaluate(n, x);
}

/// polygamma at an integer point, computed in double.
template <std::integral I> double polygamma(int n, I x) noexcept {
  return polygamma(n, static_cast<double>(x));
}

}  // namespace typegrad
