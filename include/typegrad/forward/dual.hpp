#pragma once
/// \file forward/dual.hpp
/// tg::dual<T, N>: forward-mode number, a value and N tangent directions (in xsimd batches
/// for float and double). Usable on its own, in user structs and Eigen matrices (with
/// <typegrad/interop/eigen.hpp>); `dual<dual<T, N>, M>` nests for higher order. Every math
/// function on duals runs the operation's policy (value and partials), like every evaluator.
#include <array>
#include <ostream>
#include <tuple>
#include <type_traits>
#include <utility>

#include <typegrad/config.hpp>
#include <typegrad/forward/tangents.hpp>
#include <typegrad/ops/arithmetic.hpp>
#include <typegrad/ops/policy.hpp>

namespace typegrad {
namespace detail {
/// Does a default-constructed dual with this tangent store start at zero (every store but
/// sweep_tangents)?
template <class Store> constexpr bool zeroed_store() {
  if constexpr (requires { Store::zeroed; }) return Store::zeroed;
  else return true;
}
/// A dual's tangents made by a callable, straight into the dual (see dual_apply).
template <class F> struct tangents_from {
  F make;
};
}  // namespace detail

template <class T, int N, class Store = detail::default_tangents<T, N>> struct dual {
  static_assert(N >= 1, "tg::dual<T, N>: N, the number of tangent directions, must be at least 1");
  using value_type = T;
  using tangent_store = Store;
  static constexpr int directions = N;

  T val;
  Store tan;

  /// Zero, with zero tangents.
  constexpr dual() requires(detail::zeroed_store<Store>()) : val(), tan(Store::zero()) {}
  /// tg::jacobian's sweep slots (detail::sweep_tangents): uninitialized, as the sweep writes
  /// each one before reading it. (Zeroing them, about 150 duals for a 16x16 Jacobian, was a
  /// third of its time.)
  dual() requires(!detail::zeroed_store<Store>()) {}  // NOLINT: deliberately uninitialized
  /// A constant: zero tangents.
  constexpr dual(const T& v) : val(v), tan(Store::zero()) {}  // NOLINT: implicit like Ceres' Jet
  template <class U>
    requires(std::is_arithmetic_v<U> && !std::is_same_v<U, T>)
  constexpr dual(const U& v) : val(static_cast<T>(v)), tan(Store::zero()) {}  // NOLINT
  /// A variable: seeds direction i with 1.
  constexpr dual(const T& v, int i) : val(v), tan(Store::unit(i)) {}
  /// Value and all N tangents.
  constexpr dual(const T& v, const std::array<T, N>& t) : val(v), tan(Store::from_array(t)) {}
  constexpr dual(const T& v, const Store& t) : val(v), tan(t) {}
  /// Tangents initialized from the prvalue make() returns, with no copy: a copy of a fresh
  /// tangent store into the dual was done by g++ in 8-byte pieces through general registers.
  template <class F>
  TYPEGRAD_ALWAYS_INLINE constexpr dual(const T& v, const detail::tangents_from<F>& t) : val(v), tan(t.make()) {}

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

/// Is operand K (of types Xs) of Op a dual whose tangents the chain rule reads?
template <class Op, std::size_t K, class... Xs> constexpr bool dual_active() {
  if constexpr (is_dual_v<std::tuple_element_t<K, std::tuple<Xs...>>>) return Op::template differentiable<K>;
  else return false;
}
/// The operands of Op whose tangents the chain rule reads, in order.
template <class Op, class... Xs> constexpr auto dual_active_list() {
  constexpr std::array<bool, sizeof...(Xs) + 1> active = [] {
    return [&]<std::size_t... K>(std::index_sequence<K...>) {
      return std::array<bool, sizeof...(Xs) + 1>{dual_active<Op, K, Xs...>()..., false};
    }(std::index_sequence_for<Xs...>{});
  }();
  constexpr std::size_t n = [&] {
    std::size_t c = 0;
    for (bool a : active) c += a ? 1 : 0;
    return c;
  }();
  std::array<std::size_t, n> r{};
  for (std::size_t k = 0, j = 0; k < sizeof...(Xs); ++k)
    if (active[k]) r[j++] = k;
  return r;
}

/// Operand K's partial derivative, in the value type.
template <class Op, class D, std::size_t K, class T, class... Xs>
TYPEGRAD_ALWAYS_INLINE constexpr T dual_partial(const T& y, const Xs&... xs) {
  const T p = Op::template partial<K>(y, dual_value<D>(xs)...);
  return p;
}
/// Operand K's term of a complex non-holomorphic chain rule (both Wirtinger derivatives).
template <class Op, class D, std::size_t K, class S, class T, class... Xs>
constexpr S dual_wirtinger_term(const T& y, const Xs&... xs) {
  const auto& x = std::get<K>(std::tie(xs...));
  const auto [dz, dzc] = Op::template wirtinger<K>(y, dual_value<D>(xs)...);
  return S::lincomb(dz, x.tan, dzc, x.tan.conj());
}

/// The tangents of Op's result: the sum over the operands in List (dual_active_list) of
/// partial times tangents, in one pass over the directions (S::combine).
template <class Op, class D, auto List, class S, class T, std::size_t... J, class... Xs>
TYPEGRAD_ALWAYS_INLINE constexpr S dual_tangents(std::index_sequence<J...>, const T& y, const Xs&... xs) {
  if constexpr (is_complex_v<T> && !Op::holomorphic) {
    S t = dual_wirtinger_term<Op, D, List[0], S>(y, xs...);
    ((J > 0 ? (void)(t += dual_wirtinger_term<Op, D, List[J], S>(y, xs...)) : void()), ...);
    return t;
  } else {
    return S::combine(std::array<T, sizeof...(J)>{dual_partial<Op, D, List[J]>(y, xs...)...},
                      std::array<const S*, sizeof...(J)>{&std::get<List[J]>(std::tie(xs...)).tan...});
  }
}

/// Calls dual_tangents (for tangents_from).
template <class Op, class D, auto List, class... Xs> struct dual_chain {
  using T = typename dual_parts<D>::value;
  using S = typename dual_parts<D>::store;
  const T& y;
  std::tuple<const Xs&...> xs;
  TYPEGRAD_ALWAYS_INLINE constexpr S operator()() const { return call(std::index_sequence_for<Xs...>{}); }
  template <std::size_t... K> TYPEGRAD_ALWAYS_INLINE constexpr S call(std::index_sequence<K...>) const {
    return dual_tangents<Op, D, List, S>(std::make_index_sequence<List.size()>{}, y, std::get<K>(xs)...);
  }
};

/// Chain rule of Op on duals (any mix of duals and plain numbers): forward mode. The tangents
/// are summed from the differentiated operands' terms, with no zero start (an addition per
/// direction that cannot be folded: 0 + -0 is +0), and made in place in the result.
template <class Op, class D, class... Xs> TYPEGRAD_ALWAYS_INLINE constexpr D dual_apply_body(const Xs&... xs) {
  using T = typename dual_parts<D>::value;
  constexpr auto list = dual_active_list<Op, Xs...>();
  const T y = Op::value(dual_value<D>(xs)...);
  if constexpr (list.size() == 0) return D(y);
  else return D(y, tangents_from<dual_chain<Op, D, list, Xs...>>{{y, {xs...}}});
}
template <class Op, class D, class... Xs> constexpr D dual_apply_call(const Xs&... xs) {
  return dual_apply_body<Op, D>(xs...);
}
template <class S> struct is_batch_tangents : std::false_type {};
template <class T, int N, bool Z> struct is_batch_tangents<batch_tangents<T, N, Z>> : std::true_type {};

/// dual_apply_body, forced inline for SIMD tangents: tg::jacobian's sweep calls it per node, and
/// g++ left those calls out of line, each passing 16 tangents through memory. Plain-array
/// tangents (jvp, hessian, hvp, nested and complex duals) leave it to g++'s inliner: forced
/// there, g++'s inlining heuristics took 3x the compile time of a 300-operation jvp.
template <class Op, class D, class... Xs> TYPEGRAD_ALWAYS_INLINE constexpr D dual_apply(const Xs&... xs) {
  if constexpr (is_batch_tangents<typename dual_parts<D>::store>::value) return dual_apply_body<Op, D>(xs...);
  else return dual_apply_call<Op, D>(xs...);
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
