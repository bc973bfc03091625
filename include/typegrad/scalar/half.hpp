#pragma once
/// \file scalar/half.hpp
/// tg::half: IEEE 754 binary16 storage (1 sign, 5 exponent, 10 mantissa bits) that computes
/// in float. Our own small type rather than Eigen::half so the static layer stays Eigen-free.
///
///     tg::half h = 1.5;                          // implicit from float, double, integers
///     static_assert(float(tg::half(1.5f)) == 1.5f);
///     tg::half s = h * h + 1;                    // computed in float, rounded once to half
#include <cstdint>
#include <limits>
#include <type_traits>

#include <typegrad/scalar/detail/narrow_float.hpp>

namespace typegrad {

/// A binary16 number. Conversions into half round to nearest, ties to even, exactly (also from
/// double, long double and 64-bit integers: no double rounding), overflow to infinity, keep
/// signed zeros and subnormals, and turn NaNs into quiet NaNs. Conversion to float is exact
/// (explicit: `float(h)`, `static_cast<double>(h)`).
/// Default construction leaves the value indeterminate, like float; `tg::half{}` is +0.
class half : public detail::narrow_float_operators<half> {
  using format = detail::binary16_format;

 public:
  half() = default;
  constexpr half(float f) noexcept : bits_(detail::narrow_from_binary<format>(f)) {}
  constexpr half(double d) noexcept : bits_(detail::narrow_from_binary<format>(d)) {}
  constexpr half(long double d) noexcept : bits_(detail::narrow_from_long_double<format>(d)) {}
  template <std::integral I>
  constexpr half(I i) noexcept : bits_(detail::narrow_from_integer<format>(i)) {}

  /// The half whose IEEE encoding is `bits`.
  static constexpr half from_bits(std::uint16_t bits) noexcept {
    half h;
    h.bits_ = bits;
    return h;
  }
  /// The IEEE encoding.
  constexpr std::uint16_t bits() const noexcept { return bits_; }

  /// Exact.
  constexpr explicit operator float() const noexcept { return detail::narrow_to_float<format>(bits_); }
  /// Exact.
  constexpr explicit operator double() const noexcept { return static_cast<float>(*this); }
  /// Any other arithmetic type, through float (`static_cast<int>(h)` truncates like float).
  template <class T>
    requires std::is_arithmetic_v<T> && (!std::is_same_v<T, float>) && (!std::is_same_v<T, double>)
  constexpr explicit operator T() const noexcept {
    return static_cast<T>(static_cast<float>(*this));
  }

 private:
  std::uint16_t bits_;
};

static_assert(sizeof(half) == 2 && std::is_trivially_copyable_v<half> && std::is_standard_layout_v<half>);

}  // namespace typegrad

namespace std {

/// Limits of binary16.
template <> struct numeric_limits<typegrad::half> {
  static constexpr bool is_specialized = true;
  static constexpr bool is_signed = true;
  static constexpr bool is_integer = false;
  static constexpr bool is_exact = false;
  static constexpr bool has_infinity = true;
  static constexpr bool has_quiet_NaN = true;
  static constexpr bool has_signaling_NaN = true;
  static constexpr std::float_denorm_style has_denorm = std::denorm_present;
  static constexpr bool has_denorm_loss = false;
  static constexpr std::float_round_style round_style = std::round_to_nearest;
  static constexpr bool is_iec559 = true;
  static constexpr bool is_bounded = true;
  static constexpr bool is_modulo = false;
  static constexpr int digits = 11;
  static constexpr int digits10 = 3;
  static constexpr int max_digits10 = 5;
  static constexpr int radix = 2;
  static constexpr int min_exponent = -13;
  static constexpr int min_exponent10 = -4;
  static constexpr int max_exponent = 16;
  static constexpr int max_exponent10 = 4;
  static constexpr bool traps = false;
  static constexpr bool tinyness_before = false;

  static constexpr typegrad::half min() noexcept {  // 2^-14
    return typegrad::half::from_bits(0x0400);
  }
  static constexpr typegrad::half lowest() noexcept {  // -65504
    return typegrad::half::from_bits(0xfbff);
  }
  static constexpr typegrad::half max() noexcept {  // 65504
    return typegrad::half::from_bits(0x7bff);
  }
  static constexpr typegrad::half epsilon() noexcept {  // 2^-10
    return typegrad::half::from_bits(0x1400);
  }
  static constexpr typegrad::half round_error() noexcept {  // 0.5
    return typegrad::half::from_bits(0x3800);
  }
  static constexpr typegrad::half infinity() noexcept {
    return typegrad::half::from_bits(0x7c00);
  }
  static constexpr typegrad::half quiet_NaN() noexcept {
    return typegrad::half::from_bits(0x7e00);
  }
  static constexpr typegrad::half signaling_NaN() noexcept {
    return typegrad::half::from_bits(0x7d00);
  }
  static constexpr typegrad::half denorm_min() noexcept {  // 2^-24
    return typegrad::half::from_bits(0x0001);
  }
};

}  // namespace std
