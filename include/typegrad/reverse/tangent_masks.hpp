#pragma once
/// \file reverse/tangent_masks.hpp
/// tg::jacobian's forward sweep on N-direction duals skips the tangent blocks that are zero by
/// the graph's structure. Argument i seeds direction i, which lies in block i / lanes of the
/// SIMD tangents; a node's tangent can be nonzero only in the blocks of the operands it is
/// differentiated along. That *mask* of each slot is known at compile time (a constexpr pass
/// over the program, like the reverse plan), and the chain rule runs over the blocks of the
/// result's mask, reading each operand only where it has blocks. Blocks outside a mask are
/// never written (the sweep's slots are uninitialized) nor read; the roots' are zeroed before
/// they are returned. In a 16x16 Jacobian (4 blocks of 4 on AVX2) the squares, the partial
/// sums and each output's local terms touch one or two blocks instead of four.
#include <array>
#include <cstddef>
#include <cstdint>
#include <new>
#include <tuple>
#include <type_traits>
#include <utility>

#include <typegrad/config.hpp>
#include <typegrad/forward/dual.hpp>
#include <typegrad/reverse/program.hpp>

namespace typegrad::detail {

/// The block mask of every slot of a program whose arguments' directions come Lanes to a block.
template <class Code, std::size_t Lanes> struct tangent_masks;
template <class... Is, std::size_t Lanes> struct tangent_masks<program::list<Is...>, Lanes> {
  static constexpr std::size_t n = sizeof...(Is);
  static constexpr std::array<std::uint64_t, n + 1> make() {
    std::array<std::uint64_t, n + 1> mask{};
    constexpr std::size_t input[] = {input_index<Is>::value..., graph::no_slot};
    constexpr std::size_t count[] = {adjoint_edges<Is>::slots.size()..., 0};
    constexpr const std::size_t* slot[] = {adjoint_edges<Is>::slots.data()..., nullptr};
    for (std::size_t i = 0; i < n; ++i) {
      if (input[i] != graph::no_slot) mask[i] = std::uint64_t{1} << input[i] / Lanes;
      for (std::size_t j = 0; j < count[i]; ++j)
        if (slot[i][j] != graph::no_slot) mask[i] |= mask[slot[i][j]];
    }
    return mask;
  }
  static constexpr std::array<std::uint64_t, n + 1> mask = make();
};

/// The tangent masks for a forward-only sweep on value type V, or void: only tg::jacobian's
/// SIMD-tangent slots (batch_tangents left uninitialized), up to 64 blocks.
template <class V, bool Reverse, class Code> struct masks_for {
  using type = void;
};
template <class T, int N, class Code> struct masks_for<dual<T, N, batch_tangents<T, N, false>>, false, Code> {
  using store = batch_tangents<T, N, false>;
  using type = std::conditional_t<TYPEGRAD_USE_SIMD && (store::blocks <= 64), tangent_masks<Code, store::lanes>, void>;
};

/// Op over operands xs into slot S of machine m, the chain rule over the blocks of S's mask.
template <class Masks, std::size_t S, class Op, class... A, class M, class... Xs>
TYPEGRAD_ALWAYS_INLINE void masked_apply(M& m, const Xs&... xs) {
  using D = typename decltype(m.val)::value_type;
  using Store = typename dual_parts<D>::store;
  using T = typename dual_parts<D>::value;
  constexpr auto list = dual_active_list<Op, Xs...>();
  const T y = Op::value(dual_value<D>(xs)...);
  constexpr std::uint64_t out = Masks::mask[S];
  if constexpr (list.size() == 0 || out == 0) {
    ::new (static_cast<void*>(&m.val[S])) D(y);
  } else {
    constexpr std::array<std::uint64_t, sizeof...(A)> operand_masks{Masks::mask[A::slot]...};
    const auto make = [&]<std::size_t... J>(std::index_sequence<J...>) {
      constexpr std::array<std::uint64_t, sizeof...(J)> in{operand_masks[list[J]]...};
      return Store::template combine_masked<out, in>(
          std::array<T, sizeof...(J)>{dual_partial<Op, D, list[J]>(y, xs...)...},
          std::array<const Store*, sizeof...(J)>{&std::get<list[J]>(std::tie(xs...)).tan...});
    };
    const auto tangents = [&] { return make(std::make_index_sequence<list.size()>{}); };
    ::new (static_cast<void*>(&m.val[S])) D(y, tangents_from<decltype(tangents)>{tangents});
  }
}

}  // namespace typegrad::detail
