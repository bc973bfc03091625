#pragma once
/// \file tensor/kernels/overlap.hpp
/// Memory overlap between a written tensor and what the operation reads, as ATen's
/// MemOverlap checks it, with torch's error texts; plus the conservative test the kernels use
/// to decide that an output must be computed aside and copied in.
///
///     x.narrow(0, 1, 3) += x.narrow(0, 0, 3)   -> throws (the elements are shifted by one)
///     x += x                                   -> fine (each element reads itself)
#include <cstdint>
#include <utility>

#include <typegrad/error.hpp>
#include <typegrad/tensor/geometry.hpp>
#include <typegrad/tensor/tensor.hpp>

namespace typegrad::kernels::detail {

using typegrad::detail::dim_vector;

/// Throws torch's text when a dim of `out` repeats elements (stride 0 over size > 1, as in an
/// expanded tensor): writing it would store several results into one element.
inline void assert_no_internal_overlap(const Tensor& out) {
  const auto& i = *out.unsafe_get_impl();
  if (typegrad::detail::is_non_overlapping_and_dense(i.sizes, i.strides)) return;
  for (std::size_t d = 0; d < i.sizes.size(); ++d) {
    if (i.strides[d] == 0 && i.sizes[d] > 1) {
      throw Error("unsupported operation: more than one element of the written-to tensor refers to a single memory "
                  "location. Please clone() the tensor before performing the operation.");
    }
  }
}

/// First and one-past-last element offset (in elements of the storage) `t` touches.
inline std::pair<std::int64_t, std::int64_t> element_extent(const typegrad::detail::TensorImpl& t) {
  std::int64_t lo = t.storage_offset, hi = t.storage_offset;
  for (std::size_t d = 0; d < t.sizes.size(); ++d) {
    const std::int64_t span = (t.sizes[d] - 1) * t.strides[d];
    (span < 0 ? lo : hi) += span;
  }
  return {lo, hi + 1};
}

/// Throws torch's text when `out` and `in` are dense and share memory without being the same
/// elements in the same layout (ATen's assert_no_partial_overlap). Layouts too irregular to
/// judge pass, as in ATen (the kernels then compute aside, see `must_compute_aside`).
inline void assert_no_partial_overlap(const Tensor& out, const Tensor& in) {
  const auto& o = *out.unsafe_get_impl();
  const auto& i = *in.unsafe_get_impl();
  if (&o == &i || o.storage != i.storage) return;
  if (typegrad::detail::numel_of(o.sizes) == 0 || typegrad::detail::numel_of(i.sizes) == 0) return;
  if (!typegrad::detail::is_non_overlapping_and_dense(o.sizes, o.strides) ||
      !typegrad::detail::is_non_overlapping_and_dense(i.sizes, i.strides)) {
    return;
  }
  // Byte ranges: the dtypes may differ.
  const auto bytes = [](const typegrad::detail::TensorImpl& t) {
    const auto begin = t.storage_offset * static_cast<std::int64_t>(element_size(t.dtype));
    return std::pair{begin, begin + typegrad::detail::numel_of(t.sizes) * static_cast<std::int64_t>(element_size(t.dtype))};
  };
  const auto [ob, oe] = bytes(o);
  const auto [ib, ie] = bytes(i);
  const bool full = ob == ib && oe == ie && o.strides == i.strides;
  if (!full && ob < ie && ib < oe) {
    throw Error("unsupported operation: some elements of the input tensor and the written-to tensor refer to a single "
                "memory location. Please clone() the tensor before performing the operation.");
  }
}

/// True unless writing `out` element by element cannot change an element of `in` before it
/// is read: `in` is in other memory, or reads exactly the element it writes (same dtype,
/// offset and strides as broadcast to out's shape, `in_strides`).
inline bool must_compute_aside(const Tensor& out, const Tensor& in, const dim_vector& in_strides) {
  const auto& o = *out.unsafe_get_impl();
  const auto& i = *in.unsafe_get_impl();
  if (o.storage != i.storage) return false;
  if (typegrad::detail::numel_of(o.sizes) == 0) return false;
  if (o.dtype == i.dtype && o.storage_offset == i.storage_offset && o.strides == in_strides) return false;
  const auto es_o = static_cast<std::int64_t>(element_size(o.dtype));
  const auto es_i = static_cast<std::int64_t>(element_size(i.dtype));
  const auto [olo, ohi] = element_extent(o);
  const auto [ilo, ihi] = element_extent(i);
  return olo * es_o < ihi * es_i && ilo * es_i < ohi * es_o;  // byte ranges intersect
}

}  // namespace typegrad::kernels::detail
