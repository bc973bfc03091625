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
/// Differences from torch: forward-mode checks (check_forward_ad, check_fwd_over_rev) and the
/// vmap-based batched checks are not available (the first throws; there are no batched options).
#include <cmath>
#include <complex>
#include <cstdint>
#include <iostream>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <typegrad/autograd/autograd.hpp>
#include <typegrad/autograd/gradcheck_jacobians.hpp>
#include <typegrad/autograd/grad_mode.hpp>
#include <typegrad/autograd/node.hpp>
#include <typegrad/autograd/tensor_methods.hpp>
#include <typegrad/error.hpp>
#include <typegrad/functions/complex.hpp>
#include <typegrad/functions/record.hpp>
#include <typegrad/tensor/factories.hpp>
#include <typegrad/tensor/print.hpp>
#include <typegrad/tensor/raw.hpp>

namespace typegrad::autograd {

/// torch.autograd.GradcheckError: a failed check. With `raise_exception = false`, gradcheck
/// turns exactly these into `false`; other errors (bad arguments, errors of the function
/// itself) always propagate, as in torch.
struct GradcheckError : Error {
  using Error::Error;
};

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
  bool check_forward_ad = false;     // not supported yet: throws when true
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
  bool check_fwd_over_rev = false;  // not supported yet: throws when true
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

inline tensor_list differentiable_outputs(const tensor_list& outputs) {
  tensor_list r;
  for (const auto& o : outputs)
    if (o.defined() && o.requires_grad()) r.push_back(o);
  return r;
}
inline std::vector<std::size_t> indices_requiring_grad(const tensor_list& inputs) {
  std::vector<std::size_t> r;
  for (std::size_t i = 0; i < inputs.size(); ++i)
    if (inputs[i].defined() && inputs[i].requires_grad()) r.push_back(i);
  return r;
}
inline tensor_list inputs_requiring_grad(const tensor_list& inputs) {
  tensor_list r;
  for (std::size_t i : indices_requiring_grad(inputs)) r.push_back(inputs[i]);
  return r;
}

/// A 0-d tensor of `dtype` (the scalars fast mode compares and prints).
inline Tensor scalar_tensor(std::complex<double> v, ScalarType dtype) { return tensor_of({v}, {}, dtype); }

// ---- torch's messages ----------------------------------------------------------------------

inline const char* const failed_nondet_msg =
    "\n\n"
    "NOTE: If your op relies on non-deterministic operations i.e., it is listed here:\n"
    "https://pytorch.org/docs/stable/generated/torch.use_deterministic_algorithms.html\n"
    "this failure might be expected.\n"
    "\n"
    "If you are adding a new operator, please file an issue and then use one of the\n"
    "workarounds. The workaround depends on how your test invokes gradcheck/gradgradcheck.\n"
    "If the test\n"
    "- manually invokes gradcheck/gradgradcheck, then call gradcheck/gradgradcheck\n"
    "  with `nondet_tol=<tol>` as a keyword argument.\n"
    "- is OpInfo-based (e.g., in test_ops_gradients.py), then modify the OpInfo for the test\n"
    "  to have `gradcheck_nondet_tol=<tol>`.\n"
    "- is a Module test (e.g., in common_nn.py), then modify the corresponding\n"
    "  module_test entry to have `gradcheck_nondet_tol=<tol>`\n";

inline const char* const fast_fail_slow_ok_msg =
    "Fast gradcheck failed but element-wise differences are small. This means that the\n"
    "test might've passed in slow_mode!\n"
    "\n"
    "If you are adding a new operator, please file an issue and then use one of the\n"
    "workarounds. The workaround depends on how your test invokes gradcheck/gradgradcheck:\n"
    "\n"
    "If the test\n"
    "- manually invokes gradcheck/gradgradcheck, then call gradcheck/gradgradcheck\n"
    "  with `fast_mode=False` as a keyword argument.\n"
    "- is OpInfo-based (e.g., in test_ops_gradients.py), then modify the OpInfo for the test\n"
    "  to have `gradcheck_fast_mode=False`\n"
    "- is a Module test (e.g., in common_nn.py), then modify the corresponding\n"
    "  module_test entry to have `gradcheck_fast_mode=False`";

inline const char* const undefined_grad_notes = "Please look at \"Notes about undefined output gradients\" in "
                                                "\"tools/autograd/derivatives.yaml\"";

/// Which pass of a complex-output check runs: complex_outputs lists the indices (among the
/// differentiable outputs) that were complex, test_imag says the imaginary-part pass.
struct complex_pass {
  std::vector<std::size_t> complex_outputs;
  bool test_imag = false;
};

/// torch's _get_notallclose_msg.
inline std::string notallclose_msg(const Tensor& analytical, const Tensor& numerical, std::size_t output_idx,
                                   std::size_t input_idx, const complex_pass& pass) {
  bool output_is_complex = false;
  for (std::size_t i : pass.complex_outputs) output_is_complex = output_is_complex || i == output_idx;
  const std::string prefix = output_is_complex ? std::string("While considering the ") +
                                                     (pass.test_imag ? "imaginary" : "real") + " part of complex outputs only, "
                                               : std::string();
  return prefix + "Jacobian mismatch for output " + std::to_string(output_idx) + " with respect to input " +
         std::to_string(input_idx) + ",\nnumerical:" + repr(numerical) + "\nanalytical:" + repr(analytical) + "\n";
}

// ---- the checks -------------------------------------------------------------------------------

/// Tolerances and switches of one check pass.
struct tolerances {
  double eps;
  double rtol;
  double atol;
  double nondet_tol;
  bool check_grad_dtypes;
};

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

/// torch's _check_analytical_jacobian_attributes: the analytical Jacobian of `output` w.r.t.
/// every input that requires grad, computed twice to check that backward is deterministic.
/// Without `v`: whole Jacobians (input.numel(), output.numel()); with `v` (fast mode): the
/// single column v^T J, as (input.numel(), 1).
inline tensor_list checked_analytical_jacobian(const tensor_list& inputs, const Tensor& output, double nondet_tol,
                                               bool check_grad_dtypes, const Tensor& v = {}) {
  const tensor_list diff_inputs = inputs_requiring_grad(inputs);
  const auto rows = [&] {
    if (!v.defined()) return analytical_rows(output, diff_inputs);
    std::vector<tensor_list> single(diff_inputs.size());
    const tensor_list grads = vjp(output, diff_inputs, raw::reshape(v, output.sizes()));
    for (std::size_t i = 0; i < grads.size(); ++i) single[i].push_back(grads[i]);
    return single;
  };
  const std::int64_t columns = v.defined() ? 1 : output.numel();
  const stacked_jacobians first = stack_columns(rows(), diff_inputs, columns);
  const stacked_jacobians second = stack_columns(rows(), diff_inputs, columns);
  const bool reentrant = jacobians_equal(first.jacobians, second.jacobians, nondet_tol);
  // torch unpacks _stack_and_check_tensors' (sizes_ok, dtypes_ok) as (types_ok, sizes_ok):
  // reproduced, so a wrong dtype reads "incorrect size" and a wrong size, when
  // check_grad_dtypes is on, "dtype mismatch".
  if (!first.sizes_ok && check_grad_dtypes) throw GradcheckError("Gradient has dtype mismatch");
  if (!first.dtypes_ok) throw GradcheckError("Analytical gradient has incorrect size");
  if (!reentrant) {
    throw GradcheckError("Backward is not reentrant, i.e., running backward with same input and grad_output multiple "
                         "times gives different values, although analytical gradient matches numerical gradient.The "
                         "tolerance for nondeterminism was " +
                         python_float_repr(nondet_tol) + "." + failed_nondet_msg);
  }
  return first.jacobians;
}

/// Positions, among the float or complex entries of `func_out` (the numerical Jacobians'
/// order), of the entries that require grad (the analytical side's order).
inline std::vector<std::size_t> differentiable_positions(const tensor_list& func_out) {
  std::vector<std::size_t> positions;
  std::size_t p = 0;
  for (const auto& o : func_out) {
    if (!is_float_or_complex(o)) continue;
    if (o.requires_grad()) positions.push_back(p);
    ++p;
  }
  return positions;
}

/// torch's _check_no_differentiable_outputs: without differentiable outputs the numerical
/// Jacobian must vanish.
inline void check_no_differentiable_outputs(const list_fn& fn, const tensor_list& inputs, const tensor_list& func_out,
                                            double eps) {
  for (const auto& per_input : numerical_jacobian(fn, inputs, func_out, eps)) {
    for (const auto& jacobian : per_input) {
      for (const auto& v : values_of(jacobian)) {
        if (v != std::complex<double>(0)) throw GradcheckError("Numerical gradient for function expected to be zero");
      }
    }
  }
}

/// torch's _slow_gradcheck: whole numerical and analytical Jacobians, compared with allclose.
inline void slow_gradcheck(const list_fn& fn, const tensor_list& func_out, const tensor_list& inputs,
                           const tensor_list& outputs, const tolerances& tol, const complex_pass& pass) {
  if (outputs.empty()) return check_no_differentiable_outputs(fn, inputs, func_out, tol.eps);
  const std::vector<tensor_list> numerical = numerical_jacobian(fn, inputs, func_out, tol.eps);  // [input][output]
  const std::vector<std::size_t> positions = differentiable_positions(func_out);
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    const tensor_list analytical = checked_analytical_jacobian(inputs, outputs[i], tol.nondet_tol, tol.check_grad_dtypes);
    for (std::size_t j = 0; j < analytical.size(); ++j) {
      const Tensor& a = analytical[j];
      const Tensor& n = numerical[j][positions[i]];
      if (!allclose(a, n, tol.rtol, tol.atol)) throw GradcheckError(notallclose_msg(a, n, i, j, pass));
    }
  }
}

// ---- fast mode ---------------------------------------------------------------------------------

/// The stream of a fresh `torch.Generator()` on the CPU: ATen's mt19937 seeded with the low 32
/// bits of the default seed 67280421310721 (ATen's init_with_uint32), which is std::mt19937's
/// own seeding, so fast mode draws exactly torch's random vectors.
inline std::mt19937 torch_default_cpu_generator() { return std::mt19937(static_cast<std::uint32_t>(67280421310721ULL)); }

/// torch's _vec_from_tensor: a random unit vector with x's numel, in x's dtype (its real dtype
/// with downcast_complex): torch.rand(numel) in float (24 random bits of one 32-bit draw per
/// element, as ATen's uniform_real_distribution<float>), converted, divided by its norm.
inline Tensor random_unit_vector(const Tensor& x, std::mt19937& generator, bool downcast_complex) {
  const ScalarType dtype = downcast_complex ? to_real_value_type(x.dtype()) : x.dtype();
  std::vector<std::complex<double>> values(static_cast<std::size_t>(x.numel()));
  double norm_squared = 0;
  for (auto& v : values) {
    const std::uint32_t bits = generator() & ((1U << 24) - 1);
    v = static_cast<float>(std::ldexp(static_cast<double>(bits), -24));
    norm_squared += std::norm(v);
  }
  const double norm = std::sqrt(norm_squared);
  for (auto& v : values) v /= norm;
  return tensor_of(values, {x.numel()}, dtype);
}

/// One random direction per differentiable input (real and imaginary parts for complex
/// inputs) and one per differentiable output (torch's _make_vectors).
struct random_directions {
  tensor_list u_real;
  tensor_list u_imag;  // undefined for real inputs
  tensor_list v;
};
inline random_directions make_directions(const tensor_list& diff_inputs, const tensor_list& outputs) {
  std::mt19937 generator = torch_default_cpu_generator();  // its own: the user's random stream is untouched
  random_directions d;
  for (const auto& in : diff_inputs) {
    d.u_real.push_back(random_unit_vector(in, generator, true));
    d.u_imag.push_back(in.is_complex() ? random_unit_vector(in, generator, true) : Tensor());
  }
  for (const auto& out : outputs) d.v.push_back(random_unit_vector(out, generator, false));
  return d;
}

/// (u * v).sum() as a 0-d tensor of the promoted dtype (torch's _dot_with_type_promotion).
inline Tensor dot_promoted(const Tensor& u, const Tensor& v) {
  const auto a = values_of(u);
  const auto b = values_of(v);
  std::complex<double> s = 0;
  for (std::size_t k = 0; k < a.size() && k < b.size(); ++k) s += a[k] * b[k];
  return scalar_tensor(s, promote_types(u.dtype(), v.dtype()));
}

/// torch's _adjusted_atol: atol scaled by sum(u) sum(v), the size of v^T (all ones) u.
inline double adjusted_atol(double atol, const Tensor& u_real, const Tensor& v) {
  std::complex<double> sum_u = 0;
  std::complex<double> sum_v = 0;
  for (const auto& x : values_of(u_real)) sum_u += x;
  for (const auto& x : values_of(v)) sum_v += x;
  return atol * sum_u.real() * sum_v.real();
}

/// torch's _run_slow_mode_and_get_error: the whole Jacobians of the failing pair, appended to
/// a fast-mode failure.
inline std::string slow_mode_report(const list_fn& fn, const tensor_list& func_out, const tensor_list& inputs,
                                    const tensor_list& outputs, std::size_t input_idx, std::size_t output_idx,
                                    const tolerances& tol) {
  const Tensor slow_numerical =
      numerical_jacobian(fn, inputs, func_out, tol.eps)[input_idx][differentiable_positions(func_out)[output_idx]];
  const Tensor slow_analytical = checked_analytical_jacobian(inputs, outputs[output_idx],
                                                             std::numeric_limits<double>::infinity(), false)[input_idx];
  // A 0-d tensor in an f-string prints as its item(): a Python float, in the difference's dtype.
  const ScalarType difference_dtype = to_real_value_type(promote_types(slow_numerical.dtype(), slow_analytical.dtype()));
  const double max_difference =
      values_of(scalar_tensor(max_abs_difference(slow_numerical, slow_analytical), difference_dtype))[0].real();
  std::string msg =
      "\nThe above quantities relating the numerical and analytical jacobians are computed \n"
      "in fast mode. See: https://github.com/pytorch/pytorch/issues/53876 for more background \n"
      "about fast mode. Below, we recompute numerical and analytical jacobians in slow mode:\n\n"
      "Numerical:\n " +
      repr(slow_numerical) + "\nAnalytical:\n" + repr(slow_analytical) +
      "\n\nThe max per-element difference (slow mode) is: " + python_float_repr(max_difference) + ".\n";
  if (allclose(slow_analytical, slow_numerical, tol.rtol, tol.atol)) msg += fast_fail_slow_ok_msg;
  return msg;
}

/// torch's _fast_gradcheck: v^T J u from central differences along u against v^T J from one
/// backward, dotted with u.
inline void fast_gradcheck(const list_fn& fn, const tensor_list& func_out, const tensor_list& inputs,
                           const tensor_list& outputs, const tolerances& tol, const complex_pass& pass) {
  const std::vector<std::size_t> input_indices = indices_requiring_grad(inputs);
  const tensor_list diff_inputs = inputs_requiring_grad(inputs);
  const random_directions d = make_directions(diff_inputs, outputs);
  const std::vector<std::size_t> positions = differentiable_positions(func_out);

  // numerical[i][j] = v_j . (J_ji u_i); J u comes for every float output, in func_out's order.
  std::vector<tensor_list> numerical;
  std::vector<tensor_list> jvps;
  for (std::size_t i = 0; i < input_indices.size(); ++i) {
    tensor_list all = numerical_jvp_along(fn, inputs, input_indices[i], d.u_real[i], d.u_imag[i], tol.eps);
    tensor_list float_ones;
    for (std::size_t k = 0; k < all.size() && k < func_out.size(); ++k)
      if (is_float_or_complex(func_out[k])) float_ones.push_back(all[k]);
    tensor_list reduced;
    for (std::size_t j = 0; j < outputs.size(); ++j) reduced.push_back(dot_promoted(d.v[j], float_ones[positions[j]]));
    numerical.push_back(reduced);
    jvps.push_back(float_ones);
  }
  if (outputs.empty()) {  // torch's _check_no_differentiable_outputs_fast
    for (const auto& per_input : jvps) {
      for (const auto& jvp : per_input) {
        if (jvp.numel() == 0) continue;
        double largest = 0;
        for (const auto& x : values_of(jvp)) largest = std::max(largest, std::abs(x));
        if (largest > tol.nondet_tol) throw GradcheckError("Numerical gradient for function expected to be zero");
      }
    }
  }

  // analytical[j][i] = (v_j^T J_ji) . u_i, real and imaginary parts dotted apart for complex inputs.
  std::vector<tensor_list> analytical;
  for (std::size_t j = 0; j < outputs.size(); ++j) {
    const tensor_list vJ = checked_analytical_jacobian(inputs, outputs[j], tol.nondet_tol, tol.check_grad_dtypes, d.v[j]);
    tensor_list reduced;
    for (std::size_t i = 0; i < vJ.size(); ++i) {
      const auto row = values_of(vJ[i]);
      const auto ur = values_of(d.u_real[i]);
      std::complex<double> s = 0;
      if (vJ[i].is_complex()) {
        const auto ui = values_of(d.u_imag[i]);
        double re = 0;
        double im = 0;
        for (std::size_t k = 0; k < row.size(); ++k) {
          re += row[k].real() * ur[k].real();
          im += row[k].imag() * ui[k].real();
        }
        s = {re, im};
      } else {
        for (std::size_t k = 0; k < row.size(); ++k) s += row[k] * ur[k];
      }
      reduced.push_back(scalar_tensor(s, vJ[i].dtype()));
    }
    analytical.push_back(reduced);
  }

  for (std::size_t i = 0; i < numerical.size(); ++i) {
    for (std::size_t j = 0; j < numerical[i].size(); ++j) {
      const Tensor& a = analytical[j][i];
      const Tensor& n = numerical[i][j];
      if (!allclose(a, n, tol.rtol, adjusted_atol(tol.atol, d.u_real[i], d.v[j]))) {
        throw GradcheckError(notallclose_msg(a, n, j, i, pass) + slow_mode_report(fn, func_out, inputs, outputs, i, j, tol));
      }
    }
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

/// torch's _gradcheck_helper.
inline bool run_gradcheck(const list_fn& fn, const tensor_list& inputs, const GradcheckOptions& o) {
  check_inputs(inputs);
  const tensor_list func_out = fn(inputs);
  const tensor_list outputs = differentiable_outputs(func_out);
  const tolerances tol{o.eps, o.rtol, o.atol, o.nondet_tol, o.check_grad_dtypes};
  if (!o.check_backward_ad) return true;
  gradcheck_real_imag(o.fast_mode, fn, func_out, inputs, outputs, tol);
  test_backward_mul_by_grad_output(outputs, inputs);
  if (o.check_undefined_grad) test_undefined_backward_mode(fn, outputs, inputs);
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
  if (options.check_forward_ad) {
    throw Error("tg::autograd::gradcheck: check_forward_ad=True is not supported yet (typegrad's gradcheck has no "
                "forward-mode AD checks); use check_forward_ad=false");
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
  if (options.check_fwd_over_rev) {
    throw Error("tg::autograd::gradgradcheck: check_fwd_over_rev=True is not supported yet (typegrad's gradcheck has no "
                "forward-mode AD checks); use check_fwd_over_rev=false");
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
    const tensor_list outputs = differentiable_outputs(f(input_args));
    const tensor_list gradients(args.begin() + static_cast<std::ptrdiff_t>(num_inputs), args.end());
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
