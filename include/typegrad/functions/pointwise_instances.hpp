#pragma once
/// \file functions/pointwise_instances.hpp
/// The pointwise operations compiled once under TYPEGRAD_SEPARATE_COMPILATION (see config.hpp):
/// each is a kernel over every dtype plus an autograd node, the bulk of what a TU that includes
/// <typegrad/dynamic.hpp> would otherwise instantiate. Every other TU sees `extern template`
/// declarations of them; <typegrad/separate_compilation.hpp> defines them from the same lists.
/// An operation missing from a list still works: it is instantiated where it is used.
#include <typegrad/config.hpp>
#include <typegrad/functions/pointwise_node.hpp>
#include <typegrad/ops/all.hpp>
#include <typegrad/tensor/kernels/elementwise.hpp>
#include <typegrad/tensor/tensor.hpp>

/// Operations behind the public unary functions (tg::sin, tg::relu, ...): X(op) per ops::op.
#define TYPEGRAD_UNARY_POINTWISE_OPS(X)                                                                    \
  X(acos) X(acosh) X(asin) X(asinh) X(atan) X(atanh) X(cbrt) X(cos) X(cosh) X(erf) X(erfc) X(exp) X(exp2) \
  X(expm1) X(lgamma) X(log) X(log10) X(log1p) X(log2) X(neg) X(relu) X(sigmoid) X(sin) X(sinh)          \
  X(softplus) X(sqrt) X(square) X(tan) X(tanh) X(tgamma)
/// Operations behind the public binary functions (a * b, tg::pow, tg::maximum, ...).
#define TYPEGRAD_BINARY_POINTWISE_OPS(X) \
  X(atan2) X(div) X(fmax) X(fmin) X(hypot) X(max) X(min) X(mul) X(pow)
/// Raw kernels that backward formulas and complex views call directly.
#define TYPEGRAD_RAW_UNARY_OPS(X) X(abs) X(arg) X(conj) X(imag) X(real)
#define TYPEGRAD_RAW_BINARY_OPS(X) X(add) X(sub)

/// `extern template` (every other TU) or `template` (the separate-compilation TU) of each.
#define TYPEGRAD_POINTWISE_INSTANCES(KIND)                                                                    \
  namespace typegrad::autograd::functions {                                                                   \
  TYPEGRAD_UNARY_POINTWISE_OPS(TYPEGRAD_UNARY_POINTWISE_INSTANCE_##KIND)                                      \
  TYPEGRAD_BINARY_POINTWISE_OPS(TYPEGRAD_BINARY_POINTWISE_INSTANCE_##KIND)                                    \
  }                                                                                                           \
  namespace typegrad::kernels {                                                                               \
  TYPEGRAD_UNARY_POINTWISE_OPS(TYPEGRAD_UNARY_KERNEL_INSTANCE_##KIND)                                         \
  TYPEGRAD_RAW_UNARY_OPS(TYPEGRAD_UNARY_KERNEL_INSTANCE_##KIND)                                               \
  TYPEGRAD_BINARY_POINTWISE_OPS(TYPEGRAD_BINARY_KERNEL_INSTANCE_##KIND)                                       \
  TYPEGRAD_RAW_BINARY_OPS(TYPEGRAD_BINARY_KERNEL_INSTANCE_##KIND)                                             \
  }

#define TYPEGRAD_UNARY_POINTWISE_INSTANCE_extern(op) extern template Tensor unary_pointwise<ops::op>(const Tensor&);
#define TYPEGRAD_UNARY_POINTWISE_INSTANCE_define(op) template Tensor unary_pointwise<ops::op>(const Tensor&);
#define TYPEGRAD_BINARY_POINTWISE_INSTANCE_extern(op) \
  extern template Tensor binary_pointwise<ops::op>(const Tensor&, const Tensor&);
#define TYPEGRAD_BINARY_POINTWISE_INSTANCE_define(op) \
  template Tensor binary_pointwise<ops::op>(const Tensor&, const Tensor&);
#define TYPEGRAD_UNARY_KERNEL_INSTANCE_extern(op)          \
  extern template Tensor unary<ops::op>(const Tensor&); \
  extern template void unary_out<ops::op>(const Tensor&, const Tensor&);
#define TYPEGRAD_UNARY_KERNEL_INSTANCE_define(op) \
  template Tensor unary<ops::op>(const Tensor&);  \
  template void unary_out<ops::op>(const Tensor&, const Tensor&);
#define TYPEGRAD_BINARY_KERNEL_INSTANCE_extern(op)                        \
  extern template Tensor binary<ops::op>(const Tensor&, const Tensor&); \
  extern template void binary_out<ops::op>(const Tensor&, const Tensor&, const Tensor&);
#define TYPEGRAD_BINARY_KERNEL_INSTANCE_define(op)               \
  template Tensor binary<ops::op>(const Tensor&, const Tensor&); \
  template void binary_out<ops::op>(const Tensor&, const Tensor&, const Tensor&);

#if TYPEGRAD_KERNELS_ELSEWHERE
TYPEGRAD_POINTWISE_INSTANCES(extern)
#endif
