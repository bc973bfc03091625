#pragma once
/// \file autograd/graph.hpp
/// torch.autograd.graph: increment_version, GradientEdge / get_gradient_edge (a point of the
/// graph usable as an output or input of grad() and backward()), and the saved-tensor hooks
/// (graph::saved_tensors_hooks, defined in saved_variable.hpp).
///
///     auto e = tg::autograd::graph::get_gradient_edge(h);          // (h.grad_fn(), h.output_nr())
///     auto g = tg::autograd::grad({loss}, std::vector{e});         // dloss/dh without retaining h
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <typegrad/autograd/accumulate_grad.hpp>
#include <typegrad/autograd/autograd.hpp>
#include <typegrad/autograd/engine.hpp>
#include <typegrad/autograd/meta.hpp>
#include <typegrad/autograd/saved_variable.hpp>
#include <typegrad/error.hpp>
#include <typegrad/tensor/factories.hpp>

namespace typegrad::autograd::graph {

/// Bumps the tensor's version counter (also for integer tensors and under inference mode).
inline void increment_version(const Tensor& t) { t.version_counter()->bump(); }

/// A gradient edge: input `output_nr` of `node` (torch.autograd.graph.GradientEdge).
struct GradientEdge {
  std::shared_ptr<Node> node;
  std::uint32_t output_nr = 0;
};

/// Where t's gradient enters the graph: (grad_fn, output_nr), or (AccumulateGrad, 0) for a leaf.
inline GradientEdge get_gradient_edge(const Tensor& t) {
  if (!t.requires_grad()) {
    throw Error("It is not possible to get the gradient edge for a Tensor that does not require gradients");
  }
  Edge e = detail::gradient_edge(t);
  return {e.function, e.input_nr};
}

}  // namespace typegrad::autograd::graph

namespace typegrad::autograd {

/// grad() with gradient edges as inputs: the gradients flowing into those edges.
inline tensor_list grad(const tensor_list& outputs, const std::vector<graph::GradientEdge>& inputs,
                        const tensor_list& grad_outputs = {}, std::optional<bool> retain_graph = std::nullopt,
                        bool create_graph = false, std::optional<bool> allow_unused = std::nullopt,
                        bool materialize_grads = false) {
  if (materialize_grads) throw Error("materialize_grads cannot be used when the given input is a GradientEdge");
  if (inputs.empty()) throw Error("grad requires non-empty inputs.");
  tensor_list grads = detail::make_grads(outputs, grad_outputs);
  edge_list roots = detail::root_edges(outputs);
  edge_list edges;
  for (const auto& e : inputs) edges.push_back({e.node, e.output_nr});
  tensor_list result = run_engine(roots, std::move(grads), retain_graph.value_or(create_graph), create_graph,
                                  /*accumulate_grad=*/false, edges);
  if (!allow_unused.value_or(false)) {
    for (const auto& r : result) {
      if (!r.defined()) {
        throw Error("One of the differentiated Tensors appears to not have been used in the graph. Set "
                    "allow_unused=True if this is the desired behavior.");
      }
    }
  }
  return result;
}

/// backward() from gradient edges (with their gradients given explicitly).
inline void backward(const std::vector<graph::GradientEdge>& roots, const tensor_list& grad_tensors,
                     std::optional<bool> retain_graph = std::nullopt, bool create_graph = false) {
  if (roots.size() != grad_tensors.size()) {
    throw Error("backward from gradient edges needs one gradient per edge (got " + std::to_string(roots.size()) +
                " edges and " + std::to_string(grad_tensors.size()) + " gradients)");
  }
  edge_list edges;
  for (const auto& e : roots) edges.push_back({e.node, e.output_nr});
  run_engine(edges, grad_tensors, retain_graph.value_or(create_graph), create_graph, /*accumulate_grad=*/true, {});
}

}  // namespace typegrad::autograd
