#pragma once
/// \file tensor/factories.hpp
/// Tensor factories with libtorch's names and TensorOptions:
///
///     tg::tensor({1.0, 2.0, 3.0}, tg::requires_grad());        // kDouble (C++ double), leaf
///     tg::zeros({2, 3});  tg::ones({2}, tg::dtype(tg::kLong));   // default dtype kFloat
///     tg::full({2}, 7);   tg::arange(5);  tg::arange(0.0, 1.0, 0.25);  tg::linspace(0, 1, 5);
///     tg::eye(3);  tg::manual_seed(0); tg::rand({2, 2});  tg::randn_like(x);
///
/// Every factory checks `requires_grad` against the dtype with torch's text ("Only Tensors of
/// floating point and complex dtype can require gradients").
#include <algorithm>
#include <cmath>
#include <complex>
#include <cstdint>
#include <limits>
#include <mutex>
#include <numbers>
#include <sstream>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

#include <typegrad/error.hpp>
#include <typegrad/tensor/convert.hpp>
#include <typegrad/tensor/dtype.hpp>
#include <typegrad/tensor/geometry.hpp>
#include <typegrad/tensor/int_array_ref.hpp>
#include <typegrad/tensor/options.hpp>
#include <typegrad/tensor/random.hpp>
#include <typegrad/tensor/tensor.hpp>
#include <typegrad/tensor/tensor_data.hpp>

namespace typegrad {

namespace detail {

/// Applies `options.requires_grad()` to a new tensor, with the factories' error text.
inline Tensor finish_factory(Tensor t, const TensorOptions& options) {
  if (options.requires_grad()) {
    if (!is_differentiable(t.dtype())) throw Error("Only Tensors of floating point and complex dtype can require gradients");
    t.requires_grad_(true);
  }
  return t;
}

/// Calls `f(type_tag<T>{}, T* data, n)` over a new contiguous tensor's elements.
template <class F> Tensor make_filled(IntArrayRef sizes, ScalarType dtype, F&& f) {
  Tensor t = Tensor::empty_contiguous(sizes, dtype);
  visit(dtype, [&](auto tag) {
    using T = typename decltype(tag)::type;
    f(tag, t.data_ptr<T>(), t.numel());
  });
  return t;
}

/// The dtype torch infers for a fill value without an explicit dtype: Bool, Long, the
/// default floating dtype, or the default complex dtype.
template <tensor_scalar S> constexpr ScalarType dtype_for_fill_value() noexcept {
  using E = element_type_for<S>;
  if constexpr (std::is_same_v<E, bool>) return kBool;
  else if constexpr (std::is_same_v<E, std::int64_t>) return kLong;
  else if constexpr (is_std_complex_v<E>) return kComplexFloat;
  else return default_dtype;
}

/// A number as c10::Scalar prints it in messages ("0", "2.5", "inf").
template <class T> std::string format_scalar(T v) {
  std::ostringstream os;
  os << v;
  return os.str();
}

/// torch's CPU range kernels (arange, linspace) fill contiguous output with
/// cpu_serial_kernel_vec: blocks of two AVX2 vectors take the vector formula, computed once
/// per vector from its first index and then stepped per lane; the tail takes the scalar
/// formula. The two round differently, so matching torch's values bit for bit means following
/// the same split: `scalar(i)` for the tail, `lane(first, k)` for element first + k of a vector.
template <class T, class Scalar, class Lane> void fill_like_torch_range(T* out, std::int64_t n, Scalar scalar, Lane lane) {
  constexpr std::int64_t lanes = static_cast<std::int64_t>(32 / sizeof(T));  // one 256-bit vector
  const std::int64_t vectorized = n - n % (2 * lanes);
  for (std::int64_t i = 0; i < vectorized; i += lanes) {
    for (std::int64_t k = 0; k < lanes; ++k) out[i + k] = lane(i, k);
  }
  for (std::int64_t i = vectorized; i < n; ++i) out[i] = scalar(i);
}

}  // namespace detail

/// A tensor holding `data` (a scalar gives a 0-d tensor); dtype from the C++ type unless
/// `options` sets one (then the values are converted as `to()` converts).
inline Tensor tensor(const detail::TensorDataContainer& data, const TensorOptions& options = {}) {
  const auto sizes = data.sizes();
  const ScalarType inferred = data.scalar_type();
  const ScalarType dtype = options.has_dtype() ? options.dtype() : inferred;
  if (options.requires_grad() && !is_differentiable(dtype)) {
    throw Error("Only Tensors of floating point and complex dtype can require gradients");
  }
  Tensor t = detail::make_filled(sizes, dtype, [&](auto tag, auto* out, std::int64_t) {
    using T = typename decltype(tag)::type;
    std::int64_t k = 0;
    data.for_each_scalar(sizes, [&](const detail::scalar_value& v) {
      out[k++] = std::visit([](const auto& x) { return detail::convert<T>(x); }, v);
    });
  });
  return detail::finish_factory(t, options);
}

/// A tensor with every element `value` (converted with c10's overflow check). Without a dtype
/// in `options` the value decides: bool -> kBool, integers -> kLong, floating -> kFloat,
/// complex -> kComplexFloat (torch's inference).
template <detail::tensor_scalar S> Tensor full(IntArrayRef sizes, S value, const TensorOptions& options = {}) {
  const ScalarType dtype = options.has_dtype() ? options.dtype() : detail::dtype_for_fill_value<S>();
  if (options.requires_grad() && !is_differentiable(dtype)) {
    throw Error("Only Tensors of floating point and complex dtype can require gradients");
  }
  const auto v = static_cast<detail::element_type_for<S>>(value);
  Tensor t = detail::make_filled(sizes, dtype, [&](auto tag, auto* out, std::int64_t n) {
    using T = typename decltype(tag)::type;
    const T x = detail::checked_convert<T>(v);
    for (std::int64_t k = 0; k < n; ++k) out[k] = x;
  });
  return detail::finish_factory(t, options);
}

/// Zero-filled (torch leaves `empty` uninitialised; ours is zeroed, see Storage).
inline Tensor empty(IntArrayRef sizes, const TensorOptions& options = {}) {
  return detail::finish_factory(Tensor::empty_contiguous(sizes, options.dtype()), options);
}
inline Tensor zeros(IntArrayRef sizes, const TensorOptions& options = {}) { return empty(sizes, options); }
inline Tensor ones(IntArrayRef sizes, const TensorOptions& options = {}) {
  return full(sizes, 1, options.has_dtype() ? options : options.dtype(default_dtype));
}

/// The n x m identity (m = n by default).
inline Tensor eye(std::int64_t n, std::int64_t m, const TensorOptions& options = {}) {
  if (n < 0) throw Error("n must be greater or equal to 0, got " + std::to_string(n));
  if (m < 0) throw Error("m must be greater or equal to 0, got " + std::to_string(m));
  Tensor t = Tensor::empty_contiguous({n, m}, options.dtype());
  visit(t.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    T* out = t.data_ptr<T>();
    for (std::int64_t i = 0; i < std::min(n, m); ++i) out[i * m + i] = detail::convert<T>(std::int64_t{1});
  });
  return detail::finish_factory(t, options);
}
inline Tensor eye(std::int64_t n, const TensorOptions& options = {}) { return eye(n, n, options); }

/// start, start + step, ... while < end (> end for negative steps). Without a dtype in
/// `options`: kLong when all three are integers, else kFloat. Lengths and values follow
/// torch's CPU kernel: ceil((end - start) / step) elements, start + i * step computed in
/// double (float for Half/BFloat16, int64 for Long, where start/end/step are first truncated).
template <detail::tensor_scalar A, detail::tensor_scalar B, detail::tensor_scalar C>
  requires(!detail::is_std_complex_v<A> && !detail::is_std_complex_v<B> && !detail::is_std_complex_v<C>)
Tensor arange(A start, B end, C step, const TensorOptions& options = {}) {
  constexpr bool all_integral = std::is_integral_v<A> && std::is_integral_v<B> && std::is_integral_v<C> &&
                                !std::is_same_v<A, bool> && !std::is_same_v<B, bool> && !std::is_same_v<C, bool>;
  const ScalarType dtype = options.has_dtype() ? options.dtype() : all_integral ? kLong : default_dtype;
  if (dtype == kBool || is_complex(dtype)) {
    throw Error("\"arange_cpu\" not implemented for '" + std::string(scalar_type_name(dtype)) + "'");
  }
  if (options.requires_grad() && !is_differentiable(dtype)) {
    throw Error("Only Tensors of floating point and complex dtype can require gradients");
  }
  const double s = static_cast<double>(detail::widen(start));
  const double e = static_cast<double>(detail::widen(end));
  const double st = static_cast<double>(detail::widen(step));
  if (!(st > 0 || st < 0)) throw Error("step must be nonzero");
  if (!std::isfinite(s) || !std::isfinite(e)) {
    throw Error("unsupported range: " + detail::format_scalar(detail::widen(start)) + " -> " +
                detail::format_scalar(detail::widen(end)));
  }
  if (!((st > 0 && e >= s) || (st < 0 && e <= s))) {
    throw Error("upper bound and larger bound inconsistent with step sign");
  }
  double size_d = 0;
  if (dtype == kLong) {
    const auto is = detail::convert<std::int64_t>(s), ie = detail::convert<std::int64_t>(e),
               ist = detail::convert<std::int64_t>(st);
    if (ist == 0) throw Error("step must be nonzero");
    size_d = std::ceil(static_cast<double>(ie - is) / static_cast<double>(ist));
  } else {
    size_d = std::ceil((e - s) / st);
  }
  if (!(size_d >= 0 && size_d <= static_cast<double>(std::numeric_limits<std::int64_t>::max()))) {
    throw Error("invalid size, possible overflow?");
  }
  const auto n = static_cast<std::int64_t>(size_d);
  Tensor t = detail::make_filled({n}, dtype, [&](auto tag, auto* out, std::int64_t) {
    using T = typename decltype(tag)::type;
    if constexpr (std::is_same_v<T, std::int64_t>) {
      const auto is = detail::convert<std::int64_t>(s), ist = detail::convert<std::int64_t>(st);
      for (std::int64_t i = 0; i < n; ++i) out[i] = is + ist * i;
    } else if constexpr (!std::is_same_v<T, bool> && !detail::is_std_complex_v<T>) {
      // accscalar_t: float for Half/BFloat16, double for Float/Double; `start + step * i` is
      // one fma in torch's FMA-compiled kernels. A vector starts at T(start + step * first)
      // and adds k * step (in the accumulate type) per lane.
      using Acc = std::conditional_t<detail::is_narrow_float_v<T>, float, double>;
      const Acc as = static_cast<Acc>(s), ast = static_cast<Acc>(st);
      detail::fill_like_torch_range(
          out, n, [&](std::int64_t i) { return static_cast<T>(std::fma(ast, static_cast<Acc>(i), as)); },
          [&](std::int64_t first, std::int64_t k) {
            const T base = static_cast<T>(std::fma(ast, static_cast<Acc>(first), as));
            return static_cast<T>(std::fma(static_cast<Acc>(k), ast, static_cast<Acc>(detail::widen(base))));
          });
    }
  });
  return detail::finish_factory(t, options);
}
template <detail::tensor_scalar A, detail::tensor_scalar B>
Tensor arange(A start, B end, const TensorOptions& options = {}) {
  return arange(start, end, 1, options);
}
template <detail::tensor_scalar B> Tensor arange(B end, const TensorOptions& options = {}) {
  return arange(0, end, 1, options);
}

/// `steps` evenly spaced values from start to end inclusive (default dtype kFloat). torch's
/// formula: step = (end - start) / (steps - 1) in the element type (double for Long); the
/// first half counts up from start, the second half down from end, so both ends are exact.
inline Tensor linspace(double start, double end, std::int64_t steps, const TensorOptions& options = {}) {
  if (steps < 0) throw Error("number of steps must be non-negative");
  const ScalarType dtype = options.dtype();
  if (dtype == kBool) {  // torch's own error: linspace has no Bool kernel
    throw Error("\"linspace_cpu\" not implemented for '" + std::string(scalar_type_name(dtype)) + "'");
  }
  if (is_complex(dtype)) {
    // Real start and end: the real parts are the real linspace, the imaginary parts 0. (torch's
    // complex kernel rounds a + step * k without fma, so its last bit can differ from this.)
    const TensorOptions real = options.dtype(to_real_value_type(dtype)).requires_grad(false);
    return detail::finish_factory(linspace(start, end, steps, real).to(dtype), options);
  }
  if (options.requires_grad() && !is_differentiable(dtype)) {
    throw Error("Only Tensors of floating point and complex dtype can require gradients");
  }
  Tensor t = detail::make_filled({steps}, dtype, [&](auto tag, auto* out, std::int64_t) {
    using T = typename decltype(tag)::type;
    if constexpr (std::is_same_v<T, std::int64_t> || std::is_floating_point_v<T> || detail::is_narrow_float_v<T>) {
      // step_t: double for integers, else the element type (Half arithmetic rounds to Half
      // after every operation, as c10::Half's operators do).
      using S = std::conditional_t<std::is_same_v<T, std::int64_t>, double, T>;
      const T ts = detail::checked_convert<T>(start), te = detail::checked_convert<T>(end);
      const S a = detail::convert<S>(ts), b = detail::convert<S>(te);
      if (steps == 1) {
        out[0] = ts;
        return;
      }
      const S step = (b - a) / static_cast<S>(steps - 1);
      const std::int64_t halfway = steps / 2;
      // Counted up from start in the first half, down from end in the second; a + step * k is
      // one fma in torch's kernels, except in Half/BFloat16, whose operators round each step.
      const auto from = [&](std::int64_t i) -> S {
        const bool up = i < halfway;
        const std::int64_t k = up ? i : steps - i - 1;
        if constexpr (detail::is_narrow_float_v<S>) {
          return up ? S(a + step * S(static_cast<float>(k))) : S(b - step * S(static_cast<float>(k)));
        } else {
          return up ? std::fma(step, static_cast<S>(k), a) : std::fma(-step, static_cast<S>(k), b);
        }
      };
      detail::fill_like_torch_range(
          out, steps, [&](std::int64_t i) { return detail::convert<T>(from(i)); },
          [&](std::int64_t first, std::int64_t k) {
            // Vectorized<T>::arange(base, step): base in T, then base + k * step per lane.
            const T base = detail::convert<T>(from(first));
            if constexpr (detail::is_narrow_float_v<S>) {
              return T(base + S(static_cast<float>(k)) * step);
            } else {
              // base + k * step with the product rounded first (written as fma(k, step, 0) so that
              // -ffp-contract cannot fuse it under -mfma).
              return detail::convert<T>(static_cast<S>(base) + std::fma(static_cast<S>(k), step, S(0)));
            }
          });
    }
  });
  return detail::finish_factory(t, options);
}

namespace detail {
/// Fills a floating or complex tensor from `draw(digits)` per real component.
template <class Draw> Tensor make_random(IntArrayRef sizes, const TensorOptions& options, const char* kernel, Draw draw) {
  const ScalarType dtype = options.dtype();
  if (!is_differentiable(dtype)) {
    throw Error("\"" + std::string(kernel) + "\" not implemented for '" + std::string(scalar_type_name(dtype)) + "'");
  }
  Generator& gen = default_generator();
  std::lock_guard lock(gen.mutex());
  Tensor t = make_filled(sizes, dtype, [&](auto tag, auto* out, std::int64_t n) {
    using T = typename decltype(tag)::type;
    if constexpr (is_std_complex_v<T>) {
      using R = typename T::value_type;
      for (std::int64_t k = 0; k < n; ++k) {
        const R re = static_cast<R>(draw(gen, std::numeric_limits<R>::digits, true));
        const R im = static_cast<R>(draw(gen, std::numeric_limits<R>::digits, true));
        out[k] = T(re, im);
      }
    } else if constexpr (!std::is_same_v<T, bool> && !std::is_same_v<T, std::int64_t>) {
      for (std::int64_t k = 0; k < n; ++k) out[k] = convert<T>(draw(gen, std::numeric_limits<T>::digits, false));
    }
  });
  return finish_factory(t, options);
}
}  // namespace detail

/// Uniform on [0, 1) from the default generator (each part, for complex dtypes).
inline Tensor rand(IntArrayRef sizes, const TensorOptions& options = {}) {
  return detail::make_random(sizes, options, "check_uniform_bounds",
                             [](Generator& g, int digits, bool) { return g.uniform(digits); });
}
/// Standard normal from the default generator; complex dtypes get variance 1/2 per part (as
/// torch, so that E|z|^2 = 1).
inline Tensor randn(IntArrayRef sizes, const TensorOptions& options = {}) {
  return detail::make_random(sizes, options, "normal_kernel_cpu", [](Generator& g, int, bool complex_part) {
    return complex_part ? g.normal() * std::numbers::sqrt2 / 2 : g.normal();
  });
}

// ---- *_like: the shape, dtype (unless options set one) and layout of `t` ----------------------
namespace detail {
inline Tensor like(const Tensor& t, const TensorOptions& options) {
  const ScalarType dtype = options.has_dtype() ? options.dtype() : t.dtype();
  const auto sizes = t.sizes();
  return Tensor::empty_strided(sizes, preserved_strides(sizes, t.strides()), dtype);
}
template <class F> Tensor fill_like(Tensor out, F&& value_of) {
  visit(out.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    T* data = out.data_ptr<T>();
    const auto& st = out.storage();
    const auto n = static_cast<std::int64_t>(st->nbytes() / sizeof(T));  // dense: fill the whole block
    for (std::int64_t k = 0; k < n; ++k) data[k] = value_of(tag);
  });
  return out;
}
}  // namespace detail

inline Tensor empty_like(const Tensor& t, const TensorOptions& options = {}) {
  return detail::finish_factory(detail::like(t, options), options);
}
inline Tensor zeros_like(const Tensor& t, const TensorOptions& options = {}) { return empty_like(t, options); }
template <detail::tensor_scalar S> Tensor full_like(const Tensor& t, S value, const TensorOptions& options = {}) {
  Tensor out = detail::like(t, options);
  if (options.requires_grad() && !is_differentiable(out.dtype())) {
    throw Error("Only Tensors of floating point and complex dtype can require gradients");
  }
  const auto v = static_cast<detail::element_type_for<S>>(value);
  detail::fill_like(out, [&](auto tag) { return detail::checked_convert<typename decltype(tag)::type>(v); });
  return detail::finish_factory(out, options);
}
inline Tensor ones_like(const Tensor& t, const TensorOptions& options = {}) { return full_like(t, 1, options); }
inline Tensor rand_like(const Tensor& t, const TensorOptions& options = {}) {
  return rand(t.sizes(), options.has_dtype() ? options : options.dtype(t.dtype()));
}
inline Tensor randn_like(const Tensor& t, const TensorOptions& options = {}) {
  return randn(t.sizes(), options.has_dtype() ? options : options.dtype(t.dtype()));
}

}  // namespace typegrad
