#pragma once
/// \file functions/complex.hpp
/// real, imag, conj, angle and polar with torch's conjugate-Wirtinger convention: for a real
/// loss L of z = x + iy, z.grad = dL/dx + i dL/dy. (real(z) sends g back as g + 0i, imag(z)
/// as i g, conj(z) as conj(g), angle(z) as g i z / |z|^2.)
#include <complex>
#include <memory>
#include <string>

#include <typegrad/autograd/forward_grad.hpp>
#include <typegrad/autograd/node.hpp>
#include <typegrad/autograd/saved_variable.hpp>
#include <typegrad/functions/fwd.hpp>
#include <typegrad/functions/record.hpp>
#include <typegrad/tensor/factories.hpp>
#include <typegrad/tensor/kernels/elementwise.hpp>

namespace typegrad {

namespace autograd::functions {

class ComplexPartBackward final : public Node {
 public:
  enum class part { real, imag, conj };
  explicit ComplexPartBackward(part p) : part_(p) {}
  std::string name() const override {
    return part_ == part::real ? "RealBackward0" : part_ == part::imag ? "ImagBackward0" : "ConjBackward0";
  }
  tensor_list apply(tensor_list&& grads) override {
    if (!grads[0].defined() || !should_compute_output(0)) return {Tensor()};
    const Tensor& g = grads[0];
    switch (part_) {
      case part::real: return {g.to(complex_dtype)};
      case part::imag: return {g.to(complex_dtype) * Scalar(std::complex<double>(0.0, 1.0))};
      case part::conj: break;
    }
    return {conj(g)};
  }
  ScalarType complex_dtype = kComplexFloat;

 private:
  part part_;
};

class AngleBackward0 final : public Node {
 public:
  std::string name() const override { return "AngleBackward0"; }
  tensor_list apply(tensor_list&& grads) override {
    if (!grads[0].defined() || !should_compute_output(0)) return {Tensor()};
    const Tensor z = self.unpack();
    if (!z.is_complex()) return {zeros_like(z)};
    const Tensor magnitude = abs(z);
    const Tensor g = grads[0].to(z.dtype()) * z / (magnitude * magnitude) * Scalar(std::complex<double>(0.0, 1.0));
    return {where(magnitude == Scalar(0.0), Scalar(0.0), g)};
  }
  void release_variables() override { self.reset_data(); }
  SavedVariable self;
};

}  // namespace autograd::functions

/// The real part, as a real tensor (a real tensor is returned as is).
inline Tensor real(const Tensor& a) {
  if (!a.is_complex()) return a;
  auto node = record::node_for<autograd::functions::ComplexPartBackward>({&a}, autograd::functions::ComplexPartBackward::part::real);
  Tensor y = kernels::unary<ops::real>(a);
  if (node) {
    node->complex_dtype = a.dtype();
    record::set_history(y, node);
  }
  autograd::forward_ad::detail::propagate(y, a, [](const Tensor& t) { return real(t); });
  return y;
}
/// The imaginary part, as a real tensor (torch's error for real tensors).
inline Tensor imag(const Tensor& a) {
  if (!a.is_complex()) throw Error("imag is not implemented for tensors with non-complex dtypes.");
  auto node = record::node_for<autograd::functions::ComplexPartBackward>({&a}, autograd::functions::ComplexPartBackward::part::imag);
  Tensor y = kernels::unary<ops::imag>(a);
  if (node) {
    node->complex_dtype = a.dtype();
    record::set_history(y, node);
  }
  autograd::forward_ad::detail::propagate(y, a, [](const Tensor& t) { return imag(t); });
  return y;
}
/// The complex conjugate (a real tensor is returned as is).
inline Tensor conj(const Tensor& a) {
  if (!a.is_complex()) return a;
  auto node = record::node_for<autograd::functions::ComplexPartBackward>({&a}, autograd::functions::ComplexPartBackward::part::conj);
  Tensor y = kernels::unary<ops::conj>(a);
  record::set_history(y, node);
  autograd::forward_ad::detail::propagate(y, a, [](const Tensor& t) { return conj(t); });
  return y;
}
/// The argument of each element (0 or pi for real tensors).
inline Tensor angle(const Tensor& a) {
  auto node = record::node_for<autograd::functions::AngleBackward0>({&a});
  Tensor y = kernels::unary<ops::arg>(a);
  if (node) {
    node->self = autograd::SavedVariable(a, false);
    record::set_history(y, node);
  }
  // d arg z = Im(conj(z) dz) / |z|^2 (0 for real z and at 0)
  autograd::forward_ad::detail::propagate(y, a, [&](const Tensor& t) {
    if (!a.is_complex()) return zeros_like(t);
    const Tensor magnitude = abs(a);
    return where(magnitude == Scalar(0.0), Scalar(0.0), imag(conj(a) * t) / (magnitude * magnitude));
  });
  return y;
}
/// abs * (cos(angle) + i sin(angle)), built from differentiable operations.
inline Tensor polar(const Tensor& magnitude, const Tensor& phase) {
  if (magnitude.is_complex() || phase.is_complex()) throw Error("polar(): expected both inputs to be real floating point tensors");
  return magnitude * cos(phase) + magnitude * sin(phase) * Scalar(std::complex<double>(0.0, 1.0));
}

}  // namespace typegrad
