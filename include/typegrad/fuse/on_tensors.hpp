#pragma once
/// \file fuse/on_tensors.hpp
/// A fused body's traced expression evaluated with the dynamic layer's differentiable
/// operations: the graph f's expression type describes, rebuilt node by node with each
/// elementary operation's tensor function (sin -> tg::sin, norm -> |z|^2 elementwise, where ->
/// tg::where, ...). A fused node's create_graph backward and its complex tangents run this,
/// so they differentiate exactly the expression the fused kernels run, whatever f's names
/// mean for tensors (tg::norm of a tensor is a reduction; tg::norm of an expression is |z|^2)
/// and without f having to accept tensors at all. Shared canonical subexpressions (the same
/// type) are evaluated once: `u = u * u` thirty times costs thirty operations.
#include <array>
#include <complex>
#include <cstddef>
#include <string>
#include <type_traits>
#include <typeindex>
#include <unordered_map>
#include <utility>

#include <typegrad/dynamic.hpp>
#include <typegrad/expr/core.hpp>
#include <typegrad/expr/make.hpp>
#include <typegrad/ops/all.hpp>
#include <typegrad/reverse/sweep.hpp>  // is_placeholder

namespace typegrad::fuse_detail {

template <class Op> struct is_where_op : std::false_type {};
template <class Cmp> struct is_where_op<ops::where<Cmp>> : std::true_type {};
template <class Op> struct polygamma_order : std::integral_constant<int, -1> {};
template <int N> struct polygamma_order<ops::polygamma<N>> : std::integral_constant<int, N> {};

/// Does the dynamic layer record Op as a pointwise node of its own (pointwise_traits)?
template <class Op> concept recorded_pointwise = requires { autograd::functions::pointwise_traits<Op>::name; };

/// Op applied to tensors: the dynamic layer's function for it.
template <class Op, class... T> Tensor tensor_op(const T&... x) {
  using namespace autograd::functions;
  if constexpr (std::is_same_v<Op, ops::add>) return (x + ...);
  else if constexpr (std::is_same_v<Op, ops::sub>) return [](const Tensor& a, const Tensor& b) { return a - b; }(x...);
  else if constexpr (std::is_same_v<Op, ops::mul>) return (x * ...);
  else if constexpr (std::is_same_v<Op, ops::div>) return [](const Tensor& a, const Tensor& b) { return a / b; }(x...);
  else if constexpr (std::is_same_v<Op, ops::neg>) return -(x, ...);
  else if constexpr (std::is_same_v<Op, ops::abs> || std::is_same_v<Op, ops::fabs>) return abs(x...);
  else if constexpr (std::is_same_v<Op, ops::real>) return real(x...);
  else if constexpr (std::is_same_v<Op, ops::conj>) return conj(x...);
  else if constexpr (std::is_same_v<Op, ops::arg>) return angle(x...);
  else if constexpr (std::is_same_v<Op, ops::imag>) {
    return [](const Tensor& a) { return is_complex(a.dtype()) ? imag(a) : zeros_like(a); }(x...);
  } else if constexpr (std::is_same_v<Op, ops::norm>) {
    return [](const Tensor& a) { return is_complex(a.dtype()) ? real(a * conj(a)) : a * a; }(x...);
  } else if constexpr (polygamma_order<Op>::value >= 0) {
    return polygamma(polygamma_order<Op>::value, x...);
  } else if constexpr (recorded_pointwise<Op> && sizeof...(T) == 1) {
    return unary_pointwise<Op>(x...);
  } else if constexpr (recorded_pointwise<Op> && sizeof...(T) == 2) {
    return binary_pointwise<Op>(x...);
  } else {
    static_assert(sizeof...(T) == 0 && false, "typegrad internal error: an operation without a tensor function");
    return Tensor();
  }
}

/// Evaluates expressions over the operands x with tensor operations; constants become wrapped
/// numbers (they take the tensors' dtype, as a C++ number does in `x * 2.0`).
template <std::size_t N> class tensor_evaluator {
 public:
  explicit tensor_evaluator(const std::array<Tensor, N>& x) : x_(x) {}

  template <class E> Tensor operator()(const E& e) {
    if constexpr (detail::is_placeholder<E>::value) {
      return x_[E::index];
    } else if constexpr (detail::is_literal<E>::value) {
      return wrapped_scalar_tensor(Scalar(static_cast<double>(E::num) / static_cast<double>(E::den)));
    } else if constexpr (detail::is_named<E>::value) {
      return wrapped_scalar_tensor(Scalar(static_cast<double>(E::id::value)));
    } else if constexpr (detail::is_constant<E>::value) {
      return wrapped_scalar_tensor(Scalar(e.value));
    } else if constexpr (detail::canonical<E>::value) {
      const std::type_index key(typeid(E));
      if (const auto found = memo_.find(key); found != memo_.end()) return found->second;
      Tensor r = apply_node(e);
      memo_.emplace(key, r);
      return r;
    } else {
      return apply_node(e);
    }
  }

 private:
  template <class E> Tensor apply_node(const E& e) {
    using Op = typename E::op;
    if constexpr (is_where_op<Op>::value) {
      const Tensor cond = kernels::compare<typename Op::comparison>((*this)(e.template child<0>()), (*this)(e.template child<1>()));
      return where(cond, (*this)(e.template child<2>()), (*this)(e.template child<3>()));
    } else if constexpr (std::is_same_v<Op, ops::pow>) {
      // a number exponent: torch's pow(Tensor, Scalar) (PowBackward0)
      using Exponent = decltype(e.template child<1>());
      const Tensor base = (*this)(e.template child<0>());
      if constexpr (detail::is_literal<Exponent>::value) {
        return pow(base, Scalar(static_cast<double>(Exponent::num) / static_cast<double>(Exponent::den)));
      } else if constexpr (detail::is_constant<Exponent>::value) {
        return pow(base, Scalar(e.template child<1>().value));
      } else {
        return tensor_op<Op>(base, (*this)(e.template child<1>()));
      }
    } else {
      return [&]<std::size_t... K>(std::index_sequence<K...>) {
        return tensor_op<Op>((*this)(e.template child<K>())...);
      }(std::make_index_sequence<E::arity>{});
    }
  }

  const std::array<Tensor, N>& x_;
  std::unordered_map<std::type_index, Tensor> memo_;
};

}  // namespace typegrad::fuse_detail
