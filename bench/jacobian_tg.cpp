// The Jacobian of a 16-to-16 map (formulas::map16: a shared s = sum x_j^2 feeds every
// output): tg::jacobian (16-direction forward mode), tg::dual<double, 16> used directly on
// the templated map (as one uses Ceres' Jet), and the hand-written Jacobian.
// Peers (Jet, AutoDiffScalar, SFad): jacobian_peers.cpp.
#include <array>
#include <cstddef>
#include <tuple>
#include <utility>

#include <typegrad/static.hpp>

#include "common.hpp"
#include "formulas.hpp"
#include "hand.hpp"

namespace tg = typegrad;

namespace {

using J16 = std::array<std::array<double, 16>, 16>;
using X16 = std::array<double, 16>;

// formulas::map16, traced: 16 scalar arguments, a std::tuple of 16 outputs.
template <bool Lit> struct map16_tg {
  constexpr auto operator()(const auto&... xs) const {
    using namespace tg::literals;
    const auto x = std::tuple{xs...};
    return [&]<std::size_t... J>(std::index_sequence<J...>) {
      auto s = (... + (std::get<J>(x) * std::get<J>(x)));
      auto e = [&] {
        if constexpr (Lit) return exp(-s / 100_c);
        else return exp(-0.01 * s);
      }();
      auto one = [] {
        if constexpr (Lit) return 1_c;
        else return 1.0;
      }();
      return std::tuple{(sin(std::get<J>(x)) * std::get<(J + 1) % 16>(x) +
                         e * std::get<(J + 2) % 16>(x) / (one + std::get<(J + 3) % 16>(x) * std::get<(J + 3) % 16>(x)))...};
    }(std::make_index_sequence<16>{});
  }
};

X16 point() {
  X16 x;
  for (std::size_t i = 0; i < 16; ++i) x[i] = bench::map16_point(i);
  return x;
}

template <bool Lit> BENCH_NOINLINE J16 jac_tg(const X16& x) {
  return std::apply([](auto... v) { return tg::jacobian(map16_tg<Lit>{}, v...); }, x);
}

BENCH_NOINLINE void jac_dual(const X16& x, J16& J) {
  using D = tg::dual<double, 16>;
  std::array<D, 16> a, y;
  for (std::size_t i = 0; i < 16; ++i) a[i] = D(x[i], static_cast<int>(i));
  bench::formulas::map16(a.data(), y.data());
  for (std::size_t i = 0; i < 16; ++i) J[i] = y[i].tangents();
}

BENCH_NOINLINE void jac_hand(const X16& x, J16& J) { bench::hand::map16_jacobian(x.data(), J); }

template <class Fn> void add(const char* who, Fn fn) {
  bench::add("jacobian", "16x16", who, [fn](benchmark::State& st) {
    X16 x = point();
    J16 want, J{};
    bench::hand::map16_jacobian(x.data(), want);
    fn(x, J);
    for (std::size_t i = 0; i < 16; ++i)
      if (!bench::check(st, J[i], want[i])) return;
    for (auto _ : st) {
      benchmark::DoNotOptimize(x);
      fn(x, J);
      benchmark::DoNotOptimize(J);
    }
  });
}

[[maybe_unused]] const bool registered = [] {
  add("hand", jac_hand);
  add("typegrad", [](const X16& x, J16& J) { J = jac_tg<false>(x); });
  add("typegrad-literals", [](const X16& x, J16& J) { J = jac_tg<true>(x); });
  add("typegrad-dual", jac_dual);
  return true;
}();

}  // namespace
