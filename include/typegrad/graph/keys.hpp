#pragma once
/// \file graph/keys.hpp
/// Navigating keys: a key's children and the roots' keys.
#include <cstddef>
#include <type_traits>

#include <typegrad/expr/core.hpp>

namespace typegrad::detail::graph {

/// The key of child J of key K (children's entry counters follow their left siblings' data).
template <class K, std::size_t J> struct child_key {
  template <class Cs, std::size_t Left, std::size_t C, std::size_t I> struct walk;
  template <class C0, class... Cs, std::size_t C, std::size_t I> struct walk<type_list<C0, Cs...>, 0, C, I> {
    using type = key_t<C0, C, I>;
  };
  template <class C0, class... Cs, std::size_t Left, std::size_t C, std::size_t I>
  struct walk<type_list<C0, Cs...>, Left, C, I> {
    using type = typename walk<type_list<Cs...>, Left - 1, C + data_count<C0>::constants,
                               I + data_count<C0>::indices>::type;
  };
  using type = typename walk<children_t<node_of<K>>, J, key_info<K>::constants, key_info<K>::indices>::type;
};
template <class K, std::size_t J> using child_key_t = typename child_key<K, J>::type;

/// The keys of root expressions Rs... (tuple outputs: data counted across the roots in order).
template <std::size_t C, std::size_t I, class... Rs> struct root_keys { using type = list<>; };
template <std::size_t C, std::size_t I, class R, class... Rs> struct root_keys<C, I, R, Rs...> {
  using type = typename concat<list<key_t<R, C, I>>, typename root_keys<C + data_count<R>::constants,
                                                                        I + data_count<R>::indices, Rs...>::type>::type;
};

}  // namespace typegrad::detail::graph
