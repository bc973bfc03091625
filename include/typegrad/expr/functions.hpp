#pragma once
/// \file expr/functions.hpp
/// The math users write: operators and <cmath>-named functions on expressions and duals,
/// found by argument-dependent lookup (`sin(x) * y` inside a generic lambda). All of them go
/// through detail::apply<Op>, which reads the operation's policy.
#include <complex>
#include <cstdint>
#include <type_traits>

#include <typegrad/expr/make.hpp>
#include <typegrad/forward/dual.hpp>

namespace typegrad {
namespace detail {

/// Traced expressions and dual numbers get typegrad's math functions.
template <class X> concept tg_operand = expression<X> || is_dual_v<X>;
template <class... Xs> concept some_tg_operand = (tg_operand<Xs> || ...);
template <class X> concept operand_or_number = tg_operand<X> || numeric<X>;

template <class... Xs> struct merged_scalar { using type = void; };
template <class X, bool = expression<X>> struct scalar_or_void { using type = void; };
template <class X> struct scalar_or_void<X, true> { using type = scalar_of_t<X>; };
template <class X, class... Xs> struct merged_scalar<X, Xs...> {
  using head = typename scalar_or_void<X>::type;
  using type = typename merge_scalar<head, typename merged_scalar<Xs...>::type>::type;
};

/// Op on numbers, dual numbers or expressions (with numbers mixed in). The unary and binary
/// forms are written out so that numbers are lifted without a function instantiated for the
/// expression operand (see make in expr/make.hpp).
template <class Op, class A> constexpr auto apply(const A& a) {
  if constexpr (expression<A>) return make<Op>(a);
  else if constexpr (is_dual_v<A>) return dual_apply<Op, A>(a);
  else if constexpr (dynamic_tensor<A>) return apply_to_tensor(Op{}, a);  // the dynamic layer's, found by ADL
  else return Op::value(a);
}
template <class Op, class A, class B> constexpr auto apply(const A& a, const B& b) {
  if constexpr (expression<A> && expression<B>) return make<Op>(a, b);
  else if constexpr (expression<A>) return make<Op>(a, lift_number<typename merged_scalar<A, B>::type>(b));
  else if constexpr (expression<B>) return make<Op>(lift_number<typename merged_scalar<A, B>::type>(a), b);
  else if constexpr (is_dual_v<A> || is_dual_v<B>) return dual_apply<Op, typename first_dual<A, B>::type>(a, b);
  else if constexpr (dynamic_tensor<A> || dynamic_tensor<B>) return apply_to_tensor(Op{}, a, b);
  else return Op::value(a, b);
}
template <class Op, class... Xs> constexpr auto apply_n(const Xs&... xs);
template <class Op, class X0, class X1, class X2, class... Xn>
constexpr auto apply(const X0& x0, const X1& x1, const X2& x2, const Xn&... xn) {
  return apply_n<Op>(x0, x1, x2, xn...);
}
template <class Op, class... Xs> constexpr auto apply_n(const Xs&... xs) {
  if constexpr ((expression<Xs> || ...)) {
    using S = typename merged_scalar<Xs...>::type;
    return make<Op>(lift<S>(xs)...);
  } else if constexpr ((is_dual_v<Xs> || ...)) {
    return dual_apply<Op, typename first_dual<Xs...>::type>(xs...);
  } else {
    return Op::value(xs...);
  }
}

template <class C, class X> constexpr auto named(const X& x) {
  if constexpr (expression<X>) {
    return named_constant<C>{};
  } else if constexpr (dynamic_tensor<X>) {
    return static_cast<double>(C::value);
  } else if constexpr (is_dual_v<X>) {
    return X(named<C>(x.val));
  } else if constexpr (is_batch_v<X>) {
    return X(static_cast<element_t<X>>(C::value));
  } else if constexpr (is_complex_v<X>) {
    return X(static_cast<typename X::value_type>(C::value));
  } else {
    return static_cast<X>(C::value);
  }
}

template <class C, class A, class B> constexpr auto select(const C& c, const A& a, const B& b) {
  if constexpr (requires { C::tg_condition; } || dynamic_tensor<C>) {
    return where(c, a, b);
  } else if constexpr (std::is_same_v<C, bool>) {
    using R = std::common_type_t<A, B>;
    return c ? R(a) : R(b);
  } else if constexpr (is_dual_v<A> || is_dual_v<B>) {
    // a batch mask choosing between duals (a plain number on one side becomes a constant dual)
    using D = std::conditional_t<is_dual_v<A>, A, B>;
    using S = typename dual_parts<D>::store;
    const D da(a), db(b);
    return D(xsimd::select(c, da.val, db.val), S::select(c, da.tan, db.tan));
  } else {
    return xsimd::select(c, a, b);
  }
}

template <class Cmp, class A, class B> constexpr auto make_compare(const A& a, const B& b) {
  using S = typename merged_scalar<A, B>::type;
  static_assert(!is_complex_v<S>, "tg: complex numbers cannot be compared; compare real(z), imag(z) or abs(z)");
  auto la = lift<S>(a);
  auto lb = lift<S>(b);
  return compare<Cmp, decltype(la), decltype(lb)>{{make_operand<0>(la), make_operand<1>(lb)}};
}

}  // namespace detail

// ---- arithmetic operators ------------------------------------------------------------------
template <expression A> constexpr auto operator+(const A& a) { return a; }
template <expression A> constexpr auto operator-(const A& a) { return detail::apply<ops::neg>(a); }

template <class A, class B>
  requires(expression<A> || expression<B>) && detail::operand_or_number<A> && detail::operand_or_number<B>
constexpr auto operator+(const A& a, const B& b) { return detail::apply<ops::add>(a, b); }
template <class A, class B>
  requires(expression<A> || expression<B>) && detail::operand_or_number<A> && detail::operand_or_number<B>
constexpr auto operator-(const A& a, const B& b) { return detail::apply<ops::sub>(a, b); }
template <class A, class B>
  requires(expression<A> || expression<B>) && detail::operand_or_number<A> && detail::operand_or_number<B>
constexpr auto operator*(const A& a, const B& b) { return detail::apply<ops::mul>(a, b); }
template <class A, class B>
  requires(expression<A> || expression<B>) && detail::operand_or_number<A> && detail::operand_or_number<B>
constexpr auto operator/(const A& a, const B& b) { return detail::apply<ops::div>(a, b); }

// ---- comparisons: conditions for tg::where ---------------------------------------------------
template <class A, class B> requires(expression<A> || expression<B>) && detail::operand_or_number<A> && detail::operand_or_number<B>
constexpr auto operator<(const A& a, const B& b) { return detail::make_compare<ops::less>(a, b); }
template <class A, class B> requires(expression<A> || expression<B>) && detail::operand_or_number<A> && detail::operand_or_number<B>
constexpr auto operator<=(const A& a, const B& b) { return detail::make_compare<ops::less_equal>(a, b); }
template <class A, class B> requires(expression<A> || expression<B>) && detail::operand_or_number<A> && detail::operand_or_number<B>
constexpr auto operator>(const A& a, const B& b) { return detail::make_compare<ops::greater>(a, b); }
template <class A, class B> requires(expression<A> || expression<B>) && detail::operand_or_number<A> && detail::operand_or_number<B>
constexpr auto operator>=(const A& a, const B& b) { return detail::make_compare<ops::greater_equal>(a, b); }
template <class A, class B> requires(expression<A> || expression<B>) && detail::operand_or_number<A> && detail::operand_or_number<B>
constexpr auto operator==(const A& a, const B& b) { return detail::make_compare<ops::equal_to>(a, b); }
template <class A, class B> requires(expression<A> || expression<B>) && detail::operand_or_number<A> && detail::operand_or_number<B>
constexpr auto operator!=(const A& a, const B& b) { return detail::make_compare<ops::not_equal_to>(a, b); }

/// where(cond, a, b): a where cond holds, else b. cond compares expressions (x > 0), or is a
/// bool / xsimd batch mask for plain numbers.
template <class C, class A, class B>
  requires(!detail::dynamic_tensor<C>)
constexpr auto where(const C& cond, const A& a, const B& b) {
  if constexpr (requires { C::tg_condition; }) {
    using S = typename detail::merged_scalar<A, B>::type;
    return detail::make<ops::where<typename C::comparison>>(cond.template child<0>(), cond.template child<1>(),
                                                           detail::lift<S>(a), detail::lift<S>(b));
  } else {
    return detail::select(cond, a, b);
  }
}

// ---- unary functions -------------------------------------------------------------------------
// Functions <cmath> also has take expressions and duals only (plain numbers use std:: and
// xsimd::); typegrad-only names (square, sigmoid, ...) also take plain numbers.
template <detail::tg_operand X> constexpr auto sqrt(const X& x) { return detail::apply<ops::sqrt>(x); }
template <detail::tg_operand X> constexpr auto cbrt(const X& x) { return detail::apply<ops::cbrt>(x); }
template <detail::tg_operand X> constexpr auto exp(const X& x) { return detail::apply<ops::exp>(x); }
template <detail::tg_operand X> constexpr auto exp2(const X& x) { return detail::apply<ops::exp2>(x); }
template <detail::tg_operand X> constexpr auto expm1(const X& x) { return detail::apply<ops::expm1>(x); }
template <detail::tg_operand X> constexpr auto log(const X& x) { return detail::apply<ops::log>(x); }
template <detail::tg_operand X> constexpr auto log2(const X& x) { return detail::apply<ops::log2>(x); }
template <detail::tg_operand X> constexpr auto log10(const X& x) { return detail::apply<ops::log10>(x); }
template <detail::tg_operand X> constexpr auto log1p(const X& x) { return detail::apply<ops::log1p>(x); }
template <detail::tg_operand X> constexpr auto sin(const X& x) { return detail::apply<ops::sin>(x); }
template <detail::tg_operand X> constexpr auto cos(const X& x) { return detail::apply<ops::cos>(x); }
template <detail::tg_operand X> constexpr auto tan(const X& x) { return detail::apply<ops::tan>(x); }
template <detail::tg_operand X> constexpr auto asin(const X& x) { return detail::apply<ops::asin>(x); }
template <detail::tg_operand X> constexpr auto acos(const X& x) { return detail::apply<ops::acos>(x); }
template <detail::tg_operand X> constexpr auto atan(const X& x) { return detail::apply<ops::atan>(x); }
template <detail::tg_operand X> constexpr auto sinh(const X& x) { return detail::apply<ops::sinh>(x); }
template <detail::tg_operand X> constexpr auto cosh(const X& x) { return detail::apply<ops::cosh>(x); }
template <detail::tg_operand X> constexpr auto tanh(const X& x) { return detail::apply<ops::tanh>(x); }
template <detail::tg_operand X> constexpr auto asinh(const X& x) { return detail::apply<ops::asinh>(x); }
template <detail::tg_operand X> constexpr auto acosh(const X& x) { return detail::apply<ops::acosh>(x); }
template <detail::tg_operand X> constexpr auto atanh(const X& x) { return detail::apply<ops::atanh>(x); }
template <detail::tg_operand X> constexpr auto abs(const X& x) { return detail::apply<ops::abs>(x); }
template <detail::tg_operand X> constexpr auto fabs(const X& x) { return detail::apply<ops::fabs>(x); }
template <detail::tg_operand X> constexpr auto erf(const X& x) { return detail::apply<ops::erf>(x); }
template <detail::tg_operand X> constexpr auto erfc(const X& x) { return detail::apply<ops::erfc>(x); }
template <detail::tg_operand X> constexpr auto tgamma(const X& x) { return detail::apply<ops::tgamma>(x); }
template <detail::tg_operand X> constexpr auto lgamma(const X& x) { return detail::apply<ops::lgamma>(x); }
template <detail::tg_operand X> constexpr auto digamma(const X& x) { return detail::apply<ops::polygamma<0>>(x); }
template <detail::tg_operand X> constexpr auto trigamma(const X& x) { return detail::apply<ops::polygamma<1>>(x); }
/// polygamma<N>(x) on expressions and duals (order fixed at compile time, so it differentiates).
template <int N, detail::tg_operand X> constexpr auto polygamma(const X& x) { return detail::apply<ops::polygamma<N>>(x); }
template <detail::tg_operand X> constexpr auto real(const X& x) { return detail::apply<ops::real>(x); }
template <detail::tg_operand X> constexpr auto imag(const X& x) { return detail::apply<ops::imag>(x); }
template <detail::tg_operand X> constexpr auto conj(const X& x) { return detail::apply<ops::conj>(x); }
template <detail::tg_operand X> constexpr auto norm(const X& x) { return detail::apply<ops::norm>(x); }
template <detail::tg_operand X> constexpr auto arg(const X& x) { return detail::apply<ops::arg>(x); }

template <detail::operand_or_number X> constexpr auto square(const X& x) { return detail::apply<ops::square>(x); }
template <detail::operand_or_number X> constexpr auto sigmoid(const X& x) { return detail::apply<ops::sigmoid>(x); }
template <detail::operand_or_number X> constexpr auto relu(const X& x) { return detail::apply<ops::relu>(x); }
template <detail::operand_or_number X> constexpr auto softplus(const X& x) { return detail::apply<ops::softplus>(x); }

// ---- binary functions ------------------------------------------------------------------------
template <class A, class B>
  requires detail::some_tg_operand<A, B> && detail::operand_or_number<A> && detail::operand_or_number<B>
constexpr auto pow(const A& a, const B& b) { return detail::apply<ops::pow>(a, b); }
template <class A, class B>
  requires detail::some_tg_operand<A, B> && detail::operand_or_number<A> && detail::operand_or_number<B>
constexpr auto atan2(const A& a, const B& b) { return detail::apply<ops::atan2>(a, b); }
template <class A, class B>
  requires detail::some_tg_operand<A, B> && detail::operand_or_number<A> && detail::operand_or_number<B>
constexpr auto hypot(const A& a, const B& b) { return detail::apply<ops::hypot>(a, b); }
template <class A, class B>
  requires detail::some_tg_operand<A, B> && detail::operand_or_number<A> && detail::operand_or_number<B>
constexpr auto fmin(const A& a, const B& b) { return detail::apply<ops::fmin>(a, b); }
template <class A, class B>
  requires detail::some_tg_operand<A, B> && detail::operand_or_number<A> && detail::operand_or_number<B>
constexpr auto fmax(const A& a, const B& b) { return detail::apply<ops::fmax>(a, b); }
template <class A, class B>
  requires detail::some_tg_operand<A, B> && detail::operand_or_number<A> && detail::operand_or_number<B>
constexpr auto min(const A& a, const B& b) { return detail::apply<ops::min>(a, b); }
template <class A, class B>
  requires detail::some_tg_operand<A, B> && detail::operand_or_number<A> && detail::operand_or_number<B>
constexpr auto max(const A& a, const B& b) { return detail::apply<ops::max>(a, b); }
// Same-type overloads, more constrained than std::min/std::max(const T&, const T&), so that
// `using std::max; max(x, y)` on two expressions of one type still builds a node.
template <detail::tg_operand A> constexpr auto min(const A& a, const A& b) { return detail::apply<ops::min>(a, b); }
template <detail::tg_operand A> constexpr auto max(const A& a, const A& b) { return detail::apply<ops::max>(a, b); }

// ---- deferred partials that name other operations --------------------------------------------
template <int N>
template <std::size_t, class Y, class A>
constexpr auto ops::polygamma<N>::partial(const Y&, const A& a) { return detail::apply<ops::polygamma<N + 1>>(a); }
template <std::size_t, class Y, class A>
constexpr auto ops::tgamma::partial(const Y& y, const A& a) { return y * detail::apply<ops::polygamma<0>>(a); }
template <std::size_t, class Y, class A>
constexpr auto ops::lgamma::partial(const Y&, const A& a) { return detail::apply<ops::polygamma<0>>(a); }
template <std::size_t, class Y, class A>
constexpr auto ops::softplus::partial(const Y&, const A& a) { return detail::apply<ops::sigmoid>(a); }

/// Compile-time literals: `using namespace tg::literals; x * 2_c` (folds at compile time).
namespace literals {
template <char... Cs> constexpr auto operator""_c() {
  constexpr std::intmax_t v = [] {
    std::intmax_t r = 0;
    for (char c : {Cs...}) {
      if (c < '0' || c > '9') throw "tg: _c takes a decimal integer";
      r = r * 10 + (c - '0');
    }
    return r;
  }();
  return literal<v, 1>{};
}
}  // namespace literals

}  // namespace typegrad
