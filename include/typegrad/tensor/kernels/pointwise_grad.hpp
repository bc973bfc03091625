#pragma once
/// \file tensor/kernels/pointwise_grad.hpp
/// The backward of an elementwise operation in one pass: `grad * conj(Op::partial<K>(y, a, b))`
/// per element, the policy's own partial (include/typegrad/ops/) run on xsimd batches, so
/// sigmoid's `grad * y * (1 - y)` or asin's `grad / sqrt(1 - a * a)` read their operands once
/// and store once instead of making a temporary per tensor operation. The dynamic layer's
/// pointwise nodes use it when their backward needs no graph of its own (no create_graph);
/// with one, they evaluate the same partial with differentiable tensor operations.
///
///     // the gradient of sin at a, given the output's gradient g:
///     tg::Tensor ga = tg::kernels::pointwise_grad<tg::ops::sin, 0, tg::kernels::reads_self>(g, {}, a, {});
#include <bit>
#include <cstddef>
#include <tuple>
#include <type_traits>
#include <vector>

#include <typegrad/error.hpp>
#include <typegrad/scalar/traits.hpp>
#include <typegrad/tensor/dtype.hpp>
#include <typegrad/tensor/kernels/broadcast.hpp>
#include <typegrad/tensor/kernels/elementwise.hpp>
#include <typegrad/tensor/kernels/loop.hpp>
#include <typegrad/tensor/kernels/op_dtypes.hpp>
#include <typegrad/tensor/kernels/result_type.hpp>
#include <typegrad/tensor/raw.hpp>
#include <typegrad/tensor/tensor.hpp>

namespace typegrad::kernels {

/// Which tensors an operation's partials read (bits; the pointwise nodes save exactly these).
enum partial_reads : unsigned { reads_self = 1, reads_other = 2, reads_result = 4 };

namespace detail {

/// The operand with bit `Bit` of `Reads` from the packed list of read operands (self, other,
/// result in bit order), or a zero the partial never reads.
template <unsigned Reads, unsigned Bit, class V, class C, class Tuple> V read_operand(const Tuple& read) {
  if constexpr ((Reads & Bit) == 0) return V(C(0));
  else return std::get<std::popcount(Reads & (Bit - 1))>(read);
}

/// grad * Op::partial<K>(y, a[, b]) on lanes of C (batches) or stored elements (converted); C is
/// real, so the conjugate of torch's `grad * conj(partial)` is the identity.
template <class Op, std::size_t K, unsigned Reads, std::size_t Arity, class C> struct grad_times_partial {
  template <class G, class... X> auto operator()(const G& g, const X&... x) const {
    if constexpr ((typegrad::detail::is_batch_v<X> && ...) && typegrad::detail::is_batch_v<G>) {
      return apply(g, std::tuple<const X&...>(x...));
    } else {
      return apply(cast_element<C>(g), std::tuple<each_as<C, X>...>(cast_element<C>(x)...));
    }
  }

 private:
  template <class V, class... X> static V apply(const V& g, const std::tuple<X...>& read) {
    const V a = read_operand<Reads, reads_self, V, C>(read);
    const V y = read_operand<Reads, reads_result, V, C>(read);
    if constexpr (Arity == 1) {
      return g * V(Op::template partial<K>(y, a));
    } else {
      const V b = read_operand<Reads, reads_other, V, C>(read);
      return g * V(Op::template partial<K>(y, a, b));
    }
  }
};

}  // namespace detail

/// The gradient of operand K (0: a, 1: b) of Op's result y = Op(a[, b]) from y's gradient:
/// `grad * conj(Op::partial<K>(y, a, b))` over grad's shape (operands broadcast to it), in
/// the promoted dtype of grad and the operands Reads names (the others may be undefined),
/// one pass. Arity: Op's number of operands. The caller reduces a broadcast operand's
/// gradient to its shape. Only float and double have the kernel (the dtypes where the
/// bandwidth matters; every kernel is compiled in every translation unit that records the
/// operation): for the others the result is an undefined tensor and the caller evaluates
/// the partial with tensor operations.
template <class Op, std::size_t K, unsigned Reads, std::size_t Arity = 1>
Tensor pointwise_grad(const Tensor& grad, const Tensor& result, const Tensor& a, const Tensor& b) {
  static_assert(K < Arity && (Arity == 1 || Arity == 2), "pointwise_grad: K must name one of Op's operands");
  static_assert(Arity == 2 || (Reads & reads_other) == 0, "pointwise_grad: a unary operation has no other operand");
  detail::result_type_state state;
  state.update(grad);
  if constexpr ((Reads & reads_self) != 0) state.update(a);
  if constexpr ((Reads & reads_other) != 0) state.update(b);
  if constexpr ((Reads & reads_result) != 0) state.update(result);
  const ScalarType compute = state.result();
  const auto read = [&]<class... T>(const T&... t) {
    return [&](auto run) { return run(raw::to(grad, compute), raw::to(t, compute)...); };
  };
  const auto with_operands = [&](auto run) {
    // the read operands in bit order: self, other, result
    if constexpr (Reads == 0) return read()(run);
    else if constexpr (Reads == reads_self) return read(a)(run);
    else if constexpr (Reads == reads_other) return read(b)(run);
    else if constexpr (Reads == reads_result) return read(result)(run);
    else if constexpr (Reads == (reads_self | reads_other)) return read(a, b)(run);
    else if constexpr (Reads == (reads_self | reads_result)) return read(a, result)(run);
    else if constexpr (Reads == (reads_other | reads_result)) return read(b, result)(run);
    else return read(a, b, result)(run);
  };
  if (compute != kFloat && compute != kDouble) return Tensor();
  return with_operands([&](const Tensor& g, const auto&... x) {
    std::vector<std::int64_t> shape = g.sizes();
    ((shape = broadcast_shapes(shape, x.sizes())), ...);
    Tensor out = detail::new_output(shape, compute, {g, x...});
    const auto run = [&](auto tag) {
      using T = typename decltype(tag)::type;
      detail::run_elementwise<detail::policy_lanes_t<Op, T, T>, T, T, detail::each_as<T, decltype(x)>...>(
          detail::grad_times_partial<Op, K, Reads, Arity, T>{}, out, {g, x...});
    };
    if (compute == kFloat) run(type_tag<float>{});
    else run(type_tag<double>{});
    return out;
  });
}

}  // namespace typegrad::kernels
