#pragma once
/// \file scalar/bfloat16.hpp
/// tg::bfloat16: "brain float" storage (1 sign, 8 exponent, 7 mantissa bits: the top half of a
/// float) that computes in float. Our own small type rather than Eigen's, so the static layer
/// stays Eigen-free.
///
///     tg::bfloat16 b = 1.5;                      // implicit from float, double, integers
///     static_assert(float(tg::bfloat16(1.5f)) == 1.5f);
///     tg::bfloat16 s = b * b + 1;                // computed in float, rounded once to bfloat16
#include <cstdint>
#include <limits>
#include <type_traits>

#include <typegrad/scalar/detail/narrow_float.hpp>

namespace typegrad {

/// A bfloat16 number: float's exponent range, 8 significant bits. Conversions into bfloat16
/// round to nearest, ties to even, exactly (also from double, long double and 64-bit integers:
/// no double rounding), overflow to infinity, keep signed zeros and subnormals, and turn NaNs
/// into quiet NaNs. Conversion to float is exact (explicit).
/// Default construction leaves the value indeterminate, like float; `tg::bfloat16{}` is +0.
class bfloat16 : public detail::narrow_float_operators<bfloat16> {
  using format = detail::bfloat16_format;

 public:
  bfloat16() = default;
  constexpr bfloat16(float f) noexcept : bits_(detail::narrow_from_binary<format>(f)) {}
  constexpr bfloat16(double d) noexcept : bits_(detail::narrow_from_binary<format>(d)) {}
  constexpr bfloat16(long double d) noexcept : bits_(detail::narrow_from_long_double<format>(d)) {}
  template <std::integral I>
  constexpr bfloat16(I i) noexcept : bits_(detail::narrow_from_integer<format>(i)) {}

  /// The bfloat16 whose encoding is `bits`.
  static constexpr bfloat16 from_bits(std::uint16_t bits) noexcept {
    bfloat16 b;
    b.bits_ = bits;
    return b;
  }
  /// The encoding (the top 16 bits of the float with the same value).
  constexpr std::uint16_t bits() const noexcept { return bits_; }

  /// Exact.
  constexpr explicit operator float() const noexcept { return detail::narrow_to_float<format>(bits_); }
  /// Exact.
  constexpr explicit operator double() const noexcept { return static_cast<float>(*this); }
  /// Any other arithmetic type, through float (`static_cast<int>(b)` truncates like float).
  template <class T>
    requires std::is_arithmetic_v<T> && (!std::is_same_v<T, float>) && (!std::is_same_v<T, double>)
  constexpr explicit operator T() const noexcept {
    return static_cast<T>(static_cast<float>(*this));
  }

 private:
  std::uint16_t bits_;
};

static_assert(sizeof(bfloat16) == 2 && std::is_trivially_copyable_v<bfloat16> &&
              std::is_standard_layout_v<bfloat16>);

}  // namespace typegrad

namespace std {

/// Limits of bfloat16. Not an IEC 559 interchange format, so is_iec559 is false (its
/// arithmetic here does follow IEEE rules: RNE, subnormals, infinities, NaN).
template <> struct numeric_limits<typegrad::bfloat16> {
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
  static constexpr bool is_iec559 = false;
  static constexpr bool is_bounded = true;
  static constexpr bool is_modulo = false;
  static constexpr int digits = 8;
  static constexpr int digits10 = 2;
  static constexpr int max_digits10 = 4;
  static constexpr int radix = 2;
  static constexpr int min_exponent = -125;
  static constexpr int min_exponent10 = -37;
  static constexpr int max_exponent = 128;
  static constexpr int max_exponent10 = 38;
  static constexpr bool traps = false;
  static constexpr bool tinyness_before = false;

  static constexpr typegrad::bfloat16 min() noexcept {  // 2^-126
    return typegrad::bfloat16::from_bits(0x0080);
  }
  static constexpr typegrad::bfloat16 lowest() noexcept {  // -(2 - 2^-7) 2^127
    return typegrad::bfloat16::from_bits(0xff7f);
  }
  static constexpr typegrad::bfloat16 max() noexcept {  // (2 - 2^-7) 2^127
    return typegrad::bfloat16::from_bits(0x7f7f);
  }
  static constexpr typegrad::bfloat16 epsilon() noexcept {  // 2^-7
    return typegrad::bfloat16::from_bits(0x3c00);
  }
  static constexpr typegrad::bfloat16 round_error() noexcept {  // 0.5
    return typegrad::bfloat16::from_bits(0x3f00);
  }
  static constexpr typegrad::bfloat16 infinity() noexcept {
    return typegrad::bfloat16::from_bits(0x7f80);
  }
  static constexpr typegrad::bfloat16 quiet_NaN() noexcept {
    return typegrad::bfloat16::from_bits(0x7fc0);
  }
  static constexpr typegrad::bfloat16 signaling_NaN() noexcept {
    return typegrad::bfloat16::from_bits(0x7fa0);
  }
  static constexpr typegrad::bfloat16 denorm_min() noexcept {  // 2^-133
    return typegrad::bfloat16::from_bits(0x0001);
  }
};

}  // namespace std
