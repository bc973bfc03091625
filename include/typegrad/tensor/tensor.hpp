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
/// This header declares the whole class; members that record autograd history (views,
/// copies, the autograd accessors, in-place operations) are defined in
/// <typegrad/autograd/tensor_methods.hpp> and <typegrad/functions/...>, which
/// <typegrad/dynamic.hpp> includes: include that. Kernels use the history-free versions in
/// tensor/raw.hpp.
#include <complex>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <typegrad/autograd/grad_mode.hpp>
#include <typegrad/autograd/hooks.hpp>
#include <typegrad/error.hpp>
#include <typegrad/tensor/convert.hpp>
#include <typegrad/tensor/dtype.hpp>
#include <typegrad/tensor/geometry.hpp>
#include <typegrad/tensor/int_array_ref.hpp>
#include <typegrad/tensor/options.hpp>
#include <typegrad/tensor/storage.hpp>

namespace typegrad {

class Scalar;
namespace autograd {
/// Gradient state of a tensor (grad, grad_fn, hooks, ...): defined in autograd/meta.hpp.
struct AutogradMeta;
class Node;
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
  /// requires_grad of a leaf (a non-leaf requires grad through its grad_fn).
  bool requires_grad = false;
  /// Created under InferenceMode: no version tracking, never saved for backward.
  bool is_inference = false;
  /// A 0-d tensor standing for a C++ number in an operation (`t * 2.0`): type promotion
  /// treats it as torch treats a Python number (it never widens the tensor's dtype category).
  bool wrapped_number = false;
  /// grad, grad_fn, hooks...: created when first needed (most tensors never need it).
  std::shared_ptr<autograd::AutogradMeta> autograd_meta;
};
}  // namespace detail

class Tensor {
 public:
  /// Marks the dynamic tensor for the static layer's policies (ops/policy.hpp).
  using tg_dynamic_tensor = void;

  /// An undefined tensor (`defined()` is false), like a default-constructed at::Tensor.
  Tensor() noexcept = default;
  explicit Tensor(std::shared_ptr<detail::TensorImpl> impl) noexcept : impl_(std::move(impl)) {}

  /// A new zero-filled tensor with the given sizes and strides (the storage just covers them).
  /// `zero_fill = false` leaves the memory uninitialized: for outputs that are written whole.
  static Tensor empty_strided(IntArrayRef sizes, IntArrayRef strides, ScalarType dtype, bool zero_fill = true) {
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
    const auto nbytes = static_cast<std::size_t>(extent) * typegrad::element_size(dtype);
    impl->storage = zero_fill ? std::make_shared<Storage>(nbytes) : std::make_shared<Storage>(nbytes, Storage::uninitialized);
    impl->version_counter = std::make_shared<VersionCounter>();
    impl->sizes = sizes.vec();
    impl->strides = strides.vec();
    impl->dtype = dtype;
    impl->is_inference = InferenceMode::is_enabled();
    return Tensor(std::move(impl));
  }
  /// A new zero-filled contiguous tensor (uninitialized with `zero_fill = false`).
  static Tensor empty_contiguous(IntArrayRef sizes, ScalarType dtype, bool zero_fill = true) {
    detail::check_sizes_nonnegative(sizes);
    return empty_strided(sizes, detail::contiguous_strides(sizes), dtype, zero_fill);
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
  std::uint32_t _version() const {
    if (impl("_version").is_inference) throw Error("Inference tensors do not track version counter.");
    return version_counter()->version();
  }
  /// Created under InferenceMode?
  bool is_inference() const { return impl("is_inference").is_inference; }
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

  // ---- copies (record autograd history: CloneBackward0, ToCopyBackward0) ------------------
  /// A copy in new memory with the same layout when it is dense (a transposed tensor stays
  /// transposed), else dense in the same dim order (torch's preserve_format).
  Tensor clone() const;
  /// This tensor when already contiguous, else a contiguous copy.
  Tensor contiguous() const;
  /// This tensor when `t` is its dtype, else a converted copy (torch's casts, see convert.hpp).
  Tensor to(ScalarType t) const;

  // ---- views (share storage and version counter; differentiable) ---------------------------
  /// Same data, new sizes (one may be -1); throws when the strides do not allow it.
  Tensor view(IntArrayRef shape) const;
  /// A view when possible, else a view of a contiguous copy.
  Tensor reshape(IntArrayRef shape) const;
  Tensor transpose(std::int64_t dim0, std::int64_t dim1) const;
  /// transpose(0, 1) for 2-d, the same tensor's view for 0-d and 1-d.
  Tensor t() const;
  Tensor permute(IntArrayRef dims) const;
  /// The slice at `index` of `dim` (that dim removed).
  Tensor select(std::int64_t dim, std::int64_t index) const;
  /// Elements [start, start + length) of `dim`.
  Tensor narrow(std::int64_t dim, std::int64_t start, std::int64_t length) const;
  /// Without every size-1 dim.
  Tensor squeeze() const;
  /// Without `dim` if its size is 1, else the same shape.
  Tensor squeeze(std::int64_t dim) const;
  /// A new size-1 dim at `dim` (in [-dim()-1, dim()]).
  Tensor unsqueeze(std::int64_t dim) const;
  /// Size-1 dims repeated (stride 0) to `sizes`; -1 keeps a size; new dims are prepended.
  Tensor expand(IntArrayRef sizes) const;
  /// Dims start_dim..end_dim merged into one (a view when the strides allow, as reshape).
  Tensor flatten(std::int64_t start_dim = 0, std::int64_t end_dim = -1) const;

  // ---- autograd (autograd/tensor_methods.hpp) ---------------------------------------------
  /// A leaf's flag, or true for results of differentiable operations (they have a grad_fn).
  bool requires_grad() const;
  /// Sets a leaf's flag; integer and bool tensors cannot require grad (torch 1.13's text).
  const Tensor& requires_grad_(bool flag = true) const;
  /// libtorch's setter (Python's `t.requires_grad = ...`), with that setter's text.
  void set_requires_grad(bool flag) const;
  /// The accumulated gradient (undefined until a backward reached this tensor).
  const Tensor& grad() const;
  Tensor& mutable_grad() const;
  /// The node that made this tensor (null for leaves).
  const std::shared_ptr<autograd::Node>& grad_fn() const;
  bool is_leaf() const;
  /// Which output of grad_fn this tensor is.
  std::uint32_t output_nr() const;
  /// Makes a non-leaf keep its .grad (no-op on leaves).
  void retain_grad() const;
  bool retains_grad() const;
  /// fn(grad) -> std::optional<Tensor> | Tensor | void, called with this tensor's gradient.
  template <class F> autograd::RemovableHandle register_hook(F&& fn) const;
  /// fn(param) on a leaf after its .grad was accumulated.
  template <class F> autograd::RemovableHandle register_post_accumulate_grad_hook(F&& fn) const;
  /// torch.Tensor.backward (see tg::autograd::backward).
  void backward(const Tensor& gradient = {}, std::optional<bool> retain_graph = std::nullopt, bool create_graph = false,
                const tensor_list& inputs = {}) const;
  /// The same data without history (shares storage and version counter, requires no grad).
  Tensor detach() const;
  /// Detaches this tensor in place (it becomes a leaf).
  const Tensor& detach_() const;
  /// torch's `.data`: the same data, no history, a separate version counter.
  Tensor data() const;
  /// torch's `x.data = y`: takes y's data, keeps this tensor's autograd state and version counter.
  void set_data(const Tensor& new_data) const;

  // ---- math as members, as libtorch's (functions/methods.hpp) -------------------------------
  Tensor sum(std::optional<ScalarType> dtype = std::nullopt) const;
  Tensor sum(IntArrayRef dims, bool keepdim = false, std::optional<ScalarType> dtype = std::nullopt) const;
  Tensor mean() const;
  Tensor mean(IntArrayRef dims, bool keepdim = false) const;
  Tensor pow(const Scalar& exponent) const;
  Tensor pow(const Tensor& exponent) const;
  Tensor exp() const;
  Tensor log() const;
  Tensor sqrt() const;
  Tensor abs() const;
  Tensor neg() const;
  Tensor square() const;
  Tensor sin() const;
  Tensor cos() const;
  Tensor tanh() const;
  Tensor sigmoid() const;
  Tensor relu() const;
  Tensor reciprocal() const;
  Tensor real() const;
  Tensor imag() const;
  Tensor conj() const;
  Tensor clamp(const std::optional<Scalar>& min, const std::optional<Scalar>& max) const;
  Tensor expand_as(const Tensor& other) const;
  Tensor matmul(const Tensor& other) const;
  Tensor mm(const Tensor& other) const;
  Tensor bmm(const Tensor& other) const;
  Tensor mv(const Tensor& vec) const;
  Tensor dot(const Tensor& other) const;
  Tensor index_select(std::int64_t dim, const Tensor& index) const;
  Tensor gather(std::int64_t dim, const Tensor& index) const;
  Tensor repeat(IntArrayRef repeats) const;
  std::vector<Tensor> split(std::int64_t split_size, std::int64_t dim = 0) const;
  std::vector<Tensor> chunk(std::int64_t chunks, std::int64_t dim = 0) const;
  std::vector<Tensor> unbind(std::int64_t dim = 0) const;

  // ---- in-place operations (bump the version; functions/inplace.hpp) -----------------------
  const Tensor& add_(const Tensor& other, const Scalar& alpha) const;
  const Tensor& add_(const Tensor& other) const;
  const Tensor& add_(const Scalar& other) const;
  const Tensor& sub_(const Tensor& other) const;
  const Tensor& sub_(const Scalar& other) const;
  const Tensor& mul_(const Tensor& other) const;
  const Tensor& mul_(const Scalar& other) const;
  const Tensor& div_(const Tensor& other) const;
  const Tensor& div_(const Scalar& other) const;
  const Tensor& zero_() const;
  const Tensor& fill_(const Scalar& value) const;
  const Tensor& copy_(const Tensor& src) const;
  const Tensor& clamp_(const std::optional<Scalar>& min, const std::optional<Scalar>& max) const;
  const Tensor& clamp_(const std::optional<Scalar>& min) const;

 private:
  detail::TensorImpl& impl(const char* what) const {
    if (!impl_) throw Error(std::string(what) + "() called on an undefined Tensor");
    return *impl_;
  }
  static std::int64_t ndim(const detail::TensorImpl& i) noexcept { return static_cast<std::int64_t>(i.sizes.size()); }

  std::shared_ptr<detail::TensorImpl> impl_;
};

}  // namespace typegrad
