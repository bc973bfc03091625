#pragma once
/// \file functions/inplace.hpp
/// In-place operations (add_ sub_ mul_ div_ zero_ fill_ copy_ clamp_). Each bumps the version
/// counter shared by the tensor's views, refuses leaves that require grad (and views of them)
/// while grad mode is on, and, when history is recorded, makes the operation's node the
/// tensor's new grad_fn with the old history as its first next edge (torch's rebase_history).
/// On a view, the node goes into the base's new history instead (CopySlices,
/// functions/view_inplace.hpp), and a forward-mode tangent into the base's tangent.
#include <initializer_list>
#include <memory>
#include <optional>

#include <typegrad/autograd/forward_grad.hpp>
#include <typegrad/autograd/meta.hpp>
#include <typegrad/autograd/saved_variable.hpp>
#include <typegrad/autograd/tensor_methods.hpp>
#include <typegrad/functions/arithmetic.hpp>
#include <typegrad/functions/fwd.hpp>
#include <typegrad/functions/pointwise.hpp>
#include <typegrad/functions/pointwise_node.hpp>
#include <typegrad/functions/record.hpp>
#include <typegrad/functions/shape.hpp>
#include <typegrad/functions/view_inplace.hpp>
#include <typegrad/tensor/kernels/elementwise.hpp>

namespace typegrad {

namespace autograd::functions {

/// fill_ and zero_: the old values are gone, so no gradient flows to them.
class FillBackward final : public Node {
 public:
  explicit FillBackward(const char* name) : name_(name) {}
  std::string name() const override { return name_; }
  tensor_list apply(tensor_list&& grads) override {
    if (!grads[0].defined() || !should_compute_output(0)) return {Tensor()};
    return {zeros_like(grads[0])};
  }

 private:
  const char* name_;
};

/// copy_(src): self's old values get nothing; src gets the gradient (summed to its shape,
/// cast to its dtype by the engine).
class CopyBackwards final : public Node {
 public:
  std::string name() const override { return "CopyBackwards"; }
  tensor_list apply(tensor_list&& grads) override {
    tensor_list out(2);
    if (!grads[0].defined()) return out;
    if (should_compute_output(0)) out[0] = zeros_like(grads[0]);
    if (should_compute_output(1)) out[1] = impl::reduce_to(grads[0], src_sizes);
    return out;
  }
  std::vector<std::int64_t> src_sizes;
};

namespace impl {

/// Checks before an in-place update; true when history must be recorded.
/// torch's order of the checks: a view made without grad mode or by a multi-view function
/// first, then leaves and views of leaves.
inline bool prepare_inplace(const Tensor& self, std::initializer_list<const Tensor*> others) {
  bool history = GradMode::is_enabled() && autograd::detail::requires_grad(self);
  for (const Tensor* o : others) history = history || record::needs_history({o});
  if (!self.unsafe_get_impl()->is_inference) check_inplace_on_view(self, history);
  record::check_inplace(self);
  return history;
}

/// Bumps the version and makes `node` the new history of self.
inline void finish_inplace(const Tensor& self, const std::shared_ptr<Node>& node) {
  self.version_counter()->bump();
  if (!node) return;
  auto& m = autograd::detail::materialize_meta(self);
  if (m.is_view) {
    node->add_input_metadata(self);
    rebase_view_history(self, node);
    return;
  }
  // a retained grad moves to the new history (the old node must not write it any more)
  if (m.retains_grad && m.grad_fn) m.grad_fn->set_retains_grad_hook(m.output_nr, nullptr);
  m.grad_fn = node;
  m.output_nr = node->add_input_metadata(self);
  if (m.retains_grad) autograd::detail::install_retains_grad(self);
}

/// The tangent self will have after an in-place update, computed from the values before it:
/// rule(tangent of self, tangent of other) with zeros for a missing one; undefined when
/// neither has a tangent.
template <class Rule> Tensor inplace_tangent(const Tensor& self, const Tensor* other, Rule&& rule) {
  if (!forward_ad::detail::any_tangent({&self, other})) return Tensor();
  Tensor ts = forward_ad::detail::tangent_of(self);
  Tensor to = other ? forward_ad::detail::tangent_of(*other) : Tensor();
  forward_ad::detail::tangent_scope primal_values;
  if (!ts.defined()) ts = zeros_like(self);
  if (other && !to.defined()) to = zeros_like(*other);
  Tensor t = rule(ts, to);
  if (t.sizes() != self.sizes()) t = t.expand(self.sizes());
  return t.dtype() == self.dtype() ? t.clone() : t.to(self.dtype());
}
inline void set_inplace_tangent(const Tensor& self, Tensor tangent) {
  if (!tangent.defined()) return;
  auto* m = autograd::detail::meta(self);
  if (m && m->is_view) set_view_tangent(self, *m, tangent);
  else forward_ad::detail::set_tangent(self, std::move(tangent));
}

template <class N, class... Args>
std::shared_ptr<N> inplace_node(bool history, std::initializer_list<const Tensor*> inputs, Args&&... args) {
  if (!history) return nullptr;
  auto node = std::make_shared<N>(std::forward<Args>(args)...);
  node->set_next_edges(record::edges_of(inputs));
  return node;
}

}  // namespace impl
}  // namespace autograd::functions

inline const Tensor& Tensor::add_(const Tensor& other, const Scalar& alpha) const {
  using namespace autograd::functions;
  using autograd::SavedVariable;
  const bool history = impl::prepare_inplace(*this, {&other});
  auto node = impl::inplace_node<AddBackward0>(history, {this, &other});
  if (node) {
    node->alpha = alpha;
    node->self_sizes = sizes();
    node->other_sizes = other.sizes();
  }
  Tensor tangent = impl::inplace_tangent(*this, &other, [&](const Tensor& ts, const Tensor& to) {
    return ts + (impl::is_one(alpha) ? to : to * alpha);
  });
  if (impl::is_one(alpha)) kernels::binary_out<ops::add>(*this, *this, other);
  else kernels::binary_out<ops::add>(*this, *this, kernels::binary<ops::mul>(other, wrapped_scalar_tensor(alpha)));
  impl::finish_inplace(*this, node);
  impl::set_inplace_tangent(*this, std::move(tangent));
  return *this;
}
inline const Tensor& Tensor::add_(const Tensor& other) const { return add_(other, Scalar(1)); }
inline const Tensor& Tensor::add_(const Scalar& other) const { return add_(wrapped_scalar_tensor(other), Scalar(1)); }
inline const Tensor& Tensor::sub_(const Tensor& other) const {
  using namespace autograd::functions;
  using autograd::SavedVariable;
  const bool history = impl::prepare_inplace(*this, {&other});
  auto node = impl::inplace_node<SubBackward0>(history, {this, &other});
  if (node) {
    node->self_sizes = sizes();
    node->other_sizes = other.sizes();
  }
  Tensor tangent = impl::inplace_tangent(*this, &other, [](const Tensor& ts, const Tensor& to) { return ts - to; });
  kernels::binary_out<ops::sub>(*this, *this, other);
  impl::finish_inplace(*this, node);
  impl::set_inplace_tangent(*this, std::move(tangent));
  return *this;
}
inline const Tensor& Tensor::sub_(const Scalar& other) const { return sub_(wrapped_scalar_tensor(other)); }
inline const Tensor& Tensor::mul_(const Tensor& other) const {
  using namespace autograd::functions;
  using autograd::SavedVariable;
  const bool history = impl::prepare_inplace(*this, {&other});
  auto node = impl::inplace_node<BinaryPointwiseBackward<ops::mul>>(history, {this, &other});
  if (node) {
    // other's gradient needs self's value from before the update (a copy with its history)
    const unsigned what = node->saves_needed();
    if ((what & saves_self) != 0) node->self = SavedVariable(clone(), false);
    if ((what & saves_other) != 0) node->other = SavedVariable(other, false);
    node->self_sizes = sizes();
    node->other_sizes = other.sizes();
  }
  Tensor tangent =
      impl::inplace_tangent(*this, &other, [&](const Tensor& ts, const Tensor& to) { return ts * other + *this * to; });
  kernels::binary_out<ops::mul>(*this, *this, other);
  impl::finish_inplace(*this, node);
  impl::set_inplace_tangent(*this, std::move(tangent));
  return *this;
}
inline const Tensor& Tensor::mul_(const Scalar& other) const { return mul_(wrapped_scalar_tensor(other)); }
inline const Tensor& Tensor::div_(const Tensor& other) const {
  using namespace autograd::functions;
  using autograd::SavedVariable;
  const bool history = impl::prepare_inplace(*this, {&other});
  auto node = impl::inplace_node<BinaryPointwiseBackward<ops::div>>(history, {this, &other});
  if (node) {
    node->other = SavedVariable(other, false);
    node->self_sizes = sizes();
    node->other_sizes = other.sizes();
  }
  Tensor tangent = impl::inplace_tangent(*this, &other, [&](const Tensor& ts, const Tensor& to) {
    return ts / other - *this * to / (other * other);
  });
  kernels::binary_out<ops::div>(*this, *this, other);
  impl::finish_inplace(*this, node);
  impl::set_inplace_tangent(*this, std::move(tangent));
  if (node && (node->saves_needed() & saves_result) != 0) node->result = SavedVariable(*this, true);
  return *this;
}
inline const Tensor& Tensor::div_(const Scalar& other) const { return div_(wrapped_scalar_tensor(other)); }
inline const Tensor& Tensor::fill_(const Scalar& value) const {
  using namespace autograd::functions;
  using autograd::SavedVariable;
  const bool history = impl::prepare_inplace(*this, {});
  auto node = impl::inplace_node<FillBackward>(history, {this}, "FillBackward2");
  Tensor tangent = impl::inplace_tangent(*this, nullptr, [](const Tensor& ts, const Tensor&) { return zeros_like(ts); });
  kernels::fill_(*this, value);
  impl::finish_inplace(*this, node);
  impl::set_inplace_tangent(*this, std::move(tangent));
  return *this;
}
inline const Tensor& Tensor::zero_() const {
  using namespace autograd::functions;
  using autograd::SavedVariable;
  const bool history = impl::prepare_inplace(*this, {});
  auto node = impl::inplace_node<FillBackward>(history, {this}, "ZeroBackward0");
  Tensor tangent = impl::inplace_tangent(*this, nullptr, [](const Tensor& ts, const Tensor&) { return zeros_like(ts); });
  kernels::fill_(*this, Scalar(0));
  impl::finish_inplace(*this, node);
  impl::set_inplace_tangent(*this, std::move(tangent));
  return *this;
}
inline const Tensor& Tensor::copy_(const Tensor& src) const {
  using namespace autograd::functions;
  using autograd::SavedVariable;
  const bool history = impl::prepare_inplace(*this, {&src});
  auto node = impl::inplace_node<CopyBackwards>(history, {this, &src});
  if (node) node->src_sizes = src.sizes();
  Tensor tangent = impl::inplace_tangent(*this, &src, [](const Tensor&, const Tensor& to) { return to; });
  kernels::copy_(*this, src);
  impl::finish_inplace(*this, node);
  impl::set_inplace_tangent(*this, std::move(tangent));
  return *this;
}
inline const Tensor& Tensor::clamp_(const std::optional<Scalar>& min) const { return clamp_(min, std::nullopt); }
inline const Tensor& Tensor::clamp_(const std::optional<Scalar>& min, const std::optional<Scalar>& max) const {
  using namespace autograd::functions;
  using autograd::SavedVariable;
  if (!min && !max) throw Error("torch.clamp: At least one of 'min' or 'max' must not be None");
  const bool history = impl::prepare_inplace(*this, {});
  auto node = impl::inplace_node<ClampBackward1>(history, {this});
  if (node) {
    node->self = SavedVariable(clone(), false);
    node->min = min;
    node->max = max;
  }
  Tensor clamped;
  {
    NoGradGuard values_only;
    clamped = typegrad::clamp(raw::detach(*this), min, max);
  }
  Tensor tangent = impl::inplace_tangent(*this, nullptr, [&](const Tensor& ts, const Tensor&) {
    Tensor r = ts;
    if (max) r = where(*this <= *max, r, Scalar(0.0));
    if (min) r = where(*this >= *min, r, Scalar(0.0));
    return r;
  });
  kernels::copy_(*this, clamped);
  impl::finish_inplace(*this, node);
  impl::set_inplace_tangent(*this, std::move(tangent));
  return *this;
}

}  // namespace typegrad
