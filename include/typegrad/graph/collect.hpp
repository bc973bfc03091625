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
/// the depth of the expression, and the list operations below are flat pack expansions (or
/// recurse over a list eight elements at a time): a 1000-operation function needs no raised
/// -ftemplate-depth.
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <type_traits>
#include <utility>

namespace typegrad {
template <class Op, class... Cs> struct node;
template <class R, class Body> struct reduce;
}  // namespace typegrad

namespace typegrad::detail::graph {

template <class... Ks> struct list {
  enum : std::size_t { size = sizeof...(Ks) };  // not a static data member: see node in expr/core.hpp
};

template <class K> struct tag {};
template <class L> struct set_of;
template <class... Ks> struct set_of<list<Ks...>> : tag<Ks>... {};
// The builtin, not std::is_base_of: g++ walks every base of a type passed as a template
// argument (a check for variably modified types), which made each test linear in the list.
template <class L, class K> struct contains : std::bool_constant<__is_base_of(tag<K>, set_of<L>)> {};

// ---- slots -----------------------------------------------------------------------------------
// Looking a key up in a list must not cost a pass over the list: evaluators look up every child
// of every node, so that would make a gradient quadratic in the size of the function, with a
// large constant (deduction against one base class per key). Instead each list gets a hash
// table of the keys' 64-bit structural hashes, built once by a constexpr loop, which also checks
// that the keys of the list have distinct hashes. A look-up of a key of the list is then exact:
// its hash matches its own entry and no other. (Addresses cannot serve as identities here: with
// -fsanitize=undefined, g++ does not evaluate address comparisons at compile time.) Whether a
// key is in a list at all is answered exactly by `contains`.

/// FNV-1a of the compiler's spelling of T. Only short types are spelled (leaves and operation
/// policies): a node's hash combines its policy's and its children's (see layout_of).
template <class T> constexpr std::uint64_t name_hash() {
  std::uint64_t h = 14695981039346656037ull;
  for (const char c : std::string_view(__PRETTY_FUNCTION__)) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  return h;
}
/// Order-dependent combination (splitmix64's finalizer over the running value).
constexpr std::uint64_t hash_combine(std::uint64_t seed, std::uint64_t v) {
  std::uint64_t z = seed ^ (v + 0x9e3779b97f4a7c15ull + (seed << 12) + (seed >> 4));
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}
template <class... H> constexpr std::uint64_t hash_combine_all(std::uint64_t seed, H... hs) {
  ((seed = hash_combine(seed, hs)), ...);
  return seed;
}

/// The hash of key K (defined with the layout, expr/core.hpp).
template <class K> struct key_hash;

inline constexpr std::size_t no_slot = static_cast<std::size_t>(-1);

template <class L> struct slot_table;
template <class... Ks> struct slot_table<list<Ks...>> {
  static constexpr std::size_t buckets = std::bit_ceil(2 * sizeof...(Ks) + 1);
  struct entry {
    std::uint64_t hash = 0;
    std::size_t slot = no_slot;
    bool used = false;
  };
  struct built {
    std::array<entry, buckets> table{};
    bool distinct = true;
  };
  static constexpr built build = [] {
    built r;
    const std::uint64_t hashes[] = {std::uint64_t{key_hash<Ks>::value}..., 0};
    for (std::size_t i = 0; i < sizeof...(Ks); ++i) {
      std::size_t b = hashes[i] & (buckets - 1);
      for (; r.table[b].used; b = (b + 1) & (buckets - 1))
        if (r.table[b].hash == hashes[i]) r.distinct = false;
      r.table[b] = {hashes[i], i, true};
    }
    return r;
  }();
  static_assert(build.distinct,
                "typegrad: two distinct nodes of this function have the same 64-bit structural hash (a 1 in "
                "10^15 event for a 10^2-node function); please report it with the function");
  static constexpr std::size_t find(std::uint64_t hash) {
    for (std::size_t b = hash & (buckets - 1);; b = (b + 1) & (buckets - 1))
      if (!build.table[b].used || build.table[b].hash == hash) return build.table[b].slot;
  }
};

/// The slot of key K in list L, which holds K.
template <class L, class K> struct slot : std::integral_constant<std::size_t, slot_table<L>::find(key_hash<K>::value)> {
  static_assert(contains<L, K>::value, "typegrad internal error: a node is missing from its graph layout");
};
/// The slot of key K in list L, or no_slot when K is not in L.
template <class L, class K, bool = contains<L, K>::value>
struct find_slot : std::integral_constant<std::size_t, no_slot> {};
template <class L, class K> struct find_slot<L, K, true> : slot<L, K> {};

/// The N-th key of a short list (deduction against one base per key: linear, so only for short
/// lists such as the roots; the evaluators walk long lists as packs).
template <class K, std::size_t N> struct nth {};
template <class L, class Seq> struct nth_map;
template <class... Ks, std::size_t... N> struct nth_map<list<Ks...>, std::index_sequence<N...>> : nth<Ks, N>... {};
template <std::size_t N, class K> K nth_lookup(const nth<K, N>*);
template <std::size_t N, class L>
using at_t = decltype(graph::nth_lookup<N>(static_cast<const nth_map<L, std::make_index_sequence<L::size>>*>(nullptr)));

// ---- list operations (flat or shallow: no recursion along the list) ------------------------

template <class A, class B> struct concat;
template <class... As, class... Bs> struct concat<list<As...>, list<Bs...>> { using type = list<As..., Bs...>; };

/// The concatenation of lists, eight at a time (recursion depth: a list's length / 7).
template <class... Ls> struct join { using type = list<>; };
template <class... A> struct join<list<A...>> { using type = list<A...>; };
template <class... A, class... B, class... Ls> struct join<list<A...>, list<B...>, Ls...> {
  using type = typename join<list<A..., B...>, Ls...>::type;
};
template <class... A, class... B, class... C, class... D, class... E, class... F, class... G, class... H, class... Ls>
struct join<list<A...>, list<B...>, list<C...>, list<D...>, list<E...>, list<F...>, list<G...>, list<H...>, Ls...> {
  using type = typename join<list<A..., B..., C..., D..., E..., F..., G..., H...>, Ls...>::type;
};

/// Keys of B not already in A.
template <class B, class A> struct minus;
template <class... Bs, class A> struct minus<list<Bs...>, A> {
  using type = typename join<std::conditional_t<contains<A, Bs>::value, list<>, list<Bs>>...>::type;
};

template <class E, std::size_t C, std::size_t I> struct keyed {};

template <class K> struct key_info {
  using node = K;
  enum : std::size_t { constants = 0, indices = 0 };
};
template <class E, std::size_t C, std::size_t I> struct key_info<keyed<E, C, I>> {
  using node = E;
  enum : std::size_t { constants = C, indices = I };
};
template <class K> using node_of = typename key_info<K>::node;

/// A key moved by DC constants and DI indices (a subtree's layout placed in its parent).
template <class K, std::size_t DC, std::size_t DI> struct shift_key { using type = K; };
template <class E, std::size_t C, std::size_t I, std::size_t DC, std::size_t DI>
struct shift_key<keyed<E, C, I>, DC, DI> { using type = keyed<E, C + DC, I + DI>; };
template <class L, std::size_t DC, std::size_t DI> struct shift;
template <class... Ks, std::size_t DC, std::size_t DI> struct shift<list<Ks...>, DC, DI> {
  using type = list<typename shift_key<Ks, DC, DI>::type...>;
};
template <class... Ks> struct shift<list<Ks...>, 0, 0> { using type = list<Ks...>; };
template <class L, std::size_t DC, std::size_t DI> using shift_t = typename shift<L, DC, DI>::type;

/// acc followed by the keys of `next` not yet in acc.
template <class Acc, class Next> using merge_t = typename concat<Acc, typename minus<Next, Acc>::type>::type;

}  // namespace typegrad::detail::graph
