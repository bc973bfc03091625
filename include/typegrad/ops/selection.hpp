#pragma once
/// \file ops/selection.hpp
/// Piecewise operations: abs, fabs, min, max, fmin, fmax, relu, where, and the comparisons.
/// Ties follow torch: max/min split the gradient evenly, relu and abs have 0 at 0.
#include <cmath>
#include <complex>

#include <typegrad/ops/policy.hpp>

namespace typegrad::ops {

// ---- comparisons (conditions of where) ---------------------------------------------------
struct less { static constexpr std::string_view symbol = "<";
  template <class A, class B> constexpr auto operator()(const A& a, const B& b) const { return a < b; } };
struct less_equal { static constexpr std::string_view symbol = "<=";
  template <class A, class B> constexpr auto operator()(const A& a, const B& b) const { return a <= b; } };
struct greater { static constexpr std::string_view symbol = ">";
  template <class A, class B> constexpr auto operator()(const A& a, const B& b) const { return a > b; } };
struct greater_equal { static constexpr std::string_view symbol = ">=";
  template <class A, class B> constexpr auto operator()(const A& a, const B& b) const { return a >= b; } };
struct equal_to { static constexpr std::string_view symbol = "==";
  template <class A, class B> constexpr auto operator()(const A& a, const B& b) const { return a == b; } };
struct not_equal_to { static constexpr std::string_view symbol = "!=";
  template <class A, class B> constexpr auto operator()(const A& a, const B& b) const { return a != b; } };

/// where(a cmp b, x, y): operands are (a, b, x, y); only x and y carry gradient.
template <class Cmp> struct where : op_base {
  static constexpr std::string_view symbol = "where";
  using comparison = Cmp;
  static constexpr bool real_only = true;
  template <std::size_t K> static constexpr bool differentiable = (K >= 2);
  template <class A, class B, class X, class Z>
  static constexpr auto value(const A& a, const B& b, const X& x, const Z& z) {
    return detail::select(Cmp{}(a, b), x, z);
  }
  template <std::size_t K, class Y, class A, class B, class X, class Z>
  static constexpr auto partial(const Y&, const A& a, const B& b, const X& x, const Z&) {
    if constexpr (K == 2)
      return detail::select(Cmp{}(a, b), detail::k<1>(x), detail::k<0>(x));
    else
      return detail::select(Cmp{}(a, b), detail::k<0>(x), detail::k<1>(x));
  }
};

/// sign(a) with sign(0) = 0.
template <class A> constexpr auto sign_of(const A& a) {
  return detail::select(a > detail::k<0>(a), detail::k<1>(a),
                        detail::select(a < detail::k<0>(a), detail::k<-1>(a), detail::k<0>(a)));
}

/// |a|. Real: d/da = sign(a) (0 at 0). Complex: |z| is real-valued, Wirtinger {conj(z), z}/(2|z|).
struct abs : op_base {
  static constexpr bool real_result = true;
  static constexpr std::string_view symbol = "abs";
  static constexpr bool holomorphic = false;
  template <class A> static auto value(const A& a) {
    using std::abs;
    if constexpr (detail::is_complex_v<A>)
      return A(abs(a));
    else
      return abs(a);
  }
  template <std::size_t, class Y, class A> static constexpr auto partial(const Y&, const A& a) {
    return sign_of(a);
  }
  template <std::size_t, class Y, class A> static constexpr auto wirtinger(const Y& y, const A& a) {
    using std::conj;
    const bool zero = y == A(0);
    const A half_inv = zero ? A(0) : A(0.5) / y;
    return std::pair{conj(a) * half_inv, a * half_inv};
  }
};

struct fabs : abs {
  static constexpr std::string_view symbol = "fabs";
  static constexpr bool real_only = true;
};

/// max(a, b): NaN propagates; the gradient splits evenly on ties (torch.maximum).
struct max : op_base {
  static constexpr std::string_view symbol = "max";
  static constexpr bool real_only = true;
  template <class A, class B> static constexpr auto value(const A& a, const B& b) {
    return detail::select(detail::is_nan_of(b), b, detail::select(b > a, b, a));
  }
  template <std::size_t K, class Y, class A, class B>
  static constexpr auto partial(const Y&, const A& a, const B& b) {
    if constexpr (K == 0)
      return detail::select(a > b, detail::k<1>(a), detail::select(a == b, detail::k<1, 2>(a), detail::k<0>(a)));
    else
      return detail::select(b > a, detail::k<1>(a), detail::select(a == b, detail::k<1, 2>(a), detail::k<0>(a)));
  }
};

/// min(a, b): NaN propagates; the gradient splits evenly on ties (torch.minimum).
struct min : op_base {
  static constexpr std::string_view symbol = "min";
  static constexpr bool real_only = true;
  template <class A, class B> static constexpr auto value(const A& a, const B& b) {
    return detail::select(detail::is_nan_of(b), b, detail::select(b < a, b, a));
  }
  template <std::size_t K, class Y, class A, class B>
  static constexpr auto partial(const Y&, const A& a, const B& b) {
    if constexpr (K == 0)
      return detail::select(a < b, detail::k<1>(a), detail::select(a == b, detail::k<1, 2>(a), detail::k<0>(a)));
    else
      return detail::select(b < a, detail::k<1>(a), detail::select(a == b, detail::k<1, 2>(a), detail::k<0>(a)));
  }
};

/// fmax(a, b): a NaN operand is ignored (std::fmax); the gradient goes to the chosen operand.
struct fmax : op_base {
  static constexpr std::string_view symbol = "fmax";
  static constexpr bool real_only = true;
  template <class A, class B> static constexpr auto value(const A& a, const B& b) {
    return detail::select(detail::is_nan_of(b), a, detail::select(detail::is_nan_of(a), b, detail::select(b > a, b, a)));
  }
  template <std::size_t K, class Y, class A, class B>
  static constexpr auto partial(const Y&, const A& a, const B& b) {
    // operand 0 is chosen when a >= b or b is NaN (torch's fmax backward)
    auto first = detail::select(detail::is_nan_of(b), detail::k<1>(a), detail::select(a >= b, detail::k<1>(a), detail::k<0>(a)));
    if constexpr (K == 0)
      return first;
    else
      return detail::k<1>(a) - first;
  }
};

/// fmin(a, b): a NaN operand is ignored (std::fmin).
struct fmin : op_base {
  static constexpr std::string_view symbol = "fmin";
  static constexpr bool real_only = true;
  template <class A, class B> static constexpr auto value(const A& a, const B& b) {
    return detail::select(detail::is_nan_of(b), a, detail::select(detail::is_nan_of(a), b, detail::select(b < a, b, a)));
  }
  template <std::size_t K, class Y, class A, class B>
  static constexpr auto partial(const Y&, const A& a, const B& b) {
    auto first = detail::select(detail::is_nan_of(b), detail::k<1>(a), detail::select(a <= b, detail::k<1>(a), detail::k<0>(a)));
    if constexpr (K == 0)
      return first;
    else
      return detail::k<1>(a) - first;
  }
};

/// relu(a) = max(a, 0), with gradient 0 at 0 (torch).
struct relu : op_base {
  static constexpr std::string_view symbol = "relu";
  static constexpr bool real_only = true;
  // NaN stays NaN, as torch's relu
  template <class A> static constexpr auto value(const A& a) { return detail::select(a < A(0), A(0), a); }
  // 0 at and below 0, 1 elsewhere: at NaN the gradient passes, as torch's threshold_backward
  template <std::size_t, class Y, class A> static constexpr auto partial(const Y&, const A& a) {
    return detail::select(a <= detail::k<0>(a), detail::k<0>(a), detail::k<1>(a));
  }
};

}  // namespace typegrad::ops
