#pragma once
/// \file tensor/kernels/elementwise.hpp
/// The raw (non-differentiable) elementwise kernels of the dynamic layer. Each named operation
/// is the static layer's policy (`ops::sin`, `ops::add`, ...: `Op::value`) run over tensors:
/// broadcasting and torch's type promotion (result_type.hpp, op_dtypes.hpp), xsimd batches
/// for float and double (and half/bfloat16, computed in float), element loops otherwise.
///
///     namespace k = tg::kernels;
///     tg::Tensor y = k::unary<tg::ops::sin>(x);             // sin(long) is kFloat, as torch
///     tg::Tensor z = k::binary<tg::ops::mul>(x, tg::wrapped_scalar_tensor(2.0));
///     k::binary_out<tg::ops::add>(x, x, y);                 // x.add_(y)
///     tg::Tensor m = k::compare<tg::ops::less>(x, y);       // kBool
///     tg::Tensor w = k::where(m, x, y);
///
/// Kernels neither record autograd history nor bump version counters: the callers do.
/// Every error is torch's text, thrown as tg::Error.
#include <algorithm>
#include <array>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <type_traits>
#include <vector>

#include <typegrad/error.hpp>
#include <typegrad/expr/functions.hpp>
#include <typegrad/scalar/traits.hpp>
#include <typegrad/tensor/dtype.hpp>
#include <typegrad/tensor/geometry.hpp>
#include <typegrad/tensor/int_array_ref.hpp>
#include <typegrad/tensor/kernels/broadcast.hpp>
#include <typegrad/tensor/kernels/comparison.hpp>
#include <typegrad/tensor/kernels/iteration.hpp>
#include <typegrad/tensor/kernels/loop.hpp>
#include <typegrad/tensor/kernels/op_dtypes.hpp>
#include <typegrad/tensor/kernels/overlap.hpp>
#include <typegrad/tensor/kernels/result_type.hpp>
#include <typegrad/tensor/raw.hpp>
#include <typegrad/tensor/scalar.hpp>
#include <typegrad/tensor/tensor.hpp>

namespace typegrad::kernels {

namespace detail {

/// dst[i] = convert(src[i]) over dst's shape, src broadcast to it (raw::copy_elements needs equal
/// shapes), through the vectorized elementwise loop; any dtypes; no checks.
inline void copy_elements(const Tensor& dst, const Tensor& src) {
  visit(dst.dtype(), [&](auto dtag) {
    using D = typename decltype(dtag)::type;
    visit(src.dtype(), [&](auto stag) {
      using S = typename decltype(stag)::type;
      run_elementwise<void, D, S>([](const S& v) { return v; }, dst, {src});
    });
  });
}

/// A new output of `shape` laid out in the order a loop over `inputs` runs: a transposed input
/// gives a transposed result, as in torch.
inline Tensor new_output(IntArrayRef shape, ScalarType dtype, std::initializer_list<Tensor> inputs) {
  // the common case without the layout search: 0-d, or every input contiguous in the output's shape
  const bool plain = shape.empty() || std::all_of(inputs.begin(), inputs.end(), [&](const Tensor& t) {
                       const auto& i = *t.unsafe_get_impl();
                       return std::equal(i.sizes.begin(), i.sizes.end(), shape.begin(), shape.end()) &&
                              typegrad::detail::is_contiguous_layout(i.sizes, i.strides);
                     });
  if (plain) return Tensor::empty_contiguous(shape, dtype, /*zero_fill=*/false);
  std::vector<dim_vector> strides;
  for (const Tensor& t : inputs) strides.push_back(broadcast_strides(t.sizes(), t.strides(), shape));
  // every element is written by the loop: no zero fill
  return Tensor::empty_strided(shape, strides_in_order(shape, iteration_order(shape, strides)), dtype, /*zero_fill=*/false);
}

/// The in-place and out= check of the output's shape.
inline void check_output_shape(const Tensor& out, IntArrayRef shape) {
  const auto sizes = out.sizes();
  if (!std::equal(sizes.begin(), sizes.end(), shape.begin(), shape.end())) {
    throw Error("output with shape " + typegrad::detail::format_int_list(sizes) + " doesn't match the broadcast shape " +
                typegrad::detail::format_int_list(shape));
  }
}

/// Policies that find NaN operands with `x != x`: on AVX, xsimd 8.1's batch `!=` is an ordered
/// comparison (false for NaN, unlike SSE2 and scalars), so these run one element at a time.
template <class Op> inline constexpr bool needs_scalar_nan_test = is_any_of<Op, ops::max, ops::min, ops::fmax, ops::fmin>;

/// The lanes `Op` runs on for elements stored as T and computed as C: batches for floating
/// storage, single elements for Long (pow computes it in double, whose batch pow is not exact
/// on integers as std::pow is) and for the NaN-testing policies.
template <class Op, class T, class C>
using policy_lanes_t = std::conditional_t<std::is_same_v<T, std::int64_t> || needs_scalar_nan_test<Op>, void, lanes_for<C>>;

/// T, once per element of a pack.
template <class T, class> using each_as = T;

/// Op::value on elements stored as T (converted to the compute type C first) or on batches of C.
template <class Op, class C> struct apply_policy {
  template <class... X> auto operator()(const X&... x) const {
    if constexpr ((typegrad::detail::is_batch_v<X> && ...)) return Op::value(x...);
    else return Op::value(cast_element<C>(x)...);
  }
};

/// out = Op(inputs...) elementwise: inputs are of dtype `compute` (broadcast to out's
/// shape), out of dtype result_dtype<Op>(compute).
template <class Op, class... Inputs> void run_policy(ScalarType compute, const Tensor& out, const Inputs&... inputs) {
  visit(compute, [&](auto tag) {
    using T = typename decltype(tag)::type;
    if constexpr (computes_in<Op, T>()) {
      using C = compute_type_t<Op, T>;
      using O = result_element_t<Op, T>;
      run_elementwise<policy_lanes_t<Op, T, C>, O, each_as<T, Inputs>...>(apply_policy<Op, C>{}, out, {inputs...});
    } else {
      throw Error("typegrad: no " + std::string(Op::symbol) + " kernel for " + std::string(scalar_type_name(compute)));
    }
  });
}

/// Computes into `out` when that is safe (same dtype, no input changed by the writes), else
/// into a new tensor copied into `out`.
template <class Op, class... Inputs>
void run_policy_into(ScalarType compute, const Tensor& out, const Inputs&... inputs) {
  const auto shape = out.sizes();
  const bool aside = out.dtype() != result_dtype<Op>(compute) ||
                     (must_compute_aside(out, inputs, broadcast_strides(inputs.sizes(), inputs.strides(), shape)) || ...);
  if (!aside) {
    run_policy<Op>(compute, out, inputs...);
    return;
  }
  Tensor result = new_output(shape, result_dtype<Op>(compute), {out, inputs...});
  run_policy<Op>(compute, result, inputs...);
  copy_elements(out, result);
}

/// The checks of an operation writing `out` from `inputs`: out's elements distinct, no input
/// partly overlapping out, out's shape the broadcast shape (torch's order and texts).
template <class... Inputs> void check_output(const Tensor& out, IntArrayRef shape, const Inputs&... inputs) {
  assert_no_internal_overlap(out);
  (assert_no_partial_overlap(out, inputs), ...);
  check_output_shape(out, shape);
}

}  // namespace detail

// ---- unary ---------------------------------------------------------------------------------

/// Op::value of every element. The result has a's dtype for floating and complex a (the real
/// counterpart for Op::real_result policies on complex a); integer and bool a follow torch's
/// per-operator rules (op_dtypes.hpp: neg/abs/square keep kLong, sin(long) is kFloat, ...).
template <class Op> Tensor unary(const Tensor& a) {
  const ScalarType compute = unary_compute_dtype<Op>(a.dtype());
  const Tensor x = raw::to(a, compute);
  Tensor out = detail::new_output(x.sizes(), result_dtype<Op>(compute), {x});
  detail::run_policy<Op>(compute, out, x);
  return out;
}

/// unary<Op>(a) written into `out` (a's shape; out may be a itself, as `a.sin_()` needs). The
/// result converts to out's dtype unless that loses its category (torch's "result type Float
/// can't be cast to the desired output type Long").
template <class Op> void unary_out(const Tensor& out, const Tensor& a) {
  detail::check_output(out, a.sizes(), a);
  const ScalarType compute = unary_compute_dtype<Op>(a.dtype());
  detail::check_can_cast(result_dtype<Op>(compute), out.dtype());
  detail::run_policy_into<Op>(compute, out, raw::to(a, compute));
}

// ---- binary --------------------------------------------------------------------------------

/// Op::value(a, b) elementwise over the broadcast shape, in result_type(a, b) (integer and bool
/// operands follow torch's per-operator rules: add/sub/mul/max/min/pow keep kLong, division and
/// the other floating operations give kFloat; see op_dtypes.hpp).
template <class Op> Tensor binary(const Tensor& a, const Tensor& b) {
  detail::check_binary_operands<Op>(a.dtype(), b.dtype());
  const auto shape = broadcast_shapes(a.sizes(), b.sizes());
  const ScalarType compute = binary_compute_dtype<Op>(result_type(a, b));
  const Tensor x = raw::to(a, compute);
  const Tensor y = raw::to(b, compute);
  Tensor out = detail::new_output(shape, result_dtype<Op>(compute), {x, y});
  detail::run_policy<Op>(compute, out, x, y);
  return out;
}

/// binary<Op>(a, b) written into `out`, whose shape must be the broadcast shape; computed in
/// the promoted dtype and converted to out's (unless that loses its category). `out` may be a
/// or b itself (`a.add_(b)`); an output sharing memory with an input in any other way is
/// torch's "unsupported operation" when both are dense, and is computed aside otherwise.
template <class Op> void binary_out(const Tensor& out, const Tensor& a, const Tensor& b) {
  detail::check_binary_operands<Op>(a.dtype(), b.dtype());
  const auto shape = broadcast_shapes(a.sizes(), b.sizes());
  detail::check_output(out, shape, a, b);
  const ScalarType compute = binary_compute_dtype<Op>(result_type(a, b));
  detail::check_can_cast(result_dtype<Op>(compute), out.dtype());
  detail::run_policy_into<Op>(compute, out, raw::to(a, compute), raw::to(b, compute));
}

// ---- comparisons and selection -----------------------------------------------------------------

/// Cmp{}(a, b) elementwise (ops::less, less_equal, greater, greater_equal, equal_to,
/// not_equal_to), computed in result_type(a, b); a kBool tensor of the broadcast shape.
/// Ordering comparisons of complex numbers throw torch's text ("lt_cpu" not implemented ...).
template <class Cmp> Tensor compare(const Tensor& a, const Tensor& b) {
  const auto shape = broadcast_shapes(a.sizes(), b.sizes());
  const ScalarType common = result_type(a, b);
  if (is_complex(common) && detail::is_ordering<Cmp>) {
    throw Error("\"" + std::string(detail::comparison_kernel_name<Cmp>) + "\" not implemented for '" +
                std::string(scalar_type_name(common)) + "'");
  }
  const Tensor x = raw::to(a, common);
  const Tensor y = raw::to(b, common);
  Tensor out = detail::new_output(shape, kBool, {x, y});
  visit(common, [&](auto tag) {
    using T = typename decltype(tag)::type;
    if constexpr (!typegrad::detail::is_complex_v<T> || !detail::is_ordering<Cmp>) {
      using C = typegrad::detail::compute_t<T>;  // half and bfloat16 compare exactly in float
      detail::run_elementwise<void, bool, T, T>(
          [](const T& p, const T& q) { return static_cast<bool>(Cmp{}(detail::cast_element<C>(p), detail::cast_element<C>(q))); },
          out, {x, y});
    }
  });
  return out;
}

/// a where cond is true, else b: three-way broadcasting, dtype result_type(a, b); cond must be
/// kBool (torch's text otherwise). The selection is the where policy: where(cond != false, a, b).
inline Tensor where(const Tensor& cond, const Tensor& a, const Tensor& b) {
  if (cond.dtype() != kBool) {
    throw Error("where expected condition to be a boolean tensor, but got a tensor with dtype " +
                std::string(scalar_type_name(cond.dtype())));
  }
  const auto shape = broadcast_shapes(broadcast_shapes(cond.sizes(), a.sizes()), b.sizes());
  const ScalarType common = result_type(a, b);
  const Tensor x = raw::to(a, common);
  const Tensor y = raw::to(b, common);
  Tensor out = detail::new_output(shape, common, {cond, x, y});
  visit(common, [&](auto tag) {
    using T = typename decltype(tag)::type;
    detail::run_elementwise<void, T, bool, T, T>(
        [](bool c, const T& p, const T& q) { return ops::where<ops::not_equal_to>::value(c, false, p, q); }, out,
        {cond, x, y});
  });
  return out;
}

// ---- copies and fills ----------------------------------------------------------------------

/// dst = src, src broadcast to dst's shape and converted to dst's dtype as torch casts (complex
/// to real keeps the real part; torch also warns). Overlapping memory follows torch's copy_: a
/// dense src partly overlapping dense dst throws; otherwise src is read before dst is written.
inline void copy_(const Tensor& dst, const Tensor& src) {
  if (dst.is_same(src)) return;
  detail::check_output(dst, broadcast_shapes(dst.sizes(), src.sizes()), src);
  const auto src_strides = detail::broadcast_strides(src.sizes(), src.strides(), dst.sizes());
  if (detail::must_compute_aside(dst, src, src_strides)) {
    detail::copy_elements(dst, raw::clone(src));
    return;
  }
  detail::copy_elements(dst, src);
}

/// Every element of dst set to `value`, converted with c10's overflow check ("value cannot be
/// converted to type int64_t without overflow"). Expanded dst is fine (torch's fill_ is too).
inline void fill_(const Tensor& dst, const Scalar& value) {
  visit(dst.dtype(), [&](auto tag) {
    using D = typename decltype(tag)::type;
    const D v = value.to<D>();
    detail::run_elementwise<void, D>([v] { return v; }, dst, {});
  });
}

/// A tensor like `t` (shape, dtype, layout as clone keeps it) filled with `value`.
/// (factories.hpp has full_like for C++ numbers; this takes a Scalar.)
inline Tensor full_like(const Tensor& t, const Scalar& value) {
  const auto sizes = t.sizes();
  Tensor out = Tensor::empty_strided(sizes, typegrad::detail::preserved_strides(sizes, t.strides()), t.dtype());
  fill_(out, value);
  return out;
}

}  // namespace typegrad::kernels
