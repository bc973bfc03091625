#pragma once
/// \file expr/make.hpp
/// Building nodes: numbers become constants (`lift`), `make<Op>` simplifies as it builds
/// (0 and 1 fold away, literals fold at compile time, constants at run time), and `apply<Op>`
/// is the single entry every math function goes through for numbers, duals and expressions.
#include <cstdint>
#include <type_traits>

#include <typegrad/expr/core.hpp>
#include <typegrad/ops/all.hpp>

namespace typegrad::detail {

template <class E> inline constexpr bool is_literal_v = false;
template <std::intmax_t N, std::intmax_t D> inline constexpr bool is_literal_v<literal<N, D>> = true;
template <class E> inline constexpr bool is_named_v = false;
template <class C> inline constexpr bool is_named_v<named_constant<C>> = true;
template <class E> inline constexpr bool is_constant_v = false;
template <class T> inline constexpr bool is_constant_v<constant<T>> = true;
template <class E, std::intmax_t N, std::intmax_t D = 1>
inline constexpr bool is_literal_value_v = std::is_same_v<E, literal<N, D>>;

/// The storage type of a constant combined with an expression of scalar type S.
template <class S, class U> constexpr auto constant_value(const U& u) {
  if constexpr (std::is_void_v<S>) {
    if constexpr (std::is_integral_v<U>) return static_cast<double>(u);
    else return u;
  } else if constexpr (is_batch_v<U>) {
    return u;
  } else {
    using C = compute_t<element_t<S>>;
    static_assert(!(is_complex_v<U> && !is_complex_v<C>),
                  "tg: a complex constant cannot enter a real expression; make the arguments complex");
    // A real number stays real next to a complex expression (so `3 * abs(z)` stays real-valued).
    using R = std::conditional_t<is_complex_v<U>, C, real_t<C>>;
    if constexpr (std::is_same_v<U, half> || std::is_same_v<U, bfloat16>)
      return static_cast<R>(static_cast<float>(u));
    else
      return static_cast<R>(u);
  }
}

/// A number or an expression, as an expression (a number next to scalar type S).
template <class S, class U> constexpr auto lift(const U& u) {
  if constexpr (expression<U>)
    return u;
  else {
    static_assert(numeric<U>, "tg: only numbers and expressions can be combined with expressions");
    auto v = constant_value<S>(u);
    return constant<decltype(v)>{v};
  }
}

/// The value of a literal or constant as type V.
template <class V, class E> constexpr V leaf_value(const E& e) {
  if constexpr (is_literal_v<E>) {
    if constexpr (E::den == 1) return V(E::num);
    else return V(E::num) / V(E::den);
  } else if constexpr (is_named_v<E>) {
    return named<typename E::id>(V{});
  } else {
    return V(e.value);
  }
}

template <class Op> inline constexpr bool rational_op_v =
    std::is_same_v<Op, ops::add> || std::is_same_v<Op, ops::sub> || std::is_same_v<Op, ops::mul> ||
    std::is_same_v<Op, ops::div> || std::is_same_v<Op, ops::neg> || std::is_same_v<Op, ops::square>;

template <class Op, std::intmax_t... N, std::intmax_t... D>
constexpr auto fold_literals(literal<N, D>...) {
  constexpr std::intmax_t n[] = {N...}, d[] = {D...};
  if constexpr (std::is_same_v<Op, ops::neg>) return make_literal<-n[0], d[0]>();
  else if constexpr (std::is_same_v<Op, ops::square>) return make_literal<n[0] * n[0], d[0] * d[0]>();
  else if constexpr (std::is_same_v<Op, ops::add>) return make_literal<n[0] * d[1] + n[1] * d[0], d[0] * d[1]>();
  else if constexpr (std::is_same_v<Op, ops::sub>) return make_literal<n[0] * d[1] - n[1] * d[0], d[0] * d[1]>();
  else if constexpr (std::is_same_v<Op, ops::mul>) return make_literal<n[0] * n[1], d[0] * d[1]>();
  else {
    static_assert(n[1] != 0, "tg: division by the literal 0");
    return make_literal<n[0] * d[1], d[0] * n[1]>();
  }
}

template <class S, class E> struct constant_type { using type = double; };
template <class S, class T> struct constant_type<S, constant<T>> { using type = T; };
template <class S> struct constant_type<S, void> { using type = double; };

template <class Op, class... Cs> constexpr auto make(const Cs&... cs);

/// Simplification rules; `nullptr` means "no rule applies".
template <class Op, class A, class B> constexpr auto simplify2(const A& a, const B& b) {
  if constexpr (std::is_same_v<Op, ops::add>) {
    if constexpr (is_literal_value_v<A, 0>) return b;
    else if constexpr (is_literal_value_v<B, 0>) return a;
    else return nullptr;
  } else if constexpr (std::is_same_v<Op, ops::sub>) {
    if constexpr (is_literal_value_v<B, 0>) return a;
    else if constexpr (is_literal_value_v<A, 0>) return make<ops::neg>(b);
    else return nullptr;
  } else if constexpr (std::is_same_v<Op, ops::mul>) {
    if constexpr (is_literal_value_v<A, 0> || is_literal_value_v<B, 1>) return a;
    else if constexpr (is_literal_value_v<B, 0> || is_literal_value_v<A, 1>) return b;
    else if constexpr (is_literal_value_v<A, -1>) return make<ops::neg>(b);
    else if constexpr (is_literal_value_v<B, -1>) return make<ops::neg>(a);
    else return nullptr;
  } else if constexpr (std::is_same_v<Op, ops::div>) {
    if constexpr (is_literal_value_v<A, 0> || is_literal_value_v<B, 1>) return a;
    else if constexpr (is_literal_value_v<B, -1>) return make<ops::neg>(a);
    else return nullptr;
  } else {
    return nullptr;
  }
}

template <class Op, class... Cs> constexpr auto simplify(const Cs&... cs) {
  if constexpr (sizeof...(Cs) == 1 && std::is_same_v<Op, ops::neg>) {
    const auto& a = (cs, ...);
    using A = std::remove_cvref_t<decltype(a)>;
    if constexpr (requires { typename A::op; }) {
      if constexpr (std::is_same_v<typename A::op, ops::neg>) return a.template child<0>();
      else return nullptr;
    } else {
      return nullptr;
    }
  } else if constexpr (sizeof...(Cs) == 2) {
    return simplify2<Op>(cs...);
  } else if constexpr (sizeof...(Cs) == 4 && requires { typename Op::comparison; }) {
    // where(c, x, x) with literal x is x
    const auto tup = std::tuple<const Cs&...>(cs...);
    using X = std::remove_cvref_t<std::tuple_element_t<2, std::tuple<Cs...>>>;
    using Z = std::remove_cvref_t<std::tuple_element_t<3, std::tuple<Cs...>>>;
    if constexpr (is_literal_v<X> && std::is_same_v<X, Z>) return std::get<2>(tup);
    else return nullptr;
  } else {
    return nullptr;
  }
}

/// Build node<Op, Cs...>, simplifying. Every expression-building path ends here.
template <class Op, class... Cs> constexpr auto make(const Cs&... cs) {
  using S = scalar_of_t<node<Op, Cs...>>;  // checks that the scalar types agree
  static_assert(!(Op::real_only && is_complex_v<S>),
                "tg: this function (erf, erfc, cbrt, tgamma, lgamma, digamma, atan2, hypot, min, max, "
                "fmin, fmax, relu, softplus, where, comparisons) is defined for real scalar types only");
  if constexpr ((is_literal_v<Cs> && ...) && rational_op_v<Op>) {
    return fold_literals<Op>(cs...);
  } else if constexpr (((is_literal_v<Cs> || is_constant_v<Cs> || is_named_v<Cs>) && ...) &&
                       (is_constant_v<Cs> || ...)) {
    using V = std::common_type_t<typename constant_type<S, Cs>::type...>;
    auto v = Op::value(leaf_value<V>(cs)...);
    return constant<decltype(v)>{v};
  } else {
    auto s = simplify<Op>(cs...);
    if constexpr (std::is_null_pointer_v<decltype(s)>)
      return node<Op, Cs...>(cs...);
    else
      return s;
  }
}

}  // namespace typegrad::detail
