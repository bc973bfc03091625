#pragma once
/// \file autograd/accumulate_grad.hpp
/// AccumulateGrad, the node at every leaf that requires grad (`next_functions` shows it as
/// `(AccumulateGrad, 0)`), and gradient_edge(t): where a gradient for t must be sent.
///
/// The first backward sets `.grad` to a new tensor (the incoming one when nothing else holds
/// it, else a copy); later ones add in place, or out of place under create_graph so the sum
/// keeps its history. Post-accumulate-grad hooks run after each update.
#include <cstdint>
#include <limits>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include <typegrad/autograd/grad_mode.hpp>
#include <typegrad/autograd/meta.hpp>
#include <typegrad/autograd/node.hpp>
#include <typegrad/functions/fwd.hpp>
#include <typegrad/tensor/geometry.hpp>
#include <typegrad/tensor/raw.hpp>

namespace typegrad::autograd {

class AccumulateGrad final : public Node {
 public:
  explicit AccumulateGrad(Tensor variable)
      : Node(std::numeric_limits<std::uint64_t>::max(), {}), variable_(std::move(variable)) {
    add_input_metadata(variable_);
  }
  std::string name() const override { return "torch::autograd::AccumulateGrad"; }
  /// The leaf this node accumulates into.
  const Tensor& variable() const noexcept { return variable_; }
  bool is_accumulate_grad() const noexcept override { return true; }

  hook_list<tensor_hook>* tensor_hooks(std::size_t, bool) override { return &detail::materialize_meta(variable_).leaf_hooks; }

  /// torch's gradient layout contract: `.grad` has the variable's strides when those are dense
  /// and non-overlapping, else contiguous ones (never stride 0 from an expanded gradient, which
  /// later in-place accumulation could not write).
  bool obeys_layout_contract(const Tensor& g) const {
    if (g.sizes() != variable_.sizes()) return false;
    if (typegrad::detail::is_non_overlapping_and_dense(variable_.sizes(), variable_.strides())) {
      return g.strides() == variable_.strides();
    }
    return typegrad::detail::is_contiguous_layout(g.sizes(), g.strides());
  }
  /// The incoming gradient becomes `.grad` itself when nobody else sees it or its memory.
  bool may_steal(const Tensor& g) const {
    return g.unsafe_get_impl().use_count() == 1 && g.storage().use_count() == 1 && !detail::meta(g) &&
           obeys_layout_contract(g);
  }
  Tensor copy_obeying_layout_contract(const Tensor& g) const {
    if (!typegrad::detail::is_non_overlapping_and_dense(variable_.sizes(), variable_.strides())) {
      // A new contiguous tensor: contiguous() makes one unless g already is (then clone() does).
      return typegrad::detail::is_contiguous_layout(g.sizes(), g.strides()) ? raw::clone(g) : raw::contiguous(g);
    }
    Tensor out = Tensor::empty_strided(variable_.sizes(), variable_.strides(), g.dtype(), /*zero_fill=*/false);
    raw::copy_elements(out, g);
    return out;
  }

  tensor_list apply(tensor_list&& grads) override {
    Tensor g = std::move(grads.at(0));
    if (!g.defined()) return {};
    auto& m = detail::materialize_meta(variable_);
    {
      std::lock_guard<std::mutex> lock(m.mutex);
      if (!m.grad.defined()) {
        if (GradMode::is_enabled()) m.grad = g;  // create_graph: keep the history
        else if (may_steal(g)) m.grad = g;
        else m.grad = copy_obeying_layout_contract(g);
      } else if (!GradMode::is_enabled()) {
        m.grad.add_(g);
      } else {
        m.grad = m.grad + g;
      }
    }
    for (const auto& hook : m.post_accumulate_grad_hooks.snapshot()) {
      if (!hook->removed) hook->fn(variable_);
    }
    return {};
  }

 private:
  Tensor variable_;
};

namespace detail {

/// The leaf's AccumulateGrad, created on first use and shared by every use while the graph lives.
inline std::shared_ptr<Node> grad_accumulator(const Tensor& leaf) {
  auto& m = materialize_meta(leaf);
  std::lock_guard<std::mutex> lock(m.mutex);
  if (auto existing = m.grad_accumulator.lock()) return existing;
  auto node = std::make_shared<AccumulateGrad>(leaf);
  m.grad_accumulator = node;
  return node;
}

/// Where t's gradient goes: (grad_fn, output_nr), (AccumulateGrad, 0) for a leaf requiring
/// grad, or an invalid edge.
inline Edge gradient_edge(const Tensor& t) {
  if (!t.defined()) return {};
  if (const auto& fn = grad_fn_of(t)) return {fn, meta(t)->output_nr};
  if (t.unsafe_get_impl()->requires_grad) return {grad_accumulator(t), 0};
  return {};
}

}  // namespace detail
}  // namespace typegrad::autograd
