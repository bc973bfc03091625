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
/// Each node type's layout is computed from its children's when the node type is created
/// (`layout_of`, forced from the node's class body), so it costs no template recursion along
/// the depth of the expression, and every list operation below is a flat pack expansion:
/// a 1000-operation function needs no raised -ftemplate-depth.
#include <array>
#include <cstddef>
#include <type_traits>
#include <utility>

namespace typegrad {
template <class Op, class... Cs> struct node;
template <class R, class Body> struct reduce;
}  // namespace typegrad

namespace typegrad::detail::graph {

template <class... Ks> struct list {
  static constexpr std::size_t size = sizeof...(Ks);
};

template <class K> struct tag {};
template <class L> struct set_of;
template <class... Ks> struct set_of<list<Ks...>> : tag<Ks>... {};
template <class L, class K> inline constexpr bool contains_v = std::is_base_of_v<tag<K>, set_of<L>>;

/// A unique address per key type. Slot look-ups deduce against these addresses, never against
/// the key types themselves: g++ unifies class types structurally, which costs time exponential
/// in the depth of a shared expression (u = u * u) when the candidate does not match.
template <class K> struct key_id { static constexpr char at = 0; };

template <class K, std::size_t N> struct slot {};
template <const char* Id, std::size_t N> struct slot_by_id {};
template <class L, class Seq> struct slot_map_impl;
template <class... Ks, std::size_t... N>
struct slot_map_impl<list<Ks...>, std::index_sequence<N...>> : slot<Ks, N>..., slot_by_id<&key_id<Ks>::at, N>... {};
template <class L> struct slot_map;
template <class... Ks> struct slot_map<list<Ks...>> : slot_map_impl<list<Ks...>, std::index_sequence_for<Ks...>> {};

template <const char* Id, std::size_t N> constexpr std::size_t slot_index(const slot_by_id<Id, N>*) { return N; }
template <std::size_t N, class K> K nth_lookup(const slot<K, N>*);

/// The slot of key K in list L.
template <class L, class K>
inline constexpr std::size_t slot_v = slot_index<&key_id<K>::at>(static_cast<const slot_map<L>*>(nullptr));
template <class L, class K> inline constexpr bool has_slot_v = contains_v<L, K>;
/// The N-th key of list L.
template <std::size_t N, class L>
using at_t = decltype(nth_lookup<N>(static_cast<const slot_map<L>*>(nullptr)));

template <class A, class B> struct concat;
template <class... As, class... Bs> struct concat<list<As...>, list<Bs...>> { using type = list<As..., Bs...>; };

/// The keys of L for which keep[i] holds, in order (flat: indices computed in a constexpr array).
template <class L, class Keep> struct select_keys;
template <class... Ks, bool... Keep> struct select_keys<list<Ks...>, std::integer_sequence<bool, Keep...>> {
  static constexpr std::size_t count = (std::size_t{0} + ... + std::size_t{Keep});
  static constexpr auto indices = [] {
    constexpr bool keep[] = {Keep..., false};
    std::array<std::size_t, count + 1> r{};
    std::size_t j = 0;
    for (std::size_t i = 0; i < sizeof...(Ks); ++i)
      if (keep[i]) r[j++] = i;
    return r;
  }();
  template <class Seq> struct build;
  template <std::size_t... J> struct build<std::index_sequence<J...>> {
    using type = list<at_t<indices[J], list<Ks...>>...>;
  };
  using type = typename build<std::make_index_sequence<count>>::type;
};

/// Keys of B not already in A.
template <class B, class A> struct minus;
template <class... Bs, class A> struct minus<list<Bs...>, A> {
  using type = typename select_keys<list<Bs...>, std::integer_sequence<bool, !contains_v<A, Bs>...>>::type;
};

/// Keys of L whose node satisfies Pred.
template <template <class> class Pred, class L> struct filter;

template <class E, std::size_t C, std::size_t I> struct keyed {};

template <class K> struct key_info {
  using node = K;
  static constexpr std::size_t constants = 0, indices = 0;
};
template <class E, std::size_t C, std::size_t I> struct key_info<keyed<E, C, I>> {
  using node = E;
  static constexpr std::size_t constants = C, indices = I;
};
template <class K> using node_of = typename key_info<K>::node;

template <template <class> class Pred, class... Ks> struct filter<Pred, list<Ks...>> {
  using type = typename select_keys<list<Ks...>, std::integer_sequence<bool, Pred<node_of<Ks>>::value...>>::type;
};

/// A key moved by DC constants and DI indices (a subtree's layout placed in its parent).
template <class K, std::size_t DC, std::size_t DI> struct shift_key { using type = K; };
template <class E, std::size_t C, std::size_t I, std::size_t DC, std::size_t DI>
struct shift_key<keyed<E, C, I>, DC, DI> { using type = keyed<E, C + DC, I + DI>; };
template <class L, std::size_t DC, std::size_t DI> struct shift;
template <class... Ks, std::size_t DC, std::size_t DI> struct shift<list<Ks...>, DC, DI> {
  using type = list<typename shift_key<Ks, DC, DI>::type...>;
};
template <class L, std::size_t DC, std::size_t DI> using shift_t = typename shift<L, DC, DI>::type;

/// acc followed by the keys of `next` not yet in acc.
template <class Acc, class Next> using merge_t = typename concat<Acc, typename minus<Next, Acc>::type>::type;

}  // namespace typegrad::detail::graph
