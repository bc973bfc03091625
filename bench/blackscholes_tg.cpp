// Black-Scholes call price and its Greeks (the gradient wrt S, K, r, sigma, T): a scalar
// formula with shared subexpressions (d1 is used by N(d1) and, through d2, by N(d2)).
// typegrad (double constants, as a user writes it; and with compile-time literals), the
// hand-written adjoint, the closed-form Greeks, and the 4-point batch against 4 scalar calls.
// Peers: blackscholes_peers.cpp.
#include <array>
#include <cstddef>

#include <typegrad/static.hpp>
#include <xsimd/xsimd.hpp>

#include "common.hpp"
#include "hand.hpp"

namespace tg = typegrad;

namespace {

using bench::formulas::inv_sqrt2;

// The operations of formulas::black_scholes, traced.
struct bs_tg {
  constexpr auto operator()(const auto& S, const auto& K, const auto& r, const auto& sigma, const auto& t) const {
    auto sqt = sqrt(t);
    auto sst = sigma * sqt;
    auto d1 = (log(S / K) + (r + 0.5 * (sigma * sigma)) * t) / sst;
    auto d2 = d1 - sst;
    auto n1 = 0.5 * erfc(-d1 * inv_sqrt2);
    auto n2 = 0.5 * erfc(-d2 * inv_sqrt2);
    return S * n1 - K * exp(-r * t) * n2;
  }
};
// The same with compile-time literals: 0.5 -> 1_c/2_c, * inv_sqrt2 -> / sqrt(2_c). Every
// subtree is then canonical (identified by its type), so d1 is evaluated once.
struct bs_tg_lit {
  constexpr auto operator()(const auto& S, const auto& K, const auto& r, const auto& sigma, const auto& t) const {
    using namespace tg::literals;
    auto sqt = sqrt(t);
    auto sst = sigma * sqt;
    auto d1 = (log(S / K) + (r + (sigma * sigma) / 2_c) * t) / sst;
    auto d2 = d1 - sst;
    auto n1 = erfc(-d1 / sqrt(2_c)) / 2_c;
    auto n2 = erfc(-d2 / sqrt(2_c)) / 2_c;
    return S * n1 - K * exp(-r * t) * n2;
  }
};

using P = std::array<double, 5>;
P point(std::size_t j) { return {bench::bs_points[j][0], bench::bs_points[j][1], bench::bs_points[j][2], bench::bs_points[j][3], bench::bs_points[j][4]}; }

template <class F> BENCH_NOINLINE P grad_tg(const P& p) {
  return tg::grad(F{}, p[0], p[1], p[2], p[3], p[4]);
}
BENCH_NOINLINE double grad_hand(const P& p, P& g) { return bench::hand::black_scholes(p.data(), g.data()); }
BENCH_NOINLINE double grad_analytic(const P& p, P& g) { return bench::hand::black_scholes_analytic(p.data(), g.data()); }

template <class Fn> void add_ours(const char* who, Fn fn) {
  bench::add("black-scholes", "5 inputs", who, [fn](benchmark::State& st) {
    P p = point(0), want, g{};
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

using B = xsimd::batch<double>;
using PB = std::array<B, 5>;
BENCH_NOINLINE PB grad_batch(const PB& p) { return tg::grad(bs_tg{}, p[0], p[1], p[2], p[3], p[4]); }

[[maybe_unused]] const bool registered = [] {
  add_ours("hand", [](const P& p, P& g) { benchmark::DoNotOptimize(grad_hand(p, g)); });
  add_ours("hand-closed-form", [](const P& p, P& g) { benchmark::DoNotOptimize(grad_analytic(p, g)); });
  add_ours("typegrad", [](const P& p, P& g) { g = grad_tg<bs_tg>(p); });
  add_ours("typegrad-literals", [](const P& p, P& g) { g = grad_tg<bs_tg_lit>(p); });

  bench::add("batch4", "black-scholes", "typegrad-batch", [](benchmark::State& st) {
    PB p;
    for (std::size_t i = 0; i < 5; ++i) {
      alignas(64) double lanes[B::size];
      for (std::size_t l = 0; l < B::size; ++l) lanes[l] = bench::bs_points[l % 4][i];
      p[i] = B::load_aligned(lanes);
    }
    const PB g = grad_batch(p);
    for (std::size_t l = 0; l < B::size; ++l) {
      P want, got;
      bench::hand::black_scholes(point(l % 4).data(), want.data());
      for (std::size_t i = 0; i < 5; ++i) got[i] = g[i].get(l);
      if (!bench::check(st, got, want)) return;
    }
    st.counters["lanes"] = static_cast<double>(B::size);
    for (auto _ : st) {
      benchmark::DoNotOptimize(p);
      auto r = grad_batch(p);
      benchmark::DoNotOptimize(r);
    }
  });
  bench::add("batch4", "black-scholes", "typegrad-scalar-calls", [](benchmark::State& st) {
    std::array<P, B::size> p;
    for (std::size_t l = 0; l < B::size; ++l) p[l] = point(l % 4);
    for (auto _ : st) {
      benchmark::DoNotOptimize(p);
      for (std::size_t l = 0; l < B::size; ++l) {
        auto g = grad_tg<bs_tg>(p[l]);
        benchmark::DoNotOptimize(g);
      }
    }
  });
  bench::add("batch4", "black-scholes", "hand-scalar-calls", [](benchmark::State& st) {
    std::array<P, B::size> p;
    for (std::size_t l = 0; l < B::size; ++l) p[l] = point(l % 4);
    P g;
    for (auto _ : st) {
      benchmark::DoNotOptimize(p);
      for (std::size_t l = 0; l < B::size; ++l) {
        benchmark::DoNotOptimize(grad_hand(p[l], g));
        benchmark::DoNotOptimize(g);
      }
    }
  });
  return true;
}();

}  // namespace
