#pragma once
/// \file bench/common.hpp
/// Shared by every benchmark TU (ours and the peers'): benchmark naming, inputs, and the
/// correctness check each benchmark makes once before it is timed.
///
/// Naming: "<case>/<size>/<contestant>", e.g. "rosenbrock/n=4/typegrad". bench/report.py
/// groups by "<case>/<size>" and divides medians: typegrad / hand, peer / typegrad, ...
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

/// Every contestant (hand-written, typegrad, each peer) is timed as one out-of-line call
/// computing the value and the gradient, so that no contestant gains or loses from being
/// inlined into the benchmark loop (gcc's inlining decisions there differ between call sites).
#define BENCH_NOINLINE [[gnu::noinline]]

namespace bench {

/// Registers `fn(benchmark::State&)` as "<case>/<size>/<contestant>".
template <class F> void add(const std::string& case_name, const std::string& size, const std::string& contestant, F fn) {
  const std::string name = case_name + "/" + size + "/" + contestant;
  benchmark::RegisterBenchmark(name.c_str(), std::move(fn));
}

/// max_i |a_i - b_i| / max(1, |b_i|) over two ranges of doubles.
template <class A, class B> double max_rel_error(const A& a, const B& b) {
  double e = 0;
  auto ib = std::begin(b);
  for (auto ia = std::begin(a); ia != std::end(a); ++ia, ++ib)
    e = std::max(e, std::abs(*ia - *ib) / std::max(1.0, std::abs(*ib)));
  return e;
}

/// Marks the benchmark failed (shown by report.py) when `got` differs from the hand-written
/// reference `want` by more than `tol` (relative). Returns true when it is right.
template <class A, class B> bool check(benchmark::State& state, const A& got, const B& want, double tol = 1e-9) {
  const double e = max_rel_error(got, want);
  if (!(e <= tol)) {
    state.SkipWithError(("gradient differs from the hand-written one by " + std::to_string(e)).c_str());
    return false;
  }
  return true;
}

/// Registers contestant `fn(x, g)` (writes the gradient at x into g) of a case with one input
/// point x: checked once against the hand-written gradient `want`, then timed.
template <class X, class Fn>
void add_gradient(const std::string& case_name, const std::string& size, const std::string& contestant, const X& x,
                  const X& want, Fn fn) {
  add(case_name, size, contestant, [x, want, fn](benchmark::State& st) {
    X in = x, g{};
    fn(in, g);
    if (!check(st, g, want)) return;
    for (auto _ : st) {
      benchmark::DoNotOptimize(in);
      fn(in, g);
      benchmark::DoNotOptimize(g);
    }
  });
}

/// Deterministic inputs: Rosenbrock points in [-1.2, 1.3].
inline double rosen_point(std::size_t i) { return -1.2 + 0.37 * static_cast<double>(i % 7) + 0.011 * static_cast<double>(i); }

/// Array inputs near 1 (so that prod over 16384 elements stays finite): 1 + 0.01 sin(i).
inline std::vector<double> array_input(std::size_t n) {
  std::vector<double> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = 1.0 + 0.01 * std::sin(static_cast<double>(i) + 0.5);
  return v;
}

/// The array sizes of the array cases, and those the forward-mode peers run at (their cost
/// is O(N^2): N directions on each of O(N) operations).
inline constexpr std::size_t array_sizes[] = {16, 128, 1024, 16384};
inline constexpr std::size_t forward_peer_max_static = 128;   // Jet, AutoDiffScalar, SFad: N fixed at compile time
inline constexpr std::size_t forward_peer_max_dynamic = 1024;  // DFad

/// Black-Scholes inputs (S, K, r, sigma, T) at point j of a few.
inline constexpr double bs_points[4][5] = {
    {100.0, 95.0, 0.05, 0.20, 1.00},
    {90.0, 100.0, 0.03, 0.25, 0.50},
    {110.0, 105.0, 0.01, 0.15, 2.00},
    {100.0, 100.0, 0.04, 0.30, 0.75},
};

/// The 16-to-16 map's input point (its first 8 coordinates are the sin-exp case's).
inline double map16_point(std::size_t i) { return 0.3 + 0.05 * static_cast<double>(i) - 0.4 * static_cast<double>(i % 3); }

}  // namespace bench
