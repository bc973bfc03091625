#pragma once
/// \file autograd/autograd.hpp
/// tg::autograd::backward and tg::autograd::grad with torch's arguments and checks
/// (torch/autograd/__init__.py and csrc/autograd/autograd.cpp).
///
///     y.backward();                                      // x.grad() += dy/dx
///     auto g = tg::autograd::grad({y}, {x}, {}, true, true);   // returns, never writes .grad
#include <iostream>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <typegrad/autograd/accumulate_grad.hpp>
#include <typegrad/autograd/engine.hpp>
#include <typegrad/autograd/grad_mode.hpp>
#include <typegrad/autograd/meta.hpp>
#include <typegrad/error.hpp>
#include <typegrad/functions/fwd.hpp>
#include <typegrad/tensor/factories.hpp>

namespace typegrad::autograd {

namespace detail {

inline std::string shape_text(const Tensor& t) { return "[" + typegrad::detail::format_int_list(t.sizes()).substr(1); }

/// torch's _make_grads: checks given gradients, makes ones for scalar outputs.
inline tensor_list make_grads(const tensor_list& outputs, const tensor_list& grads) {
  tensor_list result;
  result.reserve(outputs.size());
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    const Tensor& out = outputs[i];
    const Tensor g = i < grads.size() ? grads[i] : Tensor();
    if (g.defined()) {
      if (g.sizes() != out.sizes()) {
        throw Error("Mismatch in shape: grad_output[" + std::to_string(i) + "] has a shape of " +
                    typegrad::detail::format_int_list(g.sizes()) + " and output[" + std::to_string(i) +
                    "] has a shape of " + typegrad::detail::format_int_list(out.sizes()) + ".");
      }
      if (out.is_complex() != g.is_complex()) {
        throw Error("For complex Tensors, both grad_output and output are required to have the same dtype. Mismatch "
                    "in dtype: grad_output[" + std::to_string(i) + "] has a dtype of " + std::string(torch_name(g.dtype())) +
                    " and output[" + std::to_string(i) + "] has a dtype of " + std::string(torch_name(out.dtype())) + ".");
      }
      result.push_back(g);
    } else if (requires_grad(out)) {
      if (out.numel() != 1) throw Error("grad can be implicitly created only for scalar outputs");
      if (out.is_complex()) {
        throw Error("grad can be implicitly created only for real scalar outputs but got " + std::string(torch_name(out.dtype())));
      }
      result.push_back(ones_like(out));
    } else {
      result.push_back(Tensor());
    }
  }
  return result;
}

inline edge_list root_edges(const tensor_list& outputs) {
  edge_list roots;
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    Edge e = gradient_edge(outputs[i]);
    if (!e.is_valid()) {
      throw Error("element " + std::to_string(i) + " of tensors does not require grad and does not have a grad_fn");
    }
    roots.push_back(std::move(e));
  }
  return roots;
}

inline edge_list input_edges(const tensor_list& inputs) {
  edge_list edges;
  for (const auto& t : inputs) {
    if (!requires_grad(t)) throw Error("One of the differentiated Tensors does not require grad");
    edges.push_back(gradient_edge(t));
  }
  return edges;
}

}  // namespace detail

/// Accumulates d(sum of tensors * grad_tensors)/d(leaf) into every reachable leaf's .grad,
/// or only into the .grad of `inputs` when given (non-leaf inputs then retain their grad).
/// An explicitly empty `inputs` is torch's error; std::nullopt (or `{}`) means "not given".
inline void backward(const tensor_list& tensors, const tensor_list& grad_tensors = {},
                     std::optional<bool> retain_graph = std::nullopt, bool create_graph = false,
                     const std::optional<tensor_list>& inputs = std::nullopt) {
  if (inputs && inputs->empty()) throw Error("`inputs` argument to `backward()` cannot be empty.");
  if (create_graph) {
    std::cerr << "Warning: Using backward() with create_graph=True will create a reference cycle between the parameter "
                 "and its gradient which can cause a memory leak. We recommend using autograd.grad when creating the "
                 "graph to avoid this. If you have to use this function, make sure to reset the .grad fields of your "
                 "parameters to None after use to break the cycle and avoid the leak.\n";
  }
  const bool keep_graph = retain_graph.value_or(create_graph);
  tensor_list grads = detail::make_grads(tensors, grad_tensors);
  edge_list roots = detail::root_edges(tensors);
  edge_list outputs;
  if (inputs) {
    for (const auto& t : *inputs) {
      if (!detail::requires_grad(t)) throw Error("One of the differentiated Tensors does not require grad");
      if (!t.is_leaf()) t.retain_grad();
      outputs.push_back(detail::gradient_edge(t));
    }
  }
  run_engine(roots, std::move(grads), keep_graph, create_graph, /*accumulate_grad=*/true, outputs);
}

/// The gradients of sum(outputs * grad_outputs) with respect to `inputs`, in order; never
/// writes .grad. allow_unused (defaults to materialize_grads) lets unreachable inputs give an
/// undefined tensor, or zeros with materialize_grads.
inline tensor_list grad(const tensor_list& outputs, const tensor_list& inputs, const tensor_list& grad_outputs = {},
                        std::optional<bool> retain_graph = std::nullopt, bool create_graph = false,
                        std::optional<bool> allow_unused = std::nullopt, bool materialize_grads = false) {
  if (materialize_grads && allow_unused.has_value() && !*allow_unused) {
    throw Error("Expected allow_unused to be True or not passed when materialize_grads=True, but got: "
                "allow_unused=False.");
  }
  const bool unused_ok = allow_unused.value_or(materialize_grads);
  if (inputs.empty()) throw Error("grad requires non-empty inputs.");
  const bool keep_graph = retain_graph.value_or(create_graph);
  tensor_list grads = detail::make_grads(outputs, grad_outputs);
  edge_list roots = detail::root_edges(outputs);
  edge_list edges = detail::input_edges(inputs);
  tensor_list result = run_engine(roots, std::move(grads), keep_graph, create_graph, /*accumulate_grad=*/false, edges);
  for (std::size_t i = 0; i < result.size(); ++i) {
    if (result[i].defined()) continue;
    if (!unused_ok) {
      throw Error("One of the differentiated Tensors appears to not have been used in the graph. Set allow_unused=True "
                  "if this is the desired behavior.");
    }
    if (materialize_grads) result[i] = zeros_like(inputs[i]).requires_grad_(create_graph);
  }
  return result;
}

}  // namespace typegrad::autograd
