#pragma once
/// \file ops/special.hpp
/// erf, erfc, tgamma, lgamma, polygamma (digamma, trigamma, ...), sigmoid, softplus.
#include <array>
#include <cmath>
#include <numbers>

#include <typegrad/ops/policy.hpp>
#include <typegrad/special/digamma.hpp>

namespace typegrad::ops {

struct erf : op_base {
  static constexpr std::string_view symbol = "erf";
  static constexpr bool simd_gather = true;
  static constexpr bool real_only = true;
  template <class A> static auto value(const A& a) { using std::erf; return erf(a); }
  template <std::size_t, class Y, class A> static constexpr auto partial(const Y&, const A& a) {
    using std::exp;
    return detail::named<constants::two_over_sqrt_pi>(a) * exp(-(a * a));
  }
};

struct erfc : op_base {
  static constexpr std::string_view symbol = "erfc";
  // (not simd_gather: xsimd 8.1's erfc<double> is good to 1e-11 relative at x = 3..9, 6e-9 at 26)
  static constexpr bool real_only = true;
  template <class A> static auto value(const A& a) { using std::erfc; return erfc(a); }
  template <std::size_t, class Y, class A> static constexpr auto partial(const Y&, const A& a) {
    using std::exp;
    return -(detail::named<constants::two_over_sqrt_pi>(a) * exp(-(a * a)));
  }
};

/// polygamma of order N: N = 0 is digamma, N = 1 trigamma. d/dx polygamma_N = polygamma_{N+1}.
template <int N> struct polygamma : op_base {
  static constexpr std::string_view symbol = N == 0 ? "digamma" : N == 1 ? "trigamma" : "polygamma";
  static constexpr int order = N;
  static constexpr bool real_only = true;
  template <class A> static auto value(const A& a) {
    if constexpr (N == 0) {
      using ::typegrad::digamma;
      return digamma(a);
    } else if constexpr (N == 1) {
      using ::typegrad::trigamma;
      return trigamma(a);
    } else {
      using ::typegrad::polygamma;
      return polygamma(N, a);
    }
  }
  template <std::size_t, class Y, class A> static constexpr auto partial(const Y&, const A& a);
};

struct tgamma : op_base {
  static constexpr std::string_view symbol = "tgamma";
  static constexpr bool simd_gather = true;
  static constexpr bool real_only = true;
  template <class A> static auto value(const A& a) { using std::tgamma; return tgamma(a); }
  template <std::size_t, class Y, class A> static constexpr auto partial(const Y& y, const A& a);
};

struct lgamma : op_base {
  static constexpr std::string_view symbol = "lgamma";
  // (not simd_gather: batch<float> lanes are computed one by one, see value())
  static constexpr bool real_only = true;
  template <class A> static auto value(const A& a) {
    if constexpr (detail::is_batch_v<A> && std::is_same_v<detail::element_t<A>, float>) {
      // xsimd 8.1's lgamma for batch<float> returns wrong lanes (e.g. 19.0 for lgamma(3.7f)):
      // take it lane by lane in double.
      alignas(A::arch_type::alignment()) std::array<float, A::size> t;
      a.store_aligned(t.data());
      for (auto& v : t) v = static_cast<float>(std::lgamma(static_cast<double>(v)));
      return A::load_aligned(t.data());
    } else {
      using std::lgamma;
      return lgamma(a);
    }
  }
  template <std::size_t, class Y, class A> static constexpr auto partial(const Y&, const A& a);
};

struct sigmoid : op_base {
  static constexpr std::string_view symbol = "sigmoid";
  static constexpr bool simd_gather = true;
  template <class A> static auto value(const A& a) {
    using std::exp;
    return A(1) / (A(1) + exp(-a));
  }
  template <std::size_t, class Y, class A> static constexpr auto partial(const Y& y, const A&) {
    return y * (detail::k<1>(y) - y);
  }
};

/// softplus(x) = log(1 + exp(x)), computed without overflow; d/dx = sigmoid(x).
struct softplus : op_base {
  static constexpr std::string_view symbol = "softplus";
  static constexpr bool simd_gather = true;
  static constexpr bool real_only = true;
  template <class A> static auto value(const A& a) {
    using std::abs;
    using std::exp;
    using std::log1p;
    return detail::select(a > A(0), a, A(0)) + log1p(exp(-abs(a)));
  }
  template <std::size_t, class Y, class A> static constexpr auto partial(const Y&, const A& a);
};

}  // namespace typegrad::ops
