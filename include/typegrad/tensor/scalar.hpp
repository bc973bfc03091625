#pragma once
/// \file tensor/scalar.hpp
/// tg::Scalar: one number of any kind, as c10::Scalar. It remembers the kind of number it was
/// made from (bool, integral, floating, complex) and stores it widened (bool, int64, double,
/// complex<double>); the kind is what type promotion reads (`t * 2.0` keeps a float tensor
/// float, `long_tensor * 2.0` becomes kFloat). `wrapped_scalar_tensor` makes the 0-d tensor
/// an operation takes in place of a number.
///
///     tg::Scalar s = 2.5;          // floating: s.type() == tg::kDouble
///     s.to<std::int64_t>();        // 2 (checked like c10: 1e30 throws "value cannot be ...")
///     tg::Tensor w = tg::wrapped_scalar_tensor(true);   // 0-d kBool, wrapped_number
#include <complex>
#include <cstdint>
#include <type_traits>
#include <variant>

#include <typegrad/tensor/convert.hpp>
#include <typegrad/tensor/dtype.hpp>
#include <typegrad/tensor/tensor.hpp>
#include <typegrad/tensor/tensor_data.hpp>

namespace typegrad {

class Scalar {
 public:
  /// 0 (an integral zero, as c10::Scalar()).
  Scalar() noexcept : value_(std::int64_t{0}) {}
  /// Any arithmetic type (not the character types), tg::half, tg::bfloat16, std::complex<float|double>.
  template <detail::tensor_scalar T>
  Scalar(T v) noexcept : value_(widened(v)) {}  // NOLINT(google-explicit-constructor): numbers convert, as in libtorch

  bool is_bool() const noexcept { return std::holds_alternative<bool>(value_); }
  /// Integral (c10's isIntegral(include_bool)): bool counts only when asked.
  bool is_integral(bool include_bool = false) const noexcept {
    return std::holds_alternative<std::int64_t>(value_) || (include_bool && is_bool());
  }
  bool is_floating_point() const noexcept { return std::holds_alternative<double>(value_); }
  bool is_complex() const noexcept { return std::holds_alternative<std::complex<double>>(value_); }

  /// The dtype the stored number has: kBool, kLong, kDouble or kComplexDouble (c10's Scalar::type()).
  ScalarType type() const noexcept {
    return std::visit([](const auto& v) { return dtype_of<std::remove_cvref_t<decltype(v)>>; }, value_);
  }

  /// The number as T, converted as c10::Scalar converts: a value outside T's range, or a
  /// complex number with a non-zero imaginary part into a real type, throws torch's "value
  /// cannot be converted to type T without overflow"; any number converts to bool (!= 0).
  template <tensor_element T> T to() const {
    return std::visit([](const auto& v) { return detail::checked_convert<T>(v); }, value_);
  }

 private:
  using storage = std::variant<bool, std::int64_t, double, std::complex<double>>;

  template <class T> static storage widened(T v) noexcept {
    using E = detail::element_type_for<T>;  // the tensor element type T is stored as
    if constexpr (std::is_same_v<E, bool>) return storage(static_cast<bool>(v));
    else if constexpr (std::is_same_v<E, std::int64_t>) return storage(static_cast<std::int64_t>(v));
    else if constexpr (detail::is_std_complex_v<E>) return storage(std::complex<double>(v.real(), v.imag()));
    else return storage(static_cast<double>(detail::widen(static_cast<E>(v))));
  }

  storage value_;
};

/// A 0-d tensor holding `s` in the dtype of its kind (kBool, kLong, kDouble, kComplexDouble),
/// flagged `wrapped_number`: type promotion then treats it as torch treats a Python number.
inline Tensor wrapped_scalar_tensor(const Scalar& s) {
  Tensor t = Tensor::empty_contiguous({}, s.type());
  visit(t.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    *t.data_ptr<T>() = s.to<T>();
  });
  t.unsafe_get_impl()->wrapped_number = true;
  return t;
}

}  // namespace typegrad
