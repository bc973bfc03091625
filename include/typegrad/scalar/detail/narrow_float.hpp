#pragma once
/// \file scalar/detail/narrow_float.hpp
/// Shared machinery of tg::half and tg::bfloat16: exact rounding into a 16-bit binary format
/// and exact widening back to float, all constexpr (std::bit_cast), plus the arithmetic and
/// comparison operators both types share (computed in float, rounded back).
#include <bit>
#include <compare>
#include <concepts>
#include <cstdint>
#include <iosfwd>
#include <limits>
#include <type_traits>

namespace typegrad::detail {

/// Layout of a 16-bit binary floating-point format: 1 sign bit, E exponent bits, M stored
/// mantissa bits (E + M == 15), IEEE-style bias, subnormals, infinities and NaNs.
template <int E, int M> struct narrow_format {
  static_assert(E + M == 15, "narrow_format: a 16-bit format has 15 exponent + mantissa bits");
  static constexpr int exponent_bits = E;
  static constexpr int mantissa_bits = M;
  static constexpr int bias = (1 << (E - 1)) - 1;
  static constexpr std::uint16_t sign_mask = 0x8000;
  static constexpr std::uint16_t inf_bits = static_cast<std::uint16_t>(((1u << E) - 1) << M);
  static constexpr std::uint16_t quiet_bit = static_cast<std::uint16_t>(1u << (M - 1));
  /// Exponent of the unit in the last place of the subnormals (and of the smallest normals).
  static constexpr int min_quantum = 1 - bias - M;
};

using binary16_format = narrow_format<5, 10>;
using bfloat16_format = narrow_format<8, 7>;

/// Rounds the nonzero value sig * 2^exp to the nearest F value, ties to even; the result is
/// exact (no intermediate rounding) for any 64-bit significand.
template <class F>
constexpr std::uint16_t round_to_narrow(bool negative, std::uint64_t sig, int exp) noexcept {
  const std::uint16_t sign = negative ? F::sign_mask : std::uint16_t{0};
  const int width = std::bit_width(sig);
  const int top = exp + width - 1;  // exponent of the leading bit
  if (top > F::bias) return sign | F::inf_bits;
  // The quantum (ulp) of the result: M bits below the leading one, but never below the
  // subnormal quantum, which is what makes gradual underflow come out right.
  const int q = top - F::mantissa_bits > F::min_quantum ? top - F::mantissa_bits : F::min_quantum;
  std::uint64_t n = 0;  // the result as a multiple of 2^q
  if (exp >= q) {
    n = sig << (exp - q);
  } else {
    const int s = q - exp;              // bits to drop, >= 1
    if (s > width) return sign;         // below half the quantum: rounds to (signed) zero
    const std::uint64_t kept = s == 64 ? 0 : sig >> s;
    const std::uint64_t rest = s == 64 ? sig : sig & ((std::uint64_t{1} << s) - 1);
    const std::uint64_t half = std::uint64_t{1} << (s - 1);
    n = kept + ((rest > half || (rest == half && (kept & 1) != 0)) ? 1 : 0);
  }
  // Adding the quantum's biased exponent above the mantissa gives the encoding in one step: a
  // rounding carry into bit M moves to the next binade (or to infinity), and a subnormal that
  // rounds up to 2^M becomes the smallest normal.
  const std::uint64_t biased_q = static_cast<std::uint64_t>(q - F::min_quantum) << F::mantissa_bits;
  return static_cast<std::uint16_t>(sign | (n + biased_q));
}

/// float or double -> F, correctly rounded (ties to even) in one step. NaN stays NaN: it keeps
/// its sign and the top payload bits and comes out quiet, as the x86 F16C conversion does.
template <class F, class Src>
constexpr std::uint16_t narrow_from_binary(Src x) noexcept {
  static_assert(std::is_same_v<Src, float> || std::is_same_v<Src, double>);
  static_assert(std::numeric_limits<Src>::is_iec559);
  using U = std::conditional_t<std::is_same_v<Src, float>, std::uint32_t, std::uint64_t>;
  constexpr int src_mant = std::numeric_limits<Src>::digits - 1;
  constexpr int src_bias = std::numeric_limits<Src>::max_exponent - 1;
  constexpr int src_bits = static_cast<int>(sizeof(U)) * 8;
  constexpr U mant_mask = (U{1} << src_mant) - 1;
  constexpr U exp_all = (U{1} << (src_bits - 1 - src_mant)) - 1;

  const U b = std::bit_cast<U>(x);
  const bool negative = (b >> (src_bits - 1)) != 0;
  const std::uint16_t sign = negative ? F::sign_mask : std::uint16_t{0};
  const U mag = b & ~(U{1} << (src_bits - 1));
  const U exp_field = mag >> src_mant;
  const U mant = mag & mant_mask;
  if (exp_field == exp_all) {
    if (mant == 0) return sign | F::inf_bits;
    return static_cast<std::uint16_t>(sign | F::inf_bits | F::quiet_bit |
                                      static_cast<std::uint16_t>(mant >> (src_mant - F::mantissa_bits)));
  }
  if constexpr (std::is_same_v<Src, float> && F::exponent_bits == 8) {
    // Same exponent range as float (bfloat16): rounding the low 16 bits of the pattern is the
    // whole conversion, subnormals and overflow to infinity included.
    return static_cast<std::uint16_t>((b + 0x7fffu + ((b >> 16) & 1u)) >> 16);
  }
  if constexpr (std::is_same_v<Src, float> && F::exponent_bits == 5) {
    // Fast path for the common case, a float that is a normal half: rebias the exponent and
    // round the 13 dropped bits to nearest even in one add (a carry that reaches the exponent
    // is right, up to infinity for [65520, 65536)). Smaller values take the general path.
    constexpr U min_normal = static_cast<U>(127 - 14) << 23;  // 2^-14
    constexpr U overflow = static_cast<U>(127 + 16) << 23;    // 2^16
    constexpr U rebias = static_cast<U>(127 - 15) << 23;
    if (mag >= overflow) return sign | F::inf_bits;
    if (mag >= min_normal)
      return static_cast<std::uint16_t>(sign | ((mag - rebias + 0xfffu + ((mag >> 13) & 1u)) >> 13));
  }
  if (mag == 0) return sign;
  if (exp_field == 0) return round_to_narrow<F>(negative, mant, 1 - src_bias - src_mant);
  return round_to_narrow<F>(negative, mant | (U{1} << src_mant),
                            static_cast<int>(exp_field) - src_bias - src_mant);
}

/// long double -> F. Goes through double rounded to odd (the inexact bit is kept in the last
/// place), which makes the second rounding to F exact: double has more than M + 2 bits.
template <class F>
constexpr std::uint16_t narrow_from_long_double(long double x) noexcept {
  double d = static_cast<double>(x);
  if (d - d == 0 && static_cast<long double>(d) != x) {  // finite and inexact
    auto b = std::bit_cast<std::uint64_t>(d);
    if ((b & 1) == 0) {
      const bool away = (x < 0 ? -x : x) > static_cast<long double>(d < 0 ? -d : d);
      b = away ? b + 1 : b - 1;  // the neighbour on x's side has the odd last bit
    }
    d = std::bit_cast<double>(b);
  }
  return narrow_from_binary<F>(d);
}

/// Integer -> F, exact rounding straight from the integer (no detour through double).
template <class F, std::integral I>
constexpr std::uint16_t narrow_from_integer(I i) noexcept {
  static_assert(sizeof(I) <= 8, "tg::half/bfloat16: integers wider than 64 bits are not supported");
  bool negative = false;
  if constexpr (std::is_signed_v<I>) negative = i < 0;
  const auto u = static_cast<std::uint64_t>(i);
  const std::uint64_t mag = negative ? std::uint64_t{0} - u : u;
  if (mag == 0) return 0;
  return round_to_narrow<F>(negative, mag, 0);
}

/// F -> float, exact. A signalling NaN comes back quiet (as hardware conversions do).
template <class F>
constexpr float narrow_to_float(std::uint16_t bits) noexcept {
  const std::uint32_t sign = static_cast<std::uint32_t>(bits & F::sign_mask) << 16;
  const std::uint32_t mag = bits & 0x7fffu;
  constexpr std::uint32_t shift = 23 - F::mantissa_bits;
  if constexpr (F::exponent_bits == 8) {
    std::uint32_t r = static_cast<std::uint32_t>(bits) << 16;
    if (mag > F::inf_bits) r |= 0x00400000u;
    return std::bit_cast<float>(r);
  } else {
    static_assert(F::exponent_bits < 8, "narrow_to_float: subnormals of F must be normal floats");
    const std::uint32_t exp_field = mag >> F::mantissa_bits;
    const std::uint32_t mant = mag & ((1u << F::mantissa_bits) - 1);
    if (exp_field == (F::inf_bits >> F::mantissa_bits)) {
      const std::uint32_t quiet = mant != 0 ? 0x00400000u : 0u;
      return std::bit_cast<float>(sign | 0x7f800000u | (mant << shift) | quiet);
    }
    if (exp_field == 0) {
      if (mant == 0) return std::bit_cast<float>(sign);
      // Subnormal: normalise so the leading one becomes float's implicit bit.
      const int p = std::bit_width(mant) - 1;
      const auto e = static_cast<std::uint32_t>(F::min_quantum + p + 127);
      return std::bit_cast<float>(sign | (e << 23) | ((mant - (1u << p)) << (23 - p)));
    }
    const auto e = static_cast<std::uint32_t>(static_cast<int>(exp_field) - F::bias + 127);
    return std::bit_cast<float>(sign | (e << 23) | (mant << shift));
  }
}

/// The operators tg::half and tg::bfloat16 share, as hidden friends (found by ADL only, so they
/// never compete with other types' operators). Each operation runs in float and rounds once
/// back to D: float's 24 bits are at least twice D's precision plus 2, so + - * / are correctly
/// rounded in D (no double-rounding error). A mixed operand (`h * 2.0`, `h < 1`) converts to D
/// through D's implicit constructors first, the way a torch half tensor times a Python float
/// stays half; cast to float explicitly to compute in float.
template <class D> struct narrow_float_operators {
  friend constexpr D operator+(D a) noexcept { return a; }
  /// Flips the sign bit: exact, also for zeros and NaNs.
  friend constexpr D operator-(D a) noexcept {
    return D::from_bits(static_cast<std::uint16_t>(a.bits() ^ 0x8000u));
  }
  friend constexpr D operator+(D a, D b) noexcept { return D(static_cast<float>(a) + static_cast<float>(b)); }
  friend constexpr D operator-(D a, D b) noexcept { return D(static_cast<float>(a) - static_cast<float>(b)); }
  friend constexpr D operator*(D a, D b) noexcept { return D(static_cast<float>(a) * static_cast<float>(b)); }
  friend constexpr D operator/(D a, D b) noexcept { return D(static_cast<float>(a) / static_cast<float>(b)); }
  friend constexpr D& operator+=(D& a, D b) noexcept { return a = a + b; }
  friend constexpr D& operator-=(D& a, D b) noexcept { return a = a - b; }
  friend constexpr D& operator*=(D& a, D b) noexcept { return a = a * b; }
  friend constexpr D& operator/=(D& a, D b) noexcept { return a = a / b; }
  /// IEEE semantics: NaN compares unequal to everything, +0 == -0.
  friend constexpr bool operator==(D a, D b) noexcept {
    return static_cast<float>(a) == static_cast<float>(b);
  }
  friend constexpr std::partial_ordering operator<=>(D a, D b) noexcept {
    return static_cast<float>(a) <=> static_cast<float>(b);
  }
  /// Prints the float value (so a stream's precision and format flags apply).
  template <class CharT, class Traits>
  friend std::basic_ostream<CharT, Traits>& operator<<(std::basic_ostream<CharT, Traits>& os, D a) {
    return os << static_cast<float>(a);
  }
};

}  // namespace typegrad::detail
