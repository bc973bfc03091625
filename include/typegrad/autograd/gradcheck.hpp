#pragma once
/// \file autograd/gradcheck.hpp
/// tg::autograd::gradcheck and gradgradcheck: torch.autograd.gradcheck's checks, defaults and
/// messages (torch/autograd/gradcheck.py).
///
///     auto fn = [](const tg::tensor_list& in) { return in[0] * in[1] + sin(in[0]); };
///     bool ok = tg::autograd::gradcheck(fn, {x, w});           // throws tg::autograd::GradcheckError
///     tg::autograd::gradcheck(fn, {x, w}, {.atol = 1e-4, .raise_exception = false});
///     tg::autograd::gradgradcheck(fn, {x, w});                  // random grad_outputs
///
/// `fn` takes `const tg::tensor_list&` and returns a Tensor or a tensor_list. gradcheck compares,
/// for every input that requires grad and every output that requires grad, the Jacobian from
/// central differences with the one from backward (allclose: |a - n| <= atol + rtol |n|), checks
/// that backward gives the same result twice (up to nondet_tol), that it scales with the
/// incoming gradient (zero in, zero out), and that it accepts undefined incoming gradients.
/// Complex outputs are checked as their real and imaginary parts; complex inputs through the
/// conjugate Wirtinger derivative ds/dx + i ds/dy (torch's convention). `fast_mode` compares
/// v^T J u for random unit vectors u, v instead of whole Jacobians.
///
/// The Jacobians come from gradcheck_jacobians.hpp, their comparison from gradcheck_compare.hpp;
/// this header runs torch's sequence of checks.
///
/// check_forward_ad compares the Jacobians forward-mode AD gives (one input element's tangent
/// set to 1 at a time) with the numerical ones, complex inputs as their real and imaginary
/// parts (torch's _gradcheck_real_imag); gradgradcheck's check_fwd_over_rev is that check of
/// the first derivative. Differences from torch: in fast mode the forward-mode check still
/// compares whole Jacobians; the vmap-based batched checks do not exist (no batched options).
#include <complex>
#include <cstddef>
#include <iostream>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <typegrad/autograd/autograd.hpp>
#include <typegrad/autograd/forward_ad.hpp>
#include <typegrad/autograd/gradcheck_compare.hpp>
#include <typegrad/autograd/gradcheck_jacobians.hpp>
#include <typegrad/autograd/grad_mode.hpp>
#include <typegrad/autograd/node.hpp>
#include <typegrad/autograd/tensor_methods.hpp>
#include <typegrad/error.hpp>
#include <typegrad/functions/complex.hpp>
#include <typegrad/functions/record.hpp>
#include <typegrad/tensor/factories.hpp>
#include <typegrad/tensor/raw.hpp>
#include <typegrad/tensor/scalar.hpp>

namespace typegrad::autograd {

/// gradcheck's keyword arguments with torch's defaults, in torch's order (designated
/// initializers must follow it): `gradcheck(fn, {x}, {.eps = 1e-7, .fast_mode = true})`.
struct GradcheckOptions {
  double eps = 1e-6;              // perturbation of the central differences
  double atol = 1e-5;             // absolute tolerance
  double rtol = 1e-3;             // relative tolerance
  bool raise_exception = true;    // false: a failed check returns false instead of throwing
  double nondet_tol = 0.0;        // tolerated difference between two identical backward passes
  bool check_undefined_grad = true;  // backward must accept undefined incoming gradients
  bool check_grad_dtypes = false;    // gradients must have their input's dtype
  bool check_forward_ad = false;     // also the forward-mode AD checks
  bool check_backward_ad = true;     // the backward-mode checks
  bool fast_mode = false;            // compare v^T J u instead of whole Jacobians
};

/// gradgradcheck's keyword arguments with torch's defaults, in torch's order.
struct GradgradcheckOptions {
  double eps = 1e-6;
  double atol = 1e-5;
  double rtol = 1e-3;
  bool gen_non_contig_grad_outputs = false;  // random grad_outputs made non-contiguous
  bool raise_exception = true;
  double nondet_tol = 0.0;
  bool check_undefined_grad = true;
  bool check_grad_dtypes = false;
  bool check_fwd_over_rev = false;  // forward-mode check of the first derivative
  bool check_rev_over_rev = true;
  bool fast_mode = false;
};

namespace gradcheck_detail {

/// Python's warnings.warn, as the rest of typegrad words it.
inline void warn(const std::string& text) { std::cerr << "Warning: " << text << "\n"; }

/// The user's callable as a function of tensor lists (a returned Tensor becomes a 1-list).
template <class F> list_fn as_list_fn(F& fn) {
  static_assert(std::is_invocable_v<F&, const tensor_list&>,
                "tg::autograd::gradcheck: fn must be callable with a const tg::tensor_list&");
  using R = std::invoke_result_t<F&, const tensor_list&>;
  static_assert(std::is_convertible_v<R, Tensor> || std::is_convertible_v<R, tensor_list>,
                "tg::autograd::gradcheck: fn must return a tg::Tensor or a tg::tensor_list");
  return [&fn](const tensor_list& inputs) -> tensor_list {
    if constexpr (std::is_convertible_v<R, Tensor>) return {Tensor(fn(inputs))};
    else return tensor_list(fn(inputs));
  };
}

/// The tail of torch's undefined-gradient messages.
inline const char* const undefined_grad_notes = "Please look at \"Notes about undefined output gradients\" in "
                                                "\"tools/autograd/derivatives.yaml\"";

/// torch's _check_inputs: a warning for inputs that are not double precision, no stride-0
/// dims, at least one input requiring grad.
inline void check_inputs(const tensor_list& inputs) {
  bool any_requires_grad = false;
  for (std::size_t idx = 0; idx < inputs.size(); ++idx) {
    const Tensor& in = inputs[idx];
    if (!in.defined() || !in.requires_grad()) continue;
    if (in.dtype() != kDouble && in.dtype() != kComplexDouble) {
      warn("Input #" + std::to_string(idx) +
           " requires gradient and is not a double precision floating point or complex. This check will likely fail if "
           "all the inputs are not of double precision floating point or complex. ");
    }
    const auto sizes = in.sizes();
    const auto strides = in.strides();
    for (std::size_t d = 0; d < sizes.size(); ++d) {
      if (strides[d] <= 0 && sizes[d] > 1) {
        throw Error("The " + std::to_string(idx) +
                    "th input has a dimension with stride 0. gradcheck only supports inputs that are non-overlapping to "
                    "be able to compute the numerical gradients correctly. You should call .contiguous on the input "
                    "before passing it to gradcheck.");
      }
    }
    any_requires_grad = true;
  }
  if (!any_requires_grad) {
    throw Error("gradcheck expects at least one input tensor to require gradient, but none of the them have "
                "requires_grad=True.");
  }
}

// ---- complex outputs, backward scaling, undefined gradients -------------------------------------

/// `fn` with real(o) (or imag(o)) in place of each complex output o.
inline list_fn complex_part_of(const list_fn& fn, bool imaginary) {
  return [fn, imaginary](const tensor_list& inputs) {
    tensor_list outs = fn(inputs);
    for (auto& o : outs)
      if (o.defined() && o.is_complex()) o = imaginary ? imag(o) : real(o);
    return outs;
  };
}

/// torch's _gradcheck_real_imag (backward part): complex outputs are checked as two real
/// functions, the imaginary parts first.
inline void gradcheck_real_imag(bool fast_mode, const list_fn& fn, const tensor_list& func_out, const tensor_list& inputs,
                                const tensor_list& outputs, const tolerances& tol) {
  const auto check = fast_mode ? fast_gradcheck : slow_gradcheck;
  complex_pass pass;
  for (std::size_t i = 0; i < outputs.size(); ++i)
    if (outputs[i].is_complex()) pass.complex_outputs.push_back(i);
  bool any_complex_output = false;
  for (const auto& o : func_out) any_complex_output = any_complex_output || (o.defined() && o.is_complex());
  if (!any_complex_output) return check(fn, func_out, inputs, outputs, tol, pass);
  for (const bool imaginary : {true, false}) {
    const list_fn part_fn = complex_part_of(fn, imaginary);
    const tensor_list part_out = part_fn(inputs);
    pass.test_imag = imaginary;
    check(part_fn, part_out, inputs, differentiable_outputs(part_out), tol, pass);
  }
}

/// torch's _test_backward_mul_by_grad_output: a zero incoming gradient must give zero
/// gradients of the inputs' dtype and size.
inline void test_backward_mul_by_grad_output(const tensor_list& outputs, const tensor_list& inputs) {
  const tensor_list diff_inputs = inputs_requiring_grad(inputs);
  if (diff_inputs.empty()) throw GradcheckError("no Tensors requiring grad found in input");
  tensor_list zero_grads;
  for (const auto& o : outputs) zero_grads.push_back(zeros_like(o));
  const tensor_list grads = autograd::grad(outputs, diff_inputs, zero_grads, std::nullopt, false, /*allow_unused=*/true);
  for (std::size_t i = 0; i < grads.size(); ++i) {
    const Tensor& gi = grads[i];
    if (!gi.defined()) continue;
    for (const auto& v : values_of(gi)) {
      if (v != std::complex<double>(0)) throw GradcheckError("backward not multiplied by grad_output");
    }
    if (gi.dtype() != diff_inputs[i].dtype()) throw GradcheckError("grad is incorrect type");
    if (gi.sizes() != diff_inputs[i].sizes()) throw GradcheckError("grad is incorrect size");
  }
}

/// torch's UndefinedGrad function: the identity whose backward sends undefined gradients on.
class UndefinedGradBackward final : public Node {
 public:
  std::string name() const override { return "UndefinedGradBackward"; }
  tensor_list apply(tensor_list&& /*grads*/) override { return tensor_list(num_outputs()); }
};
inline Tensor with_undefined_grad(const Tensor& t) {
  Tensor out = raw::detach(t);
  record::set_history(out, record::node_for<UndefinedGradBackward>({&t}));
  return out;
}

/// torch's _test_undefined_backward_mode: backward must treat undefined incoming gradients as
/// zeros, all of them at once and (with several outputs) one at a time.
inline void test_undefined_backward_mode(const list_fn& fn, const tensor_list& outputs, const tensor_list& inputs) {
  const tensor_list diff_inputs = inputs_requiring_grad(inputs);
  if (diff_inputs.empty()) throw GradcheckError("no Tensors requiring grad found in input");
  const auto warn_bc_breaking = [] {
    warn("Backwards compatibility: New undefined gradient support checking feature is enabled by default, but it may "
         "break existing callers of this function. If this is true for you, you can call this function with "
         "\"check_undefined_grad=False\" to disable the feature");
  };
  const auto check_undefined_grad_support = [&](const tensor_list& to_check) {
    tensor_list zero_grads;
    for (const auto& o : to_check) zero_grads.push_back(zeros_like(o));
    tensor_list grads;
    try {
      grads = autograd::grad(to_check, diff_inputs, zero_grads, std::nullopt, false, /*allow_unused=*/true);
    } catch (const Error&) {
      warn_bc_breaking();
      throw GradcheckError(std::string("Expected backward function to handle undefined output grads. ") +
                           undefined_grad_notes);
    }
    for (const auto& gi : grads) {
      if (!gi.defined()) continue;
      for (const auto& v : values_of(gi)) {
        if (v != std::complex<double>(0)) {
          warn_bc_breaking();
          throw GradcheckError(std::string("Expected all input grads to be undefined or zero when all output grads are "
                                           "undefined or zero. ") +
                               undefined_grad_notes);
        }
      }
    }
  };
  std::vector<tensor_list> to_check(1);
  for (const auto& o : differentiable_outputs(fn(inputs))) to_check[0].push_back(with_undefined_grad(o));
  if (to_check[0].size() > 1) {
    for (std::size_t undefined_idx = 0; undefined_idx < outputs.size(); ++undefined_idx) {
      tensor_list fresh = differentiable_outputs(fn(inputs));
      for (std::size_t k = 0; k < fresh.size(); ++k)
        if (k == undefined_idx) fresh[k] = with_undefined_grad(fresh[k]);
      to_check.push_back(fresh);
    }
  }
  for (const auto& list : to_check) check_undefined_grad_support(list);
}

// ---- forward mode ------------------------------------------------------------------------------

/// torch's _get_analytical_jacobian_forward_ad: jacobians[input][output] (inputs that require
/// grad, float or complex outputs), row k holding the outputs' tangents when element k of the
/// input has tangent 1 and every other input none: the numerical Jacobians' layout.
inline std::vector<tensor_list> forward_ad_jacobian(const list_fn& fn, const tensor_list& inputs,
                                                    const tensor_list& func_out, bool check_grad_dtypes) {
  std::vector<tensor_list> jacobians;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const Tensor& input = inputs[i];
    if (!input.defined() || !input.requires_grad()) continue;
    const std::int64_t n = input.numel();
    std::vector<std::vector<std::complex<double>>> rows;  // per output: n rows, concatenated
    for (const auto& o : func_out)
      if (is_float_or_complex(o)) rows.emplace_back();
    for (std::int64_t k = 0; k < n; ++k) {
      forward_ad::dual_level level;
      std::vector<std::complex<double>> unit(static_cast<std::size_t>(n));
      unit[static_cast<std::size_t>(k)] = 1;
      tensor_list dual_inputs = inputs;
      dual_inputs[i] = forward_ad::make_dual(input.detach(), tensor_of(unit, input.sizes(), input.dtype()));
      std::size_t slot = 0;
      for (const auto& out : fn(dual_inputs)) {
        if (!is_float_or_complex(out)) continue;
        auto [primal, tangent] = forward_ad::unpack_dual(out);
        if (check_grad_dtypes && tangent.defined() && primal.is_complex() != tangent.is_complex()) {
          throw GradcheckError("Forward AD gradient has dtype mismatch.");
        }
        auto& row = rows.at(slot++);
        if (tangent.defined()) {
          const auto values = values_of(tangent);
          row.insert(row.end(), values.begin(), values.end());
        } else {
          row.resize(row.size() + static_cast<std::size_t>(out.numel()));
        }
      }
    }
    tensor_list per_output;
    std::size_t slot = 0;
    for (const auto& o : func_out) {
      if (!is_float_or_complex(o)) continue;
      per_output.push_back(tensor_of(rows[slot++], {n, o.numel()}, o.dtype()));
    }
    jacobians.push_back(std::move(per_output));
  }
  return jacobians;
}

/// torch's _slow_gradcheck with use_forward_ad: forward-mode and numerical Jacobians compared
/// with allclose. `pass` only shapes the message (torch's prefix for complex inputs).
inline void forward_ad_gradcheck(const list_fn& fn, const tensor_list& func_out, const tensor_list& inputs,
                                 const tolerances& tol, const complex_pass& pass) {
  if (differentiable_outputs(func_out).empty()) return check_no_differentiable_outputs(fn, inputs, func_out, tol.eps);
  const std::vector<tensor_list> analytical = forward_ad_jacobian(fn, inputs, func_out, tol.check_grad_dtypes);
  std::size_t j = 0;  // among the inputs that require grad, as torch counts them
  for (std::size_t input = 0; input < inputs.size(); ++input) {
    if (!inputs[input].defined() || !inputs[input].requires_grad()) continue;
    const tensor_list numerical = numerical_jacobian_wrt(fn, inputs, input, func_out, tol.eps);
    for (std::size_t i = 0; i < numerical.size(); ++i) {
      const Tensor& a = analytical[j][i];
      const Tensor& n = numerical[i];
      if (!allclose(a, n, tol.rtol, tol.atol)) throw GradcheckError(notallclose_msg(a, n, i, j, pass));
    }
    ++j;
  }
}

/// torch's _gradcheck_real_imag (forward part): a complex input is checked as two real ones, its
/// imaginary part first (the other part held at its value), outputs as they are.
inline void forward_ad_gradcheck_real_imag(const list_fn& fn, const tensor_list& func_out, const tensor_list& inputs,
                                           const tolerances& tol) {
  complex_pass pass;
  pass.is_forward_ad = true;
  for (std::size_t i = 0; i < inputs.size(); ++i)
    if (inputs[i].defined() && inputs[i].is_complex()) pass.complex_inputs.push_back(i);
  if (pass.complex_inputs.empty()) return forward_ad_gradcheck(fn, func_out, inputs, tol, pass);
  const std::vector<std::size_t>& complex_inputs = pass.complex_inputs;
  for (const bool imaginary : {true, false}) {
    tensor_list part_inputs = inputs;
    for (std::size_t i : complex_inputs) {
      NoGradGuard no_grad;
      part_inputs[i] = (imaginary ? imag(inputs[i]) : real(inputs[i])).clone().requires_grad_(inputs[i].requires_grad());
    }
    const list_fn part_fn = [fn, inputs, complex_inputs, imaginary](const tensor_list& args) {
      tensor_list full = args;
      const std::complex<double> i_unit(0, 1);
      for (std::size_t i : complex_inputs) {
        full[i] = imaginary ? real(inputs[i]).detach() + args[i] * i_unit : args[i] + imag(inputs[i]).detach() * i_unit;
      }
      return fn(full);
    };
    pass.test_imag = imaginary;
    forward_ad_gradcheck(part_fn, part_fn(part_inputs), part_inputs, tol, pass);
  }
}

/// torch's _gradcheck_helper.
inline bool run_gradcheck(const list_fn& fn, const tensor_list& inputs, const GradcheckOptions& o) {
  check_inputs(inputs);
  const tensor_list func_out = fn(inputs);
  const tensor_list outputs = differentiable_outputs(func_out);
  const tolerances tol{o.eps, o.rtol, o.atol, o.nondet_tol, o.check_grad_dtypes};
  if (o.check_backward_ad) {
    gradcheck_real_imag(o.fast_mode, fn, func_out, inputs, outputs, tol);
  }
  if (o.check_forward_ad) forward_ad_gradcheck_real_imag(fn, func_out, inputs, tol);
  if (o.check_backward_ad) {
    test_backward_mul_by_grad_output(outputs, inputs);
    if (o.check_undefined_grad) test_undefined_backward_mode(fn, outputs, inputs);
  }
  return true;
}

/// torch.testing.make_tensor(shape, dtype, low=-1, high=1, requires_grad=True, noncontiguous):
/// uniform in [-1, 1) (each part, for complex dtypes) from the default generator.
inline Tensor random_grad_output(const Tensor& like_output, bool noncontiguous) {
  const ScalarType dtype = is_differentiable(like_output.dtype()) ? like_output.dtype() : kDouble;
  auto sizes = like_output.sizes();
  const bool spread = noncontiguous && like_output.numel() > 1;
  auto storage_sizes = sizes;
  if (spread) storage_sizes.back() *= 2;  // every other element is used: torch's repeat_interleave + [..., ::2]
  Tensor values;
  {
    NoGradGuard no_grad;
    const Scalar low = is_complex(dtype) ? Scalar(std::complex<double>(1, 1)) : Scalar(1);
    values = rand(storage_sizes, typegrad::dtype(dtype)) * 2 - low;
  }
  Tensor result = values;
  if (spread) {
    auto strides = values.strides();
    strides.back() *= 2;
    result = raw::alias(values, sizes, strides, 0);
  }
  result.requires_grad_(true);
  return result;
}

}  // namespace gradcheck_detail

/// torch.autograd.gradcheck: true when every check passes; a failed check throws
/// GradcheckError (a tg::Error) or, with `raise_exception = false`, returns false.
template <class F> bool gradcheck(F&& fn, const tensor_list& inputs, const GradcheckOptions& options = {}) {
  if (!options.check_forward_ad && !options.check_backward_ad) {
    throw Error("Expected at least one of check_forward_ad or check_backward_ad to be True");
  }
  const gradcheck_detail::list_fn f = gradcheck_detail::as_list_fn(fn);
  if (!options.raise_exception) {
    try {
      return gradcheck_detail::run_gradcheck(f, inputs, options);
    } catch (const GradcheckError&) {
      return false;
    }
  }
  return gradcheck_detail::run_gradcheck(f, inputs, options);
}

/// torch.autograd.gradgradcheck: gradcheck of x, g -> grad(fn(x), x, g, create_graph=true)
/// over the inputs and the grad_outputs g (random in [-1, 1), requiring grad, when not given).
template <class F>
bool gradgradcheck(F&& fn, const tensor_list& inputs, const std::optional<tensor_list>& grad_outputs = std::nullopt,
                   const GradgradcheckOptions& options = {}) {
  if (!options.check_fwd_over_rev && !options.check_rev_over_rev) {
    throw Error("Expected at least one of check_fwd_over_rev or check_rev_over_rev to be True");
  }
  if (options.check_undefined_grad && !options.check_rev_over_rev) {
    throw Error("Setting check_undefined_grad=True requires check_rev_over_rev to be True");
  }
  using namespace gradcheck_detail;
  const list_fn f = as_list_fn(fn);
  tensor_list gs;
  if (grad_outputs) {
    gs = *grad_outputs;
  } else {
    for (const auto& out : differentiable_outputs(f(inputs))) gs.push_back(random_grad_output(out, options.gen_non_contig_grad_outputs));
  }
  const std::size_t num_inputs = inputs.size();
  const std::vector<std::size_t> diff_input_indices = indices_requiring_grad(inputs);

  // x, g -> the gradients of fn's differentiable outputs (weighted by g) w.r.t. x, with graph.
  const auto first_derivative = [&f, num_inputs, diff_input_indices](const tensor_list& args) -> tensor_list {
    const tensor_list input_args(args.begin(), args.begin() + static_cast<std::ptrdiff_t>(num_inputs));
    const tensor_list gradients(args.begin() + static_cast<std::ptrdiff_t>(num_inputs), args.end());
    // The forward-mode check passes detached duals: give them back requires_grad (torch does too).
    for (std::size_t i : diff_input_indices)
      if (!input_args[i].requires_grad()) input_args[i].requires_grad_(true);
    for (const auto& g : gradients)
      if (g.defined() && !g.requires_grad() && is_differentiable(g.dtype())) g.requires_grad_(true);
    const tensor_list outputs = differentiable_outputs(f(input_args));
    tensor_list diff_inputs;
    for (std::size_t i : diff_input_indices) diff_inputs.push_back(input_args[i]);
    tensor_list grads = autograd::grad(outputs, diff_inputs, gradients, std::nullopt, /*create_graph=*/true,
                                       /*allow_unused=*/true);
    tensor_list defined;
    for (auto& g : grads)
      if (g.defined()) defined.push_back(std::move(g));
    return defined;
  };
  tensor_list all_inputs = inputs;
  all_inputs.insert(all_inputs.end(), gs.begin(), gs.end());
  GradcheckOptions o;
  o.eps = options.eps;
  o.atol = options.atol;
  o.rtol = options.rtol;
  o.raise_exception = options.raise_exception;
  o.nondet_tol = options.nondet_tol;
  o.check_undefined_grad = options.check_undefined_grad;
  o.check_grad_dtypes = options.check_grad_dtypes;
  o.check_forward_ad = options.check_fwd_over_rev;
  o.check_backward_ad = options.check_rev_over_rev;
  o.fast_mode = options.fast_mode;
  return gradcheck(first_derivative, all_inputs, o);
}

/// gradgradcheck with random grad_outputs and the given options.
template <class F> bool gradgradcheck(F&& fn, const tensor_list& inputs, const GradgradcheckOptions& options) {
  return gradgradcheck(std::forward<F>(fn), inputs, std::nullopt, options);
}

}  // namespace typegrad::autograd
