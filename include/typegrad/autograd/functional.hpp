#pragma once
/// \file autograd/functional.hpp
/// tg::autograd::functional: jacobian, hessian, vjp, jvp, hvp, vhp with torch's arguments,
/// shapes and messages (torch/autograd/functional.py).
///
///     auto f = [](const tg::Tensor& x) { return x.pow(3); };
///     tg::Tensor J = tg::autograd::functional::jacobian(f, x);        // sizes: out + in
///     auto g = [](const tg::tensor_list& xs) { return tg::tensor_list{xs[0] * xs[1], sin(xs[0])}; };
///     std::vector<tg::tensor_list> Js = tg::autograd::functional::jacobian(g, {x, y});   // Js[out][in]
///     auto [out, vj] = tg::autograd::functional::vjp(f, x, v);          // (f(x), v^T J)
///     auto [y0, hv] = tg::autograd::functional::hvp(loss, x, v);        // (loss(x), H v)
///
/// A function takes `const tg::Tensor&` or `const tg::tensor_list&` (the `inputs` argument
/// decides which: a Tensor, or a braced list of them) and returns a Tensor or a tensor_list;
/// give its parameter a type (a generic lambda must compile for both). Results follow torch's
/// nesting: a Tensor where torch returns a Tensor, a tensor_list where it returns a tuple,
/// std::vector<tensor_list> for a tuple of tuples, std::pair for (func_output, result). A
/// `v` left out (std::nullopt, or an undefined Tensor) is torch's `v=None`.
///
/// The inputs are detached and made to require grad inside (or, with create_graph, aliased
/// differentiably), so the results are plain tensors unless create_graph; `strict` raises
/// torch's errors where an output does not depend on an input, else such entries are zeros.
///
/// Without vmap and batched forward AD, `vectorize = true` computes the same rows one backward
/// at a time, and `strategy = "forward-mode"` (which torch allows only with vectorize) builds
/// Jacobian columns with jvp's double-backward trick. The shared helpers (torch's utility
/// functions) are in functional_utils.hpp.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <typegrad/autograd/autograd.hpp>
#include <typegrad/autograd/functional_utils.hpp>
#include <typegrad/autograd/grad_mode.hpp>
#include <typegrad/autograd/tensor_methods.hpp>
#include <typegrad/error.hpp>
#include <typegrad/functions/join.hpp>
#include <typegrad/functions/shape.hpp>
#include <typegrad/tensor/factories.hpp>
#include <typegrad/tensor/raw.hpp>

namespace typegrad::autograd::functional {

namespace detail {

/// torch.autograd.functional.vjp on lists: (fn(inputs), v^T J).
inline std::pair<tensor_list, tensor_list> vjp(const list_fn& fn, const tensor_list& inputs_in,
                                               const std::optional<tensor_list>& v_in, bool create_graph, bool strict,
                                               bool outputs_are_list) {
  tensor_list inputs;
  tensor_list outputs;
  std::optional<tensor_list> v;
  {
    EnableGradGuard enable_grad;
    inputs = grad_preprocess(inputs_in, create_graph, /*need_graph=*/true);
    outputs = fn(inputs);
    check_requires_grad(outputs, checked::outputs, strict);
    if (v_in) {
      v = grad_preprocess(*v_in, create_graph, /*need_graph=*/false);
      validate_v(*v, outputs, outputs_are_list);
    } else if (outputs.size() != 1 || outputs[0].numel() != 1) {
      throw Error("The vector v can only be None if the user-provided function returns a single Tensor with a single "
                  "element.");
    }
  }
  tensor_list result;
  {
    AutoGradMode mode(create_graph || GradMode::is_enabled());
    result = fill_in_zeros(autograd_grad(outputs, inputs, v, create_graph), inputs, strict, create_graph, stage::back);
  }
  return {grad_postprocess(outputs, create_graph), grad_postprocess(result, create_graph)};
}

/// torch.autograd.functional.jvp on lists: (fn(inputs), J v), by the double-backward trick:
/// u -> u^T J is linear in u, so differentiating it w.r.t. u along v gives J v.
inline std::pair<tensor_list, tensor_list> jvp(const list_fn& fn, const tensor_list& inputs_in,
                                               const std::optional<tensor_list>& v_in, bool create_graph, bool strict,
                                               bool inputs_are_list) {
  tensor_list inputs;
  tensor_list outputs;
  tensor_list grad_outputs;
  tensor_list grad_inputs;
  std::optional<tensor_list> v;
  {
    EnableGradGuard enable_grad;
    inputs = grad_preprocess(inputs_in, create_graph, /*need_graph=*/true);
    if (v_in) {
      v = grad_preprocess(*v_in, create_graph, /*need_graph=*/false);
      validate_v(*v, inputs, inputs_are_list);
    } else if (inputs.size() != 1 || inputs[0].numel() != 1) {
      throw Error("The vector v can only be None if the input to the user-provided function is a single Tensor with a "
                  "single element.");
    }
    outputs = fn(inputs);
    check_requires_grad(outputs, checked::outputs, strict);
    // Backward is linear in grad_outputs: their value never enters the double-backward graph,
    // zeros only have to be finite.
    for (const auto& out : outputs) grad_outputs.push_back(zeros_like(out, typegrad::requires_grad()));
    grad_inputs = autograd_grad(outputs, inputs, grad_outputs, /*create_graph=*/true);
    check_requires_grad(grad_inputs, checked::grad_inputs, strict);
  }
  tensor_list result;
  {
    std::optional<EnableGradGuard> enable_grad;
    if (create_graph) enable_grad.emplace();
    result = fill_in_zeros(autograd_grad(grad_inputs, grad_outputs, v, create_graph), outputs, strict, create_graph,
                           stage::back_trick);
  }
  return {grad_postprocess(outputs, create_graph), grad_postprocess(result, create_graph)};
}

inline void check_strategy(std::string_view strategy) {
  if (strategy != "forward-mode" && strategy != "reverse-mode") {
    throw Error("Expected strategy to be either \"forward-mode\" or \"reverse-mode\". Hint: If your function has more "
                "outputs than inputs, \"forward-mode\" tends to be more performant. Otherwise, prefer to use "
                "\"reverse-mode\".");
  }
}

/// Sets element k (row-major) of a new contiguous tensor to 1.
inline void set_to_one(const Tensor& t, std::int64_t k) {
  visit(t.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    t.data_ptr<T>()[k] = typegrad::detail::convert<T>(1.0);
  });
}

/// torch's _jacfwd: Jacobians column by column, one Jacobian-vector product per input element
/// (torch pushes a batch of tangents through forward AD; typegrad uses jvp's double-backward
/// trick, which gives the same columns). Blocks have the output's dtype, as torch's.
inline std::vector<tensor_list> jacobian_forward(const list_fn& fn, const tensor_list& inputs, bool strict, bool vectorize) {
  if (strict) {
    throw Error("torch.autograd.functional.jacobian: `strict=True` and `strategy=\"forward-mode\"` are not supported "
                "together (yet). Please either set `strict=False` or `strategy=\"reverse-mode\"`.");
  }
  if (!vectorize) {
    // torch's text, the missing space of "isonly" included
    throw Error("Computing Jacobian using forward-AD or forward-over-reverse Hessian isonly implemented for "
                "`vectorize=True`.");
  }
  std::vector<tensor_list> jacobian;  // [out][in], each viewed as (out.numel(), in.numel()) while filled
  tensor_list outputs;
  const auto allocate = [&](const tensor_list& outs) {
    outputs = outs;
    for (const auto& o : outputs) {
      tensor_list blocks;
      for (const auto& in : inputs) blocks.push_back(zeros(joined_sizes(o, in), typegrad::dtype(o.dtype())));
      jacobian.push_back(blocks);
    }
  };
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const std::int64_t n = inputs[i].numel();
    for (std::int64_t k = 0; k < n; ++k) {
      tensor_list basis;
      for (std::size_t m = 0; m < inputs.size(); ++m) basis.push_back(zeros(inputs[m].sizes(), typegrad::dtype(inputs[m].dtype())));
      set_to_one(basis[i], k);
      auto [out, column] = jvp(fn, inputs, basis, /*create_graph=*/false, /*strict=*/false, true);
      if (outputs.empty()) allocate(out);
      for (std::size_t o = 0; o < outputs.size(); ++o) {
        const Tensor block = raw::reshape(jacobian[o][i], {outputs[o].numel(), n});
        raw::copy_elements(raw::select(block, 1, k), raw::reshape(raw::contiguous(column[o]), {-1}));
      }
    }
  }
  if (outputs.empty()) {  // no input element at all: empty blocks shaped by one plain evaluation
    NoGradGuard no_grad;
    allocate(grad_postprocess(fn(inputs), false));
  }
  return jacobian;
}

/// torch.autograd.functional.jacobian on lists: Js[out][in] with sizes out + in.
inline std::vector<tensor_list> jacobian(const list_fn& fn, const tensor_list& inputs_in, bool create_graph, bool strict,
                                         bool vectorize, std::string_view strategy) {
  check_strategy(strategy);
  if (strategy == "forward-mode") {
    if (create_graph) {
      throw Error("torch.autograd.functional.jacobian: `create_graph=True` and `strategy=\"forward-mode\"` are not "
                  "supported together (yet). Please either set `create_graph=False` or `strategy=\"reverse-mode\"`.");
    }
    return jacobian_forward(fn, inputs_in, strict, vectorize);
  }
  EnableGradGuard enable_grad;
  const tensor_list inputs = grad_preprocess(inputs_in, create_graph, /*need_graph=*/true);
  const tensor_list outputs = fn(inputs);
  check_requires_grad(outputs, checked::outputs, strict);
  if (vectorize && strict) {
    throw Error("torch.autograd.functional.jacobian: `strict=True` and `vectorized=True` are not supported together. "
                "Please either set `strict=False` or `vectorize=False`.");
  }
  // vectorize: torch batches the rows through vmap; here they are computed one by one (the
  // same values, strict already refused).
  std::vector<tensor_list> jacobian;
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    const Tensor& out = outputs[i];
    std::vector<tensor_list> rows(inputs.size());
    const Tensor flat = out.reshape({-1});
    for (std::int64_t j = 0; j < out.numel(); ++j) {
      const tensor_list vj = autograd_grad({flat.select(0, j)}, inputs, std::nullopt, create_graph, /*retain_graph=*/true);
      for (std::size_t el = 0; el < inputs.size(); ++el) {
        if (vj[el].defined()) {
          if (strict && create_graph && !vj[el].requires_grad()) {
            throw Error("The jacobian of the user-provided function is independent of input " + std::to_string(i) +
                        ". This is not allowed in strict mode when create_graph=True.");
          }
          rows[el].push_back(vj[el]);
        } else {
          if (strict) {
            throw Error("Output " + std::to_string(i) + " of the user-provided function is independent of input " +
                        std::to_string(el) + ". This is not allowed in strict mode.");
          }
          rows[el].push_back(zeros_like(inputs[el]));
        }
      }
    }
    tensor_list blocks;
    for (std::size_t el = 0; el < inputs.size(); ++el) blocks.push_back(stack(rows[el], 0).view(joined_sizes(out, inputs[el])));
    jacobian.push_back(blocks);
  }
  return grad_postprocess(jacobian, create_graph);
}

/// torch.autograd.functional.hessian on lists: Hs[in][in], the Jacobian of the Jacobian of a
/// function with one single-element output.
inline std::vector<tensor_list> hessian(const list_fn& fn, bool fn_returns_list, const tensor_list& inputs, bool create_graph,
                                        bool strict, bool vectorize, std::string_view outer_jacobian_strategy) {
  if (outer_jacobian_strategy != "forward-mode" && outer_jacobian_strategy != "reverse-mode") {
    throw Error("Expected strategy to be either \"forward-mode\" or \"reverse-mode\".");
  }
  const list_fn single_output = [&fn, fn_returns_list, strict](const tensor_list& xs) -> tensor_list {
    const tensor_list out = fn(xs);
    check_requires_grad(out, checked::outputs, strict);
    if (fn_returns_list || out.size() != 1) throw Error("The function given to hessian should return a single Tensor");
    if (out[0].numel() != 1) {
      throw Error("The Tensor returned by the function given to hessian should contain a single element");
    }
    return {out[0].squeeze()};
  };
  const bool forward_outer = outer_jacobian_strategy == "forward-mode";
  const list_fn jacobian_of_fn = [&single_output, forward_outer, strict](const tensor_list& xs) -> tensor_list {
    // torch makes the inputs require grad for a forward-mode outer Jacobian, whose inputs are
    // not preprocessed.
    if (forward_outer)
      for (const auto& x : xs) x.requires_grad_(true);
    const tensor_list jac = jacobian(single_output, xs, /*create_graph=*/true, false, false, "reverse-mode").at(0);
    check_requires_grad(jac, checked::jacobian, strict);
    return jac;
  };
  return jacobian(jacobian_of_fn, inputs, create_graph, strict, vectorize, outer_jacobian_strategy);
}

/// Shared start of vhp and hvp: preprocessed inputs and v, the single-element output and its
/// gradient with graph.
struct hessian_product_setup {
  tensor_list inputs;
  std::optional<tensor_list> v;
  tensor_list outputs;
  tensor_list jac;
};
inline hessian_product_setup prepare_hessian_product(const char* name, const list_fn& fn, bool fn_returns_list,
                                                     const tensor_list& inputs_in, const std::optional<tensor_list>& v_in,
                                                     bool create_graph, bool strict, bool inputs_are_list) {
  hessian_product_setup s;
  s.inputs = grad_preprocess(inputs_in, create_graph, /*need_graph=*/true);
  if (v_in) {
    s.v = grad_preprocess(*v_in, create_graph, /*need_graph=*/false);
    validate_v(*s.v, s.inputs, inputs_are_list);
  } else if (s.inputs.size() != 1 || s.inputs[0].numel() != 1) {
    throw Error("The vector v can only be None if the input to the user-provided function is a single Tensor with a "
                "single element.");
  }
  s.outputs = fn(s.inputs);
  check_requires_grad(s.outputs, checked::outputs, strict);
  if (fn_returns_list || s.outputs.size() != 1) {
    throw Error("The function given to " + std::string(name) + " should return a single Tensor");
  }
  if (s.outputs[0].numel() != 1) {
    throw Error("The Tensor returned by the function given to " + std::string(name) + " should contain a single element");
  }
  s.jac = autograd_grad(s.outputs, s.inputs, std::nullopt, /*create_graph=*/true);
  check_requires_grad(s.jac, checked::jacobian, strict);
  return s;
}

/// torch.autograd.functional.vhp on lists: (fn(inputs), v^T H).
inline std::pair<tensor_list, tensor_list> vhp(const list_fn& fn, bool fn_returns_list, const tensor_list& inputs,
                                               const std::optional<tensor_list>& v, bool create_graph, bool strict,
                                               bool inputs_are_list) {
  hessian_product_setup s;
  {
    EnableGradGuard enable_grad;
    s = prepare_hessian_product("vhp", fn, fn_returns_list, inputs, v, create_graph, strict, inputs_are_list);
  }
  tensor_list result;
  {
    AutoGradMode mode(create_graph || GradMode::is_enabled());
    result = fill_in_zeros(autograd_grad(s.jac, s.inputs, s.v, create_graph), s.inputs, strict, create_graph,
                           stage::double_back);
  }
  return {grad_postprocess(s.outputs, create_graph), grad_postprocess(result, create_graph)};
}

/// torch.autograd.functional.hvp on lists: (fn(inputs), H v), by the double-backward trick
/// on u -> u^T H.
inline std::pair<tensor_list, tensor_list> hvp(const list_fn& fn, bool fn_returns_list, const tensor_list& inputs,
                                               const std::optional<tensor_list>& v, bool create_graph, bool strict,
                                               bool inputs_are_list) {
  hessian_product_setup s;
  tensor_list grad_jac;
  tensor_list double_back;
  {
    EnableGradGuard enable_grad;
    s = prepare_hessian_product("hvp", fn, fn_returns_list, inputs, v, create_graph, strict, inputs_are_list);
    for (const auto& in : s.inputs) grad_jac.push_back(zeros_like(in, typegrad::requires_grad()));
    double_back = autograd_grad(s.jac, s.inputs, grad_jac, /*create_graph=*/true);
    check_requires_grad(s.jac, checked::hessian, strict);
  }
  tensor_list result;
  {
    AutoGradMode mode(create_graph || GradMode::is_enabled());
    result = fill_in_zeros(autograd_grad(double_back, grad_jac, s.v, create_graph), s.inputs, strict, create_graph,
                           stage::double_back_trick);
  }
  return {grad_postprocess(s.outputs, create_graph), grad_postprocess(result, create_graph)};
}

/// The public result of jacobian for inputs In and outputs Out, torch's nesting.
template <class In, class Out> auto shaped_jacobian(std::vector<tensor_list> js) {
  if constexpr (std::is_same_v<In, Tensor> && std::is_same_v<Out, Tensor>) {
    return js.at(0).at(0);
  } else if constexpr (std::is_same_v<In, Tensor>) {  // one block per output
    tensor_list per_output;
    for (auto& row : js) per_output.push_back(row.at(0));
    return per_output;
  } else if constexpr (std::is_same_v<Out, Tensor>) {  // one block per input
    return tensor_list(js.at(0));
  } else {
    return js;
  }
}

}  // namespace detail

// ---- jacobian -------------------------------------------------------------------------------------

/// torch.autograd.functional.jacobian of fn: Tensor -> Tensor, sizes out + in; with a
/// tensor_list output, one block per output.
template <class F>
  requires detail::function_of<F, Tensor>
auto jacobian(F&& fn, const Tensor& inputs, bool create_graph = false, bool strict = false, bool vectorize = false,
              std::string_view strategy = "reverse-mode") {
  return detail::shaped_jacobian<Tensor, detail::result_t<F, Tensor>>(
      detail::jacobian(detail::as_list_fn<Tensor>(fn), {inputs}, create_graph, strict, vectorize, strategy));
}
/// torch.autograd.functional.jacobian of fn: tensor_list -> tensor_list, Js[out][in]; with a
/// Tensor output, one block per input.
template <class F>
  requires detail::function_of<F, tensor_list>
auto jacobian(F&& fn, const tensor_list& inputs, bool create_graph = false, bool strict = false, bool vectorize = false,
              std::string_view strategy = "reverse-mode") {
  return detail::shaped_jacobian<tensor_list, detail::result_t<F, tensor_list>>(
      detail::jacobian(detail::as_list_fn<tensor_list>(fn), inputs, create_graph, strict, vectorize, strategy));
}

// ---- hessian --------------------------------------------------------------------------------------

/// torch.autograd.functional.hessian of a function with one single-element output: sizes in + in.
template <class F>
  requires detail::function_of<F, Tensor>
Tensor hessian(F&& fn, const Tensor& inputs, bool create_graph = false, bool strict = false, bool vectorize = false,
               std::string_view outer_jacobian_strategy = "reverse-mode") {
  return detail::hessian(detail::as_list_fn<Tensor>(fn), std::is_same_v<detail::result_t<F, Tensor>, tensor_list>, {inputs},
                         create_graph, strict, vectorize, outer_jacobian_strategy)
      .at(0)
      .at(0);
}
/// torch.autograd.functional.hessian over several inputs: Hs[i][j] with sizes in_i + in_j.
template <class F>
  requires detail::function_of<F, tensor_list>
std::vector<tensor_list> hessian(F&& fn, const tensor_list& inputs, bool create_graph = false, bool strict = false,
                                 bool vectorize = false, std::string_view outer_jacobian_strategy = "reverse-mode") {
  return detail::hessian(detail::as_list_fn<tensor_list>(fn), std::is_same_v<detail::result_t<F, tensor_list>, tensor_list>,
                         inputs, create_graph, strict, vectorize, outer_jacobian_strategy);
}

// ---- vjp / jvp -----------------------------------------------------------------------------------

/// torch.autograd.functional.vjp: (fn(inputs), v^T J), v shaped like fn's output (optional
/// when that is a single element), the result shaped like the inputs.
template <class F>
  requires detail::function_of<F, Tensor>
std::pair<detail::result_t<F, Tensor>, Tensor> vjp(F&& fn, const Tensor& inputs,
                                                   const std::optional<detail::result_t<F, Tensor>>& v = std::nullopt,
                                                   bool create_graph = false, bool strict = false) {
  using Out = detail::result_t<F, Tensor>;
  auto [out, r] = detail::vjp(detail::as_list_fn<Tensor>(fn), {inputs}, detail::as_optional_list(v), create_graph, strict,
                              std::is_same_v<Out, tensor_list>);
  return {detail::from_list<Out>(out), r.at(0)};
}
template <class F>
  requires detail::function_of<F, tensor_list>
std::pair<detail::result_t<F, tensor_list>, tensor_list> vjp(F&& fn, const tensor_list& inputs,
                                                             const std::optional<detail::result_t<F, tensor_list>>& v = std::nullopt,
                                                             bool create_graph = false, bool strict = false) {
  using Out = detail::result_t<F, tensor_list>;
  auto [out, r] = detail::vjp(detail::as_list_fn<tensor_list>(fn), inputs, detail::as_optional_list(v), create_graph, strict,
                              std::is_same_v<Out, tensor_list>);
  return {detail::from_list<Out>(out), r};
}

/// torch.autograd.functional.jvp: (fn(inputs), J v), v shaped like the inputs (optional for a
/// single-element input), the result shaped like fn's output.
template <class F>
  requires detail::function_of<F, Tensor>
std::pair<detail::result_t<F, Tensor>, detail::result_t<F, Tensor>> jvp(F&& fn, const Tensor& inputs,
                                                                        const std::optional<Tensor>& v = std::nullopt,
                                                                        bool create_graph = false, bool strict = false) {
  using Out = detail::result_t<F, Tensor>;
  auto [out, r] = detail::jvp(detail::as_list_fn<Tensor>(fn), {inputs}, detail::as_optional_list(v), create_graph, strict, false);
  return {detail::from_list<Out>(out), detail::from_list<Out>(r)};
}
template <class F>
  requires detail::function_of<F, tensor_list>
std::pair<detail::result_t<F, tensor_list>, detail::result_t<F, tensor_list>> jvp(
    F&& fn, const tensor_list& inputs, const std::optional<tensor_list>& v = std::nullopt, bool create_graph = false,
    bool strict = false) {
  using Out = detail::result_t<F, tensor_list>;
  auto [out, r] = detail::jvp(detail::as_list_fn<tensor_list>(fn), inputs, v, create_graph, strict, true);
  return {detail::from_list<Out>(out), detail::from_list<Out>(r)};
}

// ---- vhp / hvp -----------------------------------------------------------------------------------

/// torch.autograd.functional.vhp: (fn(inputs), v^T H) for fn with one single-element output.
template <class F>
  requires detail::function_of<F, Tensor>
std::pair<detail::result_t<F, Tensor>, Tensor> vhp(F&& fn, const Tensor& inputs, const std::optional<Tensor>& v = std::nullopt,
                                                   bool create_graph = false, bool strict = false) {
  using Out = detail::result_t<F, Tensor>;
  auto [out, r] = detail::vhp(detail::as_list_fn<Tensor>(fn), std::is_same_v<Out, tensor_list>, {inputs},
                              detail::as_optional_list(v), create_graph, strict, false);
  return {detail::from_list<Out>(out), r.at(0)};
}
template <class F>
  requires detail::function_of<F, tensor_list>
std::pair<detail::result_t<F, tensor_list>, tensor_list> vhp(F&& fn, const tensor_list& inputs,
                                                             const std::optional<tensor_list>& v = std::nullopt,
                                                             bool create_graph = false, bool strict = false) {
  using Out = detail::result_t<F, tensor_list>;
  auto [out, r] = detail::vhp(detail::as_list_fn<tensor_list>(fn), std::is_same_v<Out, tensor_list>, inputs, v, create_graph,
                              strict, true);
  return {detail::from_list<Out>(out), r};
}

/// torch.autograd.functional.hvp: (fn(inputs), H v) for fn with one single-element output.
template <class F>
  requires detail::function_of<F, Tensor>
std::pair<detail::result_t<F, Tensor>, Tensor> hvp(F&& fn, const Tensor& inputs, const std::optional<Tensor>& v = std::nullopt,
                                                   bool create_graph = false, bool strict = false) {
  using Out = detail::result_t<F, Tensor>;
  auto [out, r] = detail::hvp(detail::as_list_fn<Tensor>(fn), std::is_same_v<Out, tensor_list>, {inputs},
                              detail::as_optional_list(v), create_graph, strict, false);
  return {detail::from_list<Out>(out), r.at(0)};
}
template <class F>
  requires detail::function_of<F, tensor_list>
std::pair<detail::result_t<F, tensor_list>, tensor_list> hvp(F&& fn, const tensor_list& inputs,
                                                             const std::optional<tensor_list>& v = std::nullopt,
                                                             bool create_graph = false, bool strict = false) {
  using Out = detail::result_t<F, tensor_list>;
  auto [out, r] = detail::hvp(detail::as_list_fn<tensor_list>(fn), std::is_same_v<Out, tensor_list>, inputs, v, create_graph,
                              strict, true);
  return {detail::from_list<Out>(out), r};
}

}  // namespace typegrad::autograd::functional
