#pragma once
/// \file expr/core.hpp
/// The expression node kinds. Nodes are data (operands only); evaluators live elsewhere.
///
/// Storage rule (the one closure rule): a node stores each operand by value, except operands
/// that are *canonical* — subtrees holding no runtime data (placeholders, compile-time
/// literals and nodes over them). A canonical subtree is identified by its type alone, so it is
/// never stored: it is default-constructed when needed. Hence `u = u * u` thirty times is an
/// empty object of linear-size type, and `auto e = sin(a) * b;` can never dangle.
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <type_traits>
#include <utility>

#include <typegrad/graph/collect.hpp>
#include <typegrad/scalar/traits.hpp>

namespace typegrad {

/// An expression type: placeholders, literals, constants and nodes over them.
template <class E>
concept expression = requires { std::remove_cvref_t<E>::tg_expression; };

namespace detail {
template <class E> struct canonical;
}

/// A scalar placeholder: the I-th argument of the differentiated function, of scalar type T.
template <std::size_t I, class T> struct placeholder {
  static constexpr bool tg_expression = true;
  using scalar_type = T;
  static constexpr std::size_t index = I;
};

/// An array placeholder: the I-th argument when it is a vector, span or std::array.
/// `size()` is the runtime extent, known while the function is traced.
template <std::size_t I, class T> struct array_placeholder {
  static constexpr bool tg_expression = true;
  using scalar_type = T;
  static constexpr std::size_t index = I;
  std::size_t extent = 0;
  constexpr std::size_t size() const noexcept { return extent; }
  /// Element access with a run-time index; see expr/array.hpp.
  template <class Index> constexpr auto operator[](Index i) const;
};

/// A compile-time rational literal N/D (normalized, D > 0): the 0 and 1 that fold away.
template <std::intmax_t N, std::intmax_t D = 1> struct literal {
  static_assert(D > 0, "tg::literal: the denominator must be positive");
  static constexpr bool tg_expression = true;
  using scalar_type = void;
  static constexpr std::intmax_t num = N;
  static constexpr std::intmax_t den = D;
};

namespace detail {
template <std::intmax_t N, std::intmax_t D> constexpr auto make_literal() {
  constexpr std::intmax_t s = D < 0 ? -1 : 1;
  constexpr std::intmax_t g = std::gcd(N, D) == 0 ? 1 : std::gcd(N, D);
  return literal<s * N / g, s * D / g>{};
}
}  // namespace detail

/// A named irrational constant (log 2, pi, ...): canonical, so derivatives that need one (d/dx
/// exp2(x) = exp2(x) * log(2)) stay identified by type.
template <class C> struct named_constant {
  static constexpr bool tg_expression = true;
  using scalar_type = void;
  using id = C;
};

/// A runtime constant of the graph (a captured value, a number mixed into an expression).
template <class T> struct constant {
  static constexpr bool tg_expression = true;
  using scalar_type = void;  // takes the scalar type of whatever it is combined with
  T value;
};

/// Operand storage: canonical operands are not stored (see the file comment).
template <std::size_t K, class C, bool Stored = !detail::canonical<C>::value> struct operand {
  C value;
  constexpr const C& get() const noexcept { return value; }
};
template <std::size_t K, class C> struct operand<K, C, false> {
  constexpr C get() const noexcept { return C{}; }
};

/// The operands a node stores, as bases (an aggregate: nodes are built by aggregate
/// initialization, expr/make.hpp). In namespace typegrad with typegrad's own index list, so that
/// argument-dependent lookup on an expression looks in namespace typegrad (and ops) only, not
/// in std or typegrad::detail: fewer candidates for every operator and function call on it.
template <std::size_t... K> struct operand_indices {};
template <class Seq, class... Cs> struct operands;
template <std::size_t... K, class... Cs> struct operands<operand_indices<K...>, Cs...> : operand<K, Cs>... {};
namespace detail {
template <class Seq> struct to_operand_indices;
template <std::size_t... K> struct to_operand_indices<std::index_sequence<K...>> {
  using type = operand_indices<K...>;
};
}  // namespace detail
template <class... Cs>
using operands_of = operands<typename detail::to_operand_indices<std::index_sequence_for<Cs...>>::type, Cs...>;

namespace detail {
template <std::size_t K, class... Cs> using nth_t = std::tuple_element_t<K, std::tuple<Cs...>>;
}  // namespace detail

/// An elementary operation Op (a policy from ops/) applied to operands Cs...
namespace detail {
template <class E> struct layout_of;
}

template <class Op, class... Cs>
struct node : operands_of<Cs...> {
  // The graph layout is built here, from the children's, as the expression is built: no
  // template recursion along the depth of the expression later (graph/collect.hpp).
  static_assert(detail::layout_of<node>::ready);
  // Constants of types named after expressions are enumerators, not static data members: g++
  // gives every instantiated static data member a symbol and spells (mangles) its class's name,
  // which is as long as the expression, so members would make compile time cubic in its size.
  enum : bool { tg_expression = true };
  using op = Op;
  enum : std::size_t { arity = sizeof...(Cs) };
  template <std::size_t K> constexpr auto child() const {
    using C = detail::nth_t<K, Cs...>;
    return static_cast<const operand<K, C>&>(*this).get();
  }
};

/// A reduction R (sum, prod, mean, ...) over an array-valued body.
template <class R, class Body> struct reduce : operand<0, Body> {
  static_assert(detail::layout_of<reduce>::ready);
  enum : bool { tg_expression = true };
  using policy = R;
  constexpr reduce() = default;
  constexpr explicit reduce(const Body& b) : operand<0, Body>{make(b)} {}
  constexpr auto body() const { return this->operand<0, Body>::get(); }

 private:
  static constexpr operand<0, Body> make(const Body& b) {
    if constexpr (detail::canonical<Body>::value)
      return {};
    else
      return {b};
  }
};

/// x[i] with a compile-time index.
template <class A, std::size_t J> struct element_c {
  static constexpr bool tg_expression = true;
  using array = A;
  static constexpr std::size_t position = J;
};

/// x[i] with a run-time index (the index is runtime data of the graph).
template <class A> struct element {
  static constexpr bool tg_expression = true;
  using array = A;
  std::size_t position;
};

/// A comparison of two expressions; only usable as the condition of tg::where.
template <class Cmp, class A, class B>
struct compare : operands_of<A, B> {
  enum : bool { tg_condition = true };
  using comparison = Cmp;
  template <std::size_t K> constexpr auto child() const {
    using C = detail::nth_t<K, A, B>;
    return static_cast<const operand<K, C>&>(*this).get();
  }
  template <class Dependent = void> explicit operator bool() const {
    static_assert(!std::is_void_v<Dependent> && false,
                  "tg: a comparison of traced expressions has no value yet; use tg::where(cond, a, b) "
                  "instead of if/?: on expressions");
    return false;
  }
};

namespace detail {

// ---- structural traits ---------------------------------------------------------------

template <class E> struct canonical : std::false_type {};
template <std::size_t I, class T> struct canonical<placeholder<I, T>> : std::true_type {};
template <std::size_t I, class T> struct canonical<array_placeholder<I, T>> : std::true_type {};
template <std::intmax_t N, std::intmax_t D> struct canonical<literal<N, D>> : std::true_type {};
template <class A, std::size_t J> struct canonical<element_c<A, J>> : std::true_type {};
template <class C> struct canonical<named_constant<C>> : std::true_type {};
template <class Op, class... Cs>
struct canonical<node<Op, Cs...>> : std::bool_constant<(canonical<Cs>::value && ...)> {};
template <class R, class B> struct canonical<reduce<R, B>> : canonical<B> {};
template <class Cmp, class A, class B>
struct canonical<compare<Cmp, A, B>> : std::bool_constant<canonical<A>::value && canonical<B>::value> {};

/// Is the expression array-valued (an elementwise body over a runtime extent)?
template <class E> struct array_valued : std::false_type {};
template <std::size_t I, class T> struct array_valued<array_placeholder<I, T>> : std::true_type {};
template <class Op, class... Cs>
struct array_valued<node<Op, Cs...>> : std::bool_constant<(array_valued<Cs>::value || ...)> {};

/// Number of runtime constants and runtime indices in the *tree* (canonical subtrees have none).
template <class E> struct data_count {
  enum : std::size_t { constants = 0, indices = 0 };
};
template <class T> struct data_count<constant<T>> {
  enum : std::size_t { constants = 1, indices = 0 };
};
template <class A> struct data_count<element<A>> {
  enum : std::size_t { constants = 0, indices = 1 };
};
template <class Op, class... Cs> struct data_count<node<Op, Cs...>> {
  enum : std::size_t {
    constants = (std::size_t{0} + ... + std::size_t{data_count<Cs>::constants}),
    indices = (std::size_t{0} + ... + std::size_t{data_count<Cs>::indices})
  };
};
template <class R, class B> struct data_count<reduce<R, B>> : data_count<B> {};

/// Children of a node as a type list, with uniform access.
template <class... Ts> struct type_list {};
template <class E> struct children_of { using type = type_list<>; };
template <class Op, class... Cs> struct children_of<node<Op, Cs...>> { using type = type_list<Cs...>; };
template <class R, class B> struct children_of<reduce<R, B>> { using type = type_list<B>; };
template <class E> using children_t = typename children_of<E>::type;

template <std::size_t K, class E> constexpr auto child(const E& e) {
  if constexpr (requires { e.template child<K>(); })
    return e.template child<K>();
  else
    return e.body();
}

// ---- scalar type of an expression -----------------------------------------------------

template <class A, class B> struct merge_scalar {
  static_assert(std::is_void_v<A> || std::is_void_v<B> || std::is_same_v<A, B>,
                "tg: all arguments of one call must share one scalar type (float, double, ...)");
  using type = std::conditional_t<std::is_void_v<A>, B, A>;
};

template <class E> struct scalar_of { using type = typename E::scalar_type; };
template <class Op, class... Cs> struct scalar_of<node<Op, Cs...>> {
  template <class... Ts> struct fold { using type = void; };
  template <class T, class... Ts> struct fold<T, Ts...> {
    using type = typename merge_scalar<T, typename fold<Ts...>::type>::type;
  };
  using type = typename fold<typename scalar_of<Cs>::type...>::type;
};
template <class R, class B> struct scalar_of<reduce<R, B>> : scalar_of<B> {};
template <class A, std::size_t J> struct scalar_of<element_c<A, J>> : scalar_of<A> {};
template <class A> struct scalar_of<element<A>> : scalar_of<A> {};
template <class Cmp, class A, class B> struct scalar_of<compare<Cmp, A, B>> {
  using type = typename merge_scalar<typename scalar_of<A>::type, typename scalar_of<B>::type>::type;
};
/// The user's scalar type T of an expression (void for a literal-only expression).
template <class E> using scalar_of_t = typename scalar_of<std::remove_cvref_t<E>>::type;

/// Is the expression real-valued (for complex arguments: real, imag, abs, ... of them)?
template <class E> struct real_valued : std::bool_constant<!is_complex_v<typename scalar_of<E>::type>> {};
template <class T> struct real_valued<constant<T>> : std::bool_constant<!is_complex_v<T>> {};
template <std::intmax_t N, std::intmax_t D> struct real_valued<literal<N, D>> : std::true_type {};
template <class C> struct real_valued<named_constant<C>> : std::true_type {};
template <class Op, class... Cs>
struct real_valued<node<Op, Cs...>> : std::bool_constant<Op::real_result || Op::real_only || (real_valued<Cs>::value && ...)> {};
template <class R, class B> struct real_valued<reduce<R, B>> : real_valued<B> {};

}  // namespace detail
namespace detail {

// ---- graph layout (see graph/collect.hpp) ------------------------------------------------------
namespace graph {
template <class E, std::size_t C, std::size_t I>
using key_t = std::conditional_t<canonical<E>::value, E, keyed<E, C, I>>;
}

/// full: every node of the subtree, children before parents. body: the nodes an element loop
/// evaluates (array-valued ones; a scalar-valued node is a single leaf there). inner (reductions):
/// the body list of the reduced expression.
/// hash: the structural hash of E (graph/collect.hpp), computed here from the children's so
/// that it too needs no recursion along the depth.
template <class E> struct layout_of {
  using full = graph::list<graph::key_t<E, 0, 0>>;
  using body = full;
  enum : std::uint64_t { hash = graph::name_hash<E>() };
};

// Merging children's lists uses one fact: a full (or body) list is closed under descendants, so
// when a child's key is already in the accumulated list, its whole subtree is too, and one
// membership test skips it. Otherwise the child's own children are merged first (recursively,
// to a bounded depth, then by a flat list difference) and the child appended. In a
// straight-line program most operands are earlier results, so a node costs O(1) membership
// tests instead of one per node below it.
struct full_part {};
struct body_part {};
template <class Part, class E> struct part_of { using type = typename layout_of<E>::full; };
template <class E> struct part_of<body_part, E> { using type = typename layout_of<E>::body; };

/// Does E's list in Part consist of its children's lists and E itself (rather than E alone)?
template <class Part, class E> struct expands : std::false_type {};
template <class Op, class... Cs> struct expands<full_part, node<Op, Cs...>> : std::true_type {};
template <class R, class B> struct expands<full_part, reduce<R, B>> : std::true_type {};
template <class Op, class... Cs> struct expands<body_part, node<Op, Cs...>> : array_valued<node<Op, Cs...>> {};

/// Bound on the recursion into subtrees not yet in the list (template depth), past which the
/// subtree is merged as a flat list difference.
inline constexpr std::size_t merge_depth = 24;

template <class Part, class Acc, std::size_t C, std::size_t I, std::size_t Depth, class Cs> struct merge_children;

/// Acc followed by the nodes of subtree E (at data offsets C, I) not already in Acc.
template <class Part, class Acc, class E, std::size_t C, std::size_t I, std::size_t Depth,
          int Case = Acc::size == 0 ? (expands<Part, E>::value ? 4 : 1)
                     : graph::contains<Acc, graph::key_t<E, C, I>>::value ? 0
                     : !expands<Part, E>::value                     ? 1
                     : Depth == 0                                   ? 2
                                                                    : 3>
struct merge_subtree {  // 0: already there, with everything below it
  using type = Acc;
};
template <class Part, class Acc, class E, std::size_t C, std::size_t I, std::size_t Depth>
struct merge_subtree<Part, Acc, E, C, I, Depth, 1> {  // a leaf of this list
  using type = typename graph::concat<Acc, graph::list<graph::key_t<E, C, I>>>::type;
};
template <class Part, class Acc, class E, std::size_t C, std::size_t I, std::size_t Depth>
struct merge_subtree<Part, Acc, E, C, I, Depth, 2> {
  using type = graph::merge_t<Acc, graph::shift_t<typename part_of<Part, E>::type, C, I>>;
};
template <class Part, class Acc, class E, std::size_t C, std::size_t I, std::size_t Depth>
struct merge_subtree<Part, Acc, E, C, I, Depth, 3> {
  using type = typename graph::concat<typename merge_children<Part, Acc, C, I, Depth - 1, children_t<E>>::type,
                                      graph::list<graph::key_t<E, C, I>>>::type;
};
template <class Part, class Acc, class E, std::size_t C, std::size_t I, std::size_t Depth>
struct merge_subtree<Part, Acc, E, C, I, Depth, 4> {  // into an empty list: the subtree's list as it is
  using type = graph::shift_t<typename part_of<Part, E>::type, C, I>;
};

template <class Part, class Acc, std::size_t C, std::size_t I, std::size_t Depth>
struct merge_children<Part, Acc, C, I, Depth, type_list<>> {
  using type = Acc;
};
template <class Part, class Acc, std::size_t C, std::size_t I, std::size_t Depth, class C0, class... Cs>
struct merge_children<Part, Acc, C, I, Depth, type_list<C0, Cs...>> {
  using type = typename merge_children<Part, typename merge_subtree<Part, Acc, C0, C, I, Depth>::type,
                                       C + data_count<C0>::constants, I + data_count<C0>::indices, Depth,
                                       type_list<Cs...>>::type;
};

template <class Op, class... Cs> struct layout_of<node<Op, Cs...>> {
  enum : std::uint64_t { hash = graph::hash_combine_all(graph::name_hash<Op>(), std::uint64_t{layout_of<Cs>::hash}...) };
  using key = graph::key_t<node<Op, Cs...>, 0, 0>;
  using full = typename graph::concat<
      typename merge_children<full_part, graph::list<>, 0, 0, merge_depth, type_list<Cs...>>::type,
      graph::list<key>>::type;
  using body = std::conditional_t<
      array_valued<node<Op, Cs...>>::value,
      typename graph::concat<typename merge_children<body_part, graph::list<>, 0, 0, merge_depth, type_list<Cs...>>::type,
                             graph::list<key>>::type,
      graph::list<key>>;
  /// Forced from the node's class body, so that this and the traits that recurse over the
  /// children are computed as the expression is built, never by a recursion along its depth.
  enum : bool { ready = full::size > 0 && body::size > 0 && (hash | 1) != 0 && sizeof(real_valued<node<Op, Cs...>>) > 0 };
};

template <class R, class B> struct layout_of<reduce<R, B>> {
  enum : std::uint64_t { hash = graph::hash_combine(graph::name_hash<R>(), layout_of<B>::hash) };
  using key = graph::key_t<reduce<R, B>, 0, 0>;
  using full = typename graph::concat<typename layout_of<B>::full, graph::list<key>>::type;
  using body = graph::list<key>;
  using inner = typename layout_of<B>::body;
  enum : bool { ready = full::size > 0 && (hash | 1) != 0 && sizeof(real_valued<reduce<R, B>>) > 0 };
};

namespace graph {
template <class K> struct key_hash {
  enum : std::uint64_t {
    value = hash_combine(hash_combine(layout_of<node_of<K>>::hash, key_info<K>::constants), key_info<K>::indices)
  };
};
}  // namespace graph

}  // namespace detail
}  // namespace typegrad
