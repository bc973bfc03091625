// tg::half: exhaustive round trip, exact widening, round-to-nearest-even narrowing checked
// against an independent nearest-neighbour search (and against F16C's _cvtss_sh/_cvtsh_ss when
// built with -mf16c or -march=native), arithmetic against exact double references, limits,
// and constexpr use.
#include <typegrad/scalar/half.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <sstream>
#include <vector>

#ifdef __F16C__
#include <immintrin.h>
#endif

namespace tg = typegrad;

namespace {

constexpr std::uint16_t bits_of(float f) { return tg::half(f).bits(); }
constexpr std::uint16_t bits_of(double d) { return tg::half(d).bits(); }

bool is_nan_bits(std::uint16_t b) { return (b & 0x7fffu) > 0x7c00u; }

/// The value of a half encoding from the definition of binary16, in double.
double decode(std::uint16_t b) {
  const int e = (b >> 10) & 0x1f;
  const int m = b & 0x3ff;
  const double s = (b & 0x8000) ? -1.0 : 1.0;
  if (e == 31) return m ? std::numeric_limits<double>::quiet_NaN() : s * HUGE_VAL;
  if (e == 0) return s * std::ldexp(m, -24);
  return s * std::ldexp(1024 + m, e - 25);
}

/// Reference rounding by search: the two halves around |x| among all finite non-negative
/// halves, the nearer one, ties to the even encoding; past 65504 the next step up is 65536
/// (which rounds to infinity). Written without any bit tricks on purpose.
template <class Real> std::uint16_t reference_round(Real x) {
  static const std::vector<double> grid = [] {
    std::vector<double> g;
    for (std::uint32_t b = 0; b <= 0x7bff; ++b) g.push_back(decode(static_cast<std::uint16_t>(b)));
    g.push_back(65536.0);  // stands for infinity, encoding 0x7c00 (even)
    return g;
  }();
  const std::uint16_t sign = std::signbit(x) ? 0x8000 : 0;
  const Real a = std::fabs(x);
  if (std::isinf(a)) return sign | 0x7c00;
  const auto hi_it = std::lower_bound(grid.begin(), grid.end(), static_cast<long double>(a),
                                      [](double g, long double v) { return g < v; });
  if (hi_it == grid.end()) return sign | 0x7c00;
  const auto hi = static_cast<std::uint16_t>(hi_it - grid.begin());
  if (static_cast<long double>(*hi_it) == static_cast<long double>(a)) return sign | hi;
  const auto lo = static_cast<std::uint16_t>(hi - 1);
  const long double dlo = static_cast<long double>(a) - grid[lo];
  const long double dhi = grid[hi] - static_cast<long double>(a);
  if (dlo < dhi) return sign | lo;
  if (dhi < dlo) return sign | hi;
  return sign | ((lo & 1) ? hi : lo);
}

float random_float(std::mt19937_64& rng) {
  // Half of the draws are arbitrary bit patterns, half land in or near half's range.
  if (rng() & 1) return std::bit_cast<float>(static_cast<std::uint32_t>(rng()));
  std::uniform_int_distribution<int> e(-28, 17);
  std::uniform_real_distribution<float> m(1.0f, 2.0f);
  return std::ldexp(m(rng), e(rng)) * ((rng() & 1) ? -1.0f : 1.0f);
}

}  // namespace

// --- constexpr -------------------------------------------------------------------------------

static_assert(float(tg::half(1.5f)) == 1.5f);
static_assert(static_cast<double>(tg::half(-2.75)) == -2.75);
static_assert(bits_of(1.0f) == 0x3c00 && bits_of(-2.0f) == 0xc000 && bits_of(65504.0f) == 0x7bff);
static_assert(bits_of(1.0f + 0x1p-11f) == 0x3c00);      // tie, to even: down
static_assert(bits_of(1.0f + 3 * 0x1p-11f) == 0x3c02);  // tie, to even: up
static_assert(bits_of(65520.0f) == 0x7c00);             // halfway past max: to infinity
static_assert(bits_of(0x1p-25f) == 0x0000 && bits_of(0x1.000002p-25f) == 0x0001);
static_assert(bits_of(-0.0f) == 0x8000);
static_assert(bits_of(1.0 + 0x1p-11 + 0x1p-40) == 0x3c01);  // from double: no double rounding
static_assert(tg::half(3).bits() == 0x4200 && tg::half(2049).bits() == 0x6800);
static_assert(float(tg::half(1.5f) * tg::half(2) + 1) == 4.0f);
static_assert(float(-tg::half(0.25f)) == -0.25f);
static_assert(tg::half(1) < tg::half(2) && tg::half(0.0f) == tg::half(-0.0f));
static_assert(!(std::numeric_limits<tg::half>::quiet_NaN() == std::numeric_limits<tg::half>::quiet_NaN()));
static_assert([] {
  tg::half h = 1;
  h += 2;
  h *= tg::half(0.5f);
  h -= 0.25;
  h /= 2;
  return float(h) == 0.625f;
}());

// --- tests -----------------------------------------------------------------------------------

TEST_CASE("half: every encoding widens exactly and narrows back to itself", "[half]") {
  for (std::uint32_t i = 0; i <= 0xffff; ++i) {
    const auto b = static_cast<std::uint16_t>(i);
    const tg::half h = tg::half::from_bits(b);
    const float f = static_cast<float>(h);
    const double ref = decode(b);
    if (is_nan_bits(b)) {
      REQUIRE(std::isnan(f));
      REQUIRE(std::signbit(f) == ((b & 0x8000) != 0));
      // Quiet NaN out, top payload bits kept; the round trip only sets the quiet bit.
      REQUIRE(tg::half(f).bits() == (b | 0x0200));
      REQUIRE(tg::half(static_cast<double>(h)).bits() == (b | 0x0200));
    } else {
      REQUIRE(static_cast<double>(f) == ref);
      REQUIRE(std::signbit(f) == ((b & 0x8000) != 0));
      REQUIRE(static_cast<double>(h) == ref);
      REQUIRE(tg::half(f).bits() == b);
      REQUIRE(tg::half(ref).bits() == b);
      REQUIRE(tg::half(static_cast<long double>(ref)).bits() == b);
    }
  }
}

TEST_CASE("half: round to nearest, ties to even, on hand-picked values", "[half]") {
  CHECK(bits_of(1.0f + 0x1p-11f) == 0x3c00);               // 1 + half ulp -> 1
  CHECK(bits_of(1.0f + 3 * 0x1p-11f) == 0x3c02);           // 1 + 3 half ulps -> 1 + 2 ulps
  CHECK(bits_of(1.0f + 0x1p-11f + 0x1p-23f) == 0x3c01);    // just above the tie -> up
  CHECK(bits_of(1.0f + 0x1p-11f - 0x1p-24f) == 0x3c00);    // just below the tie -> down
  CHECK(bits_of(2048.0f + 1.0f) == 0x6800);                // 2049 -> 2048
  CHECK(bits_of(2048.0f + 3.0f) == 0x6802);                // 2051 -> 2052
  CHECK(bits_of(-(1.0f + 3 * 0x1p-11f)) == 0xbc02);
  CHECK(bits_of(2.0f - 0x1p-11f) == 0x4000);               // tie at a binade edge: carries up
  CHECK(bits_of(0.1f) == 0x2e66);
  CHECK(bits_of(3.14159265f) == 0x4248);
}

TEST_CASE("half: subnormals, underflow, overflow, specials", "[half]") {
  CHECK(bits_of(0x1p-24f) == 0x0001);                      // denorm_min
  CHECK(bits_of(0x1p-25f) == 0x0000);                      // half of denorm_min: tie to 0
  CHECK(bits_of(-0x1p-25f) == 0x8000);                     // ... keeping the sign
  CHECK(bits_of(0x1.8p-25f) == 0x0001);                    // above the tie
  CHECK(bits_of(3 * 0x1p-25f) == 0x0002);                  // 1.5 denorm_min -> 2 (even)
  CHECK(bits_of(5 * 0x1p-25f) == 0x0002);                  // 2.5 denorm_min -> 2 (even)
  CHECK(bits_of(0x1p-14f) == 0x0400);                      // min normal
  CHECK(bits_of(0x1p-14f - 0x1p-25f) == 0x0400);           // tie below min normal rounds up to it
  CHECK(bits_of(0x3ffp-24f) == 0x03ff);                    // max subnormal
  CHECK(bits_of(1e-30f) == 0x0000);
  CHECK(bits_of(std::numeric_limits<float>::denorm_min()) == 0x0000);
  CHECK(bits_of(-std::numeric_limits<float>::denorm_min()) == 0x8000);
  CHECK(bits_of(65504.0f) == 0x7bff);
  CHECK(bits_of(65519.99f) == 0x7bff);
  CHECK(bits_of(65520.0f) == 0x7c00);
  CHECK(bits_of(-65520.0f) == 0xfc00);
  CHECK(bits_of(1e10f) == 0x7c00);
  CHECK(bits_of(std::numeric_limits<float>::max()) == 0x7c00);
  CHECK(bits_of(std::numeric_limits<float>::infinity()) == 0x7c00);
  CHECK(bits_of(-std::numeric_limits<float>::infinity()) == 0xfc00);
  CHECK(bits_of(1e300) == 0x7c00);
  CHECK(bits_of(1e-300) == 0x0000);
  CHECK(bits_of(std::numeric_limits<double>::denorm_min()) == 0x0000);
  const tg::half qnan = std::numeric_limits<float>::quiet_NaN();
  CHECK(is_nan_bits(qnan.bits()));
  CHECK((qnan.bits() & 0x0200) != 0);
  const tg::half snan = std::numeric_limits<float>::signaling_NaN();
  CHECK(is_nan_bits(snan.bits()));
  CHECK((snan.bits() & 0x0200) != 0);  // quieted
  const tg::half dnan = -std::numeric_limits<double>::quiet_NaN();
  CHECK(is_nan_bits(dnan.bits()));
  CHECK((dnan.bits() & 0x8000) != 0);
  // A NaN whose payload sits below half's mantissa still comes out a NaN, never infinity.
  CHECK(is_nan_bits(tg::half(std::bit_cast<float>(0x7f800001u)).bits()));
  CHECK(is_nan_bits(tg::half(std::bit_cast<double>(0x7ff0000000000001ull)).bits()));
  CHECK(std::isnan(static_cast<float>(std::numeric_limits<tg::half>::signaling_NaN())));
}

TEST_CASE("half: narrowing from float matches an independent nearest search", "[half]") {
  std::mt19937_64 rng(20240611);
  for (int i = 0; i < 200000; ++i) {
    const float x = random_float(rng);
    if (std::isnan(x)) continue;
    INFO("x = " << x << " bits " << std::bit_cast<std::uint32_t>(x));
    REQUIRE(tg::half(x).bits() == reference_round(x));
  }
  // Every tie and every neighbour of a tie in half's range.
  for (std::uint32_t b = 0; b < 0x7c00; ++b) {
    const float mid = static_cast<float>((decode(static_cast<std::uint16_t>(b)) +
                                          decode(static_cast<std::uint16_t>(b + 1))) / 2);
    for (float x : {mid, std::nextafter(mid, 0.0f), std::nextafter(mid, 1e30f)}) {
      REQUIRE(tg::half(x).bits() == reference_round(x));
      REQUIRE(tg::half(-x).bits() == reference_round(-x));
    }
  }
}

TEST_CASE("half: narrowing from double and long double rounds once", "[half]") {
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<int> e(-27, 17);
  std::uniform_real_distribution<double> m(1.0, 2.0);
  for (int i = 0; i < 100000; ++i) {
    const double x = std::ldexp(m(rng), e(rng)) * ((rng() & 1) ? -1.0 : 1.0);
    REQUIRE(tg::half(x).bits() == reference_round(x));
  }
  // A tie plus a tail below float's precision: going through float would round it down.
  for (std::uint32_t b = 0; b < 0x7c00; b += 7) {
    const double lo = decode(static_cast<std::uint16_t>(b));
    const double mid = (lo + decode(static_cast<std::uint16_t>(b + 1))) / 2;
    const double tail = std::ldexp(mid, -40);
    for (double x : {mid, mid + tail, mid - tail}) REQUIRE(tg::half(x).bits() == reference_round(x));
    const long double ltail = std::ldexp(static_cast<long double>(mid), -60);
    for (long double x : {static_cast<long double>(mid), mid + ltail, mid - ltail}) {
      if (std::numeric_limits<long double>::digits > 53 || x == static_cast<long double>(mid))
        REQUIRE(tg::half(x).bits() == reference_round(x));
    }
  }
  CHECK(tg::half(1.0 + 0x1p-11 + 0x1p-40).bits() == 0x3c01);
  CHECK(tg::half(1.0 + 0x1p-11).bits() == 0x3c00);
  if constexpr (std::numeric_limits<long double>::digits > 53) {
    CHECK(tg::half(1.0L + 0x1p-11L + 0x1p-60L).bits() == 0x3c01);
    CHECK(tg::half(1.0L + 0x1p-11L - 0x1p-60L).bits() == 0x3c00);
    CHECK(tg::half(-0x1p-25L - 0x1p-70L).bits() == 0x8001);
  }
  CHECK(tg::half(std::numeric_limits<long double>::infinity()).bits() == 0x7c00);
  CHECK(tg::half(std::numeric_limits<long double>::max()).bits() == 0x7c00);
  CHECK(tg::half(-0.0L).bits() == 0x8000);
  CHECK(is_nan_bits(tg::half(std::numeric_limits<long double>::quiet_NaN()).bits()));
}

TEST_CASE("half: from integers, rounded exactly", "[half]") {
  CHECK(tg::half(0).bits() == 0x0000);
  CHECK(tg::half(1).bits() == 0x3c00);
  CHECK(tg::half(-1).bits() == 0xbc00);
  CHECK(tg::half(true).bits() == 0x3c00);
  CHECK(tg::half(static_cast<unsigned char>(255)).bits() == 0x5bf8);
  CHECK(tg::half(2049).bits() == 0x6800);
  CHECK(tg::half(2051).bits() == 0x6802);
  CHECK(tg::half(65504).bits() == 0x7bff);
  CHECK(tg::half(65519).bits() == 0x7bff);
  CHECK(tg::half(65520).bits() == 0x7c00);
  CHECK(tg::half(-65520L).bits() == 0xfc00);
  CHECK(tg::half(std::numeric_limits<long long>::min()).bits() == 0xfc00);
  CHECK(tg::half(std::numeric_limits<unsigned long long>::max()).bits() == 0x7c00);
  for (int i = -70000; i <= 70000; i += 3)
    REQUIRE(tg::half(i).bits() == reference_round(static_cast<double>(i)));
}

TEST_CASE("half: arithmetic is correctly rounded", "[half]") {
  // Exact in double for + - * (11-bit significands, exponents within 2^-24..2^16), and a
  // double quotient rounded to half is still correctly rounded (53 >= 2 * 11 + 2).
  std::mt19937_64 rng(42);
  int checked = 0;
  for (int i = 0; i < 300000; ++i) {
    const auto a = tg::half::from_bits(static_cast<std::uint16_t>(rng()));
    const auto b = tg::half::from_bits(static_cast<std::uint16_t>(rng()));
    if (is_nan_bits(a.bits()) || is_nan_bits(b.bits())) {
      REQUIRE(is_nan_bits((a + b).bits()));
      REQUIRE(!(a == b));
      REQUIRE(a != b);
      REQUIRE(!(a < b));
      REQUIRE(!(a >= b));
      continue;
    }
    const double x = static_cast<double>(a), y = static_cast<double>(b);
    const auto same = [](tg::half got, double want) {
      const tg::half w(want);
      return got.bits() == w.bits() || (is_nan_bits(got.bits()) && is_nan_bits(w.bits()));
    };
    REQUIRE(same(a + b, x + y));
    REQUIRE(same(a - b, x - y));
    REQUIRE(same(a * b, x * y));
    REQUIRE(same(a / b, x / y));
    REQUIRE((a == b) == (x == y));
    REQUIRE((a < b) == (x < y));
    REQUIRE((a <= b) == (x <= y));
    REQUIRE((a > b) == (x > y));
    REQUIRE((a >= b) == (x >= y));
    REQUIRE((-a).bits() == (a.bits() ^ 0x8000));
    ++checked;
  }
  CHECK(checked > 270000);  // about 6% of random pairs hold a NaN
  CHECK(tg::half(0.0f) == tg::half(-0.0f));
  CHECK((tg::half(1) <=> tg::half(2)) == std::partial_ordering::less);
  CHECK((std::numeric_limits<tg::half>::quiet_NaN() <=> tg::half(0)) == std::partial_ordering::unordered);
  // Mixed operands convert to half first.
  tg::half h = 3;
  CHECK(float(h * 2.5) == 7.5f);
  CHECK(float(1 + h) == 4.0f);
  CHECK(h == 3.0);
  CHECK(h > 2);
  CHECK(float(tg::half(60000) + tg::half(60000)) == HUGE_VALF);
}

TEST_CASE("half: numeric_limits", "[half]") {
  using L = std::numeric_limits<tg::half>;
  STATIC_REQUIRE(L::is_specialized);
  STATIC_REQUIRE(L::is_iec559);
  STATIC_REQUIRE(L::digits == 11);
  STATIC_REQUIRE(L::radix == 2);
  STATIC_REQUIRE(L::has_infinity && L::has_quiet_NaN && L::has_signaling_NaN);
  STATIC_REQUIRE(L::has_denorm == std::denorm_present);
  STATIC_REQUIRE(float(L::max()) == 65504.0f);
  STATIC_REQUIRE(float(L::lowest()) == -65504.0f);
  STATIC_REQUIRE(float(L::min()) == 0x1p-14f);
  STATIC_REQUIRE(float(L::denorm_min()) == 0x1p-24f);
  STATIC_REQUIRE(float(L::epsilon()) == 0x1p-10f);
  STATIC_REQUIRE(float(L::round_error()) == 0.5f);
  STATIC_REQUIRE(float(L::infinity()) == HUGE_VALF);
  STATIC_REQUIRE(std::numeric_limits<const tg::half>::digits == 11);
  // The exponent limits say what they claim: 2^(min_exponent - 1) is the smallest normal,
  // 2^(max_exponent - 1) is finite and 2^max_exponent is not, and the decimal ones likewise.
  CHECK(float(L::min()) == std::ldexp(1.0f, L::min_exponent - 1));
  CHECK(std::isfinite(float(tg::half(std::ldexp(1.0f, L::max_exponent - 1)))));
  CHECK(std::isinf(float(tg::half(std::ldexp(1.0f, L::max_exponent)))));
  CHECK(float(L::epsilon()) == float(tg::half::from_bits(0x3c01)) - 1.0f);
  CHECK(std::pow(10.0f, static_cast<float>(L::min_exponent10)) >= float(L::min()));
  CHECK(std::pow(10.0f, static_cast<float>(L::min_exponent10 - 1)) < float(L::min()));
  CHECK(std::pow(10.0f, static_cast<float>(L::max_exponent10)) <= float(L::max()));
  CHECK(std::pow(10.0f, static_cast<float>(L::max_exponent10 + 1)) > float(L::max()));
  CHECK(L::digits10 == static_cast<int>(std::floor((L::digits - 1) * std::log10(2.0))));
  CHECK(L::max_digits10 == static_cast<int>(std::ceil(L::digits * std::log10(2.0) + 1)));
  CHECK(std::isnan(float(L::quiet_NaN())));
  CHECK((L::quiet_NaN().bits() & 0x0200) != 0);
  CHECK((L::signaling_NaN().bits() & 0x0200) == 0);
  CHECK(std::isnan(float(L::signaling_NaN())));
}

TEST_CASE("half: conversions out and printing", "[half]") {
  const tg::half h = -2.5f;
  CHECK(static_cast<int>(h) == -2);
  CHECK(static_cast<long double>(h) == -2.5L);
  CHECK(static_cast<bool>(h));
  CHECK(!static_cast<bool>(tg::half(0)));
  std::ostringstream os;
  os << h << ' ' << tg::half(65504) << ' ' << std::numeric_limits<tg::half>::infinity();
  CHECK(os.str() == "-2.5 65504 inf");
  tg::half z{};
  CHECK(z.bits() == 0);
}

#ifdef __F16C__
TEST_CASE("half: agrees with the F16C hardware conversion", "[half][f16c]") {
  for (std::uint32_t i = 0; i <= 0xffff; ++i) {
    const auto b = static_cast<std::uint16_t>(i);
    const float hw = _mm_cvtss_f32(_mm_cvtph_ps(_mm_cvtsi32_si128(b)));
    REQUIRE(std::bit_cast<std::uint32_t>(static_cast<float>(tg::half::from_bits(b))) ==
            std::bit_cast<std::uint32_t>(hw));
  }
  std::mt19937_64 rng(99);
  for (int i = 0; i < 2000000; ++i) {
    const float x = random_float(rng);
    // _cvtss_sh spelled with vector intrinsics: clang's macro is a compound literal (-Wpedantic).
    const auto hw = static_cast<std::uint16_t>(
        _mm_cvtsi128_si32(_mm_cvtps_ph(_mm_set_ss(x), _MM_FROUND_TO_NEAREST_INT)) & 0xffff);
    INFO("x bits " << std::bit_cast<std::uint32_t>(x));
    REQUIRE(tg::half(x).bits() == hw);  // NaNs included: same quieting and payload rule
  }
}
#endif
