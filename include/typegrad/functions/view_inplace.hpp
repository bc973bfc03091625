#pragma once
/// \file functions/view_inplace.hpp
/// In-place operations on views, as torch records them. When `v`, a view of `base`, is changed
/// in place with history, the operation's node `fn` is not v's history alone: base's values
/// changed too. So (torch's rebase_history for views)
///   - base's history becomes CopySlices(fn): its backward takes the slice of base's gradient
///     that v covers, runs fn on it and puts fn's result back in that slice; fn's other inputs
///     (the `other` of `v.mul_(other)`) get fn's gradients directly;
///   - every view of base whose memory changed since its grad_fn was set (the shared version
///     counter tells) gets AsStridedBackward0 of base's new history the next time its grad_fn
///     is asked for (autograd::detail::grad_fn_of).
/// Both nodes address elements by where they sit in memory: the view's elements are found among
/// base's by their storage offsets, once, at the node's first backward. The backward formulas are
/// index_select / index_add, so they are differentiable (create_graph) like every other node.
///
/// The views of a multi-view function (split, chunk, unbind) and views made without grad mode
/// refuse such updates with torch's errors.
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <typegrad/autograd/accumulate_grad.hpp>
#include <typegrad/autograd/forward_grad.hpp>
#include <typegrad/autograd/grad_mode.hpp>
#include <typegrad/autograd/meta.hpp>
#include <typegrad/autograd/node.hpp>
#include <typegrad/autograd/saved_variable.hpp>
#include <typegrad/autograd/tensor_methods.hpp>
#include <typegrad/error.hpp>
#include <typegrad/functions/fwd.hpp>
#include <typegrad/tensor/factories.hpp>
#include <typegrad/tensor/kernels/elementwise.hpp>
#include <typegrad/tensor/raw.hpp>

namespace typegrad::autograd {

namespace functions {

/// Sizes, strides and storage offset of a tensor (torch's TensorGeometry).
struct tensor_geometry {
  std::vector<std::int64_t> sizes, strides;
  std::int64_t storage_offset = 0;
  std::int64_t numel() const { return typegrad::detail::numel_of(sizes); }
  static tensor_geometry of(const Tensor& t) { return {t.sizes(), t.strides(), t.storage_offset()}; }
};

namespace impl {

/// The lowest and highest storage offsets a geometry reaches (numel > 0; strides are never
/// negative).
inline std::pair<std::int64_t, std::int64_t> storage_span(const tensor_geometry& g) {
  std::int64_t hi = g.storage_offset;
  for (std::size_t d = 0; d < g.sizes.size(); ++d) hi += (g.sizes[d] - 1) * g.strides[d];
  return {g.storage_offset, hi};
}

/// For each element of `view` (flattened in its logical order), the flat logical index of the
/// element of `base` at the same place in memory: a 1-d Long tensor.
inline Tensor view_positions_in_base(const tensor_geometry& base, const tensor_geometry& view) {
  const std::int64_t n = view.numel();
  if (n == 0) return zeros({0}, dtype(kLong));
  if (base.numel() == 0) throw Error("internal error: a view with elements of a base without any");
  const auto [lo, hi] = storage_span(base);
  const auto [vlo, vhi] = storage_span(view);
  if (vlo < lo || vhi > hi) throw Error("internal error: a view reaches outside its base's memory");
  // which base element sits at each storage offset of base's span (-1: none)
  const Tensor owner = full({hi - lo + 1}, -1, dtype(kLong));
  const Tensor ids = arange(base.numel(), dtype(kLong));
  raw::copy_elements(raw::alias(owner, base.sizes, base.strides, base.storage_offset - lo),
                     raw::alias(ids, base.sizes, typegrad::detail::contiguous_strides(base.sizes), 0));
  Tensor at = raw::reshape(raw::contiguous(raw::alias(owner, view.sizes, view.strides, view.storage_offset - lo)), {n});
  const auto* p = at.data_ptr<std::int64_t>();
  for (std::int64_t i = 0; i < n; ++i)
    if (p[i] < 0) throw Error("internal error: an element of a view is not an element of its base");
  return at;
}

}  // namespace impl

/// The grad_fn of a view whose memory changed in place: base's gradient is the view's gradient
/// at the view's elements and zero elsewhere.
class AsStridedBackward0 final : public Node {
 public:
  AsStridedBackward0(tensor_geometry base, tensor_geometry view) : base_(std::move(base)), view_(std::move(view)) {}
  std::string name() const override { return "AsStridedBackward0"; }
  tensor_list apply(tensor_list&& grads) override {
    if (!grads[0].defined() || !should_compute_output(0)) return {Tensor()};
    if (!positions_.defined()) positions_ = impl::view_positions_in_base(base_, view_);
    const Tensor flat = zeros({base_.numel()}, dtype(grads[0].dtype()));
    return {index_add(flat, 0, positions_, grads[0].reshape({-1})).reshape(base_.sizes)};
  }

 private:
  tensor_geometry base_, view_;
  Tensor positions_;
};

/// The history of a base after one of its views was changed in place by the operation whose
/// node is `fn`: base's gradient with the view's slice replaced by what fn makes of that slice.
class CopySlices final : public Node {
 public:
  CopySlices(const Tensor& base, const Tensor& view, std::shared_ptr<Node> fn)
      : base_(tensor_geometry::of(base)), view_(tensor_geometry::of(view)), fn_(std::move(fn)) {
    // fn's next edges, except the first (the view's old history), which becomes base's
    edge_list edges{detail::gradient_edge(base)};
    for (std::size_t i = 1; i < fn_->num_outputs(); ++i) edges.push_back(fn_->next_edge(i));
    set_next_edges(std::move(edges));
  }
  std::string name() const override { return "CopySlices"; }
  tensor_list apply(tensor_list&& grads) override {
    tensor_list out(num_outputs());
    if (!grads[0].defined()) return out;
    if (!fn_) throw Error(detail::backward_twice_message);
    if (!positions_.defined()) positions_ = impl::view_positions_in_base(base_, view_);
    const Tensor flat = grads[0].reshape({-1});
    const Tensor slice = index_select(flat, 0, positions_);
    tensor_list res = fn_->apply({slice.reshape(view_.sizes)});
    if (should_compute_output(0)) {
      Tensor replaced = res[0].defined() ? res[0].to(slice.dtype()).reshape({-1}) : zeros_like(slice);
      out[0] = index_add(flat, 0, positions_, replaced - slice).reshape(base_.sizes);
    }
    for (std::size_t i = 1; i < out.size() && i < res.size(); ++i)
      if (should_compute_output(i)) out[i] = std::move(res[i]);
    return out;
  }
  void release_variables() override { fn_.reset(); }

 private:
  tensor_geometry base_, view_;
  std::shared_ptr<Node> fn_;
  Tensor positions_;
};

namespace impl {

/// torch's error for an in-place change (of the view itself, or of its base or another view of
/// it) of a view that must not be changed with history.
inline std::string modified_view_message(const AutogradMeta& m, bool through_base) {
  const std::string what = through_base ? "is a view and its base or another view of its base has been modified inplace"
                                        : "is a view and is being modified inplace";
  if (m.creation == view_creation::by_multi_view_function) {
    return "Output " + std::to_string(m.output_nr) + " of " + (m.grad_fn ? m.grad_fn->name() : std::string("a function")) +
           " " + what +
           ". This view is the output of a function that returns multiple views. Such functions do not allow the output "
           "views to be modified inplace. You should replace the inplace operation by an out-of-place one.";
  }
  return std::string("A view was created in no_grad mode and ") +
         (through_base ? "its base or another view of its base has been modified inplace"
                       : "is being modified inplace") +
         " with grad mode enabled. Given that this use case is ambiguous and error-prone, it is forbidden. You can "
         "clarify your code by moving both the view and the inplace either both inside the no_grad block (if you don't "
         "want the inplace to be tracked) or both outside (if you want the inplace to be tracked).";
}

/// Before an in-place operation on `self` (`history`: it will be recorded): views that must
/// not change with history refuse. A view made without grad mode counts as requiring grad when
/// its base does, as in torch.
inline void check_inplace_on_view(const Tensor& self, bool history) {
  auto* m = detail::meta(self);
  if (!m || !m->is_view || m->creation == view_creation::in_grad_mode) return;
  if (history || (GradMode::is_enabled() && detail::requires_grad(m->base))) throw Error(modified_view_message(*m, false));
}

/// After an in-place operation on the view `self` recorded as `fn`: base's history becomes
/// CopySlices(fn); the view's grad_fn follows on its next use.
inline void rebase_view_history(const Tensor& self, const std::shared_ptr<Node>& fn) {
  auto& m = detail::materialize_meta(self);
  const Tensor& base = m.base;
  auto node = std::make_shared<CopySlices>(base, self, fn);
  auto& bm = detail::materialize_meta(base);
  if (bm.retains_grad && bm.grad_fn) bm.grad_fn->set_retains_grad_hook(bm.output_nr, nullptr);
  bm.grad_fn = node;
  bm.output_nr = node->add_input_metadata(base);
  if (bm.retains_grad) detail::install_retains_grad(base);
}

/// After an in-place operation gave the view `self` the tangent `tangent`: base's tangent
/// changes at the view's elements (base gets a zero tangent if it had none), and the view's
/// tangent is that part of base's, as a view's tangent is in torch.
inline void set_view_tangent(const Tensor& self, const AutogradMeta& m, const Tensor& tangent) {
  const Tensor& base = m.base;
  Tensor tb = forward_ad::detail::tangent_of(base);
  if (!tb.defined() || tb.strides() != base.strides()) {
    Tensor laid_out = Tensor::empty_strided(base.sizes(), base.strides(), base.dtype());
    if (tb.defined()) kernels::copy_(laid_out, tb);
    forward_ad::detail::set_tangent(base, laid_out);
    tb = laid_out;
  }
  Tensor part = raw::alias(tb, self.sizes(), self.strides(), tb.storage_offset() + self.storage_offset() - base.storage_offset());
  kernels::copy_(part, tangent);
  forward_ad::detail::set_tangent(self, std::move(part));
}

}  // namespace impl
}  // namespace functions

namespace detail {

inline void refresh_view_history(const Tensor& view, AutogradMeta& m) {
  std::lock_guard<std::mutex> lock(m.view_mutex);
  const auto version = view.unsafe_get_impl()->version_counter->version();
  if (m.attr_version == version) return;
  if (m.grad_fn || requires_grad(m.base)) {
    if (m.creation != view_creation::in_grad_mode) throw Error(functions::impl::modified_view_message(m, true));
    auto node = std::make_shared<functions::AsStridedBackward0>(functions::tensor_geometry::of(m.base),
                                                                functions::tensor_geometry::of(view));
    node->set_next_edges({gradient_edge(m.base)});
    if (m.retains_grad && m.grad_fn) m.grad_fn->set_retains_grad_hook(m.output_nr, nullptr);
    m.grad_fn = std::move(node);
    m.output_nr = m.grad_fn->add_input_metadata(view);
    if (m.retains_grad) install_retains_grad(view);
  }
  m.attr_version = version;
}

}  // namespace detail
}  // namespace typegrad::autograd
