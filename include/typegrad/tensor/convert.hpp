#pragma once
/// \file tensor/convert.hpp
/// Element conversions between tensor dtypes: `convert<To>(from)` is torch's cast (what
/// `to(dtype)` does to every element) and `checked_convert<To>(from)` is c10::Scalar's checked
/// one (what `item<T>()` does).
#include <cmath>
#include <complex>
#include <cstdint>
#include <limits>
#include <string>
#include <type_traits>

#include <typegrad/error.hpp>
#include <typegrad/scalar/bfloat16.hpp>
#include <typegrad/scalar/half.hpp>

namespace typegrad::detail {

template <class T> inline constexpr bool is_std_complex_v = false;
template <class T> inline constexpr bool is_std_complex_v<std::complex<T>> = true;
template <class T> inline constexpr bool is_narrow_float_v = std::is_same_v<T, half> || std::is_same_v<T, bfloat16>;

/// A real element as the widest real type that holds it exactly (narrow floats go through
/// float, as in c10, which has no double constructor for Half).
template <class T> constexpr auto widen(T v) noexcept {
  if constexpr (is_narrow_float_v<T>) return static_cast<float>(v);
  else return v;
}

/// torch's element cast (c10::convert / static_cast_with_inter_type):
/// - complex to real drops the imaginary part, real to complex has imaginary part 0;
/// - to bool is `!= 0` (either part, for complex);
/// - to Half/BFloat16 goes through float first (so double -> half rounds twice, as torch);
/// - floating to Long truncates toward zero; NaN and values outside int64's range give
///   INT64_MIN, which is what x86's cvttsd2si gives torch (C++ leaves it undefined).
template <class To, class From> constexpr To convert(const From& v) noexcept {
  if constexpr (std::is_same_v<To, From>) {
    return v;
  } else if constexpr (is_std_complex_v<From>) {
    if constexpr (is_std_complex_v<To>) {
      using R = typename To::value_type;
      return To(static_cast<R>(v.real()), static_cast<R>(v.imag()));
    } else if constexpr (std::is_same_v<To, bool>) {
      return v.real() != 0 || v.imag() != 0;
    } else {
      return convert<To>(v.real());
    }
  } else if constexpr (is_std_complex_v<To>) {
    using R = typename To::value_type;
    return To(convert<R>(v), R(0));
  } else if constexpr (std::is_same_v<To, bool>) {
    return widen(v) != 0;
  } else if constexpr (std::is_same_v<From, bool>) {
    return To(v ? 1 : 0);
  } else if constexpr (is_narrow_float_v<To>) {
    return To(static_cast<float>(widen(v)));
  } else if constexpr (std::is_same_v<To, std::int64_t>) {
    const double d = static_cast<double>(widen(v));
    constexpr double limit = 9223372036854775808.0;  // 2^63
    if (!(d >= -limit && d < limit)) return std::numeric_limits<std::int64_t>::min();
    return static_cast<std::int64_t>(d);
  } else {
    return static_cast<To>(widen(v));
  }
}

/// c10's name of a C++ type in "value cannot be converted to type X without overflow".
template <class T> inline const char* cpp_type_name() noexcept {
  if constexpr (std::is_same_v<T, double>) return "double";
  else if constexpr (std::is_same_v<T, float>) return "float";
  else if constexpr (std::is_same_v<T, std::int64_t>) return "int64_t";
  else if constexpr (std::is_same_v<T, bool>) return "bool";
  else if constexpr (std::is_same_v<T, half>) return "at::Half";
  else if constexpr (std::is_same_v<T, bfloat16>) return "at::BFloat16";
  else if constexpr (std::is_same_v<T, std::complex<float>>) return "c10::complex<float>";
  else return "c10::complex<double>";
}

/// True when c10::overflows<To>(v) holds: a complex with a non-zero imaginary part into a
/// real type, a finite value outside a floating type's range, or (for Long) any value outside
/// int64 (infinities included). NaN never overflows. Bool never does (any value converts).
template <class To, class From> bool overflows(const From& v) noexcept {
  if constexpr (std::is_same_v<To, bool> || std::is_same_v<From, bool>) {
    return false;
  } else if constexpr (is_std_complex_v<From>) {
    if constexpr (!is_std_complex_v<To>) {
      if (v.imag() != 0) return true;
      return overflows<To>(v.real());
    } else {
      using R = typename To::value_type;
      return overflows<R>(v.real()) || overflows<R>(v.imag());
    }
  } else if constexpr (is_std_complex_v<To>) {
    return overflows<typename To::value_type>(v);
  } else {
    const long double x = static_cast<long double>(widen(v));
    if (std::isnan(x)) return false;
    if constexpr (std::is_same_v<To, std::int64_t>) {
      return !(x >= -9223372036854775808.0L && x < 9223372036854775808.0L);
    } else {
      if (std::isinf(x)) return false;
      const long double top = static_cast<long double>(widen(std::numeric_limits<To>::max()));
      return x < -top || x > top;
    }
  }
}

/// c10::Scalar's checked conversion: throws torch's "value cannot be converted to type X
/// without overflow" when `overflows<To>(v)`, else `convert<To>(v)`.
template <class To, class From> To checked_convert(const From& v) {
  if (overflows<To>(v)) {
    throw Error(std::string("value cannot be converted to type ") + cpp_type_name<To>() + " without overflow");
  }
  return convert<To>(v);
}

}  // namespace typegrad::detail
