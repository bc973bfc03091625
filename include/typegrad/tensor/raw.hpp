#pragma once
/// \file tensor/raw.hpp
/// History-free views and copies: what kernels and backward formulas use underneath the
/// differentiable Tensor members (`t.view(...)` records ViewBackward0; `raw::view(t, ...)`
/// only makes the alias). Views share storage and version counter with their base.
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <typegrad/config.hpp>
#include <typegrad/error.hpp>
#include <typegrad/tensor/convert.hpp>
#include <typegrad/tensor/geometry.hpp>
#include <typegrad/tensor/kernels/strided_loop.hpp>
#include <typegrad/tensor/tensor.hpp>

namespace typegrad::raw {

inline const detail::TensorImpl& checked_impl(const Tensor& t, const char* what) {
  if (!t.defined()) throw Error(std::string(what) + "() called on an undefined Tensor");
  return *t.unsafe_get_impl();
}
inline std::int64_t rank(const detail::TensorImpl& i) noexcept { return static_cast<std::int64_t>(i.sizes.size()); }

/// A new handle on self's memory with the given geometry (no autograd state).
inline Tensor alias(const Tensor& self, detail::dim_vector sizes, detail::dim_vector strides, std::int64_t offset) {
  const auto& base = *self.unsafe_get_impl();
  auto v = std::make_shared<detail::TensorImpl>();
  v->storage = base.storage;
  v->version_counter = base.version_counter;
  v->sizes = std::move(sizes);
  v->strides = std::move(strides);
  v->storage_offset = offset;
  v->dtype = base.dtype;
  v->is_inference = base.is_inference;
  return Tensor(std::move(v));
}

/// dst[...] = convert(src[...]) elementwise; same sizes, any strides and dtypes. The one
/// strided copy of the dynamic layer (views to new memory, dtype casts, index kernels).
/// A kernel of every dtype pair: compiled once under TYPEGRAD_SEPARATE_COMPILATION.
TYPEGRAD_KERNEL_FUNC void copy_elements(const Tensor& dst, const Tensor& src);
#if !TYPEGRAD_KERNELS_ELSEWHERE
TYPEGRAD_KERNEL_FUNC void copy_elements(const Tensor& dst, const Tensor& src) {
  const auto& d = *dst.unsafe_get_impl();
  const auto& s = *src.unsafe_get_impl();
  visit(d.dtype, [&](auto dtag) {
    using D = typename decltype(dtag)::type;
    visit(s.dtype, [&](auto stag) {
      using S = typename decltype(stag)::type;
      D* out = reinterpret_cast<D*>(d.storage->data()) + d.storage_offset;
      const S* in = reinterpret_cast<const S*>(s.storage->data()) + s.storage_offset;
      kernels::loop::for_each_offsets<2>(d.sizes, {IntArrayRef(d.strides), IntArrayRef(s.strides)},
                                         [&](const auto& off) { out[off[0]] = detail::convert<D>(in[off[1]]); });
    });
  });
}
#endif

/// A copy as dtype `t` with the layout clone() keeps (torch's preserve_format).
inline Tensor copy_as(const Tensor& self, ScalarType t) {
  const auto& i = checked_impl(self, "clone");
  Tensor out = Tensor::empty_strided(i.sizes, detail::preserved_strides(i.sizes, i.strides), t, /*zero_fill=*/false);
  copy_elements(out, self);
  return out;
}
inline Tensor clone(const Tensor& self) { return copy_as(self, self.dtype()); }
inline Tensor contiguous(const Tensor& self) {
  if (self.is_contiguous()) return self;
  const auto& i = checked_impl(self, "contiguous");
  Tensor out = Tensor::empty_contiguous(i.sizes, i.dtype, /*zero_fill=*/false);
  copy_elements(out, self);
  return out;
}
inline Tensor to(const Tensor& self, ScalarType t) { return t == self.dtype() ? self : copy_as(self, t); }
/// The same data as a new handle without history (torch's detach, minus the autograd part).
inline Tensor detach(const Tensor& self) {
  const auto& i = checked_impl(self, "detach");
  return alias(self, i.sizes, i.strides, i.storage_offset);
}

/// Same data, new sizes (one may be -1); throws when the strides do not allow it.
inline Tensor view(const Tensor& self, IntArrayRef shape) {
  const auto& i = checked_impl(self, "view");
  const auto new_sizes = detail::infer_size(shape, detail::numel_of(i.sizes));
  auto strides = detail::view_strides(i.sizes, i.strides, new_sizes);
  if (!strides) {
    throw Error("view size is not compatible with input tensor's size and stride (at least one dimension spans "
                "across two contiguous subspaces). Use .reshape(...) instead.");
  }
  return alias(self, new_sizes, *strides, i.storage_offset);
}
/// A view when possible, else a view of a contiguous copy.
inline Tensor reshape(const Tensor& self, IntArrayRef shape) {
  const auto& i = checked_impl(self, "reshape");
  const auto new_sizes = detail::infer_size(shape, detail::numel_of(i.sizes));
  if (auto strides = detail::view_strides(i.sizes, i.strides, new_sizes)) {
    return alias(self, new_sizes, *strides, i.storage_offset);
  }
  return view(contiguous(self), new_sizes);
}
inline Tensor transpose(const Tensor& self, std::int64_t dim0, std::int64_t dim1) {
  const auto& i = checked_impl(self, "transpose");
  const auto d0 = static_cast<std::size_t>(detail::wrap_dim(dim0, rank(i)));
  const auto d1 = static_cast<std::size_t>(detail::wrap_dim(dim1, rank(i)));
  auto sizes = i.sizes;
  auto strides = i.strides;
  if (!sizes.empty()) {
    std::swap(sizes[d0], sizes[d1]);
    std::swap(strides[d0], strides[d1]);
  }
  return alias(self, sizes, strides, i.storage_offset);
}
/// transpose(0, 1) for 2-d, the same tensor's view for 0-d and 1-d.
inline Tensor t(const Tensor& self) {
  const std::int64_t n = self.dim();
  if (n > 2) throw Error("t() expects a tensor with <= 2 dimensions, but self is " + std::to_string(n) + "D");
  return n < 2 ? transpose(self, 0, 0) : transpose(self, 0, 1);
}
inline Tensor permute(const Tensor& self, IntArrayRef dims) {
  const auto& i = checked_impl(self, "permute");
  const std::int64_t n = rank(i);
  if (static_cast<std::int64_t>(dims.size()) != n) {
    throw Error("permute(sparse_coo): number of dimensions in the tensor input does not match the length of the "
                "desired ordering of dimensions i.e. input.dim() = " +
                std::to_string(n) + " is not equal to len(dims) = " + std::to_string(dims.size()));
  }
  detail::dim_vector sizes(dims.size()), strides(dims.size());
  std::vector<bool> seen(dims.size(), false);
  for (std::size_t k = 0; k < dims.size(); ++k) {
    const auto d = static_cast<std::size_t>(detail::wrap_dim(dims[k], n));
    if (seen[d]) throw Error("permute(): duplicate dims are not allowed.");
    seen[d] = true;
    sizes[k] = i.sizes[d];
    strides[k] = i.strides[d];
  }
  return alias(self, sizes, strides, i.storage_offset);
}
/// The slice at `index` of `dim` (that dim removed).
inline Tensor select(const Tensor& self, std::int64_t dim, std::int64_t index) {
  const auto& i = checked_impl(self, "select");
  if (i.sizes.empty()) throw Error("select() cannot be applied to a 0-dim tensor.");
  const auto d = static_cast<std::size_t>(detail::wrap_dim(dim, rank(i)));
  const std::int64_t size = i.sizes[d];
  if (index < -size || index >= size) {
    throw Error("select(): index " + std::to_string(index) + " out of range for tensor of size " +
                detail::format_int_list(i.sizes) + " at dimension " + std::to_string(d));
  }
  if (index < 0) index += size;
  auto sizes = i.sizes;
  auto strides = i.strides;
  const std::int64_t offset = i.storage_offset + index * strides[d];
  sizes.erase(sizes.begin() + static_cast<std::ptrdiff_t>(d));
  strides.erase(strides.begin() + static_cast<std::ptrdiff_t>(d));
  return alias(self, sizes, strides, offset);
}
/// Elements [start, start + length) of `dim` (current torch's checks and texts).
inline Tensor narrow(const Tensor& self, std::int64_t dim, std::int64_t start, std::int64_t length) {
  const auto& i = checked_impl(self, "narrow");
  if (i.sizes.empty()) throw Error("narrow() cannot be applied to a 0-dim tensor.");
  if (length < 0) throw Error("narrow(): length must be non-negative.");
  const auto d = static_cast<std::size_t>(detail::wrap_dim(dim, rank(i)));
  const std::int64_t size = i.sizes[d];
  if (start < -size || start > size) {
    throw Error("start out of range (expected to be in range of [" + std::to_string(-size) + ", " +
                std::to_string(size) + "], but got " + std::to_string(start) + ")");
  }
  if (start < 0) start += size;
  if (start > size - length) {
    throw Error("start (" + std::to_string(start) + ") + length (" + std::to_string(length) +
                ") exceeds dimension size (" + std::to_string(size) + ").");
  }
  auto sizes = i.sizes;
  sizes[d] = length;
  return alias(self, sizes, i.strides, i.storage_offset + start * i.strides[d]);
}
/// Without every size-1 dim.
inline Tensor squeeze(const Tensor& self) {
  const auto& i = checked_impl(self, "squeeze");
  detail::dim_vector sizes, strides;
  for (std::size_t d = 0; d < i.sizes.size(); ++d) {
    if (i.sizes[d] != 1) {
      sizes.push_back(i.sizes[d]);
      strides.push_back(i.strides[d]);
    }
  }
  return alias(self, sizes, strides, i.storage_offset);
}
/// Without `dim` if its size is 1, else the same shape.
inline Tensor squeeze(const Tensor& self, std::int64_t dim) {
  const auto& i = checked_impl(self, "squeeze");
  const auto d = static_cast<std::size_t>(detail::wrap_dim(dim, rank(i)));
  auto sizes = i.sizes;
  auto strides = i.strides;
  if (!sizes.empty() && sizes[d] == 1) {
    sizes.erase(sizes.begin() + static_cast<std::ptrdiff_t>(d));
    strides.erase(strides.begin() + static_cast<std::ptrdiff_t>(d));
  }
  return alias(self, sizes, strides, i.storage_offset);
}
/// A new size-1 dim at `dim` (in [-dim()-1, dim()]).
inline Tensor unsqueeze(const Tensor& self, std::int64_t dim) {
  const auto& i = checked_impl(self, "unsqueeze");
  const auto d = static_cast<std::size_t>(detail::wrap_dim(dim, rank(i) + 1));
  auto sizes = i.sizes;
  auto strides = i.strides;
  const std::int64_t stride = d >= sizes.size() ? 1 : sizes[d] * strides[d];
  sizes.insert(sizes.begin() + static_cast<std::ptrdiff_t>(d), 1);
  strides.insert(strides.begin() + static_cast<std::ptrdiff_t>(d), stride);
  return alias(self, sizes, strides, i.storage_offset);
}
/// Size-1 dims repeated (stride 0) to `sizes`; -1 keeps a size; new dims are prepended.
inline Tensor expand(const Tensor& self, IntArrayRef sizes) {
  const auto& i = checked_impl(self, "expand");
  auto [s, st] = detail::expand_geometry(i.sizes, i.strides, sizes, legacy_tensor_name(i.dtype));
  return alias(self, s, st, i.storage_offset);
}
/// Dims start_dim..end_dim merged into one (a view when the strides allow, as reshape).
inline Tensor flatten(const Tensor& self, std::int64_t start_dim = 0, std::int64_t end_dim = -1) {
  const auto& i = checked_impl(self, "flatten");
  if (i.sizes.empty()) return reshape(self, {1});
  const auto start = static_cast<std::size_t>(detail::wrap_dim(start_dim, rank(i)));
  const auto end = static_cast<std::size_t>(detail::wrap_dim(end_dim, rank(i)));
  if (start > end) throw Error("flatten() has invalid args: start_dim cannot come after end_dim");
  if (start == end) return self;
  detail::dim_vector sizes(i.sizes.begin(), i.sizes.begin() + static_cast<std::ptrdiff_t>(start));
  std::int64_t merged = 1;
  for (std::size_t d = start; d <= end; ++d) merged *= i.sizes[d];
  sizes.push_back(merged);
  sizes.insert(sizes.end(), i.sizes.begin() + static_cast<std::ptrdiff_t>(end) + 1, i.sizes.end());
  return reshape(self, sizes);
}

}  // namespace typegrad::raw
