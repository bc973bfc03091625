#pragma once
/// \file ops/trigonometric.hpp
/// sin, cos, tan, asin, acos, atan, atan2, hypot.
#include <cmath>
#include <complex>

#include <typegrad/ops/policy.hpp>

namespace typegrad::ops {

struct sin : op_base {
  static constexpr std::string_view symbol = "sin";
  static constexpr bool simd_gather = true;
  template <class A> static auto value(const A& a) { using std::sin; return sin(a); }
  template <std::size_t, class Y, class A> static constexpr auto partial(const Y&, const A& a) {
    using std::cos;
    return cos(a);
  }
};

struct cos : op_base {
  static constexpr std::string_view symbol = "cos";
  static constexpr bool simd_gather = true;
  template <class A> static auto value(const A& a) { using std::cos; return cos(a); }
  template <std::size_t, class Y, class A> static constexpr auto partial(const Y&, const A& a) {
    using std::sin;
    return -sin(a);
  }
};

struct tan : op_base {
  static constexpr std::string_view symbol = "tan";
  static constexpr bool simd_gather = true;
  template <class A> static auto value(const A& a) { using std::tan; return tan(a); }
  template <std::size_t, class Y, class A> static constexpr auto partial(const Y& y, const A&) {
    return detail::k<1>(y) + y * y;
  }
};

struct asin : op_base {
  static constexpr std::string_view symbol = "asin";
  static constexpr bool simd_gather = true;
  template <class A> static auto value(const A& a) { using std::asin; return asin(a); }
  template <std::size_t, class Y, class A> static constexpr auto partial(const Y&, const A& a) {
    using std::sqrt;
    return detail::k<1>(a) / sqrt(detail::k<1>(a) - a * a);
  }
};

struct acos : op_base {
  static constexpr std::string_view symbol = "acos";
  static constexpr bool simd_gather = true;
  template <class A> static auto value(const A& a) { using std::acos; return acos(a); }
  template <std::size_t, class Y, class A> static constexpr auto partial(const Y&, const A& a) {
    using std::sqrt;
    return detail::k<-1>(a) / sqrt(detail::k<1>(a) - a * a);
  }
};

struct atan : op_base {
  static constexpr std::string_view symbol = "atan";
  static constexpr bool simd_gather = true;
  template <class A> static auto value(const A& a) { using std::atan; return atan(a); }
  template <std::size_t, class Y, class A> static constexpr auto partial(const Y&, const A& a) {
    return detail::k<1>(a) / (detail::k<1>(a) + a * a);
  }
};

struct atan2 : op_base {
  static constexpr std::string_view symbol = "atan2";
  static constexpr bool real_only = true;
  template <class A, class B> static auto value(const A& a, const B& b) { using std::atan2; return atan2(a, b); }
  template <std::size_t K, class Y, class A, class B>
  static constexpr auto partial(const Y&, const A& a, const B& b) {
    if constexpr (K == 0)
      return b / (a * a + b * b);
    else
      return -a / (a * a + b * b);
  }
};

struct hypot : op_base {
  static constexpr std::string_view symbol = "hypot";
  static constexpr bool real_only = true;
  template <class A, class B> static auto value(const A& a, const B& b) { using std::hypot; return hypot(a, b); }
  template <std::size_t K, class Y, class A, class B>
  static constexpr auto partial(const Y& y, const A& a, const B& b) {
    if constexpr (K == 0)
      return a / y;
    else
      return b / y;
  }
};

}  // namespace typegrad::ops
