#pragma once
/// \file functions/pointwise_node.hpp
/// The backward nodes of elementwise operations, generated from the operation's policy
/// (include/typegrad/ops/): the gradient of operand K is `grad * conj(Op::partial<K>(y, a, b))`
/// evaluated with tensors, so the same partial that drives the static layer's adjoints is the
/// dynamic layer's backward formula, and being made of differentiable tensor functions it is
/// itself differentiable (double backward). Broadcast operands get their gradient summed
/// back to their shape. What a node saves (torch's choice per operation where the policy
/// allows it) is in pointwise_traits below.
#include <cstdint>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>

#include <typegrad/autograd/forward_grad.hpp>
#include <typegrad/autograd/grad_mode.hpp>
#include <typegrad/autograd/node.hpp>
#include <typegrad/autograd/saved_variable.hpp>
#include <typegrad/functions/fwd.hpp>
#include <typegrad/functions/record.hpp>
#include <typegrad/ops/all.hpp>
#include <typegrad/tensor/kernels/elementwise.hpp>
#include <typegrad/tensor/kernels/pointwise_grad.hpp>

namespace typegrad::autograd::functions {

/// What a pointwise node keeps for its backward.
enum saves : unsigned { saves_nothing = 0, saves_self = 1, saves_other = 2, saves_result = 4 };

/// torch's node name and the tensors the policy's partials read, per operation: `reads<K>`
/// for operand K's partial, `what` for all of them. A node saves only what the partials of
/// the operands that need a gradient read (torch's rule: `x * w` with only w requiring grad
/// keeps x, not w, so changing w in place afterwards does not fail the backward).
template <class Op> struct pointwise_traits;

/// A string literal as a template argument.
template <std::size_t N> struct fixed_name {
  char text[N]{};
  constexpr fixed_name(const char (&s)[N]) {  // NOLINT: implicit on purpose
    for (std::size_t i = 0; i < N; ++i) text[i] = s[i];
  }
};
template <fixed_name Name, unsigned Reads0, unsigned Reads1 = Reads0> struct pointwise_entry {
  static constexpr const char* name = Name.text;
  template <std::size_t K> static constexpr unsigned reads = K == 0 ? Reads0 : Reads1;
  static constexpr unsigned what = Reads0 | Reads1;
};

template <> struct pointwise_traits<ops::exp> : pointwise_entry<"ExpBackward0", saves_result> {};
template <> struct pointwise_traits<ops::exp2> : pointwise_entry<"Exp2Backward0", saves_result> {};
template <> struct pointwise_traits<ops::expm1> : pointwise_entry<"Expm1Backward0", saves_result> {};
template <> struct pointwise_traits<ops::log> : pointwise_entry<"LogBackward0", saves_self> {};
template <> struct pointwise_traits<ops::log2> : pointwise_entry<"Log2Backward0", saves_self> {};
template <> struct pointwise_traits<ops::log10> : pointwise_entry<"Log10Backward0", saves_self> {};
template <> struct pointwise_traits<ops::log1p> : pointwise_entry<"Log1PBackward0", saves_self> {};
template <> struct pointwise_traits<ops::sqrt> : pointwise_entry<"SqrtBackward0", saves_result> {};
template <> struct pointwise_traits<ops::sin> : pointwise_entry<"SinBackward0", saves_self> {};
template <> struct pointwise_traits<ops::cos> : pointwise_entry<"CosBackward0", saves_self> {};
template <> struct pointwise_traits<ops::tan> : pointwise_entry<"TanBackward0", saves_result> {};
template <> struct pointwise_traits<ops::asin> : pointwise_entry<"AsinBackward0", saves_self> {};
template <> struct pointwise_traits<ops::acos> : pointwise_entry<"AcosBackward0", saves_self> {};
template <> struct pointwise_traits<ops::atan> : pointwise_entry<"AtanBackward0", saves_self> {};
template <> struct pointwise_traits<ops::sinh> : pointwise_entry<"SinhBackward0", saves_self> {};
template <> struct pointwise_traits<ops::cosh> : pointwise_entry<"CoshBackward0", saves_self> {};
template <> struct pointwise_traits<ops::tanh> : pointwise_entry<"TanhBackward0", saves_result> {};
template <> struct pointwise_traits<ops::asinh> : pointwise_entry<"AsinhBackward0", saves_self> {};
template <> struct pointwise_traits<ops::acosh> : pointwise_entry<"AcoshBackward0", saves_self> {};
template <> struct pointwise_traits<ops::atanh> : pointwise_entry<"AtanhBackward0", saves_self> {};
template <> struct pointwise_traits<ops::erf> : pointwise_entry<"ErfBackward0", saves_self> {};
template <> struct pointwise_traits<ops::erfc> : pointwise_entry<"ErfcBackward0", saves_self> {};
template <> struct pointwise_traits<ops::lgamma> : pointwise_entry<"LgammaBackward0", saves_self> {};
// Not in torch (the static layer has them): named as torch would name them.
template <> struct pointwise_traits<ops::tgamma> : pointwise_entry<"TgammaBackward0", saves_self | saves_result> {};
template <> struct pointwise_traits<ops::cbrt> : pointwise_entry<"CbrtBackward0", saves_result> {};
template <> struct pointwise_traits<ops::polygamma<0>> : pointwise_entry<"DigammaBackward0", saves_self> {};
template <> struct pointwise_traits<ops::polygamma<1>> : pointwise_entry<"PolygammaBackward0", saves_self> {};
template <> struct pointwise_traits<ops::polygamma<2>> : pointwise_entry<"PolygammaBackward0", saves_self> {};
template <> struct pointwise_traits<ops::polygamma<3>> : pointwise_entry<"PolygammaBackward0", saves_self> {};
template <> struct pointwise_traits<ops::sigmoid> : pointwise_entry<"SigmoidBackward0", saves_result> {};
template <> struct pointwise_traits<ops::relu> : pointwise_entry<"ReluBackward0", saves_self> {};
template <> struct pointwise_traits<ops::softplus> : pointwise_entry<"SoftplusBackward0", saves_self> {};
template <> struct pointwise_traits<ops::square> : pointwise_entry<"PowBackward0", saves_self> {};
template <> struct pointwise_traits<ops::neg> : pointwise_entry<"NegBackward0", saves_nothing> {};
template <> struct pointwise_traits<ops::mul> : pointwise_entry<"MulBackward0", saves_other, saves_self> {};
template <> struct pointwise_traits<ops::div> : pointwise_entry<"DivBackward0", saves_other, saves_other | saves_result> {};
template <> struct pointwise_traits<ops::pow> : pointwise_entry<"PowBackward1", saves_self | saves_other, saves_self | saves_result> {};
template <> struct pointwise_traits<ops::atan2> : pointwise_entry<"Atan2Backward0", saves_self | saves_other> {};
template <> struct pointwise_traits<ops::hypot> : pointwise_entry<"HypotBackward0", saves_self | saves_result, saves_other | saves_result> {};
template <> struct pointwise_traits<ops::max> : pointwise_entry<"MaximumBackward0", saves_self | saves_other> {};
template <> struct pointwise_traits<ops::min> : pointwise_entry<"MinimumBackward0", saves_self | saves_other> {};
template <> struct pointwise_traits<ops::fmax> : pointwise_entry<"FmaxBackward0", saves_self | saves_other> {};
template <> struct pointwise_traits<ops::fmin> : pointwise_entry<"FminBackward0", saves_self | saves_other> {};

namespace impl {
/// grad * conj(partial); a constant partial of 1 or -1 costs no multiplication.
template <class P> Tensor times_conj(const Tensor& grad, const P& partial) {
  if constexpr (std::is_arithmetic_v<P>) {
    if (partial == 1) return grad;
    if (partial == -1) return -grad;
    return grad * Scalar(partial);
  } else {
    return grad * conj(partial);
  }
}
/// tangent * partial (no conjugate: forward mode multiplies by the holomorphic derivative).
template <class P> Tensor times(const Tensor& tangent, const P& partial) {
  if constexpr (std::is_arithmetic_v<P>) {
    if (partial == 1) return tangent;
    if (partial == -1) return -tangent;
    return tangent * Scalar(partial);
  } else {
    return tangent * partial;
  }
}
/// A tangent of a broadcast operand, spread to the result's shape.
inline Tensor fit(const Tensor& tangent, const Tensor& result) {
  return tangent.sizes() == result.sizes() ? tangent : tangent.expand(result.sizes());
}
/// The gradient of an operand of shape `sizes` from a broadcast result's gradient.
inline Tensor reduce_to(Tensor g, const std::vector<std::int64_t>& sizes) {
  return g.unsafe_get_impl()->sizes == sizes ? g : sum_to(g, sizes);
}
/// Is each partial of Op just its other operand (mul)? Then `grad * b` is one pass already, and
/// the fused kernel would only add a read of the operand the partial ignores.
template <class Op> inline constexpr bool partial_is_operand = std::is_same_v<Op, ops::mul>;
/// t * partial(), as one kernel (kernels::pointwise_grad: float and double, where the conjugate
/// of a gradient's `t * conj(partial)` is the identity) when `may_fuse` and the partial is an
/// expression; else `unfused()`, with tensor operations (a constant 1 or -1 costs no pass).
template <class Op, std::size_t K, std::size_t Arity, class Partial, class Unfused>
Tensor times_partial(bool may_fuse, const Tensor& t, const Tensor& y, const Tensor& a, const Tensor& b, Partial&& partial,
                     Unfused&& unfused) {
  if constexpr (!std::is_arithmetic_v<decltype(partial())> && !partial_is_operand<Op>) {
    if (may_fuse) {
      Tensor fused = kernels::pointwise_grad<Op, K, pointwise_traits<Op>::template reads<K>, Arity>(t, y, a, b);
      if (fused.defined()) return fused;
    }
  }
  return unfused();
}
/// The gradient of operand K: grad * conj(partial), fused when no graph is recorded.
template <class Op, std::size_t K, std::size_t Arity, class Partial>
Tensor operand_grad(const Tensor& g, const Tensor& y, const Tensor& a, const Tensor& b, Partial&& partial) {
  return times_partial<Op, K, Arity>(!GradMode::is_enabled(), g, y, a, b, partial,
                                     [&] { return times_conj(g, partial()); });
}
/// The tangent contributed by operand K: tangent * partial, fused when nothing needs its graph.
template <class Op, std::size_t K, std::size_t Arity, class Partial>
Tensor operand_tangent(const Tensor& t, const Tensor& y, const Tensor& a, const Tensor& b, Partial&& partial) {
  const auto recorded = [](const Tensor& x) { return x.defined() && x.requires_grad(); };
  const bool may_fuse = !GradMode::is_enabled() || !(recorded(t) || recorded(y) || recorded(a) || recorded(b));
  return times_partial<Op, K, Arity>(may_fuse, t, y, a, b, partial, [&] { return times(t, partial()); });
}
}  // namespace impl

template <class Op> class UnaryPointwiseBackward final : public Node {
 public:
  std::string name() const override { return pointwise_traits<Op>::name; }
  tensor_list apply(tensor_list&& grads) override {
    const Tensor& g = grads[0];
    if (!g.defined() || !should_compute_output(0)) return {Tensor()};
    const Tensor a = self.unpack();
    const Tensor y = result.unpack(shared_from_this());
    return {impl::operand_grad<Op, 0, 1>(g, y, a, Tensor(), [&] { return Op::template partial<0>(y, a); })};
  }
  void release_variables() override {
    self.reset_data();
    result.reset_data();
  }
  SavedVariable self, result;
};

template <class Op> class BinaryPointwiseBackward final : public Node {
 public:
  std::string name() const override { return pointwise_traits<Op>::name; }
  tensor_list apply(tensor_list&& grads) override {
    const Tensor& g = grads[0];
    tensor_list out(2);
    if (!g.defined()) return out;
    const Tensor a = self.unpack();
    const Tensor b = other.unpack();
    const Tensor y = result.unpack(shared_from_this());
    const auto grad_of = [&]<std::size_t K>(std::integral_constant<std::size_t, K>) {
      return impl::operand_grad<Op, K, 2>(g, y, a, b, [&] { return Op::template partial<K>(y, a, b); });
    };
    if (should_compute_output(0)) out[0] = impl::reduce_to(grad_of(std::integral_constant<std::size_t, 0>{}), self_sizes);
    if (should_compute_output(1)) out[1] = impl::reduce_to(grad_of(std::integral_constant<std::size_t, 1>{}), other_sizes);
    return out;
  }
  void release_variables() override {
    self.reset_data();
    other.reset_data();
    result.reset_data();
  }
  /// What the partials of the operands that need a gradient read (set the next edges first).
  unsigned saves_needed() const {
    using traits = pointwise_traits<Op>;
    return (should_compute_output(0) ? traits::template reads<0> : 0u) |
           (should_compute_output(1) ? traits::template reads<1> : 0u);
  }
  SavedVariable self, other, result;
  std::vector<std::int64_t> self_sizes, other_sizes;
};

/// Op applied elementwise, recording UnaryPointwiseBackward<Op> when needed.
template <class Op> Tensor unary_pointwise(const Tensor& a) {
  auto node = record::node_for<UnaryPointwiseBackward<Op>>({&a});
  Tensor y = kernels::unary<Op>(a);
  if (node) {
    constexpr unsigned what = pointwise_traits<Op>::what;
    if constexpr ((what & saves_self) != 0) node->self = SavedVariable(a, false);
    record::set_history(y, node);
    if constexpr ((what & saves_result) != 0) node->result = SavedVariable(y, true);
  }
  if (forward_ad::detail::any_tangent({&a})) {
    const Tensor ta = forward_ad::detail::tangent_of(a);
    forward_ad::detail::tangent_scope primal_values;
    forward_ad::detail::set_tangent(
        y, impl::operand_tangent<Op, 0, 1>(ta, y, a, Tensor(), [&] { return Op::template partial<0>(y, a); }));
  }
  return y;
}

/// Op applied elementwise with broadcasting, recording BinaryPointwiseBackward<Op> when needed.
template <class Op> Tensor binary_pointwise(const Tensor& a, const Tensor& b) {
  auto node = record::node_for<BinaryPointwiseBackward<Op>>({&a, &b});
  Tensor y = kernels::binary<Op>(a, b);
  if (node) {
    const unsigned what = node->saves_needed();
    if ((what & saves_self) != 0) node->self = SavedVariable(a, false);
    if ((what & saves_other) != 0) node->other = SavedVariable(b, false);
    node->self_sizes = a.sizes();
    node->other_sizes = b.sizes();
    record::set_history(y, node);
    if ((what & saves_result) != 0) node->result = SavedVariable(y, true);
  }
  if (forward_ad::detail::any_tangent({&a, &b})) {
    const Tensor ta = forward_ad::detail::tangent_of(a);
    const Tensor tb = forward_ad::detail::tangent_of(b);
    forward_ad::detail::tangent_scope primal_values;
    Tensor t;
    if (ta.defined()) {
      t = impl::fit(impl::operand_tangent<Op, 0, 2>(ta, y, a, b, [&] { return Op::template partial<0>(y, a, b); }), y);
    }
    if (tb.defined()) {
      Tensor tb_part =
          impl::fit(impl::operand_tangent<Op, 1, 2>(tb, y, a, b, [&] { return Op::template partial<1>(y, a, b); }), y);
      t = t.defined() ? t + tb_part : tb_part;
    }
    forward_ad::detail::set_tangent(y, t);
  }
  return y;
}

}  // namespace typegrad::autograd::functions

namespace typegrad {
/// How the static layer's generic code (detail::apply<Op>, used inside policies' partials)
/// applies an operation to tensors: through the recorded pointwise functions.
template <class Op> Tensor apply_to_tensor(Op, const Tensor& a) { return autograd::functions::unary_pointwise<Op>(a); }
/// polygamma's derivative is the next order: through the run-time order, so that the chain of
/// instantiations stops (polygamma(n, x) supports the orders the policies were checked for).
template <int N> Tensor apply_to_tensor(ops::polygamma<N>, const Tensor& a) { return polygamma(N, a); }
template <class Op> Tensor apply_to_tensor(Op, const Tensor& a, const Tensor& b) {
  return autograd::functions::binary_pointwise<Op>(a, b);
}
}  // namespace typegrad

// Under TYPEGRAD_SEPARATE_COMPILATION, the `extern template` declarations of the operations above.
#include <typegrad/functions/pointwise_instances.hpp>
