#pragma once
/// \file ops/complex.hpp
/// real, imag, conj, norm (|z|^2, as std::norm), arg.
///
/// On complex scalars these are not holomorphic: they give both Wirtinger partials
/// {ds/dz, ds/dz*}. Real-valued results (real, imag, norm, arg) are kept in the complex type
/// with a zero imaginary part, so every node of a complex graph has one value type.
/// On real scalars they reduce to x, 0, x, x^2 and 0/pi.
#include <cmath>
#include <complex>
#include <numbers>
#include <utility>

#include <typegrad/ops/policy.hpp>

namespace typegrad::ops {

struct real : op_base {
  static constexpr bool real_result = true;
  static constexpr std::string_view symbol = "real";
  static constexpr bool holomorphic = false;
  template <class A> static constexpr auto value(const A& a) {
    if constexpr (detail::is_complex_v<A>) return A(a.real());
    else return a;
  }
  template <std::size_t, class Y, class A> static constexpr auto partial(const Y&, const A& a) {
    return detail::k<1>(a);
  }
  template <std::size_t, class Y, class A> static constexpr auto wirtinger(const Y&, const A&) {
    return std::pair{A(0.5), A(0.5)};
  }
};

struct imag : op_base {
  static constexpr bool real_result = true;
  static constexpr std::string_view symbol = "imag";
  static constexpr bool holomorphic = false;
  template <class A> static constexpr auto value(const A& a) {
    if constexpr (detail::is_complex_v<A>) return A(a.imag());
    else return A(0);
  }
  template <std::size_t, class Y, class A> static constexpr auto partial(const Y&, const A& a) {
    return detail::k<0>(a);
  }
  template <std::size_t, class Y, class A> static constexpr auto wirtinger(const Y&, const A&) {
    return std::pair{A(0, -0.5), A(0, 0.5)};
  }
};

struct conj : op_base {
  static constexpr std::string_view symbol = "conj";
  static constexpr bool holomorphic = false;
  template <class A> static constexpr auto value(const A& a) {
    if constexpr (detail::is_complex_v<A>) return A(a.real(), -a.imag());
    else return a;
  }
  template <std::size_t, class Y, class A> static constexpr auto partial(const Y&, const A& a) {
    return detail::k<1>(a);
  }
  template <std::size_t, class Y, class A> static constexpr auto wirtinger(const Y&, const A&) {
    return std::pair{A(0), A(1)};
  }
};

struct norm : op_base {
  static constexpr bool real_result = true;
  static constexpr std::string_view symbol = "norm";
  static constexpr bool holomorphic = false;
  template <class A> static constexpr auto value(const A& a) {
    if constexpr (detail::is_complex_v<A>) return A(a.real() * a.real() + a.imag() * a.imag());
    else return a * a;
  }
  template <std::size_t, class Y, class A> static constexpr auto partial(const Y&, const A& a) {
    return detail::k<2>(a) * a;
  }
  template <std::size_t, class Y, class A> static constexpr auto wirtinger(const Y&, const A& a) {
    return std::pair{A(a.real(), -a.imag()), a};
  }
};

struct arg : op_base {
  static constexpr bool real_result = true;
  static constexpr std::string_view symbol = "arg";
  static constexpr bool holomorphic = false;
  template <class A> static auto value(const A& a) {
    if constexpr (detail::is_complex_v<A>) {
      using std::arg;
      return A(arg(a));
    } else {
      // NaN stays NaN (torch.angle)
      return detail::select(detail::is_nan_of(a), a, detail::select(a < A(0), detail::named<constants::pi>(a), A(0)));
    }
  }
  template <std::size_t, class Y, class A> static constexpr auto partial(const Y&, const A& a) {
    return detail::k<0>(a);
  }
  // arg z = (log z - log z*) / 2i
  template <std::size_t, class Y, class A> static constexpr auto wirtinger(const Y&, const A& a) {
    using std::conj;
    if (a == A(0)) return std::pair{A(0), A(0)};
    return std::pair{A(0, -0.5) / a, A(0, 0.5) / conj(a)};
  }
};

}  // namespace typegrad::ops
