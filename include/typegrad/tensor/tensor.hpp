#pragma once
/// \file tensor/tensor.hpp
/// tg::Tensor: a cheap handle (one shared_ptr) to a strided, typed view of a shared Storage.
/// Views (`view`, `transpose`, `select`, `expand`, ...) share the storage and the version
/// counter; `clone`, `contiguous` (when needed) and `to` (to another dtype) copy.
///
///     tg::Tensor x = tg::arange(6).view({2, 3});
///     x.t().sizes();                 // {3, 2}, strides {1, 3}, same storage
///     x.select(0, 1).item<std::int64_t>() ...
///
/// `sizes()` and `strides()` return std::vector<std::int64_t> by value: safe on temporaries
/// (`for (auto s : tg::zeros({2, 3}).sizes())`) and comparable with `==`.
///
/// Autograd: only the `requires_grad` flag exists yet. Results of views and copies never
/// require grad here; the engine (grad, grad_fn, hooks) will attach through `autograd_meta`.
#include <complex>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <typegrad/error.hpp>
#include <typegrad/tensor/convert.hpp>
#include <typegrad/tensor/dtype.hpp>
#include <typegrad/tensor/geometry.hpp>
#include <typegrad/tensor/int_array_ref.hpp>
#include <typegrad/tensor/options.hpp>
#include <typegrad/tensor/storage.hpp>

namespace typegrad {

namespace autograd {
/// Gradient state of a tensor (grad, grad_fn, hooks, ...): defined by the autograd engine.
struct AutogradMeta;
}  // namespace autograd

namespace detail {
/// What a Tensor handle points to. Views get their own TensorImpl sharing `storage` and
/// `version_counter` with their base.
struct TensorImpl {
  std::shared_ptr<Storage> storage;
  std::shared_ptr<VersionCounter> version_counter;
  dim_vector sizes;
  dim_vector strides;  // in elements
  std::int64_t storage_offset = 0;  // in elements
  ScalarType dtype = default_dtype;
  bool requires_grad = false;
  /// Reserved for the autograd engine; always null until it exists.
  std::shared_ptr<autograd::AutogradMeta> autograd_meta;
};
}  // namespace detail

class Tensor {
 public:
  /// An undefined tensor (`defined()` is false), like a default-constructed at::Tensor.
  Tensor() noexcept = default;
  explicit Tensor(std::shared_ptr<detail::TensorImpl> impl) noexcept : impl_(std::move(impl)) {}

  /// A new zero-filled tensor with the given sizes and strides (the storage just covers them).
  static Tensor empty_strided(IntArrayRef sizes, IntArrayRef strides, ScalarType dtype) {
    detail::check_sizes_nonnegative(sizes);
    std::int64_t extent = 1;  // elements needed: 1 + max offset
    for (std::size_t i = 0; i < sizes.size(); ++i) {
      if (sizes[i] == 0) {
        extent = 0;
        break;
      }
      extent += (sizes[i] - 1) * strides[i];
    }
    auto impl = std::make_shared<detail::TensorImpl>();
    impl->storage = std::make_shared<Storage>(static_cast<std::size_t>(extent) * typegrad::element_size(dtype));
    impl->version_counter = std::make_shared<VersionCounter>();
    impl->sizes = sizes.vec();
    impl->strides = strides.vec();
    impl->dtype = dtype;
    return Tensor(std::move(impl));
  }
  /// A new zero-filled contiguous tensor.
  static Tensor empty_contiguous(IntArrayRef sizes, ScalarType dtype) {
    detail::check_sizes_nonnegative(sizes);
    return empty_strided(sizes, detail::contiguous_strides(sizes), dtype);
  }

  // ---- metadata --------------------------------------------------------------------------
  bool defined() const noexcept { return impl_ != nullptr; }
  std::vector<std::int64_t> sizes() const { return impl("sizes").sizes; }
  std::vector<std::int64_t> strides() const { return impl("strides").strides; }
  /// Size of one dim (negative dims count from the end).
  std::int64_t size(std::int64_t dim) const {
    const auto& i = impl("size");
    return i.sizes[static_cast<std::size_t>(detail::wrap_dim(dim, ndim(i)))];
  }
  std::int64_t stride(std::int64_t dim) const {
    const auto& i = impl("stride");
    return i.strides[static_cast<std::size_t>(detail::wrap_dim(dim, ndim(i)))];
  }
  std::int64_t storage_offset() const { return impl("storage_offset").storage_offset; }
  std::int64_t dim() const { return ndim(impl("dim")); }
  std::int64_t numel() const { return detail::numel_of(impl("numel").sizes); }
  ScalarType dtype() const { return impl("dtype").dtype; }
  ScalarType scalar_type() const { return dtype(); }
  std::size_t element_size() const { return typegrad::element_size(dtype()); }
  bool is_floating_point() const { return typegrad::is_floating_point(dtype()); }
  bool is_complex() const { return typegrad::is_complex(dtype()); }
  bool is_contiguous() const {
    const auto& i = impl("is_contiguous");
    return detail::is_contiguous_layout(i.sizes, i.strides);
  }
  TensorOptions options() const { return TensorOptions().dtype(dtype()); }

  /// The shared memory and version counter (views share both).
  const std::shared_ptr<Storage>& storage() const { return impl("storage").storage; }
  const std::shared_ptr<VersionCounter>& version_counter() const { return impl("version_counter").version_counter; }
  /// Number of in-place modifications of this tensor's data (through any view).
  std::uint32_t _version() const { return version_counter()->version(); }
  /// True when both handles point at the same TensorImpl (torch's `is_same`).
  bool is_same(const Tensor& other) const noexcept { return impl_ == other.impl_; }
  const std::shared_ptr<detail::TensorImpl>& unsafe_get_impl() const noexcept { return impl_; }

  // ---- data ------------------------------------------------------------------------------
  /// Pointer to the first element; throws torch's "expected scalar type Float but found
  /// Double" when T is not the element type.
  template <tensor_element T> T* data_ptr() const {
    const auto& i = impl("data_ptr");
    if (dtype_of<T> != i.dtype) {
      throw Error("expected scalar type " + std::string(scalar_type_name(dtype_of<T>)) + " but found " +
                  std::string(scalar_type_name(i.dtype)));
    }
    return reinterpret_cast<T*>(i.storage->data()) + i.storage_offset;
  }
  /// Untyped pointer to the first element.
  void* data_ptr() const {
    const auto& i = impl("data_ptr");
    return i.storage->data() + static_cast<std::size_t>(i.storage_offset) * typegrad::element_size(i.dtype);
  }

  /// The one element, converted as c10::Scalar converts (complex with a non-zero imaginary
  /// part to a real type, or a value out of T's range, throws torch's overflow message).
  template <tensor_element T> T item() const {
    const auto& i = impl("item");
    const std::int64_t n = detail::numel_of(i.sizes);
    if (n != 1) throw Error("a Tensor with " + std::to_string(n) + " elements cannot be converted to Scalar");
    return visit(i.dtype, [&](auto tag) -> T {
      using S = typename decltype(tag)::type;
      return detail::checked_convert<T>(*(reinterpret_cast<const S*>(i.storage->data()) + i.storage_offset));
    });
  }

  // ---- copies ----------------------------------------------------------------------------
  /// A copy in new memory with the same layout when it is dense (a transposed tensor stays
  /// transposed), else dense in the same dim order (torch's preserve_format).
  Tensor clone() const { return copy_as(dtype()); }
  /// This tensor when already contiguous, else a contiguous copy.
  Tensor contiguous() const {
    if (is_contiguous()) return *this;
    const auto& i = impl("contiguous");
    Tensor out = empty_contiguous(i.sizes, i.dtype);
    copy_elements(out, *this);
    return out;
  }
  /// This tensor when `t` is its dtype, else a converted copy (torch's casts, see convert.hpp).
  Tensor to(ScalarType t) const {
    if (t == dtype()) return *this;
    return copy_as(t);
  }

  // ---- views (share storage and version counter) -----------------------------------------
  /// Same data, new sizes (one may be -1); throws when the strides do not allow it.
  Tensor view(IntArrayRef shape) const {
    const auto& i = impl("view");
    const auto new_sizes = detail::infer_size(shape, detail::numel_of(i.sizes));
    auto strides = detail::view_strides(i.sizes, i.strides, new_sizes);
    if (!strides) {
      throw Error("view size is not compatible with input tensor's size and stride (at least one dimension spans "
                  "across two contiguous subspaces). Use .reshape(...) instead.");
    }
    return make_view(new_sizes, *strides, i.storage_offset);
  }
  /// A view when possible, else a view of a contiguous copy.
  Tensor reshape(IntArrayRef shape) const {
    const auto& i = impl("reshape");
    const auto new_sizes = detail::infer_size(shape, detail::numel_of(i.sizes));
    if (auto strides = detail::view_strides(i.sizes, i.strides, new_sizes)) {
      return make_view(new_sizes, *strides, i.storage_offset);
    }
    return contiguous().view(new_sizes);
  }
  Tensor transpose(std::int64_t dim0, std::int64_t dim1) const {
    const auto& i = impl("transpose");
    const auto d0 = static_cast<std::size_t>(detail::wrap_dim(dim0, ndim(i)));
    const auto d1 = static_cast<std::size_t>(detail::wrap_dim(dim1, ndim(i)));
    auto sizes = i.sizes;
    auto strides = i.strides;
    if (!sizes.empty()) {
      std::swap(sizes[d0], sizes[d1]);
      std::swap(strides[d0], strides[d1]);
    }
    return make_view(sizes, strides, i.storage_offset);
  }
  /// transpose(0, 1) for 2-d, the same tensor's view for 0-d and 1-d.
  Tensor t() const {
    const std::int64_t n = dim();
    if (n > 2) throw Error("t() expects a tensor with <= 2 dimensions, but self is " + std::to_string(n) + "D");
    return n < 2 ? transpose(0, 0) : transpose(0, 1);
  }
  Tensor permute(IntArrayRef dims) const {
    const auto& i = impl("permute");
    const std::int64_t n = ndim(i);
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
    return make_view(sizes, strides, i.storage_offset);
  }
  /// The slice at `index` of `dim` (that dim removed).
  Tensor select(std::int64_t dim, std::int64_t index) const {
    const auto& i = impl("select");
    if (i.sizes.empty()) throw Error("select() cannot be applied to a 0-dim tensor.");
    const auto d = static_cast<std::size_t>(detail::wrap_dim(dim, ndim(i)));
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
    return make_view(sizes, strides, offset);
  }
  /// Elements [start, start + length) of `dim` (current torch's checks and texts).
  Tensor narrow(std::int64_t dim, std::int64_t start, std::int64_t length) const {
    const auto& i = impl("narrow");
    if (i.sizes.empty()) throw Error("narrow() cannot be applied to a 0-dim tensor.");
    if (length < 0) throw Error("narrow(): length must be non-negative.");
    const auto d = static_cast<std::size_t>(detail::wrap_dim(dim, ndim(i)));
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
    return make_view(sizes, i.strides, i.storage_offset + start * i.strides[d]);
  }
  /// Without every size-1 dim.
  Tensor squeeze() const {
    const auto& i = impl("squeeze");
    detail::dim_vector sizes, strides;
    for (std::size_t d = 0; d < i.sizes.size(); ++d) {
      if (i.sizes[d] != 1) {
        sizes.push_back(i.sizes[d]);
        strides.push_back(i.strides[d]);
      }
    }
    return make_view(sizes, strides, i.storage_offset);
  }
  /// Without `dim` if its size is 1, else the same shape.
  Tensor squeeze(std::int64_t dim) const {
    const auto& i = impl("squeeze");
    const auto d = static_cast<std::size_t>(detail::wrap_dim(dim, ndim(i)));
    auto sizes = i.sizes;
    auto strides = i.strides;
    if (!sizes.empty() && sizes[d] == 1) {
      sizes.erase(sizes.begin() + static_cast<std::ptrdiff_t>(d));
      strides.erase(strides.begin() + static_cast<std::ptrdiff_t>(d));
    }
    return make_view(sizes, strides, i.storage_offset);
  }
  /// A new size-1 dim at `dim` (in [-dim()-1, dim()]).
  Tensor unsqueeze(std::int64_t dim) const {
    const auto& i = impl("unsqueeze");
    const auto d = static_cast<std::size_t>(detail::wrap_dim(dim, ndim(i) + 1));
    auto sizes = i.sizes;
    auto strides = i.strides;
    const std::int64_t stride = d >= sizes.size() ? 1 : sizes[d] * strides[d];
    sizes.insert(sizes.begin() + static_cast<std::ptrdiff_t>(d), 1);
    strides.insert(strides.begin() + static_cast<std::ptrdiff_t>(d), stride);
    return make_view(sizes, strides, i.storage_offset);
  }
  /// Size-1 dims repeated (stride 0) to `sizes`; -1 keeps a size; new dims are prepended.
  Tensor expand(IntArrayRef sizes) const {
    const auto& i = impl("expand");
    auto [s, st] = detail::expand_geometry(i.sizes, i.strides, sizes, legacy_tensor_name(i.dtype));
    return make_view(s, st, i.storage_offset);
  }
  /// Dims start_dim..end_dim merged into one (a view when the strides allow, as reshape).
  Tensor flatten(std::int64_t start_dim = 0, std::int64_t end_dim = -1) const {
    const auto& i = impl("flatten");
    if (i.sizes.empty()) return reshape({1});
    const auto start = static_cast<std::size_t>(detail::wrap_dim(start_dim, ndim(i)));
    const auto end = static_cast<std::size_t>(detail::wrap_dim(end_dim, ndim(i)));
    if (start > end) throw Error("flatten() has invalid args: start_dim cannot come after end_dim");
    if (start == end) return *this;
    detail::dim_vector sizes(i.sizes.begin(), i.sizes.begin() + static_cast<std::ptrdiff_t>(start));
    std::int64_t merged = 1;
    for (std::size_t d = start; d <= end; ++d) merged *= i.sizes[d];
    sizes.push_back(merged);
    sizes.insert(sizes.end(), i.sizes.begin() + static_cast<std::ptrdiff_t>(end) + 1, i.sizes.end());
    return reshape(sizes);
  }

  // ---- autograd flag ---------------------------------------------------------------------
  bool requires_grad() const { return impl("requires_grad").requires_grad; }
  /// Sets the flag; integer and bool tensors cannot require grad (torch 1.13's text).
  const Tensor& requires_grad_(bool flag = true) const {
    auto& i = impl("requires_grad_");
    if (flag && !is_differentiable(i.dtype)) throw Error("only Tensors of floating point dtype can require gradients");
    i.requires_grad = flag;
    return *this;
  }
  /// libtorch's setter (Python's `t.requires_grad = ...`), with that setter's text.
  void set_requires_grad(bool flag) const {
    auto& i = impl("set_requires_grad");
    if (flag && !is_differentiable(i.dtype)) {
      throw Error("only Tensors of floating point and complex dtype can require gradients");
    }
    i.requires_grad = flag;
  }

 private:
  detail::TensorImpl& impl(const char* what) const {
    if (!impl_) throw Error(std::string(what) + "() called on an undefined Tensor");
    return *impl_;
  }
  static std::int64_t ndim(const detail::TensorImpl& i) noexcept { return static_cast<std::int64_t>(i.sizes.size()); }

  Tensor make_view(detail::dim_vector sizes, detail::dim_vector strides, std::int64_t offset) const {
    auto v = std::make_shared<detail::TensorImpl>();
    v->storage = impl_->storage;
    v->version_counter = impl_->version_counter;
    v->sizes = std::move(sizes);
    v->strides = std::move(strides);
    v->storage_offset = offset;
    v->dtype = impl_->dtype;
    return Tensor(std::move(v));
  }

  Tensor copy_as(ScalarType t) const {
    const auto& i = impl("clone");
    Tensor out = empty_strided(i.sizes, detail::preserved_strides(i.sizes, i.strides), t);
    copy_elements(out, *this);
    return out;
  }

  /// dst[...] = convert(src[...]) elementwise; same sizes, any strides and dtypes.
  static void copy_elements(const Tensor& dst, const Tensor& src) {
    const auto& d = *dst.impl_;
    const auto& s = *src.impl_;
    visit(d.dtype, [&](auto dtag) {
      using D = typename decltype(dtag)::type;
      visit(s.dtype, [&](auto stag) {
        using S = typename decltype(stag)::type;
        D* out = reinterpret_cast<D*>(d.storage->data()) + d.storage_offset;
        const S* in = reinterpret_cast<const S*>(s.storage->data()) + s.storage_offset;
        std::vector<std::int64_t> out_offsets;
        out_offsets.reserve(static_cast<std::size_t>(detail::numel_of(d.sizes)));
        detail::for_each_offset(d.sizes, d.strides, [&](std::int64_t o) { out_offsets.push_back(o); });
        std::size_t k = 0;
        detail::for_each_offset(s.sizes, s.strides, [&](std::int64_t o) { out[out_offsets[k++]] = detail::convert<D>(in[o]); });
      });
    });
  }

  std::shared_ptr<detail::TensorImpl> impl_;
};

}  // namespace typegrad
