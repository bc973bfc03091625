// tg::bfloat16: exhaustive round trip, exact widening, round-to-nearest-even narrowing checked
// against a straightforward reference (compare distances to the two neighbours in double),
// arithmetic against double references, limits, and constexpr use.
#include <typegrad/scalar/bfloat16.hpp>

#include <catch2/catch.hpp>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <sstream>

namespace tg = typegrad;

namespace {

constexpr std::uint16_t bits_of(float f) { return tg::bfloat16(f).bits(); }
constexpr std::uint16_t bits_of(double d) { return tg::bfloat16(d).bits(); }

bool is_nan_bits(std::uint16_t b) { return (b & 0x7fffu) > 0x7f80u; }

/// The value of a bfloat16 encoding from its definition (8 exponent bits, 7 mantissa bits).
double decode(std::uint16_t b) {
  const int e = (b >> 7) & 0xff;
  const int m = b & 0x7f;
  const double s = (b & 0x8000) ? -1.0 : 1.0;
  if (e == 255) return m ? std::numeric_limits<double>::quiet_NaN() : s * HUGE_VAL;
  if (e == 0) return s * std::ldexp(m, -133);
  return s * std::ldexp(128 + m, e - 134);
}

/// Reference rounding: truncate to the bfloat16 at or below |x| (toward zero), take the next
/// encoding up, keep the nearer of the two, ties to the even encoding. The step past the largest
/// finite value is 2^128, which stands for infinity. Distances are exact in long double.
template <class Real> std::uint16_t reference_round(Real x) {
  const std::uint16_t sign = std::signbit(x) ? 0x8000 : 0;
  const long double a = std::fabs(static_cast<long double>(x));
  if (std::isinf(a)) return sign | 0x7f80;
  // The largest encoding whose value is <= a, by bisection over the ordered encodings.
  std::uint32_t lo = 0, hi = 0x7f80;  // decode(lo) <= a < value(hi), value(0x7f80) := 2^128
  const auto value = [](std::uint32_t b) {
    if (b == 0x7f80) return std::ldexp(1.0L, 128);
    return static_cast<long double>(decode(static_cast<std::uint16_t>(b)));
  };
  if (a >= value(hi)) return sign | 0x7f80;
  while (hi - lo > 1) {
    const std::uint32_t mid = (lo + hi) / 2;
    (value(mid) <= a ? lo : hi) = mid;
  }
  const long double dlo = a - value(lo), dhi = value(hi) - a;
  std::uint32_t r = dlo < dhi ? lo : dhi < dlo ? hi : ((lo & 1) ? hi : lo);
  return static_cast<std::uint16_t>(sign | r);
}

float random_float(std::mt19937_64& rng) {
  if (rng() & 1) return std::bit_cast<float>(static_cast<std::uint32_t>(rng()));
  // Floats a few bits away from a bfloat16 tie: the interesting cases for rounding.
  const auto base = static_cast<std::uint32_t>(rng()) & 0xffff0000u;
  const std::uint32_t low = 0x8000u + static_cast<std::uint32_t>(static_cast<int>(rng() % 7) - 3);
  return std::bit_cast<float>(base | low);
}

}  // namespace

static_assert(float(tg::bfloat16(1.5f)) == 1.5f);
static_assert(static_cast<double>(tg::bfloat16(-2.75)) == -2.75);
static_assert(bits_of(1.0f) == 0x3f80 && bits_of(-2.0f) == 0xc000);
static_assert(bits_of(1.0f + 0x1p-8f) == 0x3f80);          // tie, to even: down
static_assert(bits_of(1.0f + 3 * 0x1p-8f) == 0x3f82);      // tie, to even: up
static_assert(bits_of(1.0 + 0x1p-8 + 0x1p-40) == 0x3f81);  // from double: no double rounding
static_assert(tg::bfloat16(257).bits() == 0x4380 && tg::bfloat16(259).bits() == 0x4382);
static_assert(float(tg::bfloat16(1.5f) * tg::bfloat16(2) + 1) == 4.0f);
static_assert(tg::bfloat16(1) < tg::bfloat16(2) && tg::bfloat16(0.0f) == tg::bfloat16(-0.0f));
static_assert([] {
  tg::bfloat16 b = 1;
  b += 2;
  b *= 0.5f;
  b -= 0.25;
  b /= 2;
  return float(b) == 0.625f;
}());

TEST_CASE("bfloat16: every encoding widens exactly and narrows back to itself", "[bfloat16]") {
  for (std::uint32_t i = 0; i <= 0xffff; ++i) {
    const auto b = static_cast<std::uint16_t>(i);
    const tg::bfloat16 h = tg::bfloat16::from_bits(b);
    const float f = static_cast<float>(h);
    if (is_nan_bits(b)) {
      REQUIRE(std::isnan(f));
      REQUIRE(std::signbit(f) == ((b & 0x8000) != 0));
      REQUIRE(tg::bfloat16(f).bits() == (b | 0x0040));
      REQUIRE(tg::bfloat16(static_cast<double>(h)).bits() == (b | 0x0040));
    } else {
      // Widening is the top half of the float's encoding.
      REQUIRE(std::bit_cast<std::uint32_t>(f) == static_cast<std::uint32_t>(b) << 16);
      REQUIRE(static_cast<double>(f) == decode(b));
      REQUIRE(tg::bfloat16(f).bits() == b);
      REQUIRE(tg::bfloat16(decode(b)).bits() == b);
      REQUIRE(tg::bfloat16(static_cast<long double>(decode(b))).bits() == b);
    }
  }
}

TEST_CASE("bfloat16: round to nearest, ties to even, hand-picked", "[bfloat16]") {
  CHECK(bits_of(1.0f + 0x1p-8f) == 0x3f80);
  CHECK(bits_of(1.0f + 3 * 0x1p-8f) == 0x3f82);
  CHECK(bits_of(1.0f + 0x1p-8f + 0x1p-23f) == 0x3f81);
  CHECK(bits_of(2.0f - 0x1p-8f) == 0x4000);  // tie at the binade edge carries up
  CHECK(bits_of(0.1f) == 0x3dcd);
  CHECK(bits_of(3.14159265f) == 0x4049);
  // Subnormals: bfloat16 keeps float's exponent range, so float subnormals round to its own.
  CHECK(bits_of(std::numeric_limits<float>::denorm_min()) == 0x0000);
  CHECK(bits_of(0x1p-133f) == 0x0001);
  CHECK(bits_of(0x1p-134f) == 0x0000);                  // tie with 0: even
  CHECK(bits_of(0x3p-134f) == 0x0002);                  // tie: even
  CHECK(bits_of(-0x1p-126f) == 0x8080);
  CHECK(bits_of(0x1p-126f - 0x1p-134f) == 0x0080);      // tie below min normal rounds up to it
  // Overflow and specials.
  CHECK(bits_of(std::numeric_limits<float>::max()) == 0x7f80);
  CHECK(bits_of(0x1.fep127f) == 0x7f7f);                // max bfloat16
  CHECK(bits_of(0x1.fefffep127f) == 0x7f7f);            // just below the tie
  CHECK(bits_of(0x1.ffp127f) == 0x7f80);                // the tie: to infinity
  CHECK(bits_of(-HUGE_VALF) == 0xff80);
  CHECK(bits_of(1e300) == 0x7f80);
  CHECK(bits_of(1e-300) == 0x0000);
  CHECK(bits_of(-1e-300) == 0x8000);
  CHECK(bits_of(-0.0) == 0x8000);
  const tg::bfloat16 snan = std::numeric_limits<float>::signaling_NaN();
  CHECK(is_nan_bits(snan.bits()));
  CHECK((snan.bits() & 0x0040) != 0);
  CHECK(is_nan_bits(tg::bfloat16(std::bit_cast<float>(0x7f800001u)).bits()));  // payload below bit 16
  CHECK(is_nan_bits(tg::bfloat16(std::bit_cast<float>(0xffffffffu)).bits()));
  CHECK(is_nan_bits(tg::bfloat16(std::bit_cast<double>(0x7ff0000000000001ull)).bits()));
  CHECK(is_nan_bits(tg::bfloat16(std::numeric_limits<long double>::quiet_NaN()).bits()));
}

TEST_CASE("bfloat16: narrowing matches the reference (float, double, long double)", "[bfloat16]") {
  std::mt19937_64 rng(20240611);
  for (int i = 0; i < 300000; ++i) {
    const float x = random_float(rng);
    if (std::isnan(x)) continue;
    INFO("x bits " << std::bit_cast<std::uint32_t>(x));
    REQUIRE(tg::bfloat16(x).bits() == reference_round(x));
  }
  std::uniform_int_distribution<int> e(-140, 128);
  std::uniform_real_distribution<double> m(1.0, 2.0);
  for (int i = 0; i < 100000; ++i) {
    const double x = std::ldexp(m(rng), e(rng)) * ((rng() & 1) ? -1.0 : 1.0);
    INFO("x = " << x);
    REQUIRE(tg::bfloat16(x).bits() == reference_round(x));
  }
  // Ties plus tails below float's precision (double) and below double's (long double).
  for (std::uint32_t b = 0; b < 0x7f7f; b += 5) {
    const double lo = decode(static_cast<std::uint16_t>(b));
    const double mid = (lo + decode(static_cast<std::uint16_t>(b + 1))) / 2;
    const double tail = std::ldexp(mid, -40);
    for (double x : {mid, mid + tail, mid - tail}) REQUIRE(tg::bfloat16(x).bits() == reference_round(x));
    if constexpr (std::numeric_limits<long double>::digits > 53) {
      const long double ltail = std::ldexp(static_cast<long double>(mid), -60);
      for (long double x : {static_cast<long double>(mid), mid + ltail, mid - ltail})
        REQUIRE(tg::bfloat16(x).bits() == reference_round(x));
    }
  }
}

TEST_CASE("bfloat16: from integers, rounded exactly", "[bfloat16]") {
  CHECK(tg::bfloat16(0).bits() == 0x0000);
  CHECK(tg::bfloat16(-1).bits() == 0xbf80);
  CHECK(tg::bfloat16(257).bits() == 0x4380);  // tie: even
  CHECK(tg::bfloat16(259).bits() == 0x4382);
  CHECK(tg::bfloat16(std::numeric_limits<unsigned long long>::max()).bits() == 0x5f80);  // 2^64
  CHECK(tg::bfloat16(std::numeric_limits<long long>::min()).bits() == 0xdf00);           // -2^63
  // 2^62 + 2^54 + 1 is just past a tie; a detour through double would lose the 1 and round
  // the tie down to 2^62.
  CHECK(tg::bfloat16((1ull << 62) + (1ull << 54) + 1).bits() == 0x5e81);
  CHECK(tg::bfloat16((1ull << 62) + (1ull << 54)).bits() == 0x5e80);
  for (long long i = -100000; i <= 100000; i += 7)
    REQUIRE(tg::bfloat16(i).bits() == reference_round(static_cast<double>(i)));
}

TEST_CASE("bfloat16: arithmetic is correctly rounded", "[bfloat16]") {
  std::mt19937_64 rng(5);
  for (int i = 0; i < 300000; ++i) {
    const auto a = tg::bfloat16::from_bits(static_cast<std::uint16_t>(rng()));
    const auto b = tg::bfloat16::from_bits(static_cast<std::uint16_t>(rng()));
    const double x = static_cast<double>(a), y = static_cast<double>(b);
    const auto same = [](tg::bfloat16 got, double want) {
      const tg::bfloat16 w(want);
      return got.bits() == w.bits() || (is_nan_bits(got.bits()) && is_nan_bits(w.bits()));
    };
    // double rounding from double is harmless for one operation: 53 >= 2 * 8 + 2.
    REQUIRE(same(a + b, x + y));
    REQUIRE(same(a - b, x - y));
    REQUIRE(same(a * b, x * y));
    REQUIRE(same(a / b, x / y));
    REQUIRE((a == b) == (x == y));
    REQUIRE((a != b) == (x != y));
    REQUIRE((a < b) == (x < y));
    REQUIRE((a >= b) == (x >= y));
  }
  tg::bfloat16 h = 3;
  CHECK(float(h * 2.5) == 7.5f);
  CHECK(float(-h) == -3.0f);
  CHECK(h == 3);
  CHECK((std::numeric_limits<tg::bfloat16>::quiet_NaN() <=> h) == std::partial_ordering::unordered);
}

TEST_CASE("bfloat16: numeric_limits", "[bfloat16]") {
  using L = std::numeric_limits<tg::bfloat16>;
  STATIC_REQUIRE(L::is_specialized);
  STATIC_REQUIRE(!L::is_iec559);
  STATIC_REQUIRE(L::digits == 8);
  STATIC_REQUIRE(float(L::max()) == 0x1.fep127f);
  STATIC_REQUIRE(float(L::lowest()) == -0x1.fep127f);
  STATIC_REQUIRE(float(L::min()) == 0x1p-126f);
  STATIC_REQUIRE(float(L::denorm_min()) == 0x1p-133f);
  STATIC_REQUIRE(float(L::epsilon()) == 0x1p-7f);
  STATIC_REQUIRE(float(L::round_error()) == 0.5f);
  STATIC_REQUIRE(float(L::infinity()) == HUGE_VALF);
  CHECK(float(L::min()) == std::ldexp(1.0f, L::min_exponent - 1));
  CHECK(std::ldexp(1.0, L::max_exponent - 1) <= static_cast<double>(L::max()));
  CHECK(std::ldexp(1.0, L::max_exponent) > static_cast<double>(L::max()));
  CHECK(float(L::epsilon()) == float(tg::bfloat16::from_bits(0x3f81)) - 1.0f);
  CHECK(std::pow(10.0, L::min_exponent10) >= static_cast<double>(L::min()));
  CHECK(std::pow(10.0, L::min_exponent10 - 1) < static_cast<double>(L::min()));
  CHECK(std::pow(10.0, L::max_exponent10) <= static_cast<double>(L::max()));
  CHECK(std::pow(10.0, L::max_exponent10 + 1) > static_cast<double>(L::max()));
  CHECK(L::digits10 == static_cast<int>(std::floor((L::digits - 1) * std::log10(2.0))));
  CHECK(L::max_digits10 == static_cast<int>(std::ceil(L::digits * std::log10(2.0) + 1)));
  CHECK(std::isnan(float(L::quiet_NaN())));
  CHECK(std::isnan(float(L::signaling_NaN())));
  CHECK((L::signaling_NaN().bits() & 0x0040) == 0);
}

TEST_CASE("bfloat16: printing and conversions out", "[bfloat16]") {
  std::ostringstream os;
  os << tg::bfloat16(-2.5f) << ' ' << tg::bfloat16(0.1f);
  CHECK(os.str() == "-2.5 0.100098");
  CHECK(static_cast<int>(tg::bfloat16(7.9f)) == 7);
  CHECK(static_cast<long double>(tg::bfloat16(0.5f)) == 0.5L);
  tg::bfloat16 z{};
  CHECK(z.bits() == 0);
}
