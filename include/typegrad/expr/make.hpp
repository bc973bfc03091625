#pragma once
/// \file expr/make.hpp
/// Building nodes: numbers become constants (`lift`), `make<Op>` simplifies as it builds
/// (0 and 1 fold away, literals fold at compile time, constants at run time), and `apply<Op>`
/// is the single entry every math function goes through for numbers, duals and expressions.
#include <cstdint>
#include <tuple>
#include <type_traits>
#include <utility>

#include <typegrad/expr/core.hpp>
#include <typegrad/ops/all.hpp>

namespace typegrad::detail {

// Traits of expression types are class templates read as `::value`, never variable templates
// (`is_literal_v<E>`): g++ gives each variable template instantiation a symbol and spells
// (mangles) its arguments, which for an expression type is as long as the expression; that made
// compile time grow with the cube of a function's size. (Same reason as the enumerators in
// expr/core.hpp.)
template <class E> struct is_literal : std::false_type {};
template <std::intmax_t N, std::intmax_t D> struct is_literal<literal<N, D>> : std::true_type {};
template <class E> struct is_named : std::false_type {};
template <class C> struct is_named<named_constant<C>> : std::true_type {};
template <class E> struct is_constant : std::false_type {};
template <class T> struct is_constant<constant<T>> : std::true_type {};
template <class E, std::intmax_t N, std::intmax_t D = 1> struct is_literal_value : std::is_same<E, literal<N, D>> {};

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

/// A number as a constant next to scalar type S. (The one- and two-operand paths call this for
/// the number only: lift() of an expression would be one more function instantiated per
/// operation, see make below.)
template <class S, class U> constexpr auto lift_number(const U& u) {
  static_assert(numeric<U>, "tg: only numbers and expressions can be combined with expressions");
  auto v = constant_value<S>(u);
  return constant<decltype(v)>{v};
}

/// A number or an expression, as an expression (a number next to scalar type S).
template <class S, class U> constexpr auto lift(const U& u) {
  if constexpr (expression<U>) return u;
  else return lift_number<S>(u);
}

/// The value of a literal or constant as type V.
template <class V, class E> constexpr V leaf_value(const E& e) {
  if constexpr (is_literal<E>::value) {
    if constexpr (E::den == 1) return V(E::num);
    else return V(E::num) / V(E::den);
  } else if constexpr (is_named<E>::value) {
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

template <class Op, class E> struct is_node_of : std::false_type {};
template <class Op, class... Cs> struct is_node_of<Op, node<Op, Cs...>> : std::true_type {};

/// Which operands a node stores (the others are canonical: see expr/core.hpp).
template <class C> struct is_stored : std::bool_constant<!canonical<C>::value> {};

template <class Op, class... Cs> struct check_operation {
  using S = scalar_of_t<node<Op, Cs...>>;  // checks that the scalar types agree
  static_assert(!(Op::real_only && is_complex_v<S>),
                "tg: this function (erf, erfc, cbrt, tgamma, lgamma, digamma, atan2, hypot, min, max, "
                "fmin, fmax, relu, softplus, where, comparisons) is defined for real scalar types only");
  enum : bool { ok = true };
};

/// Constant folding: an operation on literals and runtime constants (at least one) is a constant.
template <class... Cs>
struct constant_operands
    : std::bool_constant<((is_literal<Cs>::value || is_constant<Cs>::value || is_named<Cs>::value) && ...) &&
                         (is_constant<Cs>::value || ...)> {};

// Every expression-building path ends in make<Op>: it folds, simplifies and builds node<Op, Cs...>.
// The one- and two-operand forms are written out, and build nodes by aggregate initialization:
// each function instantiated with expression types costs compile time in proportion to the
// length of their spelled (mangled) name, which grows with the expression, so tracing a
// function should instantiate as few of them as possible per operation (see reverse/sweep.hpp).

template <class Op, class A> constexpr auto make(const A& a) {
  static_assert(check_operation<Op, A>::ok);
  if constexpr (is_literal<A>::value && rational_op_v<Op>) {
    return fold_literals<Op>(a);
  } else if constexpr (constant_operands<A>::value) {
    using V = typename constant_type<scalar_of_t<node<Op, A>>, A>::type;
    auto v = Op::value(leaf_value<V>(a));
    return constant<decltype(v)>{v};
  } else if constexpr (std::is_same_v<Op, ops::neg> && is_node_of<ops::neg, A>::value) {
    return a.template child<0>();  // -(-x) = x
  } else if constexpr (is_stored<A>::value) {
    return node<Op, A>{{{a}}};
  } else {
    return node<Op, A>{};
  }
}

template <class Op, class A, class B> constexpr auto make(const A& a, const B& b) {
  static_assert(check_operation<Op, A, B>::ok);
  if constexpr (is_literal<A>::value && is_literal<B>::value && rational_op_v<Op>) {
    return fold_literals<Op>(a, b);
  } else if constexpr (constant_operands<A, B>::value) {
    using S = scalar_of_t<node<Op, A, B>>;
    using V = std::common_type_t<typename constant_type<S, A>::type, typename constant_type<S, B>::type>;
    auto v = Op::value(leaf_value<V>(a), leaf_value<V>(b));
    return constant<decltype(v)>{v};
  }
  // 0 and 1 fold away
  else if constexpr (std::is_same_v<Op, ops::add> && is_literal_value<A, 0>::value) return b;
  else if constexpr (std::is_same_v<Op, ops::add> && is_literal_value<B, 0>::value) return a;
  else if constexpr (std::is_same_v<Op, ops::sub> && is_literal_value<B, 0>::value) return a;
  else if constexpr (std::is_same_v<Op, ops::sub> && is_literal_value<A, 0>::value) return make<ops::neg>(b);
  else if constexpr ((std::is_same_v<Op, ops::mul> || std::is_same_v<Op, ops::div>) &&
                     (is_literal_value<A, 0>::value || is_literal_value<B, 1>::value)) return a;
  else if constexpr (std::is_same_v<Op, ops::mul> && (is_literal_value<B, 0>::value || is_literal_value<A, 1>::value)) return b;
  else if constexpr (std::is_same_v<Op, ops::mul> && is_literal_value<A, -1>::value) return make<ops::neg>(b);
  else if constexpr ((std::is_same_v<Op, ops::mul> || std::is_same_v<Op, ops::div>) && is_literal_value<B, -1>::value)
    return make<ops::neg>(a);
  // build
  else if constexpr (is_stored<A>::value && is_stored<B>::value) return node<Op, A, B>{{{a}, {b}}};
  else if constexpr (is_stored<A>::value) return node<Op, A, B>{{{a}, {}}};
  else if constexpr (is_stored<B>::value) return node<Op, A, B>{{{}, {b}}};
  else return node<Op, A, B>{};
}

template <std::size_t K, class C> constexpr operand<K, C> make_operand(const C& c) {
  if constexpr (is_stored<C>::value) return {c};
  else return {};
}

template <class Op, class... Cs> constexpr auto make_n(const Cs&... cs);

/// Three or more operands (tg::where): folding and where(c, x, x) = x for a literal x.
/// (Spelled with three leading parameters, not `requires (sizeof...(Cs) >= 3)`: clang 14 spends
/// time on every constraint checked against an expression type.)
template <class Op, class C0, class C1, class C2, class... Cn>
constexpr auto make(const C0& c0, const C1& c1, const C2& c2, const Cn&... cn) {
  return make_n<Op>(c0, c1, c2, cn...);
}
template <class Op, class... Cs> constexpr auto make_n(const Cs&... cs) {
  static_assert(check_operation<Op, Cs...>::ok);
  if constexpr (constant_operands<Cs...>::value) {
    using V = std::common_type_t<typename constant_type<scalar_of_t<node<Op, Cs...>>, Cs>::type...>;
    auto v = Op::value(leaf_value<V>(cs)...);
    return constant<decltype(v)>{v};
  } else {
    using Tuple = std::tuple<Cs...>;
    if constexpr (sizeof...(Cs) == 4 && requires { typename Op::comparison; } &&
                  is_literal<std::tuple_element_t<2, Tuple>>::value &&
                  std::is_same_v<std::tuple_element_t<2, Tuple>, std::tuple_element_t<3, Tuple>>)
      return std::tuple_element_t<2, Tuple>{};
    else
      return [&]<std::size_t... K>(std::index_sequence<K...>) {
        return node<Op, Cs...>{{make_operand<K>(cs)...}};
      }(std::index_sequence_for<Cs...>{});
  }
}

}  // namespace typegrad::detail
