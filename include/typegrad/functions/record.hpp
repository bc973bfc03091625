#pragma once
/// \file functions/record.hpp
/// How a differentiable operation records itself (torch's VariableType boilerplate): when
/// grad mode is on and a differentiable input requires grad, it makes its backward node with
/// one next edge per tensor input, computes the result without history, and makes the node
/// the results' grad_fn.
///
///     auto node = record::node_for<MulBackward0>({&a, &b});   // null: nothing to record
///     Tensor y = kernels::binary<ops::mul>(a, b);
///     if (node) { node->self_ = SavedVariable(a, false); ...; record::set_history(y, node); }
#include <initializer_list>
#include <memory>
#include <utility>

#include <typegrad/autograd/accumulate_grad.hpp>
#include <typegrad/autograd/grad_mode.hpp>
#include <typegrad/autograd/meta.hpp>
#include <typegrad/autograd/node.hpp>
#include <typegrad/error.hpp>
#include <typegrad/tensor/tensor.hpp>

namespace typegrad::record {

using autograd::Edge;
using autograd::edge_list;
using autograd::Node;

/// Should an operation on these inputs record history?
inline bool needs_history(std::initializer_list<const Tensor*> inputs) {
  if (!GradMode::is_enabled()) return false;
  for (const Tensor* t : inputs)
    if (t && autograd::detail::requires_grad(*t)) return true;
  return false;
}

/// One next edge per input (an invalid edge for inputs that do not require grad).
inline edge_list edges_of(std::initializer_list<const Tensor*> inputs) {
  edge_list edges;
  edges.reserve(inputs.size());
  for (const Tensor* t : inputs) edges.push_back(t ? autograd::detail::gradient_edge(*t) : Edge{});
  return edges;
}

/// The node of an operation on `inputs`, or null when nothing needs recording.
template <class N, class... Args> std::shared_ptr<N> node_for(std::initializer_list<const Tensor*> inputs, Args&&... args) {
  if (!needs_history(inputs)) return nullptr;
  auto node = std::make_shared<N>(std::forward<Args>(args)...);
  node->set_next_edges(edges_of(inputs));
  return node;
}

/// Makes `node` the history of `out` (its next output); a result of a dtype that cannot
/// require grad (Long, Bool) gets none.
inline void set_history(const Tensor& out, const std::shared_ptr<Node>& node) {
  if (!node || !is_differentiable(out.dtype())) return;
  autograd::detail::set_history(out, node);
}

/// torch's check_inplace: in-place operations on leaves that require grad (and on views of
/// them) are refused while grad mode is on; inference tensors only change inside the mode.
inline void check_inplace(const Tensor& t) {
  const auto& impl = *t.unsafe_get_impl();
  if (impl.is_inference && !InferenceMode::is_enabled()) {
    throw Error("Inplace update to inference tensor outside InferenceMode is not allowed.You can make a clone to get "
                "a normal tensor before doing inplace update.See https://github.com/pytorch/rfcs/pull/17 for more "
                "details.");
  }
  if (!GradMode::is_enabled()) return;
  auto* m = autograd::detail::meta(t);
  if (m && m->is_view && m->base.defined()) {
    const auto& b = *m->base.unsafe_get_impl();
    auto* bm = autograd::detail::meta(m->base);
    if (b.requires_grad && !(bm && bm->grad_fn)) {
      throw Error("a view of a leaf Variable that requires grad is being used in an in-place operation.");
    }
  }
  if (impl.requires_grad && !(m && m->grad_fn)) {
    throw Error("a leaf Variable that requires grad is being used in an in-place operation.");
  }
}

}  // namespace typegrad::record
