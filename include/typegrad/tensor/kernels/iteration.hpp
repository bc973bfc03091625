#pragma once
/// \file tensor/kernels/iteration.hpp
/// The order an elementwise loop visits elements in, as ATen's TensorIterator chooses it: dims
/// sorted by the operands' strides (so a transposed operand is read in memory order and its
/// result gets the same transposed layout), then merged where every operand allows, leaving
/// one innermost run per outer index. Pure geometry: no dtypes.
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include <typegrad/tensor/geometry.hpp>
#include <typegrad/tensor/int_array_ref.hpp>

namespace typegrad::kernels::detail {

using typegrad::detail::dim_vector;

/// The dims of `shape` from the fastest-varying to the slowest (ATen's reorder_dimensions):
/// for each pair of dims the first operand that tells them apart decides: the smaller stride
/// is faster; equal strides put the smaller size first; a stride of 0 (broadcast) has no say.
/// `strides` are the operands' strides broadcast to `shape`, most important operand first.
inline std::vector<std::size_t> iteration_order(IntArrayRef shape, std::span<const dim_vector> strides) {
  const std::size_t ndim = shape.size();
  std::vector<std::size_t> perm(ndim);
  for (std::size_t i = 0; i < ndim; ++i) perm[i] = ndim - 1 - i;  // row-major: the last dim is fastest
  // 1 when dim0 should come after dim1, -1 when before, 0 when no operand can tell.
  const auto should_swap = [&](std::size_t dim0, std::size_t dim1) {
    for (const auto& s : strides) {
      const std::int64_t stride0 = s[dim0];
      const std::int64_t stride1 = s[dim1];
      if (stride0 == 0 || stride1 == 0) continue;
      if (stride0 < stride1) return -1;
      if (stride0 > stride1) return 1;
      if (shape[dim0] > shape[dim1]) return 1;
    }
    return 0;
  };
  for (std::size_t i = 1; i < ndim; ++i) {  // insertion sort tolerant of ambiguous comparisons
    std::size_t dim1 = i;
    for (std::size_t dim0 = i; dim0-- > 0;) {
      const int c = should_swap(perm[dim0], perm[dim1]);
      if (c > 0) {
        std::swap(perm[dim0], perm[dim1]);
        dim1 = dim0;
      } else if (c < 0) {
        break;
      }
    }
  }
  return perm;
}

/// The strides a new output of `shape` gets when the loop runs in `order` (fastest first):
/// dense in that order, so the loop writes it sequentially (row-major when `order` is).
inline dim_vector strides_in_order(IntArrayRef shape, const std::vector<std::size_t>& order) {
  const std::size_t ndim = shape.size();
  bool row_major = true;
  for (std::size_t i = 0; i < ndim; ++i) row_major = row_major && order[i] == ndim - 1 - i;
  if (row_major) return typegrad::detail::contiguous_strides(shape);
  dim_vector strides(ndim);
  std::int64_t next = 1;
  for (const std::size_t d : order) {
    strides[d] = next;
    next *= shape[d];
  }
  return strides;
}

/// N operands' strides over a shape, both in loop order (dim 0 is the fastest) and merged.
template <std::size_t N> struct loop_geometry {
  dim_vector shape;
  std::array<dim_vector, N> strides;
};

/// The geometry of a loop over `shape` in `order` reading operands with these `strides`
/// (each broadcast to `shape`), with adjacent dims merged where every operand steps through
/// them as through one dim (ATen's coalesce_dimensions).
template <std::size_t N>
loop_geometry<N> make_loop_geometry(IntArrayRef shape, const std::array<dim_vector, N>& strides,
                                    const std::vector<std::size_t>& order) {
  loop_geometry<N> g;
  const std::size_t ndim = shape.size();
  g.shape.resize(ndim);
  for (std::size_t i = 0; i < ndim; ++i) g.shape[i] = shape[order[i]];
  for (std::size_t k = 0; k < N; ++k) {
    g.strides[k].resize(ndim);
    for (std::size_t i = 0; i < ndim; ++i) g.strides[k][i] = strides[k][order[i]];
  }
  if (ndim <= 1) return g;
  const auto can_merge = [&](std::size_t dim0, std::size_t dim1) {
    if (g.shape[dim0] == 1 || g.shape[dim1] == 1) return true;
    for (const auto& s : g.strides) {
      if (g.shape[dim0] * s[dim0] != s[dim1]) return false;
    }
    return true;
  };
  const auto take_stride = [&](std::size_t to, std::size_t from) {
    for (auto& s : g.strides) s[to] = s[from];
  };
  std::size_t prev = 0;
  for (std::size_t dim = 1; dim < ndim; ++dim) {
    if (can_merge(prev, dim)) {
      if (g.shape[prev] == 1) take_stride(prev, dim);
      g.shape[prev] *= g.shape[dim];
    } else {
      ++prev;
      if (prev != dim) {
        take_stride(prev, dim);
        g.shape[prev] = g.shape[dim];
      }
    }
  }
  g.shape.resize(prev + 1);
  for (auto& s : g.strides) s.resize(prev + 1);
  return g;
}

/// Calls `run(offsets, n, steps)` for each innermost run of the loop: `offsets[k]` is operand
/// k's first element of the run and `steps[k]` its stride along it (both in elements), `n` the
/// run's length. Runs come in loop order; nothing is called for an empty shape.
template <std::size_t N, class F> void for_each_run(const loop_geometry<N>& g, F&& run) {
  std::array<std::int64_t, N> offsets{};
  std::array<std::int64_t, N> steps{};
  const std::size_t ndim = g.shape.size();
  if (typegrad::detail::numel_of(g.shape) == 0) return;
  if (ndim == 0) {
    run(offsets, std::int64_t{1}, steps);
    return;
  }
  for (std::size_t k = 0; k < N; ++k) steps[k] = g.strides[k][0];
  dim_vector index(ndim, 0);
  while (true) {
    run(offsets, g.shape[0], steps);
    std::size_t d = 1;
    for (; d < ndim; ++d) {  // odometer over the outer dims
      for (std::size_t k = 0; k < N; ++k) offsets[k] += g.strides[k][d];
      if (++index[d] < g.shape[d]) break;
      for (std::size_t k = 0; k < N; ++k) offsets[k] -= g.strides[k][d] * g.shape[d];
      index[d] = 0;
    }
    if (d == ndim) return;
  }
}

}  // namespace typegrad::kernels::detail
