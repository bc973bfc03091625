#pragma once
/// \file ops/policy.hpp
/// What every operation policy is made of, and the generic helpers policies are written with.
///
/// A policy is one small struct per elementary operation: its printed form, its value and its
/// local partials, written once over "any number-like X" — double, complex, xsimd batch, dual
/// number, or a traced expression. Called with numbers it computes; called with expressions it
/// builds the symbolic partial. Every evaluator (reverse sweep, dual numbers, symbolic
/// derivative, printer, array bodies) reads the same policy.
#include <cstddef>
#include <string_view>
#include <type_traits>

#include <typegrad/expr/core.hpp>

namespace typegrad {

/// How a policy prints.
enum class print_form { function, prefix, infix };

/// Defaults shared by the policies.
struct op_base {
  /// Does the output depend differentiably on operand K? (false: the sweep skips it)
  template <std::size_t K> static constexpr bool differentiable = true;
  /// Complex-differentiable: reverse mode multiplies by conj(partial), forward mode by partial.
  /// Non-holomorphic policies provide `wirtinger<K>(...)` = {d/dz, d/dz*} instead.
  static constexpr bool holomorphic = true;
  /// Defined for real scalar types only (erf, comparisons, min, ...).
  static constexpr bool real_only = false;
  /// Real-valued even on complex operands (real, imag, abs, norm, arg).
  static constexpr bool real_result = false;
  /// A costly call (libm's sin, exp, erf, ...): independent applications in one program are
  /// computed together in xsimd batches (reverse/simd_groups.hpp). Not for operations a
  /// processor does in an instruction or two (add, sqrt, abs), where gathering costs more.
  static constexpr bool simd_gather = false;
  static constexpr print_form form = print_form::function;
  static constexpr int precedence = 100;  // function-call syntax binds tightest
};

/// The irrational constants policies need, printed by name.
namespace constants {
struct ln2 { static constexpr long double value = 0.693147180559945309417232121458176568L; static constexpr std::string_view symbol = "log(2)"; };
struct ln10 { static constexpr long double value = 2.302585092994045684017991454684364208L; static constexpr std::string_view symbol = "log(10)"; };
struct pi { static constexpr long double value = 3.141592653589793238462643383279502884L; static constexpr std::string_view symbol = "pi"; };
struct two_over_sqrt_pi { static constexpr long double value = 1.128379167095512573896158903121545172L; static constexpr std::string_view symbol = "2/sqrt(pi)"; };
}  // namespace constants

namespace detail {

/// A dynamic-layer tensor (tg::Tensor declares `tg_dynamic_tensor`). Policies compute with it
/// through its free functions, so the dynamic layer's backward formulas are these partials;
/// constants stay plain doubles (tensor operations take them as numbers).
template <class X>
concept dynamic_tensor = requires { typename std::remove_cvref_t<X>::tg_dynamic_tensor; };

template <class X>
concept traced = expression<X> || requires { std::remove_cvref_t<X>::tg_condition; };

/// A number in X's domain: a literal for traced X (so it folds), X(N)/X(D) otherwise.
template <std::intmax_t N, std::intmax_t D = 1, class X> constexpr auto k(const X&) {
  if constexpr (expression<X>)
    return make_literal<N, D>();
  else if constexpr (dynamic_tensor<X>)
    return static_cast<double>(N) / static_cast<double>(D);
  else if constexpr (D == 1)
    return X(N);
  else
    return X(N) / X(D);
}

/// An irrational constant C (ln2, ...) in X's domain: named_constant<C> for traced X.
template <class C, class X> constexpr auto named(const X&);

/// Does X compute in the complex domain (a complex number, a complex dual, or an expression
/// of complex scalar type)?
template <class X> constexpr bool complex_domain() {
  if constexpr (expression<X>) return is_complex_v<scalar_of_t<X>>;
  else if constexpr (is_dual_v<X>) return complex_domain<typename X::value_type>();
  else return is_complex_v<X>;
}

/// x is NaN, for every number-like X. Not `x != x` on batches: xsimd 8.1's AVX `!=` is an
/// ordered comparison (false for NaN); its SSE2 one and plain numbers' are not.
template <class X> constexpr auto is_nan_of(const X& x) {
  if constexpr (is_batch_v<X>) return xsimd::isnan(x);
  else return x != x;
}

/// cond ? a : b for bools, batch masks, dual masks and traced conditions.
template <class C, class A, class B> constexpr auto select(const C& c, const A& a, const B& b);

}  // namespace detail
}  // namespace typegrad
