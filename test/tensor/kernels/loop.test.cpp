// The elementwise loop's lane conversions: contiguous half operands loaded and stored a batch at
// a time (with F16C and AVX: one instruction each way) convert exactly as one half does
// (half.hpp), for every half and for floats of every kind (normal, subnormal in half, overflowing,
// NaN), so contiguous and strided layouts keep giving bit-identical results.
#include <catch2/catch.hpp>

#include <cstdint>
#include <cstring>
#include <random>
#include <vector>

#include <typegrad/tensor/kernels/loop.hpp>

namespace {
namespace kd = typegrad::kernels::detail;
using typegrad::half;
using float_lanes = xsimd::batch<float>;
constexpr auto lanes_per_batch = static_cast<std::int64_t>(float_lanes::size);

std::uint32_t float_bits(float f) {
  std::uint32_t b = 0;
  std::memcpy(&b, &f, sizeof b);
  return b;
}
}  // namespace

TEST_CASE("loop: contiguous half lanes load every half exactly", "[kernels][loop][half]") {
  INFO("F16C batch conversions: " << (kd::f16c_lanes<float_lanes> ? "on" : "off"));
  std::vector<half> all(65536);
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = half::from_bits(static_cast<std::uint16_t>(i));
  std::int64_t mismatches = 0;
  for (std::int64_t i = 0; i + lanes_per_batch <= 65536; i += lanes_per_batch) {
    const auto b = kd::load_lanes<float_lanes>(kd::strided<const half>{all.data(), 1}, i, lanes_per_batch);
    alignas(64) float got[float_lanes::size];
    b.store_aligned(got);
    for (std::int64_t l = 0; l < lanes_per_batch; ++l) {
      if (float_bits(got[l]) != float_bits(static_cast<float>(all[static_cast<std::size_t>(i + l)]))) ++mismatches;
    }
  }
  CHECK(mismatches == 0);
}

TEST_CASE("loop: contiguous half lanes store floats rounded as one half is", "[kernels][loop][half]") {
  std::mt19937 rng(7);
  std::vector<float> floats(1 << 18);
  for (std::size_t k = 0; k < floats.size(); ++k) {
    std::uint32_t bits = static_cast<std::uint32_t>(rng());
    // every fourth near half's range (exponents of half's normals, subnormals and overflow)
    if (k % 4 == 1) bits = (bits & 0x80000000u) | (0x30000000u + bits % 0x18000000u);
    std::memcpy(&floats[k], &bits, sizeof bits);
  }
  floats[0] = 65520.0f;   // rounds to infinity
  floats[1] = 65519.0f;   // rounds to 65504
  floats[2] = 2.98e-8f;   // half's smallest subnormal, about
  std::vector<half> out(static_cast<std::size_t>(lanes_per_batch));
  std::int64_t mismatches = 0;
  for (std::size_t k = 0; k + static_cast<std::size_t>(lanes_per_batch) <= floats.size(); k += float_lanes::size) {
    kd::store_lanes(kd::strided<half>{out.data(), 1}, 0, lanes_per_batch, float_lanes::load_unaligned(floats.data() + k));
    for (std::size_t l = 0; l < out.size(); ++l) {
      if (out[l].bits() != half(floats[k + l]).bits()) ++mismatches;
    }
  }
  CHECK(mismatches == 0);
}
