// Rosenbrock, n = 2, 4, 8, 16, with the peers (see peers.hpp). Ours: rosenbrock_tg.cpp.
#include <array>
#include <cstddef>
#include <string>

#include "common.hpp"
#include "formulas.hpp"
#include "hand.hpp"
#include "peers.hpp"

namespace {

namespace peers = bench::peers;
using bench::formulas::rosenbrock;

template <std::size_t N> std::array<double, N> point() {
  std::array<double, N> x;
  for (std::size_t i = 0; i < N; ++i) x[i] = bench::rosen_point(i);
  return x;
}

template <class P, std::size_t N> BENCH_NOINLINE double forward_grad(const std::array<double, N>& x, std::array<double, N>& g) {
  using T = typename P::T;
  std::array<T, N> ax;
  for (std::size_t i = 0; i < N; ++i) ax[i] = P::var(x[i], static_cast<int>(i), static_cast<int>(N));
  const T f = rosenbrock(ax.data(), N);
  for (std::size_t i = 0; i < N; ++i) g[i] = P::d(f, static_cast<int>(i));
  return P::value(f);
}

template <std::size_t N> BENCH_NOINLINE double rad_grad(const std::array<double, N>& x, std::array<double, N>& g) {
  using T = peers::rad::T;
  std::array<T, N> ax;
  for (std::size_t i = 0; i < N; ++i) ax[i] = x[i];
  const T f = rosenbrock(ax.data(), N);
  T::Gradcomp();
  for (std::size_t i = 0; i < N; ++i) g[i] = ax[i].adj();
  return f.val();
}

template <std::size_t N> BENCH_NOINLINE void adolc_grad(short tag, const std::array<double, N>& x, std::array<double, N>& g) {
  gradient(tag, static_cast<int>(N), x.data(), g.data());
}

template <std::size_t N> BENCH_NOINLINE void adolc_retape_grad(const std::array<double, N>& x, std::array<double, N>& g) {
  static const short tag = peers::next_tag();
  trace_on(tag);
  std::array<adouble, N> ax;
  for (std::size_t i = 0; i < N; ++i) ax[i] <<= x[i];
  adouble y = rosenbrock(ax.data(), N);
  double yv;
  y >>= yv;
  trace_off();
  gradient(tag, static_cast<int>(N), x.data(), g.data());
}

/// Registers a peer: `fn(x, g)` computes the gradient g at x.
template <std::size_t N, class Fn> void add_peer(const std::string& who, Fn fn) {
  bench::add("rosenbrock", "n=" + std::to_string(N), who, [fn](benchmark::State& st) {
    std::array<double, N> x = point<N>(), g{}, want;
    bench::hand::rosenbrock(x, want);
    fn(x, g);
    if (!bench::check(st, g, want)) return;
    for (auto _ : st) {
      benchmark::DoNotOptimize(x);
      fn(x, g);
      benchmark::DoNotOptimize(g);
    }
  });
}

template <std::size_t N> void add_all() {
  constexpr int n = static_cast<int>(N);
  add_peer<N>("ceres-jet", [](const auto& x, auto& g) { forward_grad<peers::jet<n>>(x, g); });
  add_peer<N>("eigen-autodiff", [](const auto& x, auto& g) { forward_grad<peers::eigen_ad<n>>(x, g); });
  add_peer<N>("sacado-sfad", [](const auto& x, auto& g) { forward_grad<peers::sfad<n>>(x, g); });
  add_peer<N>("sacado-dfad", [](const auto& x, auto& g) { forward_grad<peers::dfad>(x, g); });
  add_peer<N>("sacado-rad", [](const auto& x, auto& g) { rad_grad<N>(x, g); });
  const auto x = point<N>();
  const short tag = peers::adolc_record(x.data(), N, [](const adouble* ax) { return adouble(rosenbrock(ax, N)); });
  add_peer<N>("adol-c", [tag](const auto& xs, auto& g) { adolc_grad<N>(tag, xs, g); });
  add_peer<N>("adol-c-retape", [](const auto& xs, auto& g) { adolc_retape_grad<N>(xs, g); });
}

[[maybe_unused]] const bool registered = [] {
  add_all<2>();
  add_all<4>();
  add_all<8>();
  add_all<16>();
  return true;
}();

}  // namespace
