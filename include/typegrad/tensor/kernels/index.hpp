#pragma once
/// \file tensor/kernels/index.hpp
/// Raw indexing kernels of the dynamic layer (no autograd; the engine wraps them):
/// `index_select`, `index_add`, `gather`, `scatter_add`, `cat`, `stack`. Out of place: every
/// result is a new contiguous tensor, inputs may have any strides. Index tensors are kLong;
/// checks, their order and their texts follow torch (current torch where it differs from 1.13).
///
///     namespace K = tg::kernels;
///     K::index_select(x, 1, tg::tensor({2, 0}));           // columns 2 and 0
///     K::index_add(tg::zeros({3}), 0, idx, src);          // the backward of index_select
///     K::gather(x, 1, idx2d);  K::scatter_add(zeros, 1, idx2d, src);
///     K::cat({a, b}, 0);  K::stack({a, b}, 1);
#include <algorithm>
#include <array>
#include <complex>
#include <cstddef>
#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

#include <typegrad/error.hpp>
#include <typegrad/tensor/convert.hpp>
#include <typegrad/tensor/dtype.hpp>
#include <typegrad/tensor/geometry.hpp>
#include <typegrad/tensor/int_array_ref.hpp>
#include <typegrad/tensor/kernels/strided_loop.hpp>
#include <typegrad/tensor/raw.hpp>
#include <typegrad/tensor/tensor.hpp>

namespace typegrad::kernels {
namespace index_impl {

using typegrad::detail::dim_vector;
using typegrad::detail::format_int_list;

/// A 0-d tensor as [1], others unchanged: the indexing ops treat a scalar as one element along
/// dim 0 (torch's ensure_nonempty_dim / ensure_nonempty_size).
inline Tensor at_least_1d(const Tensor& t) { return t.dim() == 0 ? raw::view(t, {1}) : t; }
inline std::int64_t nonempty_dim(const Tensor& t) { return std::max<std::int64_t>(t.dim(), 1); }
inline std::int64_t nonempty_size(const Tensor& t, std::int64_t d) { return t.dim() == 0 ? 1 : t.size(d); }

/// The strides with the one of `dim` replaced.
inline dim_vector with_stride(dim_vector strides, std::int64_t dim, std::int64_t stride) {
  strides[static_cast<std::size_t>(dim)] = stride;
  return strides;
}

/// The values of a kLong index tensor of any layout, in row-major order.
inline std::vector<std::int64_t> index_values(const Tensor& index) {
  std::vector<std::int64_t> values;
  values.reserve(static_cast<std::size_t>(index.numel()));
  const std::int64_t* p = index.data_ptr<std::int64_t>();
  const auto sizes = index.sizes();
  const auto strides = index.strides();
  loop::for_each_offsets<1>(sizes, {strides}, [&](const auto& off) { values.push_back(p[off[0]]); });
  return values;
}

/// o += s in the element type (Half/BFloat16 computed in float, Bool as `or`).
template <class T> void add_into(T& o, const T& s) {
  if constexpr (std::is_same_v<T, bool>) o = o || s;
  else o = typegrad::detail::convert<T>(typegrad::detail::widen(o) + typegrad::detail::widen(s));
}

/// A contiguous copy of `t` in new memory (raw::contiguous returns a contiguous `t` itself).
inline Tensor fresh_copy(const Tensor& t) {
  Tensor out = Tensor::empty_contiguous(t.sizes(), t.dtype(), /*zero_fill=*/false);
  raw::copy_elements(out, t);
  return out;
}

inline std::string index_bounds_error(std::int64_t index, std::int64_t dim, std::int64_t size) {
  return "index " + std::to_string(index) + " is out of bounds for dimension " + std::to_string(dim) + " with size " +
         std::to_string(size);
}

}  // namespace index_impl

/// torch.index_select: the slices of `a` at positions `index` (kLong, 1-d or 0-d) along `dim`,
/// in that order, as a new contiguous tensor (a's sizes with size(dim) = index.numel()).
/// Negative positions are out of range, as in torch.
inline Tensor index_select(const Tensor& a, std::int64_t dim, const Tensor& index) {
  const std::int64_t d = typegrad::detail::wrap_dim(dim, a.dim());
  const std::int64_t n = index.numel();
  if (index.dim() > 1) throw Error("index_select(): Index is supposed to be a vector");
  if (a.dim() == 0 && n != 1) {
    throw Error("index_select(): Index to scalar can have only 1 value, got " + std::to_string(n) + " value(s)");
  }
  if (index.dtype() != kLong) throw Error("index_select(): Expected dtype int32 or int64 for index");
  auto sizes = a.sizes();
  if (a.dim() > 0) sizes[static_cast<std::size_t>(d)] = n;
  Tensor out = Tensor::empty_contiguous(sizes, a.dtype(), /*zero_fill=*/false);  // every element is copied
  if (a.dim() > 1 && n == 0) return out;
  if (a.dim() > 1 && a.numel() == 0 && a.size(d) == 0) {
    throw Error("index_select(): self indexing axis dim should be positive");
  }
  const auto positions = index_impl::index_values(index);
  const std::int64_t bound = index_impl::nonempty_size(a, d);
  for (auto i : positions) {
    if (i < 0 || i >= bound) throw Error("index out of range in self");
  }
  if (out.numel() == 0) return out;
  // Walk the result; a's offset leaves out `dim`, whose position comes from the index.
  const Tensor src = index_impl::at_least_1d(a);
  const Tensor dst = index_impl::at_least_1d(out);
  const auto out_sizes = dst.sizes(), out_strides = dst.strides();
  const auto src_strides = index_impl::with_stride(src.strides(), d, 0);
  const auto position_strides = index_impl::with_stride(typegrad::detail::dim_vector(out_sizes.size(), 0), d, 1);
  const std::int64_t step = src.stride(d);
  visit(a.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    T* o = dst.data_ptr<T>();
    const T* s = src.data_ptr<T>();
    loop::for_each_offsets<3>(out_sizes, {out_strides, src_strides, position_strides}, [&](const auto& off) {
      o[off[0]] = s[off[1] + positions[static_cast<std::size_t>(off[2])] * step];
    });
  });
  return out;
}

/// torch.index_add (out of place): a copy of `self` with source's slice i along `dim` added to
/// self's slice index[i] (repeated positions accumulate). `index` is kLong, 1-d or 0-d, with
/// source.size(dim) elements; self and source have the same dtype and the same sizes apart
/// from `dim` (current torch's check).
inline Tensor index_add(const Tensor& self, std::int64_t dim, const Tensor& index, const Tensor& source) {
  const std::int64_t d = typegrad::detail::wrap_dim(dim, self.dim());
  const std::int64_t n = index.numel();
  if (index.dim() > 1) {
    throw Error("index_add_(): Index is supposed to be a vector, but got dim: " + std::to_string(index.dim()) +
                " with type: " + std::string(scalar_type_name(index.dtype())) + " and size: " +
                typegrad::detail::format_int_list(index.sizes()));
  }
  if (index.dtype() != kLong) {
    throw Error("index_add_(): Expected dtype int32/int64 for index but got: " +
                std::string(scalar_type_name(index.dtype())));
  }
  if (self.dtype() != source.dtype()) {
    throw Error("index_add_(): self (" + std::string(scalar_type_name(self.dtype())) + ") and source (" +
                std::string(scalar_type_name(source.dtype())) + ") must have the same scalar type");
  }
  if (!(d == 0 || d < source.dim())) {
    throw Error("index_add_(): Indexing dim " + std::to_string(d) + " is out of bounds of the source tensor with dim " +
                std::to_string(source.dim()));
  }
  if (n != index_impl::nonempty_size(source, d)) {
    // torch builds this message with source.size(dim), which throws first for a 0-d source.
    if (source.dim() == 0) throw Error("Dimension specified as 0 but tensor has no dimensions");
    throw Error("index_add_(): Number of indices (" + std::to_string(n) + ") should be equal to source.size(dim): (" +
                std::to_string(source.size(d)) + "), for dim: " + std::to_string(d));
  }
  auto self_slice = self.sizes();
  auto source_slice = source.sizes();
  if (self.dim() != 0 && source.dim() != 0) {
    self_slice.erase(self_slice.begin() + d);
    source_slice.erase(source_slice.begin() + d);
  }
  if (self_slice != source_slice) {
    throw Error("source tensor shape must match self tensor shape, excluding the specified dimension. Got self.shape = " +
                typegrad::detail::format_int_list(self.sizes()) + " source.shape = " + typegrad::detail::format_int_list(source.sizes()));
  }
  const auto positions = index_impl::index_values(index);
  const std::int64_t bound = index_impl::nonempty_size(self, d);
  for (auto i : positions) {
    if (i < 0 || i >= bound) throw Error("index out of range in self");
  }
  Tensor out = index_impl::fresh_copy(self);
  if (source.numel() == 0) return out;
  // Walk source; out's offset leaves out `dim`, whose position comes from the index.
  const Tensor dst = index_impl::at_least_1d(out);
  const Tensor src = index_impl::at_least_1d(source);
  const auto src_sizes = src.sizes(), src_strides = src.strides();
  const auto dst_strides = index_impl::with_stride(dst.strides(), d, 0);
  const auto position_strides = index_impl::with_stride(typegrad::detail::dim_vector(src_sizes.size(), 0), d, 1);
  const std::int64_t step = dst.stride(d);
  visit(self.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    T* o = dst.data_ptr<T>();
    const T* s = src.data_ptr<T>();
    loop::for_each_offsets<3>(src_sizes, {src_strides, dst_strides, position_strides}, [&](const auto& off) {
      index_impl::add_into(o[off[1] + positions[static_cast<std::size_t>(off[2])] * step], s[off[0]]);
    });
  });
  return out;
}

/// torch.gather: out[i][j][k] = a[index[i][j][k]][j][k] for dim 0 (likewise for other dims); the
/// result has index's sizes and a's dtype. `index` is kLong with a's number of dims and sizes no
/// larger than a's apart from `dim`.
inline Tensor gather(const Tensor& a, std::int64_t dim, const Tensor& index) {
  const std::int64_t d = typegrad::detail::wrap_dim(dim, a.dim());
  const bool empty = index.numel() == 0;
  if (!empty && index.dtype() != kLong) throw Error("gather(): Expected dtype int64 for index");
  Tensor out = Tensor::empty_contiguous(index.sizes(), a.dtype(), /*zero_fill=*/false);  // every element is gathered
  if (empty) return out;
  if (index_impl::nonempty_dim(a) != index_impl::nonempty_dim(index)) {
    throw Error("Index tensor must have the same number of dimensions as input tensor");
  }
  for (std::int64_t i = 0; i < index_impl::nonempty_dim(a); ++i) {
    if (i != d && index_impl::nonempty_size(index, i) > index_impl::nonempty_size(a, i)) {
      throw Error("Size does not match at dimension " + std::to_string(i) + " expected index " +
                  typegrad::detail::format_int_list(index.sizes()) + " to be smaller than self " + typegrad::detail::format_int_list(a.sizes()) +
                  " apart from dimension " + std::to_string(d));
    }
  }
  const Tensor src = index_impl::at_least_1d(a);
  const Tensor idx = index_impl::at_least_1d(index);
  const Tensor dst = index_impl::at_least_1d(out);
  const std::int64_t bound = src.size(d), step = src.stride(d);
  const auto sizes = idx.sizes(), out_strides = dst.strides(), idx_strides = idx.strides();
  const auto src_strides = index_impl::with_stride(src.strides(), d, 0);
  const std::int64_t* ip = idx.data_ptr<std::int64_t>();
  visit(a.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    T* o = dst.data_ptr<T>();
    const T* s = src.data_ptr<T>();
    loop::for_each_offsets<3>(sizes, {out_strides, src_strides, idx_strides}, [&](const auto& off) {
      const std::int64_t i = ip[off[2]];
      if (i < 0 || i >= bound) throw Error(index_impl::index_bounds_error(i, d, bound));
      o[off[0]] = s[off[1] + i * step];
    });
  });
  return out;
}

/// torch.scatter_add (out of place): a copy of `self` to which src[i][j][k] is added at
/// [index[i][j][k]][j][k] for dim 0 (likewise for other dims), over the elements of `index`.
/// self and src have the same dtype; index (kLong) has self's number of dims and sizes no
/// larger than self's (apart from `dim`) and than src's.
inline Tensor scatter_add(const Tensor& self, std::int64_t dim, const Tensor& index, const Tensor& src) {
  const std::int64_t d = typegrad::detail::wrap_dim(dim, self.dim());
  const bool empty = index.numel() == 0;
  if (!empty && index.dtype() != kLong) throw Error("scatter(): Expected dtype int64 for index");
  if (self.dtype() != src.dtype()) throw Error("scatter(): Expected self.dtype to be equal to src.dtype");
  if (!empty) {
    if (index_impl::nonempty_dim(self) != index_impl::nonempty_dim(index)) {
      throw Error("Index tensor must have the same number of dimensions as self tensor");
    }
    bool wrong_shape = false;
    for (std::int64_t i = 0; i < index_impl::nonempty_dim(self) && !wrong_shape; ++i) {
      wrong_shape = i != d && index_impl::nonempty_size(index, i) > index_impl::nonempty_size(self, i);
    }
    for (std::int64_t i = 0; i < index_impl::nonempty_dim(self) && !wrong_shape; ++i) {
      wrong_shape = index_impl::nonempty_size(index, i) > index_impl::nonempty_size(src, i);
    }
    if (wrong_shape) {
      throw Error("Expected index " + typegrad::detail::format_int_list(index.sizes()) + " to be smaller than self " +
                  typegrad::detail::format_int_list(self.sizes()) + " apart from dimension " + std::to_string(d) +
                  " and to be smaller size than src " + typegrad::detail::format_int_list(src.sizes()));
    }
  }
  Tensor out = index_impl::fresh_copy(self);
  if (empty) return out;
  const Tensor dst = index_impl::at_least_1d(out);
  const Tensor idx = index_impl::at_least_1d(index);
  const Tensor from = index_impl::at_least_1d(src);
  const std::int64_t bound = dst.size(d), step = dst.stride(d);
  const auto sizes = idx.sizes(), idx_strides = idx.strides();
  const auto dst_strides = index_impl::with_stride(dst.strides(), d, 0);
  // src is read at index's multi-indices: its leading index.dim() strides.
  const auto all_src_strides = from.strides();
  const typegrad::detail::dim_vector src_strides(all_src_strides.begin(), all_src_strides.begin() + static_cast<std::ptrdiff_t>(sizes.size()));
  const std::int64_t* ip = idx.data_ptr<std::int64_t>();
  visit(self.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    T* o = dst.data_ptr<T>();
    const T* s = from.data_ptr<T>();
    loop::for_each_offsets<3>(sizes, {dst_strides, idx_strides, src_strides}, [&](const auto& off) {
      const std::int64_t i = ip[off[1]];
      if (i < 0 || i >= bound) throw Error(index_impl::index_bounds_error(i, d, bound));
      index_impl::add_into(o[off[0] + i * step], s[off[2]]);
    });
  });
  return out;
}

/// torch.cat: the tensors joined along `dim`, in the promoted dtype of all of them. As torch,
/// 1-d empty tensors (legacy "no data" tensors) are skipped whatever their shape, and `dim` is
/// wrapped against the first tensor that is not skipped.
inline Tensor cat(const std::vector<Tensor>& tensors, std::int64_t dim) {
  if (tensors.empty()) throw Error("torch.cat(): expected a non-empty list of Tensors");
  for (std::size_t i = 0; i < tensors.size(); ++i) {
    if (tensors[i].dim() == 0) {
      throw Error("zero-dimensional tensor (at position " + std::to_string(i) + ") cannot be concatenated");
    }
  }
  ScalarType dtype = tensors[0].dtype();
  for (const auto& t : tensors) dtype = promote_types(dtype, t.dtype());
  const auto skipped = [](const Tensor& t) { return t.dim() == 1 && t.numel() == 0; };
  const auto first = std::find_if_not(tensors.begin(), tensors.end(), skipped);
  if (first == tensors.end()) return Tensor::empty_contiguous({0}, dtype);
  const Tensor& model = *first;
  const std::int64_t d = typegrad::detail::wrap_dim(dim, model.dim());
  std::int64_t total = 0;
  for (std::size_t i = 0; i < tensors.size(); ++i) {
    const Tensor& t = tensors[i];
    if (skipped(t)) continue;
    if (t.dim() != model.dim()) {
      throw Error("Tensors must have same number of dimensions: got " + std::to_string(model.dim()) + " and " +
                  std::to_string(t.dim()));
    }
    for (std::int64_t k = 0; k < model.dim(); ++k) {
      if (k != d && t.size(k) != model.size(k)) {
        throw Error("Sizes of tensors must match except in dimension " + std::to_string(d) + ". Expected size " +
                    std::to_string(model.size(k)) + " but got size " + std::to_string(t.size(k)) +
                    " for tensor number " + std::to_string(i) + " in the list.");
      }
    }
    total += t.size(d);
  }
  auto sizes = model.sizes();
  sizes[static_cast<std::size_t>(d)] = total;
  Tensor out = Tensor::empty_contiguous(sizes, dtype, /*zero_fill=*/false);  // the inputs cover it
  std::int64_t offset = 0;
  for (const auto& t : tensors) {
    if (skipped(t)) continue;
    const std::int64_t n = t.size(d);
    raw::copy_elements(raw::narrow(out, d, offset, n), t);  // converts to dtype
    offset += n;
  }
  return out;
}

/// torch.stack: the tensors (all of one size) joined along a new dim `dim` (in [-dim()-1,
/// dim()]), in their promoted dtype.
inline Tensor stack(const std::vector<Tensor>& tensors, std::int64_t dim) {
  if (tensors.empty()) throw Error("stack expects a non-empty TensorList");
  const std::int64_t d = typegrad::detail::wrap_dim(dim, tensors[0].dim() + 1);
  const auto sizes = tensors[0].sizes();
  std::vector<Tensor> unsqueezed;
  unsqueezed.reserve(tensors.size());
  for (std::size_t i = 0; i < tensors.size(); ++i) {
    if (tensors[i].sizes() != sizes) {
      throw Error("stack expects each tensor to be equal size, but got " + typegrad::detail::format_int_list(sizes) +
                  " at entry 0 and " + typegrad::detail::format_int_list(tensors[i].sizes()) + " at entry " +
                  std::to_string(i));
    }
    unsqueezed.push_back(raw::unsqueeze(tensors[i], d));
  }
  return kernels::cat(unsqueezed, d);
}

}  // namespace typegrad::kernels
