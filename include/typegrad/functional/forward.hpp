#pragma once
/// \file functional/forward.hpp
/// Forward mode and second order: tg::jvp, tg::jacobian (forward or reverse by shape),
/// tg::hessian and tg::hvp (forward over reverse: the reverse sweep run on dual numbers).
#include <array>
#include <tuple>
#include <type_traits>
#include <utility>

#include <typegrad/functional/reverse.hpp>

namespace typegrad {
namespace detail {

/// A dual number with a plain-array tangent store (constexpr-friendly, used internally).
template <class C, int N> using plain_dual = dual<C, N, array_tangents<C, N>>;

/// Runs the sweep with value type V over scalar arguments `x`, inputs made by make_scalar.
template <class V, bool Backward, class F, class T, std::size_t N, class MakeScalar, class Finish>
constexpr auto run_dual(const F& f, const std::array<T, N>& x, MakeScalar make_scalar, Finish finish) {
  return std::apply([&](const auto&... xs) {
    check_arguments<std::remove_cvref_t<decltype(xs)>...>();
    static_assert(!(is_array_argument_v<std::remove_cvref_t<decltype(xs)>> || ...),
                  "tg: forward mode and second derivatives take scalar arguments");
    using C = compute_t<T>;
    const auto roots = trace(f, xs...);
    using Roots = std::remove_cvref_t<decltype(roots)>;
    const auto data = roots.apply([](const auto&... r) { return gather_roots<C>(r...); });
    const auto inputs = make_inputs<V>(make_scalar, nullptr, xs...);
    sweep<V, roots_t<Roots>, std::remove_cvref_t<decltype(inputs)>, std::remove_cvref_t<decltype(data)>, Backward> s(
        inputs, data);
    s.forward();
    if constexpr (Backward) s.backward(std::array<V, 1>{V(C(1))});
    return finish(s, roots);
  }, x);
}

}  // namespace detail

/// Jacobian-vector product: (f(x), df/dx . v) in one forward sweep; arrays of outputs for tuple f.
struct jvp_t {
  template <class F, class T, std::size_t N>
  constexpr auto operator()(const F& f, const std::array<T, N>& x, const std::array<T, N>& v) const {
    using C = detail::compute_t<T>;
    using V = detail::plain_dual<C, 1>;
    return detail::run_dual<V, false>(
        f, x,
        [&](std::size_t i, const T& xi) { return V(detail::load_scalar<C>(xi), std::array<C, 1>{detail::load_scalar<C>(v[i])}); },
        [](const auto& s, const auto& roots) {
          using Roots = std::remove_cvref_t<decltype(roots)>;
          constexpr std::size_t M = Roots::size;
          if constexpr (M == 1) {
            const auto& r = s.template root_value<0>();
            return std::pair{detail::store_scalar<T>(r.val), detail::store_scalar<T>(r.tangent(0))};
          } else {
            std::array<T, M> values{}, tangents{};
            [&]<std::size_t... R>(std::index_sequence<R...>) {
              ((values[R] = detail::store_scalar<T>(s.template root_value<R>().val),
                tangents[R] = detail::store_scalar<T>(s.template root_value<R>().tangent(0))), ...);
            }(std::make_index_sequence<M>{});
            return std::pair{values, tangents};
          }
        });
  }
};
/// `auto [fx, dfx] = tg::jvp(f, x, v);`
inline constexpr jvp_t jvp{};

/// Jacobian J[i][j] = dF_i/dx_j: forward mode (N directions at once) when outputs >= inputs,
/// otherwise one forward and M reverse sweeps.
struct jacobian_t {
  template <class F, class... Args> constexpr auto operator()(const F& f, const Args&... args) const {
    detail::check_arguments<Args...>();
    using T = detail::scalar_t<Args...>;
    using C = detail::compute_t<T>;
    constexpr std::size_t N = sizeof...(Args);
    using Roots = decltype(detail::trace(f, args...));
    constexpr std::size_t M = Roots::size;
    const std::array<T, N> x{args...};
    std::array<std::array<T, N>, M> J{};
    if constexpr (M >= N) {
      // (slots left uninitialized until the sweep writes them: see sweep_tangents)
      using V = dual<C, static_cast<int>(N), detail::sweep_tangents<C, static_cast<int>(N)>>;
      detail::run_dual<V, false>(
          f, x, [](std::size_t i, const T& xi) { return V(detail::load_scalar<C>(xi), static_cast<int>(i)); },
          [&](const auto& s, const auto&) {
            [&]<std::size_t... R>(std::index_sequence<R...>) {
              ((J[R] = [&] {
                 std::array<T, N> row{};
                 const auto t = s.template root_value<R>().tangents();
                 for (std::size_t j = 0; j < N; ++j) row[j] = detail::store_scalar<T>(t[j]);
                 return row;
               }()), ...);
            }(std::make_index_sequence<M>{});
            return 0;
          });
    } else {
      for (std::size_t r = 0; r < M; ++r) {
        std::array<T, M> e{};
        e[r] = T(1);
        J[r] = vjp(f, x, e);
      }
    }
    return J;
  }
};
/// `tg::jacobian(F, x, y)` for F returning a std::tuple of outputs (or one output).
inline constexpr jacobian_t jacobian{};

/// Hessian of a real scalar f: forward over reverse, one sweep on N-direction dual numbers.
struct hessian_t {
  template <class F, class... Args> constexpr auto operator()(const F& f, const Args&... args) const {
    detail::check_arguments<Args...>();
    using T = detail::scalar_t<Args...>;
    static_assert(!detail::is_complex_v<T>, "tg::hessian: complex arguments are not supported (the Hessian of a real "
                                            "function of complex variables is not a complex matrix)");
    using C = detail::compute_t<T>;
    constexpr std::size_t N = sizeof...(Args);
    using V = detail::plain_dual<C, static_cast<int>(N)>;
    const std::array<T, N> x{args...};
    return detail::run_dual<V, true>(
        f, x, [](std::size_t i, const T& xi) { return V(detail::load_scalar<C>(xi), static_cast<int>(i)); },
        [](const auto& s, const auto& roots) {
          detail::check_scalar_real_output<std::remove_cvref_t<decltype(roots)>>();
          std::array<std::array<T, N>, N> H{};
          [&]<std::size_t... I>(std::index_sequence<I...>) {
            ((H[I] = [&] {
               std::array<T, N> row{};
               const auto a = s.template adjoint_of<placeholder<I, T>>();
               for (std::size_t j = 0; j < N; ++j) row[j] = detail::store_scalar<T>(a.tangent(static_cast<int>(j)));
               return row;
             }()), ...);
          }(std::make_index_sequence<N>{});
          return H;
        });
  }
};
/// `tg::hessian(f, x, y)`: H[i][j] = d2f/dxi dxj.
inline constexpr hessian_t hessian{};

/// Hessian-vector product H v, one forward-over-reverse sweep with one direction.
struct hvp_t {
  template <class F, class T, std::size_t N>
  constexpr std::array<T, N> operator()(const F& f, const std::array<T, N>& x, const std::array<T, N>& v) const {
    static_assert(!detail::is_complex_v<T>, "tg::hvp: complex arguments are not supported");
    using C = detail::compute_t<T>;
    using V = detail::plain_dual<C, 1>;
    return detail::run_dual<V, true>(
        f, x,
        [&](std::size_t i, const T& xi) { return V(detail::load_scalar<C>(xi), std::array<C, 1>{detail::load_scalar<C>(v[i])}); },
        [](const auto& s, const auto& roots) {
          detail::check_scalar_real_output<std::remove_cvref_t<decltype(roots)>>();
          std::array<T, N> r{};
          [&]<std::size_t... I>(std::index_sequence<I...>) {
            ((r[I] = detail::store_scalar<T>(s.template adjoint_of<placeholder<I, T>>().tangent(0))), ...);
          }(std::make_index_sequence<N>{});
          return r;
        });
  }
};
/// `tg::hvp(f, x, v)`: (d2f/dx2) v.
inline constexpr hvp_t hvp{};

}  // namespace typegrad
