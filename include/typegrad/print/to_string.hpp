#pragma once
/// \file print/to_string.hpp
/// tg::to_string: an expression, or a callable traced with placeholders, as a formula with the
/// fewest parentheses (`sin(x0) * x1 + exp(x0 * x1)`). Arguments print as x0, x1, ...
#include <charconv>
#include <complex>
#include <cstddef>
#include <string>
#include <type_traits>

#include <typegrad/functional/trace.hpp>

namespace typegrad::detail {

template <class T> std::string number_to_string(const T& v) {
  if constexpr (is_complex_v<T>) {
    return "(" + number_to_string(v.real()) + (v.imag() < 0 ? "" : "+") + number_to_string(v.imag()) + "i)";
  } else if constexpr (is_batch_v<T>) {
    return "batch";
  } else {
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, static_cast<double>(v));
    return std::string(buf, r.ptr);
  }
}

/// Printing precedence of an expression (higher binds tighter).
template <class E> constexpr int precedence() {
  if constexpr (is_node<E>::value) {
    return E::op::precedence;
  } else if constexpr (is_literal<E>::value) {
    if constexpr (E::den != 1) return 20;
    else if constexpr (E::num < 0) return 40;
    else return 100;
  } else if constexpr (is_constant<E>::value) {
    return 40;  // may print with a sign
  } else if constexpr (is_named<E>::value) {
    return E::id::symbol.find('/') == std::string_view::npos ? 100 : 20;
  } else {
    return 100;
  }
}

template <class E> std::string print(const E& e);

template <class E> std::string print_operand(const E& e, int parent, bool right_of_noncommutative) {
  const int p = precedence<E>();
  const bool paren = p < parent || (right_of_noncommutative && p == parent);
  return paren ? "(" + print(e) + ")" : print(e);
}

template <class E> std::string print(const E& e) {
  if constexpr (is_placeholder<E>::value || is_array_placeholder<E>::value) {
    return "x" + std::to_string(E::index);
  } else if constexpr (is_literal<E>::value) {
    if constexpr (E::den == 1) return std::to_string(E::num);
    else return std::to_string(E::num) + "/" + std::to_string(E::den);
  } else if constexpr (is_named<E>::value) {
    return std::string(E::id::symbol);
  } else if constexpr (is_constant<E>::value) {
    return number_to_string(e.value);
  } else if constexpr (is_element_c<E>::value) {
    return print(typename E::array{}) + "[" + std::to_string(E::position) + "]";
  } else if constexpr (is_element<E>::value) {
    return print(typename E::array{}) + "[" + std::to_string(e.position) + "]";
  } else if constexpr (is_reduce<E>::value) {
    return std::string(E::policy::symbol) + "(" + print(e.body()) + ")";
  } else {
    using Op = typename E::op;
    if constexpr (Op::form == print_form::infix) {
      const bool noncommutative = Op::symbol == "-" || Op::symbol == "/";
      return print_operand(e.template child<0>(), Op::precedence, false) + " " + std::string(Op::symbol) + " " +
             print_operand(e.template child<1>(), Op::precedence, noncommutative);
    } else if constexpr (Op::form == print_form::prefix) {
      return std::string(Op::symbol) + print_operand(e.template child<0>(), Op::precedence, true);
    } else if constexpr (requires { typename Op::comparison; }) {
      return "where(" + print(e.template child<0>()) + " " + std::string(Op::comparison::symbol) + " " +
             print(e.template child<1>()) + ", " + print(e.template child<2>()) + ", " + print(e.template child<3>()) + ")";
    } else if constexpr (requires { Op::order; }) {
      if constexpr (Op::order >= 2) return "polygamma(" + std::to_string(Op::order) + ", " + print(e.template child<0>()) + ")";
      else return std::string(Op::symbol) + "(" + print(e.template child<0>()) + ")";
    } else {
      std::string s = std::string(Op::symbol) + "(";
      [&]<std::size_t... K>(std::index_sequence<K...>) {
        ((s += (K ? ", " : "") + print(e.template child<K>())), ...);
      }(std::make_index_sequence<E::arity>{});
      return s + ")";
    }
  }
}

/// The number of parameters of a generic callable: the fewest placeholders it accepts.
template <class F, class T, std::size_t N = 0> constexpr std::size_t arity() {
  if constexpr (N > 16) {
    static_assert(N <= 16, "tg::to_string: f must be a generic callable taking 0 to 16 auto parameters");
    return 0;
  } else if constexpr ([]<std::size_t... I>(std::index_sequence<I...>) {
                         return std::is_invocable_v<const F&, placeholder<I, T>...>;
                       }(std::make_index_sequence<N>{})) {
    return N;
  } else {
    return arity<F, T, N + 1>();
  }
}

}  // namespace typegrad::detail

namespace typegrad {

/// The formula of an expression, or of a callable (traced with double placeholders x0, x1, ...);
/// a tuple-returning callable prints as "(f0, f1)".
struct to_string_t {
  template <class F> std::string operator()(const F& f) const {
    if constexpr (expression<F>) {
      return detail::print(f);
    } else {
      constexpr std::size_t n = detail::arity<F, double>();
      auto r = [&]<std::size_t... I>(std::index_sequence<I...>) { return f(placeholder<I, double>{}...); }(
          std::make_index_sequence<n>{});
      if constexpr (expression<decltype(r)>) {
        return detail::print(r);
      } else {
        const auto roots = detail::as_roots<double>(r);
        std::string s = "(";
        roots.apply([&](const auto&... e) {
          std::size_t k = 0;
          ((s += (k++ ? ", " : "") + detail::print(e)), ...);
        });
        return s + ")";
      }
    }
  }
  /// f traced with placeholders shaped like `args` (needed when f takes arrays).
  template <class F, class A, class... Args> std::string operator()(const F& f, const A& a, const Args&... args) const {
    const auto roots = detail::trace(f, a, args...);
    std::string s;
    std::size_t k = 0;
    roots.apply([&](const auto&... e) { ((s += (k++ ? ", " : "") + detail::print(e)), ...); });
    return k == 1 ? s : "(" + s + ")";
  }
};
/// `tg::to_string(f)`: "sin(x0) * x1 + exp(x0 * x1)".
inline constexpr to_string_t to_string{};

}  // namespace typegrad
