#pragma once
/// \file tensor/random.hpp
/// The default random generator behind tg::rand / tg::randn, reseeded by tg::manual_seed.
///
/// One global generator, like torch's CPU default generator (not thread-local): a 64-bit
/// Mersenne Twister guarded by a mutex, seeded with torch's default seed 67280421310721. The
/// streams are NOT torch's: `manual_seed(0); rand({3})` is reproducible run to run and across
/// platforms, but differs from torch's numbers.
#include <cmath>
#include <cstdint>
#include <limits>
#include <mutex>
#include <numbers>
#include <random>

namespace typegrad {

class Generator {
 public:
  static constexpr std::uint64_t default_seed = 67280421310721ULL;

  explicit Generator(std::uint64_t seed = default_seed) : engine_(seed), seed_(seed) {}

  void manual_seed(std::uint64_t seed) {
    std::lock_guard lock(mutex_);
    engine_.seed(seed);
    seed_ = seed;
  }
  std::uint64_t initial_seed() const {
    std::lock_guard lock(mutex_);
    return seed_;
  }
  /// The mutex to hold while drawing several numbers (factories draw a whole tensor at once).
  std::mutex& mutex() noexcept { return mutex_; }

  /// A uniform number k * 2^-digits in [0, 1) with `digits` random bits (1 <= digits <= 64):
  /// 53 for double, 24 for float, 11 for half, 8 for bfloat16, so rounding to the element type
  /// can never give 1 (torch does the same). Call with `mutex()` held.
  double uniform(int digits) noexcept {
    const std::uint64_t bits = engine_() >> (64 - digits);
    return std::ldexp(static_cast<double>(bits), -digits);
  }
  /// A standard normal number (Box-Muller on two 53-bit uniforms). Call with `mutex()` held.
  double normal() noexcept {
    const double u1 = uniform(53);
    const double u2 = uniform(53);
    return std::sqrt(-2.0 * std::log1p(-u1)) * std::cos(2.0 * std::numbers::pi * u2);
  }

 private:
  mutable std::mutex mutex_;
  std::mt19937_64 engine_;
  std::uint64_t seed_;
};

/// The process-wide generator used by rand/randn/rand_like/randn_like.
inline Generator& default_generator() {
  static Generator generator;
  return generator;
}

/// Reseeds the default generator (torch.manual_seed).
inline void manual_seed(std::uint64_t seed) { default_generator().manual_seed(seed); }

}  // namespace typegrad
