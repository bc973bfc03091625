#pragma once
/// \file ops/arithmetic.hpp
/// + - * / (binary and unary) and square.
#include <typegrad/ops/policy.hpp>

namespace typegrad::ops {

struct neg : op_base {
  static constexpr std::string_view symbol = "-";
  static constexpr print_form form = print_form::prefix;
  static constexpr int precedence = 40;
  template <class A> static constexpr auto value(const A& a) { return -a; }
  template <std::size_t, class Y, class A> static constexpr auto partial(const Y&, const A& a) {
    return detail::k<-1>(a);
  }
};

struct add : op_base {
  static constexpr std::string_view symbol = "+";
  static constexpr print_form form = print_form::infix;
  static constexpr int precedence = 10;
  template <class A, class B> static constexpr auto value(const A& a, const B& b) { return a + b; }
  template <std::size_t, class Y, class A, class B>
  static constexpr auto partial(const Y&, const A& a, const B&) {
    return detail::k<1>(a);
  }
};

struct sub : op_base {
  static constexpr std::string_view symbol = "-";
  static constexpr print_form form = print_form::infix;
  static constexpr int precedence = 10;
  template <class A, class B> static constexpr auto value(const A& a, const B& b) { return a - b; }
  template <std::size_t K, class Y, class A, class B>
  static constexpr auto partial(const Y&, const A& a, const B&) {
    if constexpr (K == 0)
      return detail::k<1>(a);
    else
      return detail::k<-1>(a);
  }
};

struct mul : op_base {
  static constexpr std::string_view symbol = "*";
  static constexpr print_form form = print_form::infix;
  static constexpr int precedence = 20;
  template <class A, class B> static constexpr auto value(const A& a, const B& b) { return a * b; }
  template <std::size_t K, class Y, class A, class B>
  static constexpr auto partial(const Y&, const A& a, const B& b) {
    if constexpr (K == 0)
      return b;
    else
      return a;
  }
};

struct div : op_base {
  static constexpr std::string_view symbol = "/";
  static constexpr print_form form = print_form::infix;
  static constexpr int precedence = 20;
  template <class A, class B> static constexpr auto value(const A& a, const B& b) { return a / b; }
  template <std::size_t K, class Y, class A, class B>
  static constexpr auto partial(const Y& y, const A&, const B& b) {
    if constexpr (K == 0)
      return detail::k<1>(b) / b;
    else
      return -y / b;
  }
};

struct square : op_base {
  static constexpr std::string_view symbol = "square";
  template <class A> static constexpr auto value(const A& a) { return a * a; }
  template <std::size_t, class Y, class A> static constexpr auto partial(const Y&, const A& a) {
    return detail::k<2>(a) * a;
  }
};

}  // namespace typegrad::ops
