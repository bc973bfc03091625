#pragma once
/// \file ops/exponential.hpp
/// exp, exp2, expm1, log, log2, log10, log1p, pow, sqrt, cbrt.
#include <cmath>
#include <complex>
#include <numbers>

#include <typegrad/ops/policy.hpp>

namespace typegrad::ops {

struct exp : op_base {
  static constexpr std::string_view symbol = "exp";
  static constexpr bool simd_gather = true;
  template <class A> static auto value(const A& a) { using std::exp; return exp(a); }
  template <std::size_t, class Y, class A> static constexpr auto partial(const Y& y, const A&) { return y; }
};

struct exp2 : op_base {
  static constexpr std::string_view symbol = "exp2";
  static constexpr bool simd_gather = true;
  template <class A> static auto value(const A& a) {
    if constexpr (detail::is_complex_v<A>) {
      using std::exp;
      return exp(a * detail::named<constants::ln2>(a));
    } else {
      using std::exp2;
      return exp2(a);
    }
  }
  template <std::size_t, class Y, class A> static constexpr auto partial(const Y& y, const A& a) {
    return y * detail::named<constants::ln2>(a);
  }
};

struct expm1 : op_base {
  static constexpr std::string_view symbol = "expm1";
  static constexpr bool simd_gather = true;
  template <class A> static auto value(const A& a) {
    if constexpr (detail::is_complex_v<A>) {
      using std::exp;
      return exp(a) - A(1);
    } else {
      using std::expm1;
      return expm1(a);
    }
  }
  template <std::size_t, class Y, class A> static constexpr auto partial(const Y& y, const A& a) {
    return y + detail::k<1>(a);
  }
};

struct log : op_base {
  static constexpr std::string_view symbol = "log";
  static constexpr bool simd_gather = true;
  template <class A> static auto value(const A& a) { using std::log; return log(a); }
  template <std::size_t, class Y, class A> static constexpr auto partial(const Y&, const A& a) {
    return detail::k<1>(a) / a;
  }
};

struct log2 : op_base {
  static constexpr std::string_view symbol = "log2";
  static constexpr bool simd_gather = true;
  template <class A> static auto value(const A& a) {
    if constexpr (detail::is_complex_v<A>) {
      using std::log;
      return log(a) / detail::named<constants::ln2>(a);
    } else {
      using std::log2;
      return log2(a);
    }
  }
  template <std::size_t, class Y, class A> static constexpr auto partial(const Y&, const A& a) {
    return detail::k<1>(a) / (a * detail::named<constants::ln2>(a));
  }
};

struct log10 : op_base {
  static constexpr std::string_view symbol = "log10";
  static constexpr bool simd_gather = true;
  template <class A> static auto value(const A& a) { using std::log10; return log10(a); }
  template <std::size_t, class Y, class A> static constexpr auto partial(const Y&, const A& a) {
    return detail::k<1>(a) / (a * detail::named<constants::ln10>(a));
  }
};

struct log1p : op_base {
  static constexpr std::string_view symbol = "log1p";
  static constexpr bool simd_gather = true;
  template <class A> static auto value(const A& a) {
    if constexpr (detail::is_complex_v<A>) {
      using std::log;
      return log(A(1) + a);
    } else {
      using std::log1p;
      return log1p(a);
    }
  }
  template <std::size_t, class Y, class A> static constexpr auto partial(const Y&, const A& a) {
    return detail::k<1>(a) / (detail::k<1>(a) + a);
  }
};

struct sqrt : op_base {
  static constexpr std::string_view symbol = "sqrt";
  template <class A> static auto value(const A& a) { using std::sqrt; return sqrt(a); }
  template <std::size_t, class Y, class A> static constexpr auto partial(const Y& y, const A&) {
    return detail::k<1, 2>(y) / y;
  }
};

struct cbrt : op_base {
  static constexpr std::string_view symbol = "cbrt";
  static constexpr bool simd_gather = true;
  static constexpr bool real_only = true;
  template <class A> static auto value(const A& a) { using std::cbrt; return cbrt(a); }
  template <std::size_t, class Y, class A> static constexpr auto partial(const Y& y, const A&) {
    return detail::k<1, 3>(y) / (y * y);
  }
};

/// pow(a, b). d/db at a == 0 is taken as 0 (torch's convention), not 0 * log(0) = NaN.
struct pow : op_base {
  static constexpr std::string_view symbol = "pow";
  template <class A, class B> static auto value(const A& a, const B& b) {
    if constexpr (detail::traced<A> || detail::traced<B>) {
      using std::pow;
      return pow(a, b);
    } else {
      return numeric_pow(a, b);
    }
  }
  template <std::size_t K, class Y, class A, class B>
  static constexpr auto partial(const Y& y, const A& a, const B& b) {
    if constexpr (K == 0) {
      // 0 at the origin pow(0, 0), not 0 * pow(0, -1) = NaN (torch); elsewhere the plain
      // formula, whose own derivative the Hessian needs (d/db of b a^(b-1) is 1/a at b = 0).
      const auto full = b * pow_partial_base(a, b - detail::k<1>(b));
      if constexpr (expression<B> || detail::complex_domain<Y>())
        return full;
      else
        return detail::select(b == detail::k<0>(b), detail::select(a == detail::k<0>(a), detail::k<0>(b), full), full);
    } else {
      using std::log;
      if constexpr (detail::complex_domain<Y>())
        return y * log(a);
      else
        return detail::select(a == detail::k<0>(a), detail::k<0>(a), y * log(a));
    }
  }

 private:
  /// pow(a, b) on numbers. xsimd's batch pow gives pow(0, 0) = 0; C, <complex> and torch give
  /// pow(x, 0) = 1 for every x, and the Hessian of pow(x, 2) at 0 reads pow(x, 0), so the lanes
  /// with a zero exponent are set to 1 here.
  template <class A, class B> static auto numeric_pow(const A& a, const B& b) {
    using std::pow;
    const auto r = pow(a, b);
    using R = std::remove_cv_t<decltype(r)>;
    if constexpr (detail::is_batch_v<B>) return xsimd::select(b == B(0), R(1), r);
    else if constexpr (detail::is_batch_v<A>) return b == B(0) ? R(1) : r;
    else return r;
  }
  template <class A, class B> static constexpr auto pow_partial_base(const A& a, const B& e) {
    if constexpr (detail::traced<A> || detail::traced<B> || detail::is_dual_v<A> || detail::is_dual_v<B>) {
      using std::pow;
      return pow(a, e);
    } else {
      return numeric_pow(a, e);
    }
  }
};

}  // namespace typegrad::ops
