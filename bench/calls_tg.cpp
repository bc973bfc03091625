// Independent calls of costly functions: sum over i of sin(x_i) exp(x_{i+1}) over 8 scalar
// arguments (8 sin and 8 exp calls, none reading another). typegrad computes each policy's
// calls together in xsimd batches (reverse/simd_groups.hpp); the hand-written gradient calls
// <cmath> once per sin, cos and exp. Peers: calls_peers.cpp.
#include <array>
#include <cstddef>
#include <tuple>
#include <utility>

#include <typegrad/static.hpp>

#include "common.hpp"
#include "hand.hpp"

namespace tg = typegrad;

namespace {

using X = std::array<double, 8>;

struct sin_exp8_tg {
  template <class... A> constexpr auto operator()(const A&... a) const {
    const auto x = std::tuple{a...};
    return [&]<std::size_t... I>(std::index_sequence<I...>) {
      return (... + (sin(std::get<I>(x)) * exp(std::get<(I + 1) % 8>(x))));
    }(std::make_index_sequence<8>{});
  }
};

BENCH_NOINLINE X grad_tg(const X& x) {
  return std::apply([](auto... v) { return tg::grad(sin_exp8_tg{}, v...); }, x);
}
BENCH_NOINLINE double grad_hand(const X& x, X& g) { return bench::hand::sin_exp8(x.data(), g.data()); }

template <class Fn> void add(const char* who, Fn fn) {
  X x, want;
  for (std::size_t i = 0; i < 8; ++i) x[i] = bench::map16_point(i);
  bench::hand::sin_exp8(x.data(), want.data());
  bench::add_gradient("sin-exp", "8 inputs", who, x, want, fn);
}

[[maybe_unused]] const bool registered = [] {
  add("hand", [](const X& x, X& g) { grad_hand(x, g); });
  add("typegrad", [](const X& x, X& g) { g = grad_tg(x); });
  return true;
}();

}  // namespace
