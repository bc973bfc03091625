#pragma once
/// \file reverse/program.hpp
/// A graph layout compiled into a *program*: one small instruction type per node, naming its
/// operands by slot. Pure type computation; the evaluator (reverse/sweep.hpp) runs programs.
#include <array>
#include <cstddef>
#include <type_traits>
#include <utility>

#include <typegrad/expr/make.hpp>
#include <typegrad/graph/keys.hpp>

namespace typegrad::detail {

/// Leaves whose adjoint nobody reads.
template <class E> struct inert : std::bool_constant<is_literal<E>::value || is_constant<E>::value || is_named<E>::value> {};

// (class templates, not variable templates: see expr/make.hpp)
template <class E> struct is_placeholder : std::false_type {};
template <std::size_t I, class T> struct is_placeholder<placeholder<I, T>> : std::true_type {};
template <class E> struct is_array_placeholder : std::false_type {};
template <std::size_t I, class T> struct is_array_placeholder<array_placeholder<I, T>> : std::true_type {};
template <class E> struct is_element : std::false_type {};
template <class A> struct is_element<element<A>> : std::true_type {};
template <class E> struct is_element_c : std::false_type {};
template <class A, std::size_t J> struct is_element_c<element_c<A, J>> : std::true_type {};
template <class E> struct is_reduce : std::false_type {};
template <class R, class B> struct is_reduce<reduce<R, B>> : std::true_type {};
template <class E> struct is_node : std::false_type {};
template <class Op, class... Cs> struct is_node<node<Op, Cs...>> : std::true_type {};

// ---- the program ------------------------------------------------------------------------------
// The layout is compiled into a *program*: one small instruction type per node, naming slots by
// number. The code that runs it is instantiated per instruction, so no function is named after
// an expression type: a function template's symbol spells its template arguments, and spelling
// a 1000-node expression type in each of thousands of symbols (g++'s mangler searches its
// substitution table linearly) made a gradient's compile time cubic in the size of f.
namespace program {
/// An operand: its slot, and whether it is an inert leaf (literal, constant: a plain number).
template <std::size_t Slot, bool Inert> struct arg {
  static constexpr std::size_t slot = Slot;
  static constexpr bool inert = Inert;
};
struct skip {};                                                     // array-valued: runs in its reduction's loop
template <std::size_t I> struct input {};                           // scalar argument I
template <class Leaf> struct leaf {};                               // a literal or named constant
template <std::size_t C> struct constant {};                        // runtime constant C of the tree data
template <std::size_t I, std::size_t J> struct element_at {};       // array argument I at fixed position J
template <std::size_t I, std::size_t Ix> struct element_indexed {}; // array argument I at tree index Ix
template <class Op, class... Args> struct apply {};                 // Op over operand slots
template <class R, class Body> struct reduction {};                 // R over a body program (below)
// body instructions (slots of the body's own array; the last one is the reduced value)
template <std::size_t OuterSlot, bool Inert> struct outer {};       // a scalar node, broadcast
template <std::size_t I> struct array_input {};                     // array argument I, element i
/// Instruction for slot S.
template <std::size_t S, class What> struct at {};
template <class... Is> struct list {
  enum : std::size_t { size = sizeof...(Is) };
};
}  // namespace program

// Compiling is pure type computation (class templates, no functions): see the comment above.
enum class node_kind { skip, input, leaf, constant, element_at, element_indexed, apply, reduction, outer, array_input };

/// What kind of instruction computes node E, in the outer list or (Body) in an element loop.
/// (An alias of integral_constant, not a class with a static member: see make in expr/make.hpp.)
template <class E, bool Body>
using kind_of = std::integral_constant<node_kind, Body && !array_valued<E>::value     ? node_kind::outer
                                                  : Body && is_array_placeholder<E>::value ? node_kind::array_input
                                                  : array_valued<E>::value           ? (Body ? node_kind::apply : node_kind::skip)
                                                  : is_placeholder<E>::value              ? node_kind::input
                                                  : is_literal<E>::value || is_named<E>::value ? node_kind::leaf
                                                  : is_constant<E>::value                 ? node_kind::constant
                                                  : is_element_c<E>::value                ? node_kind::element_at
                                                  : is_element<E>::value                  ? node_kind::element_indexed
                                                  : is_node<E>::value                     ? node_kind::apply
                                                                                     : node_kind::reduction>;

template <class Outer, class L> struct compile_body;

/// The instruction computing key K, whose operands are looked up in list L (the outer list, or
/// for Body the element loop's list, whose scalar-valued nodes are read from list Outer).
template <class K, class L, class Outer, bool Body, node_kind = kind_of<graph::node_of<K>, Body>::value>
struct compile_node;
template <class K, class L, class Outer, bool Body> struct compile_node<K, L, Outer, Body, node_kind::skip> {
  using type = program::skip;
};
template <class K, class L, class Outer, bool Body> struct compile_node<K, L, Outer, Body, node_kind::input> {
  using type = program::input<graph::node_of<K>::index>;
};
template <class K, class L, class Outer, bool Body> struct compile_node<K, L, Outer, Body, node_kind::leaf> {
  using type = program::leaf<graph::node_of<K>>;
};
template <class K, class L, class Outer, bool Body> struct compile_node<K, L, Outer, Body, node_kind::constant> {
  using type = program::constant<graph::key_info<K>::constants>;
};
template <class K, class L, class Outer, bool Body> struct compile_node<K, L, Outer, Body, node_kind::element_at> {
  using E = graph::node_of<K>;
  using type = program::element_at<E::array::index, E::position>;
};
template <class K, class L, class Outer, bool Body>
struct compile_node<K, L, Outer, Body, node_kind::element_indexed> {
  using type = program::element_indexed<graph::node_of<K>::array::index, graph::key_info<K>::indices>;
};
template <class K, class L, class Outer, bool Body> struct compile_node<K, L, Outer, Body, node_kind::apply> {
  using E = graph::node_of<K>;
  template <class Seq> struct operands;
  template <std::size_t... J> struct operands<std::index_sequence<J...>> {
    using type = program::apply<typename E::op, program::arg<graph::slot<L, graph::child_key_t<K, J>>::value,
                                                             inert<graph::node_of<graph::child_key_t<K, J>>>::value>...>;
  };
  using type = typename operands<std::make_index_sequence<E::arity>>::type;
};
template <class K, class L, class Outer, bool Body> struct compile_node<K, L, Outer, Body, node_kind::reduction> {
  using body = graph::shift_t<typename layout_of<graph::node_of<K>>::inner, graph::key_info<K>::constants,
                              graph::key_info<K>::indices>;
  using type = program::reduction<typename graph::node_of<K>::policy, typename compile_body<L, body>::type>;
};
template <class K, class L, class Outer, bool Body> struct compile_node<K, L, Outer, Body, node_kind::outer> {
  using type = program::outer<graph::slot<Outer, K>::value, inert<graph::node_of<K>>::value>;
};
template <class K, class L, class Outer, bool Body> struct compile_node<K, L, Outer, Body, node_kind::array_input> {
  using type = program::array_input<graph::node_of<K>::index>;
};

/// The program of an element loop over body list L.
template <class Outer, class L> struct compile_body {
  template <class Keys, class Seq> struct go;
  template <class... Ks, std::size_t... S> struct go<graph::list<Ks...>, std::index_sequence<S...>> {
    using type = program::list<program::at<S, typename compile_node<Ks, L, Outer, true>::type>...>;
  };
  using type = typename go<L, std::make_index_sequence<L::size>>::type;
};

/// The program of the outer list L (every node of the graph).
template <class L> struct compile;
template <class... Ks> struct compile<graph::list<Ks...>> {
  using L = graph::list<Ks...>;
  template <class Seq> struct go;
  template <std::size_t... S> struct go<std::index_sequence<S...>> {
    using type = program::list<program::at<S, typename compile_node<Ks, L, L, false>::type>...>;
  };
  using type = typename go<std::index_sequence_for<Ks...>>::type;
};

// ---- what instructions read ----------------------------------------------------------------------

/// The slots whose adjoints instruction I writes, in the order it writes them (no_slot: none).
template <class I> struct adjoint_edges {
  static constexpr std::array<std::size_t, 0> slots{};
};
template <std::size_t S, class Op, class... A> struct adjoint_edges<program::at<S, program::apply<Op, A...>>> {
  template <class Seq> struct go;
  template <std::size_t... J> struct go<std::index_sequence<J...>> {
    static constexpr std::array<std::size_t, sizeof...(A)> slots{
        (Op::template differentiable<J> && !A::inert ? A::slot : graph::no_slot)...};
  };
  static constexpr auto slots = go<std::index_sequence_for<A...>>::slots;
};
template <class BodyInstr> struct outer_edge : std::integral_constant<std::size_t, graph::no_slot> {};
template <std::size_t B, std::size_t O> struct outer_edge<program::at<B, program::outer<O, false>>>
    : std::integral_constant<std::size_t, O> {};
template <std::size_t S, class R, class... Bs> struct adjoint_edges<program::at<S, program::reduction<R, program::list<Bs...>>>> {
  static constexpr std::array<std::size_t, sizeof...(Bs)> slots{outer_edge<Bs>::value...};  // by body slot
};

/// Is instruction I a scalar argument (its value is in the sweep's inputs from the start)?
template <class I> struct input_index : std::integral_constant<std::size_t, graph::no_slot> {};
template <std::size_t S, std::size_t I> struct input_index<program::at<S, program::input<I>>>
    : std::integral_constant<std::size_t, I> {};

}  // namespace typegrad::detail
