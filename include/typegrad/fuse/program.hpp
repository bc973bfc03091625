#pragma once
/// \file fuse/program.hpp
/// A static expression compiled for tensors' elements: f traced once with placeholders of the
/// lane type V (an xsimd batch, or one element's compute type), then evaluated per batch by
/// the static layer's sweep: the forward value, or every input's adjoint from the output's
/// gradient (torch's conjugate-Wirtinger convention for complex values, as in tg::grad).
/// Straight-line code per batch, no heap: the element loops are the kernels' (kernels/loop.hpp).
#include <array>
#include <cstddef>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

#include <typegrad/functional/trace.hpp>
#include <typegrad/print/to_string.hpp>
#include <typegrad/tensor/kernels/loop.hpp>

namespace typegrad::fuse_detail {

/// V, once per element of an index pack.
template <class V, std::size_t> using lane_of = V;

/// An operand as the sweep's value type: batches pass through, stored elements are converted
/// (half and bfloat16 to float, as every kernel computes them).
template <class V, class X> V to_lane(const X& x) {
  if constexpr (std::is_same_v<V, X>) return x;
  else return kernels::detail::cast_element<V>(x);
}

/// f traced with N placeholders of lane type V, with its captured constants gathered as V.
template <class V, std::size_t N, class F> struct program {
  static auto trace_roots(const F& f) {
    return [&]<std::size_t... I>(std::index_sequence<I...>) { return detail::trace(f, lane_of<V, I>{}...); }(
        std::make_index_sequence<N>{});
  }
  using roots_type = decltype(trace_roots(std::declval<const F&>()));
  static_assert(roots_type::size == 1, "tg::fuse: f must return one expression (one output tensor)");
  using root = typename roots_type::template type<0>;
  static_assert(!detail::array_valued<root>::value,
                "tg::fuse: f must be elementwise: array reductions (tg::sum, tg::dot, x[i], ...) cannot run over "
                "tensor elements");
  /// Is the output real for complex inputs (abs, real, imag, norm, ... of them)?
  static constexpr bool real_output = detail::real_valued<root>::value;

  using keys = detail::roots_t<roots_type>;
  static auto gather(const roots_type& roots) {
    return roots.apply([](const auto&... r) { return detail::gather_roots<V>(r...); });
  }
  using data_type = decltype(gather(std::declval<const roots_type&>()));

  data_type data;

  explicit program(const F& f) : data(gather(trace_roots(f))) {}

  /// f's value at one batch (or element) of each operand.
  template <class... X> V value(const X&... x) const {
    static_assert(sizeof...(X) == N, "typegrad internal error: value() takes one operand per placeholder");
    const std::tuple<lane_of<V, sizeof(X) * 0>...> inputs{to_lane<V>(x)...};  // the sweep keeps a reference
    detail::sweep<V, keys, std::remove_const_t<decltype(inputs)>, data_type, false> s(inputs, data);
    s.forward();
    return s.template root_value<0>();
  }

  /// f's directional derivative at one batch (or element), for real values: the sum over i of
  /// df/dx_i * t_i, the output's tangent in forward mode. Operands first, then their tangents.
  /// (One reverse sweep seeded with 1 gives every df/dx_i at once.)
  template <class... X> V tangent(const X&... x_then_t) const {
    static_assert(sizeof...(X) == 2 * N, "typegrad internal error: tangent() takes the operands and their tangents");
    const std::array<V, 2 * N> lanes{to_lane<V>(x_then_t)...};
    std::array<V, N + 1> at;
    for (std::size_t i = 0; i < N; ++i) at[i] = lanes[i];
    if constexpr (detail::is_batch_v<V>) at[N] = V(typename V::value_type(1));
    else at[N] = V(1);
    const std::array<V, N> d = adjoints_of(at, std::make_index_sequence<N>{});
    V t = d[0] * lanes[N];
    for (std::size_t i = 1; i < N; ++i) t = t + d[i] * lanes[N + i];
    return t;
  }

  /// Every operand's adjoint at one batch (or element): operands first, the output's gradient last.
  template <class... X> std::array<V, N> adjoints(const X&... x_then_grad) const {
    static_assert(sizeof...(X) == N + 1, "typegrad internal error: adjoints() takes the operands and the gradient");
    const std::array<V, N + 1> lanes{to_lane<V>(x_then_grad)...};
    return adjoints_of(lanes, std::make_index_sequence<N>{});
  }

  /// Every operand's adjoint and f's value at one batch (or element), one forward and one
  /// reverse sweep: {adjoint_0, ..., adjoint_{N-1}, value}. Operands first, the gradient last.
  template <class... X> std::array<V, N + 1> adjoints_and_value(const X&... x_then_grad) const {
    static_assert(sizeof...(X) == N + 1, "typegrad internal error: adjoints_and_value() takes the operands and the gradient");
    const std::array<V, N + 1> lanes{to_lane<V>(x_then_grad)...};
    return [&]<std::size_t... I>(std::index_sequence<I...>) {
      const std::tuple<lane_of<V, I>...> inputs{lanes[I]...};  // the sweep keeps a reference
      detail::sweep<V, keys, std::remove_const_t<decltype(inputs)>, data_type, true> s(inputs, data);
      s.forward();
      const V value = s.template root_value<0>();
      s.backward(std::array<V, 1>{lanes[N]});
      return std::array<V, N + 1>{s.template adjoint_of<placeholder<I, V>>()..., value};
    }(std::make_index_sequence<N>{});
  }

 private:
  template <std::size_t... I>
  std::array<V, N> adjoints_of(const std::array<V, N + 1>& lanes, std::index_sequence<I...>) const {
    const std::tuple<lane_of<V, I>...> inputs{lanes[I]...};  // the sweep keeps a reference
    detail::sweep<V, keys, std::remove_const_t<decltype(inputs)>, data_type, true> s(inputs, data);
    s.forward();
    s.backward(std::array<V, 1>{lanes[N]});
    return {s.template adjoint_of<placeholder<I, V>>()...};
  }
};

/// Does the expression use an operation defined for real values only (atan2, relu, erf, ...)?
template <class E> struct uses_real_only : std::false_type {};
template <class Op, class... Cs>
struct uses_real_only<node<Op, Cs...>> : std::bool_constant<Op::real_only || (uses_real_only<Cs>::value || ...)> {};

/// Can f run on complex elements? Decided from f traced with real placeholders, so that a
/// real-only f is never instantiated for complex dtypes (its static_asserts would fire).
template <std::size_t N, class F> inline constexpr bool complex_capable =
    !uses_real_only<typename program<double, N, F>::root>::value;

/// f's formula with placeholders x0, x1, ... (the fused node's metadata).
template <std::size_t N, class F> std::string formula(const F& f) {
  return [&]<std::size_t... I>(std::index_sequence<I...>) { return to_string(f, lane_of<double, I>{}...); }(
      std::make_index_sequence<N>{});
}

}  // namespace typegrad::fuse_detail
