#pragma once
/// \file graph/collect.hpp
/// Compile-time graph layout: the distinct nodes of an expression DAG in topological order,
/// and the slot of each. This is where common subexpressions are shared.
///
/// A node's identity (its *key*): a canonical subtree (no runtime data) is identified by its
/// type, so `u = x * y; u * u` has one `u`, and thirty `u = u * u` give thirty-one keys. A
/// subtree holding runtime data (constants, runtime indices) is identified by its type plus the
/// number of constants and indices before it in the tree (`keyed<E, C, I>`), which is unique per
/// tree position and lets the evaluators find its data in a flat array gathered once.
///
/// The collection is a post-order walk with a set for "already listed"; membership and slot
/// look-ups are base-class tests on a flat inheritance list, O(1) instantiations each, so the
/// whole layout costs O(nodes) instantiations of growing lists.
#include <cstddef>
#include <type_traits>
#include <utility>

#include <typegrad/expr/core.hpp>

namespace typegrad::detail::graph {

template <class E, std::size_t C, std::size_t I> struct keyed {};

template <class E, std::size_t C, std::size_t I>
using key_t = std::conditional_t<canonical<E>::value, E, keyed<E, C, I>>;

template <class K> struct key_info {
  using node = K;
  static constexpr std::size_t constants = 0, indices = 0;
};
template <class E, std::size_t C, std::size_t I> struct key_info<keyed<E, C, I>> {
  using node = E;
  static constexpr std::size_t constants = C, indices = I;
};
template <class K> using node_of = typename key_info<K>::node;

template <class... Ks> struct list {
  static constexpr std::size_t size = sizeof...(Ks);
};
template <class K> struct tag {};
template <class L> struct set_of;
template <class... Ks> struct set_of<list<Ks...>> : tag<Ks>... {};
template <class L, class K> inline constexpr bool contains_v = std::is_base_of_v<tag<K>, set_of<L>>;

template <class L, class K> struct append;
template <class... Ks, class K> struct append<list<Ks...>, K> { using type = list<Ks..., K>; };
template <class K, class L> struct prepend;
template <class K, class... Ks> struct prepend<K, list<Ks...>> { using type = list<K, Ks...>; };

// ---- the walk --------------------------------------------------------------------------------
// Body = true: the walk of an array body; it stops at scalar-valued nodes (they are computed
// once outside the element loop and enter the body as broadcast values).

template <bool Body, class Acc, class E, std::size_t C, std::size_t I> struct visit;

template <bool Body, class Acc, std::size_t C, std::size_t I, class... Cs> struct visit_seq {
  using type = Acc;
};
template <bool Body, class Acc, std::size_t C, std::size_t I, class C0, class... Cs>
struct visit_seq<Body, Acc, C, I, C0, Cs...> {
  using type = typename visit_seq<Body, typename visit<Body, Acc, C0, C, I>::type,
                                  C + data_count<C0>::constants, I + data_count<C0>::indices, Cs...>::type;
};

template <bool Body, class Acc, std::size_t C, std::size_t I, class Children> struct visit_children;
template <bool Body, class Acc, std::size_t C, std::size_t I, class... Cs>
struct visit_children<Body, Acc, C, I, type_list<Cs...>> {
  using type = typename visit_seq<Body, Acc, C, I, Cs...>::type;
};

template <bool Seen, bool Body, class Acc, class E, std::size_t C, std::size_t I> struct visit_impl {
  using type = Acc;  // already listed
};
template <bool Body, class Acc, class E, std::size_t C, std::size_t I> struct visit_impl<false, Body, Acc, E, C, I> {
  static constexpr bool stop = Body && !array_valued<E>::value;
  using below = std::conditional_t<stop, type_list<>, children_t<E>>;
  using type = typename append<typename visit_children<Body, Acc, C, I, below>::type, key_t<E, C, I>>::type;
};

template <bool Body, class Acc, class E, std::size_t C, std::size_t I> struct visit {
  using type = typename visit_impl<contains_v<Acc, key_t<E, C, I>>, Body, Acc, E, C, I>::type;
};

/// All keys of the roots (each given with its entry counters), children before parents.
template <bool Body, class Roots> struct collect;
template <bool Body> struct collect<Body, list<>> { using type = list<>; };
template <bool Body, class... Rs> struct collect<Body, list<Rs...>> {
  template <class Acc, class... Ts> struct go { using type = Acc; };
  template <class Acc, class T, class... Ts> struct go<Acc, T, Ts...> {
    using type = typename go<typename visit<Body, Acc, node_of<T>, key_info<T>::constants, key_info<T>::indices>::type,
                             Ts...>::type;
  };
  using type = typename go<list<>, Rs...>::type;
};

/// Keep the keys whose node satisfies Pred.
template <template <class> class Pred, class L> struct filter;
template <template <class> class Pred, class... Ks> struct filter<Pred, list<Ks...>> {
  template <class Acc, class... Ts> struct go { using type = Acc; };
  template <class Acc, class T, class... Ts> struct go<Acc, T, Ts...> {
    using next = std::conditional_t<Pred<node_of<T>>::value, typename append<Acc, T>::type, Acc>;
    using type = typename go<next, Ts...>::type;
  };
  using type = typename go<list<>, Ks...>::type;
};
template <class E> struct scalar_valued : std::bool_constant<!array_valued<E>::value> {};

// ---- slots -------------------------------------------------------------------------------------
template <class K, std::size_t N> struct slot {};
template <class L, class Seq> struct slot_map_impl;
template <class... Ks, std::size_t... N>
struct slot_map_impl<list<Ks...>, std::index_sequence<N...>> : slot<Ks, N>... {};
template <class L> struct slot_map;
template <class... Ks> struct slot_map<list<Ks...>> : slot_map_impl<list<Ks...>, std::index_sequence_for<Ks...>> {};

template <class K, std::size_t N> constexpr std::size_t slot_index(const slot<K, N>*) { return N; }
template <class L, class K> inline constexpr bool has_slot_v = contains_v<L, K>;
/// The slot of key K in list L.
template <class L, class K>
inline constexpr std::size_t slot_v = slot_index<K>(static_cast<const slot_map<L>*>(nullptr));

/// The K-th key of a list.
template <std::size_t N, class L> struct at;
template <std::size_t N, class... Ks> struct at<N, list<Ks...>> { using type = std::tuple_element_t<N, std::tuple<Ks...>>; };
template <std::size_t N, class L> using at_t = typename at<N, L>::type;

/// The key of child J of key K.
template <class K, std::size_t J> struct child_key {
  using E = node_of<K>;
  template <class Cs, std::size_t Left, std::size_t C, std::size_t I> struct walk;
  template <class C0, class... Cs, std::size_t C, std::size_t I> struct walk<type_list<C0, Cs...>, 0, C, I> {
    using type = key_t<C0, C, I>;
  };
  template <class C0, class... Cs, std::size_t Left, std::size_t C, std::size_t I>
  struct walk<type_list<C0, Cs...>, Left, C, I> {
    using type = typename walk<type_list<Cs...>, Left - 1, C + data_count<C0>::constants,
                               I + data_count<C0>::indices>::type;
  };
  using type = typename walk<children_t<E>, J, key_info<K>::constants, key_info<K>::indices>::type;
};
template <class K, std::size_t J> using child_key_t = typename child_key<K, J>::type;

/// The root key list for root expressions Rs... (tuple outputs: constants counted across roots).
template <std::size_t C, std::size_t I, class... Rs> struct root_keys { using type = list<>; };
template <std::size_t C, std::size_t I, class R, class... Rs> struct root_keys<C, I, R, Rs...> {
  using type = typename prepend<key_t<R, C, I>,
      typename root_keys<C + data_count<R>::constants, I + data_count<R>::indices, Rs...>::type>::type;
};

}  // namespace typegrad::detail::graph
