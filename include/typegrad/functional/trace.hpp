#pragma once
/// \file functional/trace.hpp
/// From a user's callable and arguments to expression roots: argument kinds, placeholders,
/// the checks with English static_asserts, and the inputs tuple the sweep reads.
#include <array>
#include <cstddef>
#include <span>
#include <tuple>
#include <type_traits>
#include <vector>

#include <typegrad/expr/functions.hpp>
#include <typegrad/reverse/sweep.hpp>

namespace typegrad::detail {

// ---- argument kinds ----------------------------------------------------------------------------
template <class A> struct argument {
  static constexpr bool is_array = false;
  using scalar = A;
};
template <class T, class Alloc> struct argument<std::vector<T, Alloc>> {
  static constexpr bool is_array = true;
  using scalar = T;
  using gradient = std::vector<T>;
  static gradient zeros(const std::vector<T, Alloc>& a) { return gradient(a.size(), T(0)); }
};
template <class T, std::size_t N> struct argument<std::array<T, N>> {
  static constexpr bool is_array = true;
  using scalar = T;
  using gradient = std::array<T, N>;
  static constexpr gradient zeros(const std::array<T, N>&) { return gradient{}; }
};
template <class T, std::size_t E> struct argument<std::span<T, E>> {
  static constexpr bool is_array = true;
  using scalar = std::remove_const_t<T>;
  using gradient = std::vector<scalar>;
  static gradient zeros(const std::span<T, E>& a) { return gradient(a.size(), scalar(0)); }
};

template <class A> using argument_scalar_t = typename argument<std::remove_cvref_t<A>>::scalar;
template <class A> inline constexpr bool is_array_argument_v = argument<std::remove_cvref_t<A>>::is_array;

template <class... Ts> struct common_argument_scalar;
template <class T> struct common_argument_scalar<T> { using type = T; };
template <class T, class U, class... Ts> struct common_argument_scalar<T, U, Ts...> {
  static_assert(std::is_same_v<T, U>,
                "tg: all arguments of one call must share one scalar type (convert them, e.g. all to double)");
  using type = typename common_argument_scalar<U, Ts...>::type;
};

/// The checks every entry point makes on its arguments.
template <class... Args> constexpr void check_arguments() {
  static_assert(sizeof...(Args) > 0, "tg: at least one argument is needed");
  static_assert((differentiable_scalar<argument_scalar_t<Args>> && ...),
                "tg: arguments must be float, double, long double, tg::half, tg::bfloat16, std::complex<float|double> "
                "or xsimd::batch<float|double> (or arrays of them); integers cannot be differentiated");
}

template <class... Args> using scalar_t = typename common_argument_scalar<argument_scalar_t<Args>...>::type;

/// The placeholder standing for argument I.
template <std::size_t I, class A> constexpr auto placeholder_for(const A& a) {
  using T = argument_scalar_t<A>;
  if constexpr (is_array_argument_v<A>) return array_placeholder<I, T>{std::size(a)};
  else return placeholder<I, T>{};
}

/// The outputs of a traced function. (Not a std::tuple: libstdc++'s tuple constructors cost
/// time exponential in the depth of a large canonical expression type, measured with g++ 12.)
template <std::size_t I, class R> struct root_slot { R value; };
template <class Seq, class... Rs> struct root_list_impl;
template <std::size_t... I, class... Rs> struct root_list_impl<std::index_sequence<I...>, Rs...> : root_slot<I, Rs>... {
  constexpr explicit root_list_impl(const Rs&... rs) : root_slot<I, Rs>{rs}... {}
  template <class F> constexpr decltype(auto) apply(F&& f) const {
    return f(static_cast<const root_slot<I, Rs>&>(*this).value...);
  }
};
template <class... Rs> struct root_list : root_list_impl<std::index_sequence_for<Rs...>, Rs...> {
  using root_list_impl<std::index_sequence_for<Rs...>, Rs...>::root_list_impl;
  static constexpr std::size_t size = sizeof...(Rs);
  template <std::size_t K> using type = std::tuple_element_t<K, std::tuple<Rs...>>;
};

template <class S, class R> constexpr auto as_roots(const R& r) {
  if constexpr (requires { std::tuple_size<R>::value; } && !expression<R>) {
    return std::apply([](const auto&... e) { return root_list<decltype(lift<S>(e))...>(lift<S>(e)...); }, r);
  } else {
    static_assert(expression<R> || numeric<R>, "tg: f must return an expression, a number, or a std::tuple of them");
    return root_list<decltype(lift<S>(r))>(lift<S>(r));
  }
}

/// f called with placeholders; a tuple of root expressions (numbers become constants).
template <class F, class... Args> constexpr auto trace(const F& f, const Args&... args) {
  return [&]<std::size_t... I>(std::index_sequence<I...>) {
    static_assert(std::is_invocable_v<const F&, decltype(placeholder_for<I>(args))...>,
                  "tg: f must be a generic callable taking one auto parameter per argument (typegrad calls it "
                  "with expression placeholders)");
    using S = scalar_t<Args...>;
    auto r = f(placeholder_for<I>(args)...);
    return as_roots<S>(r);
  }(std::index_sequence_for<Args...>{});
}

/// Root keys of a tuple of roots.
template <class Tuple> struct roots_of;
template <class... Rs> struct roots_of<root_list<Rs...>> {
  using type = typename graph::root_keys<0, 0, Rs...>::type;
};
template <class Tuple> using roots_t = typename roots_of<Tuple>::type;

// ---- real-valuedness (grad needs a real-valued output) -------------------------------------------

/// The type a value comes back in: T, or T's real type for a real-valued output of complex T.
template <class T, class E> using value_t = std::conditional_t<is_complex_v<T> && real_valued<E>::value, real_t<T>, T>;
template <class T, class E, class C> constexpr value_t<T, E> to_value(const C& c) {
  if constexpr (is_complex_v<T> && real_valued<E>::value) return static_cast<value_t<T, E>>(c.real());
  else return store_scalar<T>(c);
}

// ---- inputs --------------------------------------------------------------------------------------
/// The sweep's inputs: each scalar argument as V (made by `make_scalar(I, value)`), each array
/// argument as array_input<T> with its gradient buffer from `grads` (or none).
template <class V, class MakeScalar, class GradsPtr, class... Args>
constexpr auto make_inputs(MakeScalar make_scalar, GradsPtr grads, const Args&... args) {
  return [&]<std::size_t... I>(std::index_sequence<I...>) {
    return std::tuple{[&] {
      const auto& a = std::get<I>(std::tie(args...));
      using A = std::remove_cvref_t<decltype(a)>;
      if constexpr (is_array_argument_v<A>) {
        using T = argument_scalar_t<A>;
        T* g = nullptr;
        if constexpr (!std::is_null_pointer_v<GradsPtr>) {
          if (grads) g = std::data(std::get<I>(*grads));
        }
        return array_input<T>{std::data(a), std::size(a), g};
      } else {
        return V(make_scalar(I, a));
      }
    }()...};
  }(std::index_sequence_for<Args...>{});
}

/// The gradient of argument I: its array buffer, or a scalar to be filled from the sweep.
template <class A> constexpr auto gradient_zeros(const A& a) {
  if constexpr (is_array_argument_v<A>) return argument<std::remove_cvref_t<A>>::zeros(a);
  else return argument_scalar_t<A>(0);
}

}  // namespace typegrad::detail
