#pragma once
/// \file symbolic/derivative.hpp
/// Symbolic differentiation: the derivative of an expression is again an expression, built
/// through the simplifying `make` (0 and 1 fold away), so any order is the same machinery.
/// Each rule is sum_k partial_k * d(child_k): the partials come from the operation policies.
///
/// A canonical expression's derivative is canonical too (named irrational constants keep it
/// so), hence computed as a type: the compiler memoizes it, and the 30-fold `u = u * u` chain
/// differentiates in linear time.
#include <type_traits>
#include <utility>

#include <typegrad/functional/reverse.hpp>

namespace typegrad::detail {

template <std::size_t I, class E> constexpr auto diff(const E& e);
template <std::size_t I, std::size_t K, class E> constexpr auto term(const E& e);
constexpr auto sum_terms();
template <class A> constexpr auto sum_terms(const A& a);
template <class A, class B, class... Rest> constexpr auto sum_terms(const A& a, const B& b, const Rest&... rest);

template <std::size_t I, class E> constexpr auto diff_impl(const E& e) {
  if constexpr (is_placeholder<E>::value) {
    if constexpr (E::index == I) return literal<1>{};
    else return literal<0>{};
  } else if constexpr (is_literal<E>::value || is_constant<E>::value || is_named<E>::value) {
    return literal<0>{};
  } else if constexpr (is_node<E>::value) {
    using Op = typename E::op;
    static_assert(Op::holomorphic || !is_complex_v<scalar_of_t<E>>,
                  "tg::derivative: f is not holomorphic (it uses abs, real, imag, conj, norm or arg of complex "
                  "values); use tg::grad for real-valued functions of complex variables");
    return [&]<std::size_t... K>(std::index_sequence<K...>) {
      return sum_terms(term<I, K>(e)...);
    }(std::make_index_sequence<E::arity>{});
  } else {
    static_assert(is_node<E>::value, "tg::derivative: symbolic derivatives of array expressions (sum, prod, x[i], ...) "
                                "are not supported; use tg::grad");
    return literal<0>{};
  }
}

template <std::size_t I, std::size_t K, class E> constexpr auto term(const E& e) {
  using Op = typename E::op;
  if constexpr (!Op::template differentiable<K>) {
    return literal<0>{};
  } else {
    auto dc = diff<I>(child<K>(e));
    if constexpr (is_literal_value<decltype(dc), 0>::value) {
      return literal<0>{};
    } else {
      auto p = [&]<std::size_t... J>(std::index_sequence<J...>) {
        return Op::template partial<K>(e, child<J>(e)...);
      }(std::make_index_sequence<E::arity>{});
      return make<ops::mul>(p, dc);
    }
  }
}

constexpr auto sum_terms() { return literal<0>{}; }
template <class A> constexpr auto sum_terms(const A& a) { return a; }
template <class A, class B, class... Rest> constexpr auto sum_terms(const A& a, const B& b, const Rest&... rest) {
  return sum_terms(make<ops::add>(a, b), rest...);
}

template <std::size_t I, class E> constexpr auto diff(const E& e) {
  if constexpr (canonical<E>::value) {
    using D = decltype(diff_impl<I>(std::declval<const E&>()));
    static_assert(canonical<D>::value, "tg: internal error, the derivative of a canonical expression is canonical");
    return D{};
  } else {
    return diff_impl<I>(e);
  }
}

}  // namespace typegrad::detail

namespace typegrad {

/// The callable returned by tg::derivative<I>(f): called with placeholders it returns the
/// symbolic derivative expression; called with numbers it evaluates it.
template <std::size_t I, class F> struct derivative_fn {
  F f;
  template <class... Args>
    requires(!(expression<Args> && ...) || std::is_invocable_v<const F&, const Args&...>)
  constexpr auto operator()(const Args&... args) const {
    if constexpr ((expression<Args> && ...)) {
      static_assert(I < sizeof...(Args), "tg::derivative<I>: I must be less than the number of arguments of f");
      static_assert(std::is_invocable_v<const F&, const Args&...>,
                    "tg: f must be a generic callable taking one auto parameter per argument");
      using S = typename detail::merged_scalar<Args...>::type;
      auto e = detail::lift<S>(f(args...));
      static_assert(expression<decltype(e)>, "tg::derivative: f must return one scalar expression");
      return detail::diff<I>(e);
    } else {
      // a derivative keeps the arguments' type (a constant derivative of a complex function is
      // complex, not the real type eval gives real-valued outputs)
      return static_cast<detail::scalar_t<Args...>>(eval(*this, args...));
    }
  }
};

/// `tg::derivative<I>(f)`: the symbolic d f / d x_I as a new callable (any order, any mix).
template <std::size_t I, class F> constexpr derivative_fn<I, F> derivative(const F& f) { return {f}; }

}  // namespace typegrad
