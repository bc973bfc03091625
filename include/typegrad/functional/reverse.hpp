#pragma once
/// \file functional/reverse.hpp
/// tg::eval, tg::grad, tg::value_and_grad, tg::vjp: one forward and one reverse sweep.
#include <array>
#include <tuple>
#include <type_traits>
#include <utility>

#include <typegrad/functional/trace.hpp>

namespace typegrad {
namespace detail {

/// Evaluates the traced roots with value type C (compute type) and returns the sweep's results
/// through `finish(sweep, grads)`; `seeds` (or nullptr for no reverse sweep) seed the roots.
/// Forced inline (as are grad and value_and_grad) so that the gradient is computed where the
/// caller wants it, with the seed a known constant: returned from an out-of-line call, it was
/// stored in 32-byte pieces and reloaded in 16-byte ones, which defeats store-to-load
/// forwarding (a stall about as long as a whole Rosenbrock n = 4 gradient).
template <bool WantGrads, class F, class Seeds, class Finish, class... Args>
TYPEGRAD_ALWAYS_INLINE constexpr auto run_reverse(const F& f, const Seeds& seeds, Finish finish, const Args&... args) {
  check_arguments<Args...>();
  using T = scalar_t<Args...>;
  using C = compute_t<T>;
  const auto roots = trace(f, args...);
  using Roots = std::remove_cvref_t<decltype(roots)>;
  const auto data = roots.apply([](const auto&... r) { return gather_roots<C>(r...); });
  auto grads = std::tuple{gradient_zeros(args)...};
  const auto inputs = make_inputs<C>([](std::size_t, const auto& a) { return load_scalar<C>(a); },
                                     WantGrads ? &grads : nullptr, args...);
  sweep<C, roots_t<Roots>, std::remove_cvref_t<decltype(inputs)>, std::remove_cvref_t<decltype(data)>,
        !std::is_null_pointer_v<Seeds>>
      s(inputs, data);
  s.forward();
  if constexpr (!std::is_null_pointer_v<Seeds>) s.backward(seeds);
  return finish(s, roots, grads);
}

/// Gradients in the argument's shapes: std::array<T, n> for scalar arguments, a tuple otherwise.
template <class T, class... Args, class S, class Grads> constexpr auto collect_gradients(const S& s, Grads& grads) {
  return [&]<std::size_t... I>(std::index_sequence<I...>) {
    if constexpr ((is_array_argument_v<Args> || ...)) {
      return std::tuple{[&] {
        using A = std::tuple_element_t<I, std::tuple<Args...>>;
        if constexpr (is_array_argument_v<A>) return std::move(std::get<I>(grads));
        else return store_scalar<T>(s.template adjoint_of<placeholder<I, argument_scalar_t<A>>>());
      }()...};
    } else {
      return std::array<T, sizeof...(Args)>{store_scalar<T>(s.template adjoint_of<placeholder<I, argument_scalar_t<Args>>>())...};
    }
  }(std::index_sequence_for<Args...>{});
}

template <class Roots> constexpr void check_scalar_real_output() {
  static_assert(Roots::size == 1,
                "tg::grad: f must return one scalar expression (use tg::jacobian or tg::vjp for several outputs)");
  using R = typename Roots::template type<0>;
  static_assert(!array_valued<R>::value,
                "tg::grad: f must return a scalar, not an array expression (reduce it with tg::sum, tg::dot, ...)");
  static_assert(real_valued<R>::value,
                "tg::grad: f must return a real-valued expression (for complex arguments take real(), abs() or norm() "
                "of the result)");
}

}  // namespace detail

/// Value of f at the arguments (a std::array of values when f returns a tuple).
struct eval_t {
  template <class F, class... Args> constexpr auto operator()(const F& f, const Args&... args) const {
    using T = detail::scalar_t<Args...>;
    return detail::run_reverse<false>(f, nullptr, [](const auto& s, const auto& roots, auto&) {
      using Roots = std::remove_cvref_t<decltype(roots)>;
      if constexpr (Roots::size == 1) {
        using R = typename Roots::template type<0>;
        static_assert(!detail::array_valued<R>::value, "tg::eval: f returns an array expression; reduce it (tg::sum, ...)");
        return detail::to_value<T, R>(s.template root_value<0>());
      } else {
        return [&]<std::size_t... R>(std::index_sequence<R...>) {
          return std::array<T, sizeof...(R)>{detail::store_scalar<T>(s.template root_value<R>())...};
        }(std::make_index_sequence<Roots::size>{});
      }
    }, args...);
  }
};
/// `tg::eval(f, x, y)`: f's value.
inline constexpr eval_t eval{};

/// Value and gradient in one forward and one reverse sweep.
struct value_and_grad_t {
  template <class F, class... Args> TYPEGRAD_ALWAYS_INLINE constexpr auto operator()(const F& f, const Args&... args) const {
    using T = detail::scalar_t<Args...>;
    using C = detail::compute_t<T>;
    return detail::run_reverse<true>(f, std::array<C, 1>{C(1)}, [](const auto& s, const auto& roots, auto& grads) {
      using Roots = std::remove_cvref_t<decltype(roots)>;
      detail::check_scalar_real_output<Roots>();
      using R = typename Roots::template type<0>;
      auto v = detail::to_value<T, R>(s.template root_value<0>());
      return std::pair{v, detail::collect_gradients<T, Args...>(s, grads)};
    }, args...);
  }
};
/// `auto [value, gradient] = tg::value_and_grad(f, x, y);`
inline constexpr value_and_grad_t value_and_grad{};

/// Gradient of a real scalar f: std::array<T, n>, or a tuple when any argument is an array.
struct grad_t {
  template <class F, class... Args> TYPEGRAD_ALWAYS_INLINE constexpr auto operator()(const F& f, const Args&... args) const {
    return value_and_grad(f, args...).second;
  }
};
/// `tg::grad(f, x, y)`: reverse mode, one sweep.
inline constexpr grad_t grad{};

/// Vector-Jacobian product v^T J of F at x (F returns m outputs; x holds n scalars).
struct vjp_t {
  template <class F, class T, std::size_t N, std::size_t M>
  constexpr std::array<T, N> operator()(const F& f, const std::array<T, N>& x, const std::array<T, M>& v) const {
    using C = detail::compute_t<T>;
    std::array<C, M> seeds{};
    for (std::size_t i = 0; i < M; ++i) seeds[i] = detail::load_scalar<C>(v[i]);
    return std::apply([&](const auto&... xs) {
      return detail::run_reverse<true>(f, seeds, [](const auto& s, const auto& roots, auto& grads) {
        static_assert(std::remove_cvref_t<decltype(roots)>::size == M,
                      "tg::vjp: v must have one entry per output of f");
        return detail::collect_gradients<T, std::remove_cvref_t<decltype(xs)>...>(s, grads);
      }, xs...);
    }, x);
  }
};
/// `tg::vjp(F, x, v)`: v^T dF/dx.
inline constexpr vjp_t vjp{};

}  // namespace typegrad
