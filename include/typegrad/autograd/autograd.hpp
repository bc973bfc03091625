#pragma once
/// \file autograd/autograd.hpp
/// tg::autograd::backward and tg::autograd::grad with torch's arguments and checks
/// (torch/autograd/__init__.py and csrc/autograd/autograd.cpp).
///
///     y.backward();                                      // x.grad() += dy/dx
///     auto g = tg::autograd::grad({y}, {x}, {}, true, true);   // returns, never writes .grad
#include <algorithm>
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

/// Python's str(torch.Size): `torch.Size([2, 3])`.
inline std::string torch_size_text(IntArrayRef sizes) { return "torch.Size(" + typegrad::detail::format_int_list(sizes) + ")"; }

/// torch's _make_grads: checks given gradients, makes ones for scalar outputs. With
/// `is_grads_batched`, the first dimension of each given gradient is the batch dimension.
inline tensor_list make_grads(const tensor_list& outputs, const tensor_list& grads, bool is_grads_batched = false) {
  tensor_list result;
  result.reserve(outputs.size());
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    const Tensor& out = outputs[i];
    const Tensor g = i < grads.size() ? grads[i] : Tensor();
    if (g.defined()) {
      if (is_grads_batched && g.dim() == 0) {
        // torch takes grad[0] first
        throw Error("invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in C++ to "
                    "convert a 0-dim tensor to a number");
      }
      std::vector<std::int64_t> sample = g.sizes();
      if (is_grads_batched) sample.erase(sample.begin());
      if (sample != out.sizes()) {
        const std::string where = "grad_output[" + std::to_string(i) + "] has a shape of " + torch_size_text(sample) +
                                  " and output[" + std::to_string(i) + "] has a shape of " +
                                  torch_size_text(out.sizes()) + ".";
        if (is_grads_batched) {
          throw Error("If `is_grads_batched=True`, we interpret the first dimension of each grad_output as the batch "
                      "dimension. The sizes of the remaining dimensions are expected to match the shape of "
                      "corresponding output, but a mismatch was detected: " + where +
                      " If you only want some tensors in `grad_output` to be considered batched, consider using vmap.");
        }
        throw Error("Mismatch in shape: " + where);
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

/// The batch size of is_grads_batched: the first dimension of every given grad_output, all
/// equal (what vmap requires). Every output that requires grad needs one (torch's implicit
/// ones for a scalar output have no batch dimension to map over).
inline std::int64_t batch_size(const tensor_list& outputs, const tensor_list& grads) {
  std::vector<std::int64_t> sizes;
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    const Tensor g = i < grads.size() ? grads[i] : Tensor();
    if (g.defined()) {
      sizes.push_back(g.size(0));  // make_grads, which runs first, refused 0-d ones
    } else if (requires_grad(outputs[i])) {
      throw Error("grad(): is_grads_batched=True needs a batched grad_output for every output that requires grad, "
                  "but output[" + std::to_string(i) + "] has none");
    }
  }
  if (sizes.empty()) throw Error("grad(): is_grads_batched=True needs grad_outputs with a batch dimension");
  if (std::any_of(sizes.begin(), sizes.end(), [&](std::int64_t b) { return b != sizes.front(); })) {
    throw Error("vmap: Expected all tensors to have the same size in the mapped dimension, got sizes " +
                typegrad::detail::format_int_list(sizes) + " for the mapped dimension");
  }
  if (sizes.front() == 0) throw Error("grad(): is_grads_batched=True with an empty batch dimension (size 0)");
  return sizes.front();
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
///
/// `is_grads_batched` (last, so that the positional order of the other arguments stays libtorch's):
/// the first dimension of every grad_output is a batch of vectors, and each result gets that
/// dimension in front: one vector-Jacobian product per vector (computed one after the other,
/// where torch uses vmap; the results are the same).
inline tensor_list grad(const tensor_list& outputs, const tensor_list& inputs, const tensor_list& grad_outputs = {},
                        std::optional<bool> retain_graph = std::nullopt, bool create_graph = false,
                        std::optional<bool> allow_unused = std::nullopt, bool materialize_grads = false,
                        bool is_grads_batched = false) {
  if (materialize_grads && allow_unused.has_value() && !*allow_unused) {
    throw Error("Expected allow_unused to be True or not passed when materialize_grads=True, but got: "
                "allow_unused=False.");
  }
  const bool unused_ok = allow_unused.value_or(materialize_grads);
  if (inputs.empty()) throw Error("grad requires non-empty inputs.");
  const bool keep_graph = retain_graph.value_or(create_graph);
  tensor_list grads = detail::make_grads(outputs, grad_outputs, is_grads_batched);
  edge_list roots = detail::root_edges(outputs);
  edge_list edges = detail::input_edges(inputs);
  tensor_list result;
  std::int64_t batch = 0;
  if (!is_grads_batched) {
    result = run_engine(roots, std::move(grads), keep_graph, create_graph, /*accumulate_grad=*/false, edges);
  } else {
    batch = detail::batch_size(outputs, grad_outputs);
    std::vector<tensor_list> per_vector(inputs.size());
    for (std::int64_t b = 0; b < batch; ++b) {
      tensor_list gb;
      for (const auto& g : grads) gb.push_back(g.defined() ? g.select(0, b) : Tensor());
      tensor_list rb = run_engine(roots, std::move(gb), b + 1 < batch || keep_graph, create_graph,
                                  /*accumulate_grad=*/false, edges);
      for (std::size_t i = 0; i < rb.size(); ++i) per_vector[i].push_back(std::move(rb[i]));
    }
    result.resize(inputs.size());
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      if (per_vector[i].front().defined()) result[i] = stack(per_vector[i]);
    }
  }
  for (std::size_t i = 0; i < result.size(); ++i) {
    if (result[i].defined()) continue;
    if (!unused_ok) {
      throw Error("One of the differentiated Tensors appears to not have been used in the graph. Set allow_unused=True "
                  "if this is the desired behavior.");
    }
    if (materialize_grads) {
      std::vector<std::int64_t> sizes = inputs[i].sizes();
      if (is_grads_batched) sizes.insert(sizes.begin(), batch);
      result[i] = zeros(sizes, TensorOptions().dtype(inputs[i].dtype())).requires_grad_(create_graph);
    }
  }
  return result;
}

}  // namespace typegrad::autograd
