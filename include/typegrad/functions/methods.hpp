#pragma once
/// \file functions/methods.hpp
/// Tensor's math members (`x.sum()`, `x.pow(2)`, ...): each calls the free function.
#include <optional>

#include <typegrad/functions/arithmetic.hpp>
#include <typegrad/functions/complex.hpp>
#include <typegrad/functions/indexing.hpp>
#include <typegrad/functions/join.hpp>
#include <typegrad/functions/linalg.hpp>
#include <typegrad/functions/pointwise.hpp>
#include <typegrad/functions/reduce.hpp>
#include <typegrad/functions/shape.hpp>

namespace typegrad {

inline Tensor Tensor::sum(std::optional<ScalarType> dtype) const { return typegrad::sum(*this, dtype); }
inline Tensor Tensor::sum(IntArrayRef dims, bool keepdim, std::optional<ScalarType> dtype) const {
  return typegrad::sum(*this, dims, keepdim, dtype);
}
inline Tensor Tensor::mean() const { return typegrad::mean(*this); }
inline Tensor Tensor::mean(IntArrayRef dims, bool keepdim) const { return typegrad::mean(*this, dims, keepdim); }
inline Tensor Tensor::pow(const Scalar& exponent) const { return typegrad::pow(*this, exponent); }
inline Tensor Tensor::pow(const Tensor& exponent) const { return typegrad::pow(*this, exponent); }
inline Tensor Tensor::exp() const { return typegrad::exp(*this); }
inline Tensor Tensor::log() const { return typegrad::log(*this); }
inline Tensor Tensor::sqrt() const { return typegrad::sqrt(*this); }
inline Tensor Tensor::abs() const { return typegrad::abs(*this); }
inline Tensor Tensor::neg() const { return typegrad::neg(*this); }
inline Tensor Tensor::square() const { return typegrad::square(*this); }
inline Tensor Tensor::sin() const { return typegrad::sin(*this); }
inline Tensor Tensor::cos() const { return typegrad::cos(*this); }
inline Tensor Tensor::tanh() const { return typegrad::tanh(*this); }
inline Tensor Tensor::sigmoid() const { return typegrad::sigmoid(*this); }
inline Tensor Tensor::relu() const { return typegrad::relu(*this); }
inline Tensor Tensor::reciprocal() const { return typegrad::reciprocal(*this); }
inline Tensor Tensor::real() const { return typegrad::real(*this); }
inline Tensor Tensor::imag() const { return typegrad::imag(*this); }
inline Tensor Tensor::conj() const { return typegrad::conj(*this); }
inline Tensor Tensor::clamp(const std::optional<Scalar>& min, const std::optional<Scalar>& max) const {
  return typegrad::clamp(*this, min, max);
}
inline Tensor Tensor::expand_as(const Tensor& other) const { return typegrad::expand_as(*this, other); }

inline Tensor Tensor::matmul(const Tensor& other) const { return typegrad::matmul(*this, other); }
inline Tensor Tensor::mm(const Tensor& other) const { return typegrad::mm(*this, other); }
inline Tensor Tensor::bmm(const Tensor& other) const { return typegrad::bmm(*this, other); }
inline Tensor Tensor::mv(const Tensor& vec) const { return typegrad::mv(*this, vec); }
inline Tensor Tensor::dot(const Tensor& other) const { return typegrad::dot(*this, other); }
inline Tensor Tensor::index_select(std::int64_t dim, const Tensor& index) const { return typegrad::index_select(*this, dim, index); }
inline Tensor Tensor::gather(std::int64_t dim, const Tensor& index) const { return typegrad::gather(*this, dim, index); }
inline Tensor Tensor::repeat(IntArrayRef repeats) const { return typegrad::repeat(*this, repeats); }
inline std::vector<Tensor> Tensor::split(std::int64_t split_size, std::int64_t dim) const { return typegrad::split(*this, split_size, dim); }
inline std::vector<Tensor> Tensor::chunk(std::int64_t chunks, std::int64_t dim) const { return typegrad::chunk(*this, chunks, dim); }
inline std::vector<Tensor> Tensor::unbind(std::int64_t dim) const { return typegrad::unbind(*this, dim); }

}  // namespace typegrad
