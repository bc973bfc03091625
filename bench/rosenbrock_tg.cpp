// Rosenbrock, n = 2, 4, 8, 16: typegrad (n scalar arguments; one std::array argument with
// compile-time indices; both also with compile-time literals), the hand-written gradient, and
// the 4-point batch<double> gradient against 4 scalar calls. Peers: rosenbrock_peers.cpp.
#include <array>
#include <cstddef>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

#include <typegrad/static.hpp>
#include <xsimd/xsimd.hpp>

#include "common.hpp"
#include "hand.hpp"

namespace tg = typegrad;

namespace {

// The operations of formulas::rosenbrock, traced: d = x_{i+1} - x_i^2, e = 1 - x_i,
// 100 d^2 + e^2, summed. With `double` constants, as a user writes it.
template <class A, class B> constexpr auto term(const A& xi, const B& xn) {
  auto d = xn - xi * xi;
  auto e = 1.0 - xi;
  return 100.0 * (d * d) + e * e;
}
// The same with compile-time literals (tg::literals): every subtree stays canonical.
template <class A, class B> constexpr auto term_lit(const A& xi, const B& xn) {
  using namespace tg::literals;
  auto d = xn - xi * xi;
  auto e = 1_c - xi;
  return 100_c * (d * d) + e * e;
}

template <std::size_t N, bool Lit> struct rosen_pack {
  template <class... X> constexpr auto operator()(const X&... x) const {
    const auto t = std::tuple{x...};
    return [&]<std::size_t... I>(std::index_sequence<I...>) {
      if constexpr (Lit) return (term_lit(std::get<I>(t), std::get<I + 1>(t)) + ...);
      else return (term(std::get<I>(t), std::get<I + 1>(t)) + ...);
    }(std::make_index_sequence<N - 1>{});
  }
};

template <std::size_t I> using ic = std::integral_constant<std::size_t, I>;

template <std::size_t N, bool Lit> struct rosen_array {
  template <class X> constexpr auto operator()(const X& x) const {
    return [&]<std::size_t... I>(std::index_sequence<I...>) {
      if constexpr (Lit) return (term_lit(x[ic<I>{}], x[ic<I + 1>{}]) + ...);
      else return (term(x[ic<I>{}], x[ic<I + 1>{}]) + ...);
    }(std::make_index_sequence<N - 1>{});
  }
};

template <std::size_t N> std::array<double, N> point(std::size_t lane = 0) {
  std::array<double, N> x;
  for (std::size_t i = 0; i < N; ++i) x[i] = bench::rosen_point(i) + 0.1 * static_cast<double>(lane);
  return x;
}

// Every contestant is one out-of-line call (see common.hpp: BENCH_NOINLINE).
template <std::size_t N, bool Lit> BENCH_NOINLINE std::array<double, N> grad_pack(const std::array<double, N>& x) {
  return std::apply([](auto... v) { return tg::grad(rosen_pack<N, Lit>{}, v...); }, x);
}
template <std::size_t N, bool Lit> BENCH_NOINLINE std::array<double, N> grad_array(const std::array<double, N>& x) {
  return std::get<0>(tg::grad(rosen_array<N, Lit>{}, x));
}
template <std::size_t N> BENCH_NOINLINE double grad_hand(const std::array<double, N>& x, std::array<double, N>& g) {
  return bench::hand::rosenbrock(x, g);
}

template <std::size_t N, class Grad> void add_tg(const std::string& who, Grad grad) {
  bench::add("rosenbrock", "n=" + std::to_string(N), who, [grad](benchmark::State& st) {
    std::array<double, N> x = point<N>(), want;
    bench::hand::rosenbrock(x, want);
    if (!bench::check(st, grad(x), want)) return;
    for (auto _ : st) {
      benchmark::DoNotOptimize(x);
      auto g = grad(x);
      benchmark::DoNotOptimize(g);
    }
  });
}

template <std::size_t N> void add_rosenbrock() {
  bench::add("rosenbrock", "n=" + std::to_string(N), "hand", [](benchmark::State& st) {
    std::array<double, N> x = point<N>(), g;
    for (auto _ : st) {
      benchmark::DoNotOptimize(x);
      double f = grad_hand(x, g);
      benchmark::DoNotOptimize(f);
      benchmark::DoNotOptimize(g);
    }
  });
  // Stateless lambdas (not function pointers), so that the call inlines into the loop.
  add_tg<N>("typegrad", [](const std::array<double, N>& x) { return grad_pack<N, false>(x); });
  add_tg<N>("typegrad-array", [](const std::array<double, N>& x) { return grad_array<N, false>(x); });
  add_tg<N>("typegrad-literals", [](const std::array<double, N>& x) { return grad_pack<N, true>(x); });
  add_tg<N>("typegrad-array-literals", [](const std::array<double, N>& x) { return grad_array<N, true>(x); });
  // tg::grad written straight into the benchmark loop (no out-of-line wrapper), as a user
  // might: shows how much typegrad's speed depends on gcc's inlining decisions.
  add_tg<N>("typegrad-inlined", [](const std::array<double, N>& x) {
    return std::apply([](auto... v) { return tg::grad(rosen_pack<N, false>{}, v...); }, x);
  });
}

// ---- 4 points: batch<double> vs 4 scalar calls -------------------------------------------
using B = xsimd::batch<double>;

template <std::size_t N> BENCH_NOINLINE std::array<B, N> grad_batch(const std::array<B, N>& x) {
  return std::apply([](auto... v) { return tg::grad(rosen_pack<N, false>{}, v...); }, x);
}

template <std::size_t N> void add_batch() {
  const std::string size = "rosenbrock n=" + std::to_string(N);
  bench::add("batch4", size, "typegrad-batch", [](benchmark::State& st) {
    std::array<B, N> x;
    for (std::size_t i = 0; i < N; ++i) {
      alignas(64) double lanes[B::size];
      for (std::size_t l = 0; l < B::size; ++l) lanes[l] = point<N>(l)[i];
      x[i] = B::load_aligned(lanes);
    }
    auto grad = [](const std::array<B, N>& xb) { return grad_batch<N>(xb); };
    const auto g = grad(x);
    for (std::size_t l = 0; l < B::size; ++l) {
      std::array<double, N> want, got;
      bench::hand::rosenbrock(point<N>(l), want);
      for (std::size_t i = 0; i < N; ++i) got[i] = g[i].get(l);
      if (!bench::check(st, got, want)) return;
    }
    st.counters["lanes"] = static_cast<double>(B::size);
    for (auto _ : st) {
      benchmark::DoNotOptimize(x);
      auto r = grad(x);
      benchmark::DoNotOptimize(r);
    }
  });
  bench::add("batch4", size, "typegrad-scalar-calls", [](benchmark::State& st) {
    std::array<std::array<double, N>, B::size> x;
    for (std::size_t l = 0; l < B::size; ++l) x[l] = point<N>(l);
    for (auto _ : st) {
      benchmark::DoNotOptimize(x);
      for (std::size_t l = 0; l < B::size; ++l) {
        auto g = grad_pack<N, false>(x[l]);
        benchmark::DoNotOptimize(g);
      }
    }
  });
  bench::add("batch4", size, "hand-scalar-calls", [](benchmark::State& st) {
    std::array<std::array<double, N>, B::size> x;
    for (std::size_t l = 0; l < B::size; ++l) x[l] = point<N>(l);
    std::array<double, N> g;
    for (auto _ : st) {
      benchmark::DoNotOptimize(x);
      for (std::size_t l = 0; l < B::size; ++l) {
        double f = grad_hand(x[l], g);
        benchmark::DoNotOptimize(f);
        benchmark::DoNotOptimize(g);
      }
    }
  });
}

[[maybe_unused]] const bool registered = [] {
  add_rosenbrock<2>();
  add_rosenbrock<4>();
  add_rosenbrock<8>();
  add_rosenbrock<16>();
  add_batch<4>();
  add_batch<16>();
  return true;
}();

}  // namespace
