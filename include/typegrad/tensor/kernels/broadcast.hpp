#pragma once
/// \file tensor/kernels/broadcast.hpp
/// Broadcasting, as ATen does it: the common shape of two shapes (torch.broadcast_shapes,
/// with torch's error text) and the strides that read a tensor as if expanded to a shape.
///
///     tg::kernels::broadcast_shapes({3, 1}, {4});   // {3, 4}
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <typegrad/error.hpp>
#include <typegrad/tensor/geometry.hpp>
#include <typegrad/tensor/int_array_ref.hpp>

namespace typegrad::kernels {

/// The shape both `a` and `b` broadcast to (ATen's infer_size): shapes are aligned at their
/// last dim; a dim of size 1 (or a missing leading dim) takes the other's size.
inline std::vector<std::int64_t> broadcast_shapes(IntArrayRef a, IntArrayRef b) {
  const std::size_t n = std::max(a.size(), b.size());
  std::vector<std::int64_t> shape(n);
  for (std::size_t i = n; i-- > 0;) {
    const std::size_t from_end = n - 1 - i;
    const std::int64_t size_a = from_end < a.size() ? a[a.size() - 1 - from_end] : 1;
    const std::int64_t size_b = from_end < b.size() ? b[b.size() - 1 - from_end] : 1;
    if (size_a != size_b && size_a != 1 && size_b != 1) {
      throw Error("The size of tensor a (" + std::to_string(size_a) + ") must match the size of tensor b (" +
                  std::to_string(size_b) + ") at non-singleton dimension " + std::to_string(i));
    }
    shape[i] = size_a == 1 ? size_b : size_a;
  }
  return shape;
}

namespace detail {

/// Strides (in elements) that read a tensor of `sizes`/`strides` as the broadcast `shape`
/// (which `sizes` must broadcast to): 0 for new leading dims and for size-1 dims that were
/// stretched (ATen's TensorIterator compute_strides).
inline typegrad::detail::dim_vector broadcast_strides(IntArrayRef sizes, IntArrayRef strides, IntArrayRef shape) {
  typegrad::detail::dim_vector out(shape.size(), 0);
  const std::size_t offset = shape.size() - sizes.size();
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    out[offset + i] = sizes[i] == 1 && shape[offset + i] != 1 ? 0 : strides[i];
  }
  return out;
}

}  // namespace detail
}  // namespace typegrad::kernels
