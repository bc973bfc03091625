#pragma once
/// \file autograd/functional_utils.hpp
/// The plumbing of tg::autograd::functional: user functions seen as functions of tensor lists,
/// and the helpers of torch/autograd/functional.py that every entry point shares (input
/// preprocessing, checks of v and of strict mode, grad() over the differentiable outputs,
/// zeros for unused inputs), with torch's messages.
#include <concepts>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <typegrad/autograd/autograd.hpp>
#include <typegrad/autograd/tensor_methods.hpp>
#include <typegrad/error.hpp>
#include <typegrad/functions/shape.hpp>
#include <typegrad/tensor/factories.hpp>

namespace typegrad::autograd::functional::detail {

/// A function of a tensor list returning a tensor list: every user function, seen uniformly.
using list_fn = std::function<tensor_list(const tensor_list&)>;

/// Tensor when `fn(in)` gives something convertible to a Tensor, else tensor_list.
template <class F, class In>
using result_t = std::conditional_t<std::is_convertible_v<std::invoke_result_t<F&, const In&>, Tensor>, Tensor, tensor_list>;

/// A callable the functional API accepts for inputs of type In (Tensor or tensor_list).
template <class F, class In>
concept function_of = std::invocable<F&, const In&> && (std::is_convertible_v<std::invoke_result_t<F&, const In&>, Tensor> ||
                                                       std::is_convertible_v<std::invoke_result_t<F&, const In&>, tensor_list>);

template <class In, class F> list_fn as_list_fn(F& fn) {
  return [&fn](const tensor_list& xs) -> tensor_list {
    const auto call = [&]() -> decltype(auto) {
      if constexpr (std::is_same_v<In, Tensor>) return fn(xs.at(0));
      else return fn(xs);
    };
    if constexpr (std::is_same_v<result_t<F, In>, Tensor>) return {Tensor(call())};
    else return tensor_list(call());
  };
}

/// The optional `v` as a list; an undefined Tensor counts as None.
inline std::optional<tensor_list> as_optional_list(const std::optional<Tensor>& v) {
  if (!v || !v->defined()) return std::nullopt;
  return tensor_list{*v};
}
inline std::optional<tensor_list> as_optional_list(const std::optional<tensor_list>& v) { return v; }
/// A list result as the public type: a Tensor result is the list's single element.
template <class T> T from_list(const tensor_list& ts) {
  if constexpr (std::is_same_v<T, Tensor>) return ts.at(0);
  else return ts;
}

/// torch's _grad_preprocess: a new tensor object per input, detached and requiring grad
/// (need_graph), or, with create_graph and an input that requires grad, a differentiable alias
/// (so gradients flow back to the caller's tensors and the function's own captures of them
/// stay distinguishable).
inline tensor_list grad_preprocess(const tensor_list& inputs, bool create_graph, bool need_graph) {
  tensor_list r;
  r.reserve(inputs.size());
  for (const auto& in : inputs) {
    if (create_graph && in.requires_grad()) r.push_back(in.view(in.sizes()));
    else r.push_back(in.detach().requires_grad_(need_graph));
  }
  return r;
}

/// torch's _grad_postprocess: results without history unless create_graph.
inline tensor_list grad_postprocess(tensor_list ts, bool create_graph) {
  if (!create_graph)
    for (auto& t : ts) t = t.detach();
  return ts;
}
inline std::vector<tensor_list> grad_postprocess(std::vector<tensor_list> nested, bool create_graph) {
  for (auto& ts : nested) ts = grad_postprocess(std::move(ts), create_graph);
  return nested;
}

/// torch's _validate_v: one v per tensor of `other`, with its sizes.
inline void validate_v(const tensor_list& v, const tensor_list& other, bool other_is_list) {
  if (v.size() != other.size()) {
    if (other_is_list) {
      throw Error("v is a tuple of invalid length: should be " + std::to_string(other.size()) + " but got " +
                  std::to_string(v.size()) + ".");
    }
    throw Error("The given v should contain a single Tensor.");
  }
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (v[i].sizes() != other[i].sizes()) {
      const std::string prepend = other_is_list ? "Entry " + std::to_string(i) + " in " : "";
      throw Error(prepend + "v has invalid size: should be " + typegrad::detail::format_int_list(other[i].sizes()) +
                  " but got " + typegrad::detail::format_int_list(v[i].sizes()) + ".");
    }
  }
}

/// What _check_requires_grad is looking at, for its message.
enum class checked { outputs, grad_inputs, jacobian, hessian };

/// torch's _check_requires_grad: in strict mode, every tensor must exist and require grad.
inline void check_requires_grad(const tensor_list& ts, checked kind, bool strict) {
  if (!strict) return;
  for (std::size_t i = 0; i < ts.size(); ++i) {
    const std::string n = std::to_string(i);
    if (!ts[i].defined()) {
      throw Error("The output of the user-provided function is independent of input " + n +
                  ". This is not allowed in strict mode.");
    }
    if (ts[i].requires_grad()) continue;
    switch (kind) {
      case checked::hessian:
        throw Error("The hessian of the user-provided function with respect to input " + n +
                    " is independent of the input. This is not allowed in strict mode. You should ensure that your "
                    "function is thrice differentiable and that the hessian depends on the inputs.");
      case checked::jacobian:
        throw Error("While computing the hessian, found that the jacobian of the user-provided function with respect to "
                    "input " +
                    n +
                    " is independent of the input. This is not allowed in strict mode. You should ensure that your "
                    "function is twice differentiable and that the jacobian depends on the inputs (this would be "
                    "violated by a linear function for example).");
      case checked::grad_inputs:
        throw Error("The gradient with respect to input " + n +
                    " is independent of the inputs of the user-provided function. This is not allowed in strict mode.");
      case checked::outputs:
        throw Error("Output " + n +
                    " of the user-provided function does not require gradients. The outputs must be computed in a "
                    "differentiable manner from the input when running in strict mode.");
    }
  }
}

/// torch's _autograd_grad: grad() over the outputs that exist and require grad (undefined
/// results for every input when there are none), unused inputs giving undefined tensors.
inline tensor_list autograd_grad(const tensor_list& outputs, const tensor_list& inputs,
                                 const std::optional<tensor_list>& grad_outputs, bool create_graph,
                                 std::optional<bool> retain_graph = std::nullopt) {
  tensor_list used_outputs;
  tensor_list used_grads;
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    if (!outputs[i].defined() || !outputs[i].requires_grad()) continue;
    used_outputs.push_back(outputs[i]);
    used_grads.push_back(grad_outputs ? grad_outputs->at(i) : Tensor());
  }
  if (used_outputs.empty()) return tensor_list(inputs.size());
  return autograd::grad(used_outputs, inputs, used_grads, retain_graph, create_graph, /*allow_unused=*/true);
}

/// Which backward produced the gradients _fill_in_zeros looks at, for its message.
enum class stage { back, back_trick, double_back, double_back_trick };

/// torch's _fill_in_zeros: undefined gradients become zeros shaped like `refs[i]`, or, in
/// strict mode, torch's error; with create_graph, strict mode also refuses constant ones.
inline tensor_list fill_in_zeros(tensor_list grads, const tensor_list& refs, bool strict, bool create_graph, stage s) {
  for (std::size_t i = 0; i < grads.size(); ++i) {
    const std::string n = std::to_string(i);
    if (!grads[i].defined()) {
      if (strict) {
        switch (s) {
          case stage::back:
            throw Error("The output of the user-provided function is independent of input " + n +
                        ". This is not allowed in strict mode.");
          case stage::back_trick:
            throw Error("The gradient with respect to the input is independent of entry " + n +
                        " in the grad_outputs when using the double backward trick to compute forward mode gradients. "
                        "This is not allowed in strict mode.");
          case stage::double_back:
            throw Error("The jacobian of the user-provided function is independent of input " + n +
                        ". This is not allowed in strict mode.");
          case stage::double_back_trick:
            throw Error("The hessian of the user-provided function is independent of entry " + n +
                        " in the grad_jacobian. This is not allowed in strict mode as it prevents from using the double "
                        "backward trick to replace forward mode AD.");
        }
      }
      grads[i] = zeros_like(refs[i]);
    } else if (strict && create_graph && !grads[i].requires_grad()) {
      const bool is_double = s == stage::double_back || s == stage::double_back_trick;
      throw Error(std::string(is_double ? "The hessian" : "The jacobian") + " of the user-provided function is independent of input " +
                  n + ". This is not allowed in strict mode when create_graph=True.");
    }
  }
  return grads;
}

/// out.sizes() followed by in.sizes(): the shape of one Jacobian block.
inline std::vector<std::int64_t> joined_sizes(const Tensor& out, const Tensor& in) {
  auto sizes = out.sizes();
  const auto more = in.sizes();
  sizes.insert(sizes.end(), more.begin(), more.end());
  return sizes;
}

}  // namespace typegrad::autograd::functional::detail
