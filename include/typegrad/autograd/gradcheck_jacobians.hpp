#pragma once
/// \file autograd/gradcheck_jacobians.hpp
/// The two sides gradcheck compares (torch/autograd/gradcheck.py):
///
/// - numerical Jacobians by central differences, (f(x + eps e_k) - f(x - eps e_k)) / 2 eps,
///   perturbing each element of an input in place through its `.data()` alias (no history, its
///   own version counter, so the caller's `_version()` is untouched); for a complex input the
///   real and the imaginary part are perturbed apart and combined as ds/dx + i ds/dy, torch's
///   conjugate Wirtinger convention;
/// - analytical Jacobians by one `tg::autograd::grad` per output element (retain_graph,
///   allow_unused: unreached inputs give zero columns).
///
/// Both are laid out as torch lays them out: one (input.numel(), output.numel()) tensor per
/// (input, output) pair, row k holding d output / d input[k]. Fast mode's reductions
/// v^T J u use the same two routes with whole-tensor perturbations and one backward.
#include <algorithm>
#include <cmath>
#include <complex>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include <typegrad/autograd/autograd.hpp>
#include <typegrad/autograd/grad_mode.hpp>
#include <typegrad/autograd/tensor_methods.hpp>
#include <typegrad/error.hpp>
#include <typegrad/functions/arithmetic.hpp>
#include <typegrad/functions/methods.hpp>
#include <typegrad/functions/reduce.hpp>
#include <typegrad/functions/shape.hpp>
#include <typegrad/tensor/convert.hpp>
#include <typegrad/tensor/factories.hpp>
#include <typegrad/tensor/geometry.hpp>
#include <typegrad/tensor/raw.hpp>

namespace typegrad::autograd {

namespace gradcheck_detail {

/// A function of a tensor list returning a tensor list (gradcheck's view of the user's `fn`).
using list_fn = std::function<tensor_list(const tensor_list&)>;

// ---- elements ------------------------------------------------------------------------------

/// Storage offset of the element at row-major position k (the Jacobian's row order).
inline std::int64_t offset_of(const typegrad::detail::TensorImpl& impl, std::int64_t k) {
  std::int64_t offset = impl.storage_offset;
  for (std::size_t d = impl.sizes.size(); d-- > 0;) {
    offset += (k % impl.sizes[d]) * impl.strides[d];
    k /= impl.sizes[d];
  }
  return offset;
}

/// Every element in row-major order, widened to complex<double> (exact for every dtype).
inline std::vector<std::complex<double>> values_of(const Tensor& t) {
  const auto& impl = *t.unsafe_get_impl();
  std::vector<std::complex<double>> values;
  values.reserve(static_cast<std::size_t>(t.numel()));
  visit(impl.dtype, [&](auto tag) {
    using T = typename decltype(tag)::type;
    const T* base = reinterpret_cast<const T*>(impl.storage->data()) + impl.storage_offset;
    typegrad::detail::for_each_offset(impl.sizes, impl.strides, [&](std::int64_t o) {
      values.push_back(typegrad::detail::convert<std::complex<double>>(base[o]));
    });
  });
  return values;
}

/// A new contiguous tensor of `dtype` holding `values` (converted as `to()` converts).
inline Tensor tensor_of(const std::vector<std::complex<double>>& values, IntArrayRef sizes, ScalarType dtype) {
  Tensor out = Tensor::empty_contiguous(sizes, dtype);
  visit(dtype, [&](auto tag) {
    using T = typename decltype(tag)::type;
    T* data = out.data_ptr<T>();
    for (std::size_t k = 0; k < values.size(); ++k) data[k] = typegrad::detail::convert<T>(values[k]);
  });
  return out;
}

/// The type torch computes an element of T in (c10's opmath: float for half and bfloat16).
template <class T> using opmath_t = std::conditional_t<typegrad::detail::is_narrow_float_v<T>, float, T>;

/// One perturbation of one element: `entry[index] = original -/+ delta`.
struct element_shift {
  std::int64_t index;
  std::complex<double> delta;
};

/// Shifts elements of `entry` in place and puts the original bytes back when destroyed (so
/// the caller's input is restored even when the function under test throws).
class shifted_elements {
 public:
  explicit shifted_elements(const Tensor& entry, const std::vector<element_shift>& shifts) : entry_(entry), shifts_(shifts) {
    const auto& impl = *entry_.unsafe_get_impl();
    visit(impl.dtype, [&](auto tag) {
      using T = typename decltype(tag)::type;
      const T* data = reinterpret_cast<const T*>(impl.storage->data());
      for (const auto& s : shifts_) {
        const std::int64_t o = offset_of(impl, s.index);
        saved_.push_back(typegrad::detail::convert<std::complex<double>>(data[o]));
        raw_saved_.emplace_back(reinterpret_cast<const unsigned char*>(data + o),
                                reinterpret_cast<const unsigned char*>(data + o) + sizeof(T));
      }
    });
  }
  shifted_elements(const shifted_elements&) = delete;
  shifted_elements& operator=(const shifted_elements&) = delete;
  ~shifted_elements() { restore(); }

  /// entry = original + sign * delta, computed in the element's opmath type as torch's
  /// `entry.copy_(orig - v)` computes it.
  void shift(int sign) {
    const auto& impl = *entry_.unsafe_get_impl();
    visit(impl.dtype, [&](auto tag) {
      using T = typename decltype(tag)::type;
      using Op = opmath_t<T>;
      T* data = reinterpret_cast<T*>(impl.storage->data());
      for (std::size_t i = 0; i < shifts_.size(); ++i) {
        const Op original = typegrad::detail::convert<Op>(saved_[i]);
        const Op delta = typegrad::detail::convert<Op>(shifts_[i].delta);
        const Op shifted = sign < 0 ? Op(original - delta) : Op(original + delta);
        data[offset_of(impl, shifts_[i].index)] = typegrad::detail::convert<T>(shifted);
      }
    });
  }
  void restore() noexcept {
    const auto& impl = *entry_.unsafe_get_impl();
    auto* bytes = impl.storage->data();
    const std::size_t size = typegrad::element_size(impl.dtype);
    for (std::size_t i = 0; i < raw_saved_.size(); ++i) {
      const auto o = static_cast<std::size_t>(offset_of(impl, shifts_[i].index));
      std::copy(raw_saved_[i].begin(), raw_saved_[i].end(), reinterpret_cast<unsigned char*>(bytes) + o * size);
    }
  }

 private:
  Tensor entry_;
  const std::vector<element_shift>& shifts_;
  std::vector<std::complex<double>> saved_;
  std::vector<std::vector<unsigned char>> raw_saved_;
};

// ---- messages --------------------------------------------------------------------------------

/// Python's repr of a float ("1e-06", "0.001", "0.0", "inf"): the shortest digits that read
/// back exactly, fixed notation for exponents in [-4, 16), scientific otherwise.
inline std::string python_float_repr(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  if (v == 0) return std::signbit(v) ? "-0.0" : "0.0";
  char buf[64];
  int digits = 1;
  for (; digits <= 17; ++digits) {
    std::snprintf(buf, sizeof buf, "%.*e", digits - 1, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  // buf is "[-]d.ddde[+-]xx": split into sign, digit string and exponent.
  std::string s(buf);
  const bool negative = s[0] == '-';
  if (negative) s.erase(0, 1);
  const auto e = s.find('e');
  const int exponent = std::stoi(s.substr(e + 1));
  std::string mantissa = s.substr(0, e);
  mantissa.erase(std::remove(mantissa.begin(), mantissa.end(), '.'), mantissa.end());
  while (mantissa.size() > 1 && mantissa.back() == '0') mantissa.pop_back();
  std::string out;
  if (exponent >= -4 && exponent < 16) {
    if (exponent < 0) {
      out = "0." + std::string(static_cast<std::size_t>(-exponent - 1), '0') + mantissa;
    } else if (static_cast<std::size_t>(exponent) + 1 >= mantissa.size()) {
      out = mantissa + std::string(static_cast<std::size_t>(exponent) + 1 - mantissa.size(), '0') + ".0";
    } else {
      out = mantissa.substr(0, static_cast<std::size_t>(exponent) + 1) + "." + mantissa.substr(static_cast<std::size_t>(exponent) + 1);
    }
  } else {
    out = mantissa.substr(0, 1);
    if (mantissa.size() > 1) out += "." + mantissa.substr(1);
    char exp_buf[16];
    std::snprintf(exp_buf, sizeof exp_buf, "e%c%02d", exponent < 0 ? '-' : '+', exponent < 0 ? -exponent : exponent);
    out += exp_buf;
  }
  return negative ? "-" + out : out;
}

/// A multi-index as Python prints a tuple: "()", "(3,)", "(0, 1)".
inline std::string python_index_tuple(const std::vector<std::int64_t>& sizes, std::int64_t k) {
  std::vector<std::int64_t> index(sizes.size());
  for (std::size_t d = sizes.size(); d-- > 0;) {
    index[d] = k % sizes[d];
    k /= sizes[d];
  }
  std::string s = "(";
  for (std::size_t d = 0; d < index.size(); ++d) s += (d ? ", " : "") + std::to_string(index[d]);
  return s + (index.size() == 1 ? ",)" : ")");
}

// ---- comparisons -----------------------------------------------------------------------------

/// torch.allclose (equal_nan=False) after type promotion: |a - b| <= atol + rtol |b| for every
/// element, equal infinities counting as close, NaN never.
inline bool allclose(const Tensor& a, const Tensor& b, double rtol, double atol) {
  const auto va = values_of(a);
  const auto vb = values_of(b);
  if (va.size() != vb.size()) return false;
  for (std::size_t k = 0; k < va.size(); ++k) {
    if (va[k] == vb[k]) continue;
    const bool finite = std::isfinite(va[k].real()) && std::isfinite(va[k].imag()) && std::isfinite(vb[k].real()) &&
                        std::isfinite(vb[k].imag());
    if (!finite || !(std::abs(va[k] - vb[k]) <= atol + rtol * std::abs(vb[k]))) return false;
  }
  return true;
}

/// (a - b).abs().max() as torch computes it: NaN when any difference is NaN.
inline double max_abs_difference(const Tensor& a, const Tensor& b) {
  const auto va = values_of(a);
  const auto vb = values_of(b);
  double m = 0;
  for (std::size_t k = 0; k < va.size() && k < vb.size(); ++k) {
    const double d = std::abs(va[k] - vb[k]);
    if (std::isnan(d)) return d;
    m = std::max(m, d);
  }
  return m;
}

/// torch's _check_jacobians_equal: every non-empty pair within `atol` (a NaN difference
/// compares false, so it passes, as in torch).
inline bool jacobians_equal(const tensor_list& j1, const tensor_list& j2, double atol) {
  for (std::size_t i = 0; i < j1.size() && i < j2.size(); ++i) {
    if (j1[i].numel() != 0 && max_abs_difference(j1[i], j2[i]) > atol) return false;
  }
  return true;
}

inline bool is_float_or_complex(const Tensor& t) { return t.defined() && is_differentiable(t.dtype()); }

// ---- numerical side --------------------------------------------------------------------------

/// Copies of the tensors (the function's outputs may alias its inputs, which are about to
/// change again).
inline tensor_list cloned(const tensor_list& ts) {
  tensor_list out;
  out.reserve(ts.size());
  for (const auto& t : ts) out.push_back(raw::clone(t));
  return out;
}

/// torch's _check_outputs_same_dtype_and_shape (an AssertionError there: not a check failure).
inline void check_same_dtype_and_shape(const Tensor& a, const Tensor& b, double eps, const std::string& on_index) {
  if (a.sizes() != b.sizes()) {
    throw Error("Expected `func` to return outputs with the same shape when inputs are perturbed " + on_index + "by " +
                python_float_repr(eps) + ", but got: shapes " + typegrad::detail::format_int_list(a.sizes()) + " and " +
                typegrad::detail::format_int_list(b.sizes()) + ".");
  }
  if (a.dtype() != b.dtype()) {
    throw Error("Expected `func` to return outputs with the same dtype when inputs are perturbed " + on_index + "by " +
                python_float_repr(eps) + ", but got: dtypes " + std::string(torch_name(a.dtype())) + " and " +
                std::string(torch_name(b.dtype())) + ".");
  }
}

/// torch's _compute_numerical_gradient: one flattened (f(x + delta) - f(x - delta)) / 2 norm
/// per output, `entry` being the `.data()` alias of the perturbed input.
inline tensor_list central_difference(const list_fn& fn, const tensor_list& inputs, const Tensor& entry,
                                      const std::vector<element_shift>& shifts, double norm, double eps,
                                      const std::string& on_index) {
  tensor_list before;
  tensor_list after;
  {
    shifted_elements shifted(entry, shifts);
    shifted.shift(-1);
    before = cloned(fn(inputs));
    shifted.shift(+1);
    after = cloned(fn(inputs));
  }
  NoGradGuard no_grad;
  tensor_list result;
  for (std::size_t i = 0; i < before.size() && i < after.size(); ++i) {
    check_same_dtype_and_shape(before[i], after[i], eps, on_index);
    result.push_back(raw::reshape((after[i] - before[i]) / (2 * norm), {-1}));
  }
  return result;
}

/// torch's _compute_numerical_jvps_wrt_specific_input: the derivative along `real_shifts`
/// (and, for a complex input, ds/dx + i ds/dy with `imag_shifts` perturbing imaginary parts).
inline tensor_list numerical_jvps(const list_fn& fn, const tensor_list& inputs, const Tensor& entry, bool input_is_complex,
                                  const std::vector<element_shift>& real_shifts, const std::vector<element_shift>& imag_shifts,
                                  double eps, const std::string& on_index) {
  tensor_list ds_dx = central_difference(fn, inputs, entry, real_shifts, eps, eps, on_index);
  if (!input_is_complex) return ds_dx;
  tensor_list ds_dy = central_difference(fn, inputs, entry, imag_shifts, eps, eps, on_index);
  NoGradGuard no_grad;
  for (std::size_t i = 0; i < ds_dx.size(); ++i) ds_dx[i] = ds_dx[i] + ds_dy[i] * std::complex<double>(0, 1);
  return ds_dx;
}

/// torch's get_numerical_jacobian_wrt_specific_input: for each float or complex output of
/// `outputs`, the (input.numel(), output.numel()) Jacobian w.r.t. inputs[input_idx], in the
/// output's dtype (the input's, when the input is complex).
inline tensor_list numerical_jacobian_wrt(const list_fn& fn, const tensor_list& inputs, std::size_t input_idx,
                                          const tensor_list& outputs, double eps) {
  const Tensor& input = inputs[input_idx];
  const Tensor entry = input.data();
  const std::int64_t n = input.numel();
  const auto sizes = input.sizes();
  std::vector<tensor_list> columns;
  columns.reserve(static_cast<std::size_t>(n));
  for (std::int64_t k = 0; k < n; ++k) {
    const std::string on_index = "on index " + python_index_tuple(sizes, k) + " ";
    columns.push_back(numerical_jvps(fn, inputs, entry, input.is_complex(), {{k, eps}}, {{k, std::complex<double>(0, eps)}},
                                     eps, on_index));
  }
  tensor_list jacobians;
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    if (!is_float_or_complex(outputs[i])) continue;
    const ScalarType dtype = input.is_complex() ? input.dtype() : outputs[i].dtype();
    Tensor jacobian = zeros({n, outputs[i].numel()}, typegrad::dtype(dtype));
    for (std::int64_t k = 0; k < n; ++k) raw::copy_elements(raw::select(jacobian, 0, k), columns[static_cast<std::size_t>(k)][i]);
    jacobians.push_back(jacobian);
  }
  return jacobians;
}

/// torch's _get_numerical_jacobian: jacobians[input][output] for every input that requires
/// grad and every float or complex output.
inline std::vector<tensor_list> numerical_jacobian(const list_fn& fn, const tensor_list& inputs, const tensor_list& outputs,
                                                   double eps) {
  for (const auto& o : outputs) {
    if (o.defined() && o.is_complex()) {
      throw Error("Expected output to be non-complex. get_numerical_jacobian no longer supports functions that return "
                  "complex outputs.");
    }
  }
  std::vector<tensor_list> jacobians;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (inputs[i].defined() && inputs[i].requires_grad()) jacobians.push_back(numerical_jacobian_wrt(fn, inputs, i, outputs, eps));
  }
  return jacobians;
}

/// torch's _get_numerical_jvp_wrt_specific_input (fast mode): J u for the whole input at once,
/// u given per real part (and imaginary part, for a complex input).
inline tensor_list numerical_jvp_along(const list_fn& fn, const tensor_list& inputs, std::size_t input_idx,
                                       const Tensor& u_real, const Tensor& u_imag, double eps) {
  const Tensor& input = inputs[input_idx];
  const Tensor entry = input.data();
  const auto scaled = [&](const Tensor& u, std::complex<double> unit) {
    std::vector<element_shift> shifts;
    if (!u.defined()) return shifts;
    Tensor delta;
    {
      NoGradGuard no_grad;
      delta = u * eps;  // in u's dtype, as torch's `u * eps`
    }
    const auto values = values_of(delta);
    for (std::size_t k = 0; k < values.size(); ++k) shifts.push_back({static_cast<std::int64_t>(k), values[k] * unit});
    return shifts;
  };
  return numerical_jvps(fn, inputs, entry, input.is_complex(), scaled(u_real, 1.0), scaled(u_imag, std::complex<double>(0, 1)),
                        eps, "");
}

// ---- analytical side -------------------------------------------------------------------------

/// The gradient of `output` (weighted by `grad_output`) w.r.t. each of `diff_inputs`, cloned;
/// undefined for inputs the output does not reach.
inline tensor_list vjp(const Tensor& output, const tensor_list& diff_inputs, const Tensor& grad_output) {
  tensor_list grads = autograd::grad({output}, diff_inputs, {grad_output}, /*retain_graph=*/true, /*create_graph=*/false,
                                     /*allow_unused=*/true);
  for (auto& g : grads)
    if (g.defined()) g = raw::clone(g);
  return grads;
}

/// torch's _compute_analytical_jacobian_rows: rows[i][j] = d output[j] / d diff_inputs[i].
inline std::vector<tensor_list> analytical_rows(const Tensor& output, const tensor_list& diff_inputs) {
  std::vector<tensor_list> rows(diff_inputs.size());
  const std::int64_t n = output.numel();
  for (std::int64_t j = 0; j < n; ++j) {
    std::vector<std::complex<double>> unit(static_cast<std::size_t>(n));
    unit[static_cast<std::size_t>(j)] = 1.0;
    const Tensor grad_output = tensor_of(unit, output.sizes(), output.dtype());
    const tensor_list grads = vjp(output, diff_inputs, grad_output);
    for (std::size_t i = 0; i < grads.size(); ++i) rows[i].push_back(grads[i]);
  }
  return rows;
}

/// torch's _stack_and_check_tensors: the (input.numel(), columns) Jacobian of each input,
/// column j from rows[i][j] (zeros when undefined), and whether every gradient had its
/// input's sizes and dtype.
struct stacked_jacobians {
  tensor_list jacobians;
  bool sizes_ok = true;
  bool dtypes_ok = true;
};
inline stacked_jacobians stack_columns(const std::vector<tensor_list>& rows, const tensor_list& diff_inputs, std::int64_t columns) {
  stacked_jacobians r;
  for (std::size_t i = 0; i < diff_inputs.size(); ++i) {
    const Tensor& input = diff_inputs[i];
    Tensor jacobian = zeros({input.numel(), columns}, typegrad::dtype(input.dtype()));
    for (std::size_t j = 0; j < rows[i].size(); ++j) {
      const Tensor& g = rows[i][j];
      if (!g.defined()) continue;
      if (g.sizes() != input.sizes()) r.sizes_ok = false;
      else if (g.dtype() != input.dtype()) r.dtypes_ok = false;
      if (g.numel() != input.numel()) {  // torch's AssertionError
        throw Error("Expected out_jacobian column to have " + std::to_string(g.numel()) + " elements, but got " +
                    std::to_string(input.numel()));
      }
      raw::copy_elements(raw::select(jacobian, 1, static_cast<std::int64_t>(j)), raw::reshape(raw::contiguous(g), {-1}));
    }
    r.jacobians.push_back(jacobian);
  }
  return r;
}

}  // namespace gradcheck_detail
}  // namespace typegrad::autograd
