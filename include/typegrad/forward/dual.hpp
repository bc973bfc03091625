#pragma once
/// \file forward/dual.hpp
/// tg::dual<T, N>: forward-mode number, a value and N tangent directions (in xsimd batches
/// for float and double). Usable on its own, in user structs and Eigen matrices (with
/// <typegrad/interop/eigen.hpp>); `dual<dual<T, N>, M>` nests for higher order. Every math
/// function on duals runs the operation's policy (value and partials), like every evaluator.
#include <array>
#include <ostream>
#include <type_traits>

#include <typegrad/forward/tangents.hpp>
#include <typegrad/ops/arithmetic.hpp>
#include <typegrad/ops/policy.hpp>

namespace typegrad {

template <class T, int N, class Store = detail::default_tangents<T, N>> struct dual {
  static_assert(N >= 1, "tg::dual<T, N>: N, the number of tangent directions, must be at least 1");
  using value_type = T;
  using tangent_store = Store;
  static constexpr int directions = N;

  T val{};
  Store tan{};

  constexpr dual() = default;
  /// A constant: zero tangents.
  constexpr dual(const T& v) : val(v) {}  // NOLINT: implicit like Ceres' Jet
  template <class U>
    requires(std::is_arithmetic_v<U> && !std::is_same_v<U, T>)
  constexpr dual(const U& v) : val(static_cast<T>(v)) {}  // NOLINT
  /// A variable: seeds direction i with 1.
  constexpr dual(const T& v, int i) : val(v) { tan.set(i, T(1)); }
  /// Value and all N tangents.
  constexpr dual(const T& v, const std::array<T, N>& t) : val(v) {
    for (int i = 0; i < N; ++i) tan.set(i, t[static_cast<std::size_t>(i)]);
  }
  constexpr dual(const T& v, const Store& t) : val(v), tan(t) {}

  constexpr const T& value() const noexcept { return val; }
  constexpr T tangent(int i) const { return tan.get(i); }
  constexpr std::array<T, N> tangents() const { return tan.to_array(); }

  constexpr dual& operator+=(const dual& o) { return *this = *this + o; }
  constexpr dual& operator-=(const dual& o) { return *this = *this - o; }
  constexpr dual& operator*=(const dual& o) { return *this = *this * o; }
  constexpr dual& operator/=(const dual& o) { return *this = *this / o; }
};

namespace detail {

template <class D> struct dual_parts;
template <class T, int N, class S> struct dual_parts<dual<T, N, S>> {
  using value = T;
  using store = S;
};

/// A dual's value, or a plain number converted to the dual's value type.
template <class D, class X> constexpr auto dual_value(const X& x) {
  if constexpr (is_dual_v<X>) return x.val;
  else return typename dual_parts<D>::value(x);
}

template <class T> constexpr T conj_of(const T& x) {
  if constexpr (is_complex_v<T>) return T(x.real(), -x.imag());
  else return x;
}

/// Chain rule of Op on duals (any mix of duals and plain numbers): forward mode.
template <class Op, class D, class... Xs> constexpr D dual_apply(const Xs&... xs) {
  using T = typename dual_parts<D>::value;
  using S = typename dual_parts<D>::store;
  const T y = Op::value(dual_value<D>(xs)...);
  S t{};
  [&]<std::size_t... K>(std::index_sequence<K...>) {
    (
        [&] {
          using X = std::tuple_element_t<K, std::tuple<Xs...>>;
          if constexpr (is_dual_v<X> && Op::template differentiable<K>) {
            const auto& x = std::get<K>(std::tie(xs...));
            if constexpr (is_complex_v<T> && !Op::holomorphic) {
              const auto [dz, dzc] = Op::template wirtinger<K>(y, dual_value<D>(xs)...);
              t += S::lincomb(dz, x.tan, dzc, x.tan.conj());
            } else {
              const T p = Op::template partial<K>(y, dual_value<D>(xs)...);
              t += S::scale(p, x.tan);
            }
          }
        }(),
        ...);
  }(std::index_sequence_for<Xs...>{});
  return D(y, t);
}

template <class... Xs> struct first_dual;
template <class X, class... Xs> struct first_dual<X, Xs...> {
  using type = std::conditional_t<is_dual_v<X>, X, typename first_dual<Xs...>::type>;
};
template <> struct first_dual<> { using type = void; };

}  // namespace detail

template <class T, int N, class S> constexpr dual<T, N, S> operator+(const dual<T, N, S>& a) { return a; }
template <class T, int N, class S> constexpr dual<T, N, S> operator-(const dual<T, N, S>& a) {
  return detail::dual_apply<ops::neg, dual<T, N, S>>(a);
}

namespace detail {
/// D is a nested dual and X its value type (itself a dual).
template <class D, class X>
concept dual_and_its_dual_value = is_dual_v<D> && is_dual_v<X> && std::is_same_v<X, typename D::value_type>;

/// One operand a dual, the other the same dual or a plain number.
template <class A, class B>
concept dual_operands = (is_dual_v<A> && (std::is_same_v<A, B> || (numeric<B> && !is_dual_v<B>))) ||
                        (is_dual_v<B> && numeric<A> && !is_dual_v<A>);

template <class Op, class A, class B> constexpr auto dual_binary(const A& a, const B& b) {
  using D = std::conditional_t<is_dual_v<A>, A, B>;
  // A plain number goes to dual_apply as it is (it converts it): for a nested dual, T is itself
  // a dual, which dual_apply would take for a differentiated operand.
  return dual_apply<Op, D>(a, b);
}

template <class X> constexpr const auto& compared_value(const X& x) {
  if constexpr (is_dual_v<X>) return x.val;
  else return x;
}
}  // namespace detail

template <class A, class B> requires detail::dual_operands<A, B>
constexpr auto operator+(const A& a, const B& b) { return detail::dual_binary<ops::add>(a, b); }
template <class A, class B> requires detail::dual_operands<A, B>
constexpr auto operator-(const A& a, const B& b) { return detail::dual_binary<ops::sub>(a, b); }
template <class A, class B> requires detail::dual_operands<A, B>
constexpr auto operator*(const A& a, const B& b) { return detail::dual_binary<ops::mul>(a, b); }
template <class A, class B> requires detail::dual_operands<A, B>
constexpr auto operator/(const A& a, const B& b) { return detail::dual_binary<ops::div>(a, b); }

// Comparisons look at values only (a dual is ordered by its value, as Ceres' Jet).
template <class A, class B> requires detail::dual_operands<A, B>
constexpr auto operator<(const A& a, const B& b) { return detail::compared_value(a) < detail::compared_value(b); }
template <class A, class B> requires detail::dual_operands<A, B>
constexpr auto operator<=(const A& a, const B& b) { return detail::compared_value(a) <= detail::compared_value(b); }
template <class A, class B> requires detail::dual_operands<A, B>
constexpr auto operator>(const A& a, const B& b) { return detail::compared_value(a) > detail::compared_value(b); }
template <class A, class B> requires detail::dual_operands<A, B>
constexpr auto operator>=(const A& a, const B& b) { return detail::compared_value(a) >= detail::compared_value(b); }
template <class A, class B> requires detail::dual_operands<A, B>
constexpr auto operator==(const A& a, const B& b) { return detail::compared_value(a) == detail::compared_value(b); }
template <class A, class B> requires detail::dual_operands<A, B>
constexpr auto operator!=(const A& a, const B& b) { return detail::compared_value(a) != detail::compared_value(b); }

// A nested dual with its value type (dual<dual<double, 1>, 1> times dual<double, 1>): the inner
// dual enters as a constant of the outer one (zero outer tangents), as a plain number does.
template <class A, class B> requires detail::dual_and_its_dual_value<A, B>
constexpr A operator+(const A& a, const B& b) { return a + A(b); }
template <class A, class B> requires detail::dual_and_its_dual_value<B, A>
constexpr B operator+(const A& a, const B& b) { return B(a) + b; }
template <class A, class B> requires detail::dual_and_its_dual_value<A, B>
constexpr A operator-(const A& a, const B& b) { return a - A(b); }
template <class A, class B> requires detail::dual_and_its_dual_value<B, A>
constexpr B operator-(const A& a, const B& b) { return B(a) - b; }
template <class A, class B> requires detail::dual_and_its_dual_value<A, B>
constexpr A operator*(const A& a, const B& b) { return a * A(b); }
template <class A, class B> requires detail::dual_and_its_dual_value<B, A>
constexpr B operator*(const A& a, const B& b) { return B(a) * b; }
template <class A, class B> requires detail::dual_and_its_dual_value<A, B>
constexpr A operator/(const A& a, const B& b) { return a / A(b); }
template <class A, class B> requires detail::dual_and_its_dual_value<B, A>
constexpr B operator/(const A& a, const B& b) { return B(a) / b; }

template <class T, int N, class S>
std::ostream& operator<<(std::ostream& os, const dual<T, N, S>& d) {
  os << '(' << d.val << "; ";
  for (int i = 0; i < N; ++i) os << (i ? ", " : "") << d.tangent(i);
  return os << ')';
}

}  // namespace typegrad
