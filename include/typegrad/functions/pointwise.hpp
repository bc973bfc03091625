#pragma once
/// \file functions/pointwise.hpp
/// Elementwise tensor functions: the static layer's policy set (exp ... softplus), pow in its
/// three forms, abs/sgn/sign, maximum/minimum/fmax/fmin, clamp, where and the comparisons.
/// Found by argument-dependent lookup (`sin(t)`) and as `tg::sin`.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <typegrad/autograd/node.hpp>
#include <typegrad/autograd/saved_variable.hpp>
#include <typegrad/functions/arithmetic.hpp>
#include <typegrad/functions/fwd.hpp>
#include <typegrad/functions/generic_node.hpp>
#include <typegrad/functions/pointwise_node.hpp>
#include <typegrad/functions/record.hpp>
#include <typegrad/tensor/factories.hpp>
#include <typegrad/tensor/kernels/elementwise.hpp>
#include <typegrad/tensor/scalar.hpp>

namespace typegrad {

namespace autograd::functions {

/// pow(a, number): grad * conj(e * a^(e-1)), 0 when e == 0 (torch's pow_backward).
class PowBackward0 final : public Node {
 public:
  std::string name() const override { return "PowBackward0"; }
  tensor_list apply(tensor_list&& grads) override {
    if (!grads[0].defined() || !should_compute_output(0)) return {Tensor()};
    const Tensor a = self.unpack();
    if (exponent.is_complex()) {
      const auto e = exponent.to<std::complex<double>>();
      if (e == std::complex<double>(0)) return {zeros_like(a)};
      return {grads[0] * conj(pow(a, Scalar(e - 1.0)) * Scalar(e))};
    }
    const double e = exponent.to<double>();
    if (e == 0.0) return {zeros_like(a)};
    return {grads[0] * conj(pow(a, Scalar(e - 1.0)) * Scalar(e))};
  }
  void release_variables() override { self.reset_data(); }
  SavedVariable self;
  Scalar exponent = 1;
};

/// pow(number, a): grad * conj(y * log(base)), 0 where base == 0 and a >= 0.
class PowBackward2 final : public Node {
 public:
  std::string name() const override { return "PowBackward2"; }
  tensor_list apply(tensor_list&& grads) override {
    if (!grads[0].defined() || !should_compute_output(0)) return {Tensor()};
    const Tensor y = result.unpack(shared_from_this());
    if (!base.is_complex() && base.to<double>() == 0.0) {
      const Tensor a = exponent.unpack();
      // log(0) = -inf: the derivative is 0 for a >= 0 and -inf * y elsewhere (torch)
      return {grads[0] * conj(where(a >= Scalar(0.0), Scalar(0.0), y * log(wrapped_scalar_tensor(base))))};
    }
    const Scalar log_base = base.is_complex() ? Scalar(std::log(base.to<std::complex<double>>())) : Scalar(std::log(base.to<double>()));
    return {grads[0] * conj(y * log_base)};
  }
  void release_variables() override {
    result.reset_data();
    exponent.reset_data();
  }
  SavedVariable result, exponent;
  Scalar base = 1;
};

/// |a|: grad * sgn(a) (sgn(z) = z/|z|, 0 at 0), for real and complex a.
class AbsBackward0 final : public Node {
 public:
  std::string name() const override { return "AbsBackward0"; }
  tensor_list apply(tensor_list&& grads) override {
    if (!grads[0].defined() || !should_compute_output(0)) return {Tensor()};
    return {grads[0] * sgn(self.unpack())};
  }
  void release_variables() override { self.reset_data(); }
  SavedVariable self;
};

/// sgn(z) = z/|z|: torch's sgn_backward, (g - conj(sgn) * Re(conj(g) * sgn) ...)/|z|; zero for real.
class SgnBackward0 final : public Node {
 public:
  explicit SgnBackward0(const char* n = "SgnBackward0") : name_(n) {}
  std::string name() const override { return name_; }
  tensor_list apply(tensor_list&& grads) override {
    if (!grads[0].defined() || !should_compute_output(0)) return {Tensor()};
    const Tensor a = self.unpack();
    if (!a.is_complex()) return {zeros_like(grads[0])};
    const Tensor y = result.unpack(shared_from_this());
    const Tensor magnitude = abs(a);
    // (grad - Re(grad * conj(sgn)) * sgn) / |z|, 0 where z == 0
    const Tensor g = grads[0];
    const Tensor projected = real(g * conj(y)) * y;
    return {where(magnitude == Scalar(0.0), Scalar(0.0), (g - projected) / magnitude)};
  }
  void release_variables() override {
    self.reset_data();
    result.reset_data();
  }
  SavedVariable self, result;

 private:
  const char* name_;
};

/// clamp(a, min, max): grad where min <= a <= max, else 0.
class ClampBackward1 final : public Node {
 public:
  std::string name() const override { return "ClampBackward1"; }
  tensor_list apply(tensor_list&& grads) override {
    if (!grads[0].defined() || !should_compute_output(0)) return {Tensor()};
    const Tensor a = self.unpack();
    Tensor g = grads[0];
    if (max) g = where(a <= *max, g, Scalar(0.0));
    if (min) g = where(a >= *min, g, Scalar(0.0));
    return {g};
  }
  void release_variables() override { self.reset_data(); }
  SavedVariable self;
  std::optional<Scalar> min, max;
};

/// where(c, a, b): the gradient goes to a where c holds and to b elsewhere.
class WhereBackward0 final : public Node {
 public:
  std::string name() const override { return "WhereBackward0"; }
  tensor_list apply(tensor_list&& grads) override {
    tensor_list out(2);
    const Tensor& g = grads[0];
    if (!g.defined()) return out;
    const Tensor c = condition.unpack();
    if (should_compute_output(0)) out[0] = impl::reduce_to(where(c, g, Scalar(0.0)), self_sizes);
    if (should_compute_output(1)) out[1] = impl::reduce_to(where(c, Scalar(0.0), g), other_sizes);
    return out;
  }
  void release_variables() override { condition.reset_data(); }
  SavedVariable condition;
  std::vector<std::int64_t> self_sizes, other_sizes;
};

}  // namespace autograd::functions

// ---- the policy set -----------------------------------------------------------------------------
inline Tensor exp(const Tensor& a) { return autograd::functions::unary_pointwise<ops::exp>(a); }
inline Tensor exp2(const Tensor& a) { return autograd::functions::unary_pointwise<ops::exp2>(a); }
inline Tensor expm1(const Tensor& a) { return autograd::functions::unary_pointwise<ops::expm1>(a); }
inline Tensor log(const Tensor& a) { return autograd::functions::unary_pointwise<ops::log>(a); }
inline Tensor log2(const Tensor& a) { return autograd::functions::unary_pointwise<ops::log2>(a); }
inline Tensor log10(const Tensor& a) { return autograd::functions::unary_pointwise<ops::log10>(a); }
inline Tensor log1p(const Tensor& a) { return autograd::functions::unary_pointwise<ops::log1p>(a); }
inline Tensor sqrt(const Tensor& a) { return autograd::functions::unary_pointwise<ops::sqrt>(a); }
/// The real cube root (std::cbrt; not in torch). Real dtypes.
inline Tensor cbrt(const Tensor& a) { return autograd::functions::unary_pointwise<ops::cbrt>(a); }
/// 1 / sqrt(a), one node (RsqrtBackward0): d/da = -y^3 / 2.
inline Tensor rsqrt(const Tensor& a) {
  Tensor y;
  {
    autograd::forward_ad::detail::tangent_scope values_only;
    NoGradGuard no_history;
    y = reciprocal(sqrt(a));
  }
  record::op("RsqrtBackward0", {&a}, {y}, {{y, true}}, [](const tensor_list& g, const tensor_list& s, const autograd::Node&) {
    return tensor_list{g[0] * conj(s[0] * s[0] * s[0] * -0.5)};
  });
  autograd::forward_ad::detail::propagate(y, a, [&](const Tensor& t) { return t * (y * y * y * -0.5); });
  return y;
}
inline Tensor sin(const Tensor& a) { return autograd::functions::unary_pointwise<ops::sin>(a); }
inline Tensor cos(const Tensor& a) { return autograd::functions::unary_pointwise<ops::cos>(a); }
inline Tensor tan(const Tensor& a) { return autograd::functions::unary_pointwise<ops::tan>(a); }
inline Tensor asin(const Tensor& a) { return autograd::functions::unary_pointwise<ops::asin>(a); }
inline Tensor acos(const Tensor& a) { return autograd::functions::unary_pointwise<ops::acos>(a); }
inline Tensor atan(const Tensor& a) { return autograd::functions::unary_pointwise<ops::atan>(a); }
inline Tensor sinh(const Tensor& a) { return autograd::functions::unary_pointwise<ops::sinh>(a); }
inline Tensor cosh(const Tensor& a) { return autograd::functions::unary_pointwise<ops::cosh>(a); }
inline Tensor tanh(const Tensor& a) { return autograd::functions::unary_pointwise<ops::tanh>(a); }
inline Tensor asinh(const Tensor& a) { return autograd::functions::unary_pointwise<ops::asinh>(a); }
inline Tensor acosh(const Tensor& a) { return autograd::functions::unary_pointwise<ops::acosh>(a); }
inline Tensor atanh(const Tensor& a) { return autograd::functions::unary_pointwise<ops::atanh>(a); }
inline Tensor erf(const Tensor& a) { return autograd::functions::unary_pointwise<ops::erf>(a); }
inline Tensor erfc(const Tensor& a) { return autograd::functions::unary_pointwise<ops::erfc>(a); }
inline Tensor lgamma(const Tensor& a) { return autograd::functions::unary_pointwise<ops::lgamma>(a); }
/// The gamma function (std::tgamma; torch has only lgamma). Real dtypes.
inline Tensor tgamma(const Tensor& a) { return autograd::functions::unary_pointwise<ops::tgamma>(a); }
inline Tensor digamma(const Tensor& a) { return autograd::functions::unary_pointwise<ops::polygamma<0>>(a); }
/// polygamma(n, a) for n = 0..3 (the orders whose derivative, order n + 1, the policies have).
inline Tensor polygamma(std::int64_t n, const Tensor& a) {
  switch (n) {
    case 0: return digamma(a);
    case 1: return autograd::functions::unary_pointwise<ops::polygamma<1>>(a);
    case 2: return autograd::functions::unary_pointwise<ops::polygamma<2>>(a);
    case 3: return autograd::functions::unary_pointwise<ops::polygamma<3>>(a);
    default:
      if (n < 0) throw Error("polygamma(n, x) does not support negative n.");
      throw Error("polygamma(n, x) is implemented for n <= 3 (n = " + std::to_string(n) + ")");
  }
}
/// polygamma<N>(a), the static layer's spelling of polygamma(N, a).
template <int N> Tensor polygamma(const Tensor& a) { return polygamma(N, a); }
/// The policies call trigamma(x) for digamma's derivative.
inline Tensor trigamma(const Tensor& a) { return polygamma(1, a); }
inline Tensor sigmoid(const Tensor& a) { return autograd::functions::unary_pointwise<ops::sigmoid>(a); }
inline Tensor relu(const Tensor& a) { return autograd::functions::unary_pointwise<ops::relu>(a); }
inline Tensor softplus(const Tensor& a) { return autograd::functions::unary_pointwise<ops::softplus>(a); }
inline Tensor square(const Tensor& a) { return autograd::functions::unary_pointwise<ops::square>(a); }

inline Tensor abs(const Tensor& a) {
  auto node = record::node_for<autograd::functions::AbsBackward0>({&a});
  Tensor y = kernels::unary<ops::abs>(a);
  if (node) {
    node->self = autograd::SavedVariable(a, false);
    record::set_history(y, node);
  }
  // d|z| = Re(conj(sgn z) dz); for real a: sgn(a) da
  autograd::forward_ad::detail::propagate(y, a, [&](const Tensor& t) {
    return a.is_complex() ? real(conj(sgn(a)) * t) : sgn(a) * t;
  });
  return y;
}
/// z/|z| (0 at 0); for real tensors the sign.
inline Tensor sgn(const Tensor& a) {
  auto node = record::node_for<autograd::functions::SgnBackward0>({&a});
  Tensor y;
  {
    NoGradGuard no_history;  // the value only; the node below is the history
    const Tensor magnitude = kernels::unary<ops::abs>(a);
    y = a.is_complex() ? kernels::where(kernels::compare<ops::equal_to>(magnitude, wrapped_scalar_tensor(0.0)),
                                        kernels::binary<ops::mul>(a, wrapped_scalar_tensor(0.0)),
                                        kernels::binary<ops::div>(a, magnitude))
                       : sign(a);
  }
  if (node) {
    node->self = autograd::SavedVariable(a, false);
    record::set_history(y, node);
    node->result = autograd::SavedVariable(y, true);
  }
  autograd::forward_ad::detail::propagate(y, a, [&](const Tensor& t) {
    if (!a.is_complex()) return zeros_like(t);
    const Tensor magnitude = abs(a);
    return where(magnitude == Scalar(0.0), Scalar(0.0), (t - real(t * conj(y)) * y) / magnitude);
  });
  return y;
}
/// -1, 0 or 1 (real tensors; torch's error for complex).
inline Tensor sign(const Tensor& a) {
  if (a.is_complex()) throw Error("Unlike NumPy, torch.sign is not intended to support complex numbers. Please use torch.sgn instead.");
  auto node = record::node_for<autograd::functions::SgnBackward0>({&a}, "SignBackward0");
  const Tensor positive = kernels::compare<ops::greater>(a, wrapped_scalar_tensor(0));
  const Tensor negative = kernels::compare<ops::less>(a, wrapped_scalar_tensor(0));
  Tensor y = kernels::binary<ops::sub>(positive.to(a.dtype()), negative.to(a.dtype()));
  if (node) {
    node->self = autograd::SavedVariable(a, false);
    record::set_history(y, node);
  }
  autograd::forward_ad::detail::propagate(y, a, [](const Tensor& t) { return zeros_like(t); });
  return y;
}

// ---- pow ---------------------------------------------------------------------------------------
inline Tensor pow(const Tensor& a, const Scalar& exponent) {
  auto node = record::node_for<autograd::functions::PowBackward0>({&a});
  Tensor y = kernels::binary<ops::pow>(a, wrapped_scalar_tensor(exponent));
  if (node) {
    node->self = autograd::SavedVariable(a, false);
    node->exponent = exponent;
    record::set_history(y, node);
  }
  autograd::forward_ad::detail::propagate(y, a, [&](const Tensor& t) {
    if (exponent.is_complex()) {
      const auto e = exponent.to<std::complex<double>>();
      return e == std::complex<double>(0) ? zeros_like(t) : t * (pow(a, Scalar(e - 1.0)) * Scalar(e));
    }
    const double e = exponent.to<double>();
    return e == 0.0 ? zeros_like(t) : t * (pow(a, Scalar(e - 1.0)) * Scalar(e));
  });
  return y;
}
inline Tensor pow(const Scalar& base, const Tensor& exponent) {
  auto node = record::node_for<autograd::functions::PowBackward2>({&exponent});
  Tensor y = kernels::binary<ops::pow>(wrapped_scalar_tensor(base), exponent);
  if (node) {
    node->base = base;
    node->exponent = autograd::SavedVariable(exponent, false);
    record::set_history(y, node);
    node->result = autograd::SavedVariable(y, true);
  }
  autograd::forward_ad::detail::propagate(y, exponent, [&](const Tensor& t) {
    if (!base.is_complex() && base.to<double>() == 0.0) {
      return t * where(exponent >= Scalar(0.0), Scalar(0.0), y * log(wrapped_scalar_tensor(base)));
    }
    const Scalar log_base =
        base.is_complex() ? Scalar(std::log(base.to<std::complex<double>>())) : Scalar(std::log(base.to<double>()));
    return t * (y * log_base);
  });
  return y;
}
inline Tensor pow(const Tensor& a, const Tensor& exponent) { return autograd::functions::binary_pointwise<ops::pow>(a, exponent); }

// ---- two-operand functions ---------------------------------------------------------------------
inline Tensor atan2(const Tensor& a, const Tensor& b) { return autograd::functions::binary_pointwise<ops::atan2>(a, b); }
inline Tensor hypot(const Tensor& a, const Tensor& b) { return autograd::functions::binary_pointwise<ops::hypot>(a, b); }
inline Tensor maximum(const Tensor& a, const Tensor& b) { return autograd::functions::binary_pointwise<ops::max>(a, b); }
inline Tensor minimum(const Tensor& a, const Tensor& b) { return autograd::functions::binary_pointwise<ops::min>(a, b); }
/// torch.max(a, b) and torch.min(a, b): maximum and minimum.
inline Tensor max(const Tensor& a, const Tensor& b) { return maximum(a, b); }
inline Tensor min(const Tensor& a, const Tensor& b) { return minimum(a, b); }
inline Tensor fmax(const Tensor& a, const Tensor& b) { return autograd::functions::binary_pointwise<ops::fmax>(a, b); }
inline Tensor fmin(const Tensor& a, const Tensor& b) { return autograd::functions::binary_pointwise<ops::fmin>(a, b); }

inline Tensor clamp(const Tensor& a, std::optional<Scalar> min, std::optional<Scalar> max) {
  if (!min && !max) throw Error("torch.clamp: At least one of 'min' or 'max' must not be None");
  if (a.is_complex()) throw Error("clamp is not supported for complex types");
  auto node = record::node_for<autograd::functions::ClampBackward1>({&a});
  // NaN stays NaN: both comparisons are false for it
  Tensor y = a;
  if (min) y = kernels::where(kernels::compare<ops::less>(y, wrapped_scalar_tensor(*min)), wrapped_scalar_tensor(*min), y);
  if (max) y = kernels::where(kernels::compare<ops::greater>(y, wrapped_scalar_tensor(*max)), wrapped_scalar_tensor(*max), y);
  if (node) {
    node->self = autograd::SavedVariable(a, false);
    node->min = min;
    node->max = max;
    record::set_history(y, node);
  }
  autograd::forward_ad::detail::propagate(y, a, [&](const Tensor& t) {
    Tensor r = t;
    if (max) r = where(a <= *max, r, Scalar(0.0));
    if (min) r = where(a >= *min, r, Scalar(0.0));
    return r;
  });
  return y;
}

// ---- where and comparisons ---------------------------------------------------------------------
inline Tensor where(const Tensor& condition, const Tensor& a, const Tensor& b) {
  auto node = record::node_for<autograd::functions::WhereBackward0>({&a, &b});
  Tensor y = kernels::where(condition, a, b);
  if (node) {
    node->condition = autograd::SavedVariable(condition, false);
    node->self_sizes = a.sizes();
    node->other_sizes = b.sizes();
    record::set_history(y, node);
  }
  autograd::forward_ad::detail::propagate(y, a, b, [&](const Tensor& ta, const Tensor& tb) {
    return autograd::functions::impl::fit(where(condition, ta.defined() ? ta : zeros_like(a), tb.defined() ? tb : zeros_like(b)), y);
  });
  return y;
}
inline Tensor where(const Tensor& condition, const Scalar& a, const Tensor& b) { return where(condition, wrapped_scalar_tensor(a), b); }
inline Tensor where(const Tensor& condition, const Tensor& a, const Scalar& b) { return where(condition, a, wrapped_scalar_tensor(b)); }
inline Tensor where(const Tensor& condition, const Scalar& a, const Scalar& b) {
  return where(condition, wrapped_scalar_tensor(a), wrapped_scalar_tensor(b));
}

inline Tensor operator<(const Tensor& a, const Tensor& b) { return kernels::compare<ops::less>(a, b); }
inline Tensor operator<=(const Tensor& a, const Tensor& b) { return kernels::compare<ops::less_equal>(a, b); }
inline Tensor operator>(const Tensor& a, const Tensor& b) { return kernels::compare<ops::greater>(a, b); }
inline Tensor operator>=(const Tensor& a, const Tensor& b) { return kernels::compare<ops::greater_equal>(a, b); }
inline Tensor operator==(const Tensor& a, const Tensor& b) { return kernels::compare<ops::equal_to>(a, b); }
inline Tensor operator!=(const Tensor& a, const Tensor& b) { return kernels::compare<ops::not_equal_to>(a, b); }
inline Tensor operator<(const Tensor& a, const Scalar& b) { return a < wrapped_scalar_tensor(b); }
inline Tensor operator<=(const Tensor& a, const Scalar& b) { return a <= wrapped_scalar_tensor(b); }
inline Tensor operator>(const Tensor& a, const Scalar& b) { return a > wrapped_scalar_tensor(b); }
inline Tensor operator>=(const Tensor& a, const Scalar& b) { return a >= wrapped_scalar_tensor(b); }
inline Tensor operator==(const Tensor& a, const Scalar& b) { return a == wrapped_scalar_tensor(b); }
inline Tensor operator!=(const Tensor& a, const Scalar& b) { return a != wrapped_scalar_tensor(b); }

}  // namespace typegrad
