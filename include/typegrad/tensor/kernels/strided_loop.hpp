#pragma once
/// \file tensor/kernels/strided_loop.hpp
/// The loop every raw kernel of the dynamic layer runs on: walk a multi-index over `sizes` in
/// row-major order and keep, for each of N operands, the element offset `sum_d index[d] *
/// strides[d]` of that operand. Operands may have any strides (transposed, stride 0 from
/// `expand`, offset views); kernels add the operand's base pointer themselves.
///
///     // out[i, j] = a[i, j] for a of any layout, out contiguous:
///     kernels::loop::for_each_offsets<2>(sizes, {out_strides, a_strides},
///                                        [&](const auto& off) { out[off[0]] = a[off[1]]; });
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include <typegrad/tensor/int_array_ref.hpp>

namespace typegrad::kernels::loop {

/// Offsets of N operands at one multi-index.
template <std::size_t N> using offsets = std::array<std::int64_t, N>;

/// Calls `f(offsets)` for every multi-index of all dims but the last (once when there are
/// fewer than two dims), so that the caller runs the innermost dim itself (a contiguous run is
/// where SIMD pays). Nothing is called when some size is 0.
template <std::size_t N, class F>
void for_each_row(IntArrayRef sizes, const std::array<IntArrayRef, N>& strides, F&& f) {
  const std::size_t ndim = sizes.size();
  for (auto s : sizes) {
    if (s == 0) return;
  }
  offsets<N> off{};
  if (ndim < 2) {
    f(off);
    return;
  }
  const std::size_t outer = ndim - 1;
  std::vector<std::int64_t> index(outer, 0);
  while (true) {
    f(off);
    std::size_t d = outer;
    while (true) {  // odometer increment from the innermost outer dim
      if (d == 0) return;
      --d;
      if (++index[d] < sizes[d]) {
        for (std::size_t k = 0; k < N; ++k) off[k] += strides[k][d];
        break;
      }
      for (std::size_t k = 0; k < N; ++k) off[k] -= strides[k][d] * (sizes[d] - 1);
      index[d] = 0;
    }
  }
}

/// Calls `f(offsets)` for every multi-index of `sizes` in row-major order (once for 0 dims,
/// never when some size is 0).
template <std::size_t N, class F>
void for_each_offsets(IntArrayRef sizes, const std::array<IntArrayRef, N>& strides, F&& f) {
  if (sizes.empty()) {
    f(offsets<N>{});
    return;
  }
  const std::size_t last = sizes.size() - 1;
  const std::int64_t n = sizes[last];
  offsets<N> step{};
  for (std::size_t k = 0; k < N; ++k) step[k] = strides[k][last];
  for_each_row<N>(sizes, strides, [&](offsets<N> off) {
    for (std::int64_t i = 0; i < n; ++i) {
      f(static_cast<const offsets<N>&>(off));
      for (std::size_t k = 0; k < N; ++k) off[k] += step[k];
    }
  });
}

}  // namespace typegrad::kernels::loop
