#pragma once
/// \file tensor/dtype.hpp
/// tg::ScalarType (libtorch's names: tg::kFloat ...), its properties, torch's type promotion,
/// the C++ type of each dtype and a dispatcher over them.
///
///     static_assert(tg::promote_types(tg::kHalf, tg::kBFloat16) == tg::kFloat);
///     tg::visit(tg::kDouble, [](auto tag) { using T = typename decltype(tag)::type; ... });
#include <array>
#include <complex>
#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string_view>
#include <type_traits>

#include <typegrad/error.hpp>
#include <typegrad/scalar/bfloat16.hpp>
#include <typegrad/scalar/half.hpp>

namespace typegrad {

/// The element types of a Tensor. The enumerator names are c10's (they appear in messages such
/// as "expected scalar type Float but found Double").
enum class ScalarType : std::uint8_t { Half, BFloat16, Float, Double, ComplexFloat, ComplexDouble, Bool, Long };

inline constexpr ScalarType kHalf = ScalarType::Half;
inline constexpr ScalarType kBFloat16 = ScalarType::BFloat16;
inline constexpr ScalarType kFloat = ScalarType::Float;
inline constexpr ScalarType kDouble = ScalarType::Double;
inline constexpr ScalarType kComplexFloat = ScalarType::ComplexFloat;
inline constexpr ScalarType kComplexDouble = ScalarType::ComplexDouble;
inline constexpr ScalarType kBool = ScalarType::Bool;
inline constexpr ScalarType kLong = ScalarType::Long;

/// Every dtype, in enumerator order.
inline constexpr std::array<ScalarType, 8> all_scalar_types{kHalf,         kBFloat16,      kFloat, kDouble,
                                                            kComplexFloat, kComplexDouble, kBool,  kLong};

/// torch's default floating dtype (torch.get_default_dtype()): factories without a dtype and
/// floating fill values give this.
inline constexpr ScalarType default_dtype = kFloat;

/// A type carried as a value: `visit` passes `type_tag<T>{}` to its callable.
template <class T> struct type_tag {
  using type = T;
};

namespace detail {
template <class T> struct dtype_of_impl;  // undefined: not a tensor element type
template <> struct dtype_of_impl<half> : std::integral_constant<ScalarType, kHalf> {};
template <> struct dtype_of_impl<bfloat16> : std::integral_constant<ScalarType, kBFloat16> {};
template <> struct dtype_of_impl<float> : std::integral_constant<ScalarType, kFloat> {};
template <> struct dtype_of_impl<double> : std::integral_constant<ScalarType, kDouble> {};
template <> struct dtype_of_impl<std::complex<float>> : std::integral_constant<ScalarType, kComplexFloat> {};
template <> struct dtype_of_impl<std::complex<double>> : std::integral_constant<ScalarType, kComplexDouble> {};
template <> struct dtype_of_impl<bool> : std::integral_constant<ScalarType, kBool> {};
template <> struct dtype_of_impl<std::int64_t> : std::integral_constant<ScalarType, kLong> {};
}  // namespace detail

/// True for the C++ types that are tensor elements (exactly one per ScalarType).
template <class T>
concept tensor_element = requires { detail::dtype_of_impl<T>::value; };

/// The ScalarType of a C++ element type: `dtype_of<float> == kFloat`.
template <tensor_element T> inline constexpr ScalarType dtype_of = detail::dtype_of_impl<T>::value;

/// c10's name of a dtype: "Float", "ComplexDouble" ... (what `operator<<` prints).
constexpr std::string_view scalar_type_name(ScalarType t) noexcept {
  switch (t) {
    case kHalf: return "Half";
    case kBFloat16: return "BFloat16";
    case kFloat: return "Float";
    case kDouble: return "Double";
    case kComplexFloat: return "ComplexFloat";
    case kComplexDouble: return "ComplexDouble";
    case kBool: return "Bool";
    case kLong: return "Long";
  }
  return "Undefined";
}

/// Python's name of a dtype: "torch.float32", "torch.int64" ... (tensor printing, messages).
constexpr std::string_view torch_name(ScalarType t) noexcept {
  switch (t) {
    case kHalf: return "torch.float16";
    case kBFloat16: return "torch.bfloat16";
    case kFloat: return "torch.float32";
    case kDouble: return "torch.float64";
    case kComplexFloat: return "torch.complex64";
    case kComplexDouble: return "torch.complex128";
    case kBool: return "torch.bool";
    case kLong: return "torch.int64";
  }
  return "torch.undefined";
}

/// The legacy tensor-type name of a dtype, used by some torch messages ("torch.FloatTensor").
constexpr std::string_view legacy_tensor_name(ScalarType t) noexcept {
  switch (t) {
    case kHalf: return "torch.HalfTensor";
    case kBFloat16: return "torch.BFloat16Tensor";
    case kFloat: return "torch.FloatTensor";
    case kDouble: return "torch.DoubleTensor";
    case kComplexFloat: return "torch.ComplexFloatTensor";
    case kComplexDouble: return "torch.ComplexDoubleTensor";
    case kBool: return "torch.BoolTensor";
    case kLong: return "torch.LongTensor";
  }
  return "torch.UndefinedTensor";
}

inline std::ostream& operator<<(std::ostream& os, ScalarType t) { return os << scalar_type_name(t); }

/// Bytes per element.
constexpr std::size_t element_size(ScalarType t) noexcept {
  switch (t) {
    case kHalf: case kBFloat16: return 2;
    case kFloat: return 4;
    case kDouble: case kComplexFloat: case kLong: return 8;
    case kComplexDouble: return 16;
    case kBool: return 1;
  }
  return 0;
}

/// Half, BFloat16, Float, Double (torch's `dtype.is_floating_point`).
constexpr bool is_floating_point(ScalarType t) noexcept {
  return t == kHalf || t == kBFloat16 || t == kFloat || t == kDouble;
}
constexpr bool is_complex(ScalarType t) noexcept { return t == kComplexFloat || t == kComplexDouble; }
/// The dtypes that can require gradients.
constexpr bool is_differentiable(ScalarType t) noexcept { return is_floating_point(t) || is_complex(t); }

/// ComplexFloat -> Float, ComplexDouble -> Double, others unchanged (torch's `.real` dtype).
constexpr ScalarType to_real_value_type(ScalarType t) noexcept {
  return t == kComplexFloat ? kFloat : t == kComplexDouble ? kDouble : t;
}

/// torch.promote_types for these eight dtypes. torch's rule: bool < integers < floating <
/// complex by category; within floating, the wider wins, except Half with BFloat16, which
/// neither holds: Float. A complex and a real give the complex type whose real part is the
/// promotion of both real parts (Double with ComplexFloat is ComplexDouble).
constexpr ScalarType promote_types(ScalarType a, ScalarType b) noexcept {
  if (a == b) return a;
  if (is_complex(a) || is_complex(b)) {
    const ScalarType real = promote_types(to_real_value_type(a), to_real_value_type(b));
    return real == kDouble ? kComplexDouble : kComplexFloat;  // Half/BFloat16/Float/integers: ComplexFloat
  }
  if (a == kBool) return b;
  if (b == kBool) return a;
  if (a == kLong) return b;  // b is floating here
  if (b == kLong) return a;
  if ((a == kHalf && b == kBFloat16) || (a == kBFloat16 && b == kHalf)) return kFloat;
  const auto rank = [](ScalarType t) { return t == kDouble ? 3 : t == kFloat ? 2 : 1; };
  return rank(a) >= rank(b) ? a : b;
}

/// Calls `f(type_tag<T>{})` with T the C++ element type of `t`, returning what f returns
/// (f must return the same type for every T).
template <class F> constexpr decltype(auto) visit(ScalarType t, F&& f) {
  switch (t) {
    case kHalf: return f(type_tag<half>{});
    case kBFloat16: return f(type_tag<bfloat16>{});
    case kFloat: return f(type_tag<float>{});
    case kDouble: return f(type_tag<double>{});
    case kComplexFloat: return f(type_tag<std::complex<float>>{});
    case kComplexDouble: return f(type_tag<std::complex<double>>{});
    case kBool: return f(type_tag<bool>{});
    case kLong: return f(type_tag<std::int64_t>{});
  }
  throw Error("typegrad: invalid ScalarType");
}

}  // namespace typegrad
