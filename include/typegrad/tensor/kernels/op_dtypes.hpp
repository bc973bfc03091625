#pragma once
/// \file tensor/kernels/op_dtypes.hpp
/// Which dtype each elementwise policy computes in and returns, as torch decides per operator:
///
/// - floating and complex operands keep their dtype; `Op::real_result` policies (abs, real,
///   imag, norm, arg) return the real counterpart of a complex dtype;
/// - integer (Long) operands stay Long for the policies torch keeps integral (neg, abs, square,
///   relu, real, conj, add, sub, mul, max, min, fmax, fmin, pow; and norm, which torch lacks, as
///   square); every other policy computes them in the default dtype kFloat (torch: sin(long) is
///   float, long / long is float);
/// - Bool operands: add, mul, max, min, fmax, fmin, real, conj stay Bool (or, and, or, and,
///   identity), square and norm give Long, neg, abs, relu, sub and pow throw torch's text;
/// - `Op::real_only` policies on complex operands throw torch's "not implemented" text.
///
/// Long arithmetic wraps around on overflow, as torch's does: add, sub, mul, neg, square and
/// norm compute in uint64 (defined modular arithmetic) and store the bits back as int64; pow
/// computes in double (so it is exact while |result| < 2^53; torch multiplies in int64).
#include <cstdint>
#include <string>
#include <type_traits>

#include <typegrad/error.hpp>
#include <typegrad/expr/functions.hpp>
#include <typegrad/scalar/traits.hpp>
#include <typegrad/tensor/dtype.hpp>

namespace typegrad::kernels {

namespace detail {

template <class Op, class... Ops> inline constexpr bool is_any_of = (std::is_same_v<Op, Ops> || ...);

/// Policies whose Long operands give a Long result in torch.
template <class Op>
inline constexpr bool keeps_integer_dtype =
    is_any_of<Op, ops::neg, ops::abs, ops::square, ops::norm, ops::relu, ops::real, ops::conj, ops::add, ops::sub,
              ops::mul, ops::max, ops::min, ops::fmax, ops::fmin, ops::pow>;

/// Policies whose Bool operands give a Bool result in torch: add (or), mul (and), max and fmax
/// (or), min and fmin (and), real and conj (identity).
template <class Op>
inline constexpr bool keeps_bool_dtype =
    is_any_of<Op, ops::add, ops::mul, ops::max, ops::min, ops::fmax, ops::fmin, ops::real, ops::conj>;

/// Policies that compute Long in uint64, so that overflow wraps as torch's int64 does
/// (signed overflow is undefined in C++).
template <class Op>
inline constexpr bool wraps_integers = is_any_of<Op, ops::neg, ops::square, ops::norm, ops::add, ops::sub, ops::mul>;

/// The dtype `Op` gives Bool operands (of a Bool common dtype), or torch's error.
template <class Op> ScalarType bool_operand_dtype() {
  if constexpr (keeps_bool_dtype<Op>) {
    return kBool;
  } else if constexpr (is_any_of<Op, ops::square, ops::norm>) {
    return kLong;  // torch's square is pow(x, 2), which promotes bool to long
  } else if constexpr (std::is_same_v<Op, ops::neg>) {
    throw Error("Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, "
                "use the `~` or `logical_not()` operator instead.");
  } else if constexpr (std::is_same_v<Op, ops::abs>) {
    throw Error("\"abs_cpu\" not implemented for 'Bool'");
  } else if constexpr (std::is_same_v<Op, ops::relu>) {
    throw Error("Boolean inputs not supported for relu");
  } else if constexpr (std::is_same_v<Op, ops::pow>) {
    throw Error("\"pow\" not implemented for 'Bool'");
  } else {  // (sub never gets here: check_binary_operands rejects its bool operands first)
    return default_dtype;
  }
}

/// Checks on the operands' own dtypes, before promotion. Only sub has one (torch's sub_check):
/// no bool operand at all, not even `float_tensor - true`.
template <class Op> void check_binary_operands([[maybe_unused]] ScalarType a, [[maybe_unused]] ScalarType b) {
  if constexpr (std::is_same_v<Op, ops::sub>) {
    if (a == kBool && b == kBool) {
      throw Error("Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or "
                  "`logical_xor()` operator instead.");
    }
    if (a == kBool || b == kBool) {
      throw Error("Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to invert a "
                  "mask, use the `~` or `logical_not()` operator instead.");
    }
  }
}

/// torch's text for a real-only policy given a complex dtype `t`.
template <class Op> [[noreturn]] void throw_complex_not_implemented(ScalarType t) {
  if constexpr (std::is_same_v<Op, ops::relu>) {
    throw Error("clamp is not supported for complex types");
  } else if constexpr (is_any_of<Op, ops::max, ops::min, ops::fmax, ops::fmin>) {
    const char* name = std::is_same_v<Op, ops::max>   ? "maximum"
                       : std::is_same_v<Op, ops::min> ? "minimum"
                       : std::is_same_v<Op, ops::fmax> ? "fmax"
                                                       : "fmin";
    throw Error(std::string(name) + " not implemented for complex tensors.");
  } else {
    throw Error("\"" + std::string(Op::symbol) + "\" not implemented for '" + std::string(scalar_type_name(t)) + "'");
  }
}

/// The dtype `Op` computes in when its operands have been promoted to `common`.
template <class Op> ScalarType compute_dtype(ScalarType common) {
  if (is_complex(common)) {
    if constexpr (Op::real_only) throw_complex_not_implemented<Op>(common);
    return common;
  }
  if constexpr (std::is_same_v<Op, ops::imag>) {
    throw Error("imag is not implemented for tensors with non-complex dtypes.");
  }
  if (common == kBool) return bool_operand_dtype<Op>();
  if (common == kLong) return keeps_integer_dtype<Op> ? kLong : default_dtype;
  return common;
}

/// Can `Op` compute in T at all (does some operand dtype lead there)? Kernels instantiate only
/// these combinations.
template <class Op, class T> constexpr bool computes_in() {
  if constexpr (std::is_same_v<Op, ops::imag>) return typegrad::detail::is_complex_v<T>;
  else if constexpr (typegrad::detail::is_complex_v<T>) return !Op::real_only;
  else if constexpr (std::is_same_v<T, bool>) return keeps_bool_dtype<Op>;
  else if constexpr (std::is_same_v<T, std::int64_t>) return keeps_integer_dtype<Op>;
  else return true;
}

/// The C++ type `Op` computes in for elements stored as T: half and bfloat16 in float, Long in
/// uint64 for the wrapping policies and in double for pow.
template <class Op, class T> struct compute_type {
  using type = typegrad::detail::compute_t<T>;
};
template <class Op> struct compute_type<Op, std::int64_t> {
  using type = std::conditional_t<wraps_integers<Op>, std::uint64_t,
                                  std::conditional_t<std::is_same_v<Op, ops::pow>, double, std::int64_t>>;
};
template <class Op, class T> using compute_type_t = typename compute_type<Op, T>::type;

/// The element type `Op` stores for operands stored as T: T, or T's real part for the
/// real-valued policies on complex operands.
template <class Op, class T>
using result_element_t = std::conditional_t<Op::real_result, typegrad::detail::real_t<T>, T>;

}  // namespace detail

/// The dtype unary `Op` computes in for an operand of dtype `t` (throws torch's text where
/// torch has no such kernel: complex for real-only policies, Bool for neg/abs/relu, imag of a
/// real tensor).
template <class Op> ScalarType unary_compute_dtype(ScalarType t) { return detail::compute_dtype<Op>(t); }

/// The dtype binary `Op` computes in when result_type of its operands is `common`.
template <class Op> ScalarType binary_compute_dtype(ScalarType common) { return detail::compute_dtype<Op>(common); }

/// The dtype of `Op`'s result when it computes in `compute`.
template <class Op> constexpr ScalarType result_dtype(ScalarType compute) noexcept {
  return Op::real_result ? to_real_value_type(compute) : compute;
}

}  // namespace typegrad::kernels
