#pragma once
/// \file ops/hyperbolic.hpp
/// sinh, cosh, tanh, asinh, acosh, atanh.
#include <cmath>
#include <complex>

#include <typegrad/ops/policy.hpp>

namespace typegrad::ops {

struct sinh : op_base {
  static constexpr std::string_view symbol = "sinh";
  static constexpr bool simd_gather = true;
  template <class A> static auto value(const A& a) { using std::sinh; return sinh(a); }
  template <std::size_t, class Y, class A> static constexpr auto partial(const Y&, const A& a) {
    using std::cosh;
    return cosh(a);
  }
};

struct cosh : op_base {
  static constexpr std::string_view symbol = "cosh";
  static constexpr bool simd_gather = true;
  template <class A> static auto value(const A& a) { using std::cosh; return cosh(a); }
  template <std::size_t, class Y, class A> static constexpr auto partial(const Y&, const A& a) {
    using std::sinh;
    return sinh(a);
  }
};

struct tanh : op_base {
  static constexpr std::string_view symbol = "tanh";
  static constexpr bool simd_gather = true;
  template <class A> static auto value(const A& a) { using std::tanh; return tanh(a); }
  template <std::size_t, class Y, class A> static constexpr auto partial(const Y& y, const A&) {
    return detail::k<1>(y) - y * y;
  }
};

struct asinh : op_base {
  static constexpr std::string_view symbol = "asinh";
  static constexpr bool simd_gather = true;
  template <class A> static auto value(const A& a) { using std::asinh; return asinh(a); }
  template <std::size_t, class Y, class A> static constexpr auto partial(const Y&, const A& a) {
    using std::sqrt;
    return detail::k<1>(a) / sqrt(a * a + detail::k<1>(a));
  }
};

struct acosh : op_base {
  static constexpr std::string_view symbol = "acosh";
  static constexpr bool simd_gather = true;
  template <class A> static auto value(const A& a) { using std::acosh; return acosh(a); }
  template <std::size_t, class Y, class A> static constexpr auto partial(const Y&, const A& a) {
    using std::sqrt;
    // sqrt(a - 1) sqrt(a + 1), not sqrt(a^2 - 1): the right branch for complex a with Re a < 0
    return detail::k<1>(a) / (sqrt(a - detail::k<1>(a)) * sqrt(a + detail::k<1>(a)));
  }
};

struct atanh : op_base {
  static constexpr std::string_view symbol = "atanh";
  static constexpr bool simd_gather = true;
  template <class A> static auto value(const A& a) { using std::atanh; return atanh(a); }
  template <std::size_t, class Y, class A> static constexpr auto partial(const Y&, const A& a) {
    return detail::k<1>(a) / (detail::k<1>(a) - a * a);
  }
};

}  // namespace typegrad::ops
