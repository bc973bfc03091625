// Black-Scholes price and Greeks with the peers (see peers.hpp). Ours: blackscholes_tg.cpp.
#include <array>
#include <cstddef>
#include <string>

#include "common.hpp"
#include "formulas.hpp"
#include "hand.hpp"
#include "peers.hpp"

namespace {

namespace peers = bench::peers;
using bench::formulas::black_scholes;
using P = std::array<double, 5>;

template <class Peer> BENCH_NOINLINE double forward_grad(const P& p, P& g) {
  using T = typename Peer::T;
  return peers::forward_gradient<Peer>(
      p, g, [](const T* a) { return black_scholes(a[0], a[1], a[2], a[3], a[4], [](const T& x) { return Peer::erfc(x); }); });
}

BENCH_NOINLINE double rad_grad(const P& p, P& g) {
  using T = peers::rad::T;
  return peers::rad_gradient(
      p, g, [](const T* a) { return black_scholes(a[0], a[1], a[2], a[3], a[4], [](const T& x) { return peers::rad::erfc(x); }); });
}

BENCH_NOINLINE void adolc_grad(short tag, const P& p, P& g) { gradient(tag, 5, p.data(), g.data()); }

template <class Fn> void add_peer(const char* who, Fn fn) {
  bench::add("black-scholes", "5 inputs", who, [fn](benchmark::State& st) {
    P p{bench::bs_points[0][0], bench::bs_points[0][1], bench::bs_points[0][2], bench::bs_points[0][3], bench::bs_points[0][4]};
    P want, g{};
    bench::hand::black_scholes(p.data(), want.data());
    fn(p, g);
    if (!bench::check(st, g, want)) return;
    for (auto _ : st) {
      benchmark::DoNotOptimize(p);
      fn(p, g);
      benchmark::DoNotOptimize(g);
    }
  });
}

[[maybe_unused]] const bool registered = [] {
  add_peer("ceres-jet", [](const P& p, P& g) { forward_grad<peers::jet<5>>(p, g); });
  add_peer("eigen-autodiff", [](const P& p, P& g) { forward_grad<peers::eigen_ad<5>>(p, g); });
  add_peer("sacado-sfad", [](const P& p, P& g) { forward_grad<peers::sfad<5>>(p, g); });
  add_peer("sacado-dfad", [](const P& p, P& g) { forward_grad<peers::dfad>(p, g); });
  add_peer("sacado-rad", [](const P& p, P& g) { rad_grad(p, g); });
  const double* p0 = bench::bs_points[0];
  const short tag = peers::adolc_record(p0, 5, [](const adouble* a) {
    return adouble(black_scholes(a[0], a[1], a[2], a[3], a[4], [](const adouble& x) { return peers::adolc::erfc(x); }));
  });
  add_peer("adol-c", [tag](const P& p, P& g) { adolc_grad(tag, p, g); });
  return true;
}();

}  // namespace
