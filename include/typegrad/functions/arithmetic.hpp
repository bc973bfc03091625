#pragma once
/// \file functions/arithmetic.hpp
/// + - * / on tensors and C++ numbers, with torch's nodes: `t * 2.0` is MulBackward0 whose
/// second next function is (nullptr, 0) (the number becomes a wrapped 0-d tensor, as Python
/// torch does), `1.0 - t` is RsubBackward1, `1.0 / t` is reciprocal(t) * 1.0.
#include <memory>
#include <type_traits>
#include <string>

#include <typegrad/autograd/node.hpp>
#include <typegrad/autograd/saved_variable.hpp>
#include <typegrad/functions/fwd.hpp>
#include <typegrad/functions/pointwise_node.hpp>
#include <typegrad/functions/record.hpp>
#include <typegrad/tensor/kernels/elementwise.hpp>
#include <typegrad/tensor/scalar.hpp>

namespace typegrad {

namespace autograd::functions {

namespace impl {
inline bool is_one(const Scalar& s) { return !s.is_complex() && s.to<double>() == 1.0; }
/// grad * conj(alpha), skipping the product when alpha is 1.
inline Tensor scaled(const Tensor& g, const Scalar& alpha) {
  if (is_one(alpha)) return g;
  if (alpha.is_complex()) return g * Scalar(std::conj(alpha.to<std::complex<double>>()));
  return g * alpha;
}
}  // namespace impl

/// a + alpha * b (AddBackward0) and a - alpha * b (SubBackward0): one node, the sign of b's
/// gradient told apart.
template <bool Subtract> class LinearBackward final : public Node {
 public:
  std::string name() const override { return Subtract ? "SubBackward0" : "AddBackward0"; }
  tensor_list apply(tensor_list&& grads) override {
    tensor_list out(2);
    const Tensor& g = grads[0];
    if (!g.defined()) return out;
    if (should_compute_output(0)) out[0] = impl::reduce_to(g, self_sizes);
    if (should_compute_output(1)) {
      Tensor scaled = impl::scaled(g, alpha);
      out[1] = impl::reduce_to(Subtract ? -scaled : scaled, other_sizes);
    }
    return out;
  }
  Scalar alpha = 1;
  std::vector<std::int64_t> self_sizes, other_sizes;
};
using AddBackward0 = LinearBackward<false>;
using SubBackward0 = LinearBackward<true>;

/// number - a.
class RsubBackward1 final : public Node {
 public:
  std::string name() const override { return "RsubBackward1"; }
  tensor_list apply(tensor_list&& grads) override {
    if (!grads[0].defined() || !should_compute_output(0)) return {Tensor()};
    return {-grads[0]};
  }
};

/// 1 / a: -grad * conj(y^2).
class ReciprocalBackward0 final : public Node {
 public:
  std::string name() const override { return "ReciprocalBackward0"; }
  tensor_list apply(tensor_list&& grads) override {
    if (!grads[0].defined() || !should_compute_output(0)) return {Tensor()};
    const Tensor y = result.unpack(shared_from_this());
    return {-grads[0] * conj(y * y)};
  }
  void release_variables() override { result.reset_data(); }
  SavedVariable result;
};

}  // namespace autograd::functions

namespace autograd::functions::impl {
/// The tangent of a + alpha b (or a - alpha b with sign -1).
inline void linear_tangent(const Tensor& y, const Tensor& a, const Tensor& b, const Scalar& alpha, double sign) {
  if (!forward_ad::detail::any_tangent({&a, &b})) return;
  const Tensor ta = forward_ad::detail::tangent_of(a);
  const Tensor tb = forward_ad::detail::tangent_of(b);
  forward_ad::detail::tangent_scope primal_values;
  Tensor t;
  if (ta.defined()) t = fit(ta, y);
  if (tb.defined()) {
    Tensor part = is_one(alpha) ? tb : tb * alpha;
    part = fit(sign < 0 ? -part : part, y);
    t = t.defined() ? t + part : part;
  }
  forward_ad::detail::set_tangent(y, t);
}
}  // namespace autograd::functions::impl

namespace autograd::functions::impl {
/// a + alpha b or a - alpha b (the kernel checks torch's bool-subtraction error).
template <bool Subtract> Tensor linear(const Tensor& a, const Tensor& b, const Scalar& alpha) {
  using Op = std::conditional_t<Subtract, ops::sub, ops::add>;
  auto node = record::node_for<LinearBackward<Subtract>>({&a, &b});
  Tensor y = is_one(alpha) ? kernels::binary<Op>(a, b)
                           : kernels::binary<Op>(a, kernels::binary<ops::mul>(b, wrapped_scalar_tensor(alpha)));
  if (node) {
    node->alpha = alpha;
    node->self_sizes = a.sizes();
    node->other_sizes = b.sizes();
    record::set_history(y, node);
  }
  linear_tangent(y, a, b, alpha, Subtract ? -1.0 : 1.0);
  return y;
}
}  // namespace autograd::functions::impl

inline Tensor add(const Tensor& a, const Tensor& b, const Scalar& alpha) {
  return autograd::functions::impl::linear<false>(a, b, alpha);
}
inline Tensor sub(const Tensor& a, const Tensor& b, const Scalar& alpha) {
  return autograd::functions::impl::linear<true>(a, b, alpha);
}
/// number - a (torch.rsub).
inline Tensor rsub(const Tensor& a, const Scalar& b) {
  using namespace autograd::functions;
  using autograd::SavedVariable;
  auto node = record::node_for<RsubBackward1>({&a});
  Tensor y = kernels::binary<ops::sub>(wrapped_scalar_tensor(b), a);
  record::set_history(y, node);
  if (autograd::forward_ad::detail::any_tangent({&a})) {
    const Tensor ta = autograd::forward_ad::detail::tangent_of(a);
    autograd::forward_ad::detail::tangent_scope primal_values;
    autograd::forward_ad::detail::set_tangent(y, -ta);
  }
  return y;
}
inline Tensor mul(const Tensor& a, const Tensor& b) { return autograd::functions::binary_pointwise<ops::mul>(a, b); }
inline Tensor div(const Tensor& a, const Tensor& b) { return autograd::functions::binary_pointwise<ops::div>(a, b); }
inline Tensor neg(const Tensor& a) { return autograd::functions::unary_pointwise<ops::neg>(a); }
inline Tensor reciprocal(const Tensor& a) {
  using namespace autograd::functions;
  using autograd::SavedVariable;
  auto node = record::node_for<ReciprocalBackward0>({&a});
  Tensor y = kernels::binary<ops::div>(wrapped_scalar_tensor(Scalar(1.0)), a);
  if (node) {
    record::set_history(y, node);
    node->result = SavedVariable(y, true);
  }
  if (autograd::forward_ad::detail::any_tangent({&a})) {
    const Tensor ta = autograd::forward_ad::detail::tangent_of(a);
    autograd::forward_ad::detail::tangent_scope primal_values;
    autograd::forward_ad::detail::set_tangent(y, -ta * (y * y));
  }
  return y;
}

inline Tensor operator+(const Tensor& a, const Tensor& b) { return add(a, b); }
inline Tensor operator-(const Tensor& a, const Tensor& b) { return sub(a, b); }
inline Tensor operator*(const Tensor& a, const Tensor& b) { return mul(a, b); }
inline Tensor operator/(const Tensor& a, const Tensor& b) { return div(a, b); }
inline Tensor operator-(const Tensor& a) { return neg(a); }
inline Tensor operator+(const Tensor& a, const Scalar& b) { return add(a, wrapped_scalar_tensor(b)); }
inline Tensor operator-(const Tensor& a, const Scalar& b) { return sub(a, wrapped_scalar_tensor(b)); }
inline Tensor operator*(const Tensor& a, const Scalar& b) { return mul(a, wrapped_scalar_tensor(b)); }
inline Tensor operator/(const Tensor& a, const Scalar& b) { return div(a, wrapped_scalar_tensor(b)); }
inline Tensor operator+(const Scalar& a, const Tensor& b) { return add(b, wrapped_scalar_tensor(a)); }
inline Tensor operator-(const Scalar& a, const Tensor& b) { return rsub(b, a); }
inline Tensor operator*(const Scalar& a, const Tensor& b) { return mul(b, wrapped_scalar_tensor(a)); }
inline Tensor operator/(const Scalar& a, const Tensor& b) { return reciprocal(b) * a; }

}  // namespace typegrad
