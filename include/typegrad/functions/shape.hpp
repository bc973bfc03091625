#pragma once
/// \file functions/shape.hpp
/// Differentiable views (view, reshape, transpose, t, permute, select, narrow, squeeze,
/// unsqueeze, expand, flatten) and copies (clone, contiguous, to) as Tensor members, with
/// torch's node names. A view's result shares storage and version counter with its input and
/// remembers its base, for torch's in-place checks on views.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <typegrad/autograd/forward_grad.hpp>
#include <typegrad/autograd/meta.hpp>
#include <typegrad/autograd/node.hpp>
#include <typegrad/functions/fwd.hpp>
#include <typegrad/functions/record.hpp>
#include <typegrad/tensor/factories.hpp>
#include <typegrad/tensor/kernels/elementwise.hpp>
#include <typegrad/tensor/raw.hpp>

namespace typegrad {

namespace autograd::functions {

/// A node whose backward is a function of the incoming gradient alone (shape operations
/// save sizes and dims, never tensors).
class ShapeBackward final : public Node {
 public:
  ShapeBackward(const char* name, std::function<Tensor(const Tensor&)> backward)
      : name_(name), backward_(std::move(backward)) {}
  std::string name() const override { return name_; }
  tensor_list apply(tensor_list&& grads) override {
    if (!grads[0].defined() || !should_compute_output(0)) return {Tensor()};
    return {backward_(grads[0])};
  }

 private:
  const char* name_;
  std::function<Tensor(const Tensor&)> backward_;
};

namespace impl {
/// Marks a view so that in-place operations on it can update its base's history (CopySlices).
/// Views made without grad mode are marked only when their input requires grad (the case
/// torch's errors are about), so backward formulas, which run without grad mode, pay nothing.
inline void mark_view(const Tensor& in, const Tensor& out, autograd::view_creation how) {
  if (InferenceMode::is_enabled()) return;
  if (GradMode::is_enabled()) autograd::detail::mark_view(in, out, how);
  else if (autograd::detail::requires_grad(in)) autograd::detail::mark_view(in, out, autograd::view_creation::in_no_grad_mode);
}

/// Records `out = op(in)` as a shape operation; views also get their base. `backward` maps
/// the result's gradient to the input's, `forward` the input's tangent to the result's.
template <class Backward, class Forward>
Tensor shape_result(const Tensor& in, Tensor out, bool is_view, const char* name, Backward&& backward, Forward&& forward) {
  if (is_view) impl::mark_view(in, out, autograd::view_creation::in_grad_mode);
  if (record::needs_history({&in})) {
    auto node = std::make_shared<ShapeBackward>(name, std::forward<Backward>(backward));
    node->set_next_edges(record::edges_of({&in}));
    record::set_history(out, node);
  }
  forward_ad::detail::propagate(out, in, forward);
  return out;
}
}  // namespace impl

}  // namespace autograd::functions

/// The gradient of `t.select(dim, index)` placed back into zeros of `sizes` (differentiable).
Tensor select_backward(const Tensor& grad, IntArrayRef sizes, std::int64_t dim, std::int64_t index);
/// The gradient of `t.narrow(dim, start, length)` placed back into zeros of `sizes`.
Tensor slice_backward(const Tensor& grad, IntArrayRef sizes, std::int64_t dim, std::int64_t start, std::int64_t length);

namespace autograd::functions {
/// The embedding of a slice's gradient into zeros; its own backward takes the slice again.
class SliceEmbedBackward final : public Node {
 public:
  SliceEmbedBackward(const char* name, std::int64_t dim, std::int64_t start, std::int64_t length, bool select)
      : name_(name), dim_(dim), start_(start), length_(length), select_(select) {}
  std::string name() const override { return name_; }
  tensor_list apply(tensor_list&& grads) override {
    if (!grads[0].defined() || !should_compute_output(0)) return {Tensor()};
    return {select_ ? grads[0].select(dim_, start_) : grads[0].narrow(dim_, start_, length_)};
  }

 private:
  const char* name_;
  std::int64_t dim_, start_, length_;
  bool select_;
};
}  // namespace autograd::functions

inline Tensor select_backward(const Tensor& grad, IntArrayRef sizes, std::int64_t dim, std::int64_t index) {
  Tensor out = zeros(sizes, dtype(grad.dtype()));
  kernels::copy_(raw::select(out, dim, index), grad);
  if (record::needs_history({&grad})) {
    auto node = std::make_shared<autograd::functions::SliceEmbedBackward>("SelectBackwardBackward0", dim, index, 1, true);
    node->set_next_edges(record::edges_of({&grad}));
    record::set_history(out, node);
  }
  return out;
}
inline Tensor slice_backward(const Tensor& grad, IntArrayRef sizes, std::int64_t dim, std::int64_t start, std::int64_t length) {
  Tensor out = zeros(sizes, dtype(grad.dtype()));
  kernels::copy_(raw::narrow(out, dim, start, length), grad);
  if (record::needs_history({&grad})) {
    auto node = std::make_shared<autograd::functions::SliceEmbedBackward>("SliceBackwardBackward0", dim, start, length, false);
    node->set_next_edges(record::edges_of({&grad}));
    record::set_history(out, node);
  }
  return out;
}

// ---- views ---------------------------------------------------------------------------------
inline Tensor Tensor::view(IntArrayRef shape) const {
  auto sizes = this->sizes();
  auto out_sizes = typegrad::detail::infer_size(shape, numel());
  return autograd::functions::impl::shape_result(*this, raw::view(*this, shape), true, "ViewBackward0",
                                                   [sizes](const Tensor& g) { return g.reshape(sizes); },
                                                   [out_sizes](const Tensor& t) { return t.reshape(out_sizes); });
}
inline Tensor Tensor::reshape(IntArrayRef shape) const {
  auto sizes = this->sizes();
  Tensor out = raw::reshape(*this, shape);
  const bool aliases = out.storage() == storage();
  auto out_sizes = out.sizes();
  return autograd::functions::impl::shape_result(*this, std::move(out), aliases,
                                                   aliases ? "ReshapeAliasBackward0" : "UnsafeViewBackward0",
                                                   [sizes](const Tensor& g) { return g.reshape(sizes); },
                                                   [out_sizes](const Tensor& t) { return t.reshape(out_sizes); });
}
inline Tensor Tensor::transpose(std::int64_t dim0, std::int64_t dim1) const {
  return autograd::functions::impl::shape_result(*this, raw::transpose(*this, dim0, dim1), true, "TransposeBackward0",
                                                   [dim0, dim1](const Tensor& g) { return g.transpose(dim0, dim1); },
                                                   [dim0, dim1](const Tensor& t) { return t.transpose(dim0, dim1); });
}
inline Tensor Tensor::t() const {
  return autograd::functions::impl::shape_result(*this, raw::t(*this), true, "TBackward0",
                                                   [](const Tensor& g) { return g.t(); }, [](const Tensor& t) { return t.t(); });
}
inline Tensor Tensor::permute(IntArrayRef dims) const {
  Tensor out = raw::permute(*this, dims);
  std::vector<std::int64_t> order = dims.vec();
  std::vector<std::int64_t> inverse(dims.size());
  for (std::size_t k = 0; k < dims.size(); ++k) {
    inverse[static_cast<std::size_t>(typegrad::detail::wrap_dim(dims[k], dim()))] = static_cast<std::int64_t>(k);
  }
  return autograd::functions::impl::shape_result(*this, std::move(out), true, "PermuteBackward0",
                                                   [inverse](const Tensor& g) { return g.permute(inverse); },
                                                   [order](const Tensor& t) { return t.permute(order); });
}
inline Tensor Tensor::select(std::int64_t d, std::int64_t index) const {
  Tensor out = raw::select(*this, d, index);
  auto sizes = this->sizes();
  const std::int64_t wd = typegrad::detail::wrap_dim(d, dim());
  const std::int64_t wi = index < 0 ? index + sizes[static_cast<std::size_t>(wd)] : index;
  return autograd::functions::impl::shape_result(
      *this, std::move(out), true, "SelectBackward0",
      [sizes, wd, wi](const Tensor& g) { return select_backward(g, sizes, wd, wi); },
      [wd, wi](const Tensor& t) { return t.select(wd, wi); });
}
inline Tensor Tensor::narrow(std::int64_t d, std::int64_t start, std::int64_t length) const {
  Tensor out = raw::narrow(*this, d, start, length);
  auto sizes = this->sizes();
  const std::int64_t wd = typegrad::detail::wrap_dim(d, dim());
  const std::int64_t ws = start < 0 ? start + sizes[static_cast<std::size_t>(wd)] : start;
  return autograd::functions::impl::shape_result(
      *this, std::move(out), true, "SliceBackward0",
      [sizes, wd, ws, length](const Tensor& g) { return slice_backward(g, sizes, wd, ws, length); },
      [wd, ws, length](const Tensor& t) { return t.narrow(wd, ws, length); });
}
inline Tensor Tensor::squeeze() const {
  auto sizes = this->sizes();
  return autograd::functions::impl::shape_result(*this, raw::squeeze(*this), true, "SqueezeBackward0",
                                                   [sizes](const Tensor& g) { return g.reshape(sizes); },
                                                   [](const Tensor& t) { return t.squeeze(); });
}
inline Tensor Tensor::squeeze(std::int64_t d) const {
  auto sizes = this->sizes();
  return autograd::functions::impl::shape_result(*this, raw::squeeze(*this, d), true, "SqueezeBackward1",
                                                   [sizes](const Tensor& g) { return g.reshape(sizes); },
                                                   [d](const Tensor& t) { return t.squeeze(d); });
}
inline Tensor Tensor::unsqueeze(std::int64_t d) const {
  Tensor out = raw::unsqueeze(*this, d);
  const std::int64_t wd = typegrad::detail::wrap_dim(d, dim() + 1);
  return autograd::functions::impl::shape_result(*this, std::move(out), true, "UnsqueezeBackward0",
                                                   [wd](const Tensor& g) { return g.squeeze(wd); },
                                                   [wd](const Tensor& t) { return t.unsqueeze(wd); });
}
inline Tensor Tensor::expand(IntArrayRef sizes_to) const {
  auto sizes = this->sizes();
  return autograd::functions::impl::shape_result(*this, raw::expand(*this, sizes_to), true, "ExpandBackward0",
                                                   [sizes](const Tensor& g) { return sum_to(g, sizes); },
                                                   [to = sizes_to.vec()](const Tensor& t) { return t.expand(to); });
}
inline Tensor Tensor::flatten(std::int64_t start_dim, std::int64_t end_dim) const {
  const std::int64_t n = dim();
  if (n == 0) return reshape({1});
  const auto start = typegrad::detail::wrap_dim(start_dim, n);
  const auto end = typegrad::detail::wrap_dim(end_dim, n);
  if (start > end) throw Error("flatten() has invalid args: start_dim cannot come after end_dim");
  if (start == end) return *this;
  auto s = sizes();
  std::vector<std::int64_t> shape(s.begin(), s.begin() + start);
  std::int64_t merged = 1;
  for (auto d = start; d <= end; ++d) merged *= s[static_cast<std::size_t>(d)];
  shape.push_back(merged);
  shape.insert(shape.end(), s.begin() + end + 1, s.end());
  return reshape(shape);
}
inline Tensor expand_as(const Tensor& a, const Tensor& other) { return a.expand(other.sizes()); }

// ---- copies --------------------------------------------------------------------------------
inline Tensor Tensor::clone() const {
  return autograd::functions::impl::shape_result(*this, raw::clone(*this), false, "CloneBackward0",
                                                   [](const Tensor& g) { return g; }, [](const Tensor& t) { return t.clone(); });
}
inline Tensor Tensor::contiguous() const {
  if (is_contiguous()) return *this;
  return autograd::functions::impl::shape_result(*this, raw::contiguous(*this), false, "CloneBackward0",
                                                   [](const Tensor& g) { return g; }, [](const Tensor& t) { return t.contiguous(); });
}
inline Tensor Tensor::to(ScalarType t) const {
  if (t == dtype()) return *this;
  const ScalarType from = dtype();
  Tensor out = raw::copy_as(*this, t);
  // a complex -> real cast drops the imaginary part, so its gradient has none either
  return autograd::functions::impl::shape_result(*this, std::move(out), false, "ToCopyBackward0",
                                                   [from](const Tensor& g) { return g.to(from); },
                                                   [t](const Tensor& tangent) { return tangent.to(t); });
}

}  // namespace typegrad
