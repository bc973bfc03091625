#pragma once
/// \file autograd/gradcheck_compare.hpp
/// How gradcheck compares the two Jacobians of gradcheck_jacobians.hpp
/// (torch/autograd/gradcheck.py): slow mode compares whole Jacobians with allclose, after
/// checking that backward gives the same result twice; fast mode compares the scalars v^T J u
/// for random unit vectors u and v (drawn exactly as torch draws them) and, on a mismatch,
/// appends the whole Jacobians of the failing pair. Failures throw GradcheckError with torch's
/// text.
#include <algorithm>
#include <cmath>
#include <complex>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <typegrad/autograd/gradcheck_jacobians.hpp>
#include <typegrad/error.hpp>
#include <typegrad/tensor/dtype.hpp>
#include <typegrad/tensor/print.hpp>
#include <typegrad/tensor/raw.hpp>

namespace typegrad::autograd {

/// torch.autograd.GradcheckError: a failed check. With `raise_exception = false`, gradcheck
/// turns exactly these into `false`; other errors (bad arguments, errors of the function
/// itself) always propagate, as in torch.
struct GradcheckError : Error {
  using Error::Error;
};

namespace gradcheck_detail {

// ---- selections --------------------------------------------------------------------------------

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


/// Which pass of a complex-output check runs: complex_outputs lists the indices (among the
/// differentiable outputs) that were complex, test_imag says the imaginary-part pass.
/// Which part of a complex function a check pass looks at: the backward checks split complex
/// outputs, the forward-mode checks complex inputs (torch's complex_indices in both cases).
struct complex_pass {
  std::vector<std::size_t> complex_outputs;
  std::vector<std::size_t> complex_inputs;
  bool test_imag = false;
  bool is_forward_ad = false;
};

/// torch's _get_notallclose_msg.
inline std::string notallclose_msg(const Tensor& analytical, const Tensor& numerical, std::size_t output_idx,
                                   std::size_t input_idx, const complex_pass& pass) {
  const auto& indices = pass.is_forward_ad ? pass.complex_inputs : pass.complex_outputs;
  const std::size_t idx = pass.is_forward_ad ? input_idx : output_idx;
  const bool is_complex = std::find(indices.begin(), indices.end(), idx) != indices.end();
  const std::string prefix = is_complex ? std::string("While considering the ") + (pass.test_imag ? "imaginary" : "real") +
                                              " part of complex " + (pass.is_forward_ad ? "inputs" : "outputs") + " only, "
                                        : std::string();
  return prefix + "Jacobian " + (pass.is_forward_ad ? "computed with forward mode " : "") + "mismatch for output " +
         std::to_string(output_idx) + " with respect to input " + std::to_string(input_idx) +
         ",\nnumerical:" + repr(numerical) + "\nanalytical:" + repr(analytical) + "\n";
}

// ---- slow mode ---------------------------------------------------------------------------------


/// Tolerances and switches of one check pass.
struct tolerances {
  double eps;
  double rtol;
  double atol;
  double nondet_tol;
  bool check_grad_dtypes;
};

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

}  // namespace gradcheck_detail
}  // namespace typegrad::autograd
