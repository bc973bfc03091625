#pragma once
/// \file bench/arrays.hpp
/// The array cases (normal log-density, log_sum_exp, sum, prod over N elements): inputs,
/// gradients, the hand-written reference, shared by arrays_tg.cpp and arrays_peers.cpp.
#include <cstddef>
#include <string>
#include <vector>

#include "common.hpp"
#include "hand.hpp"

namespace bench::arrays {

enum class kind { logpdf, lse, sum, prod };
inline constexpr kind kinds[] = {kind::logpdf, kind::lse, kind::sum, kind::prod};

inline const char* case_name(kind k) {
  switch (k) {
    case kind::logpdf: return "normal-logpdf";
    case kind::lse: return "log_sum_exp";
    case kind::sum: return "sum";
    case kind::prod: return "prod";
  }
  return "?";
}
/// Does the case also take the scalars mu and sigma?
constexpr bool has_scalars(kind k) { return k == kind::logpdf; }

struct inputs {
  std::vector<double> x;
  double mu = 0.9, sigma = 1.3;
};
struct grads {
  std::vector<double> x;
  double mu = 0, sigma = 0;
};

inline inputs make_inputs(std::size_t n) { return {array_input(n)}; }

inline double reference(kind k, const inputs& in, grads& g) {
  g.x.resize(in.x.size());
  switch (k) {
    case kind::logpdf: return hand::normal_logpdf(in.x, in.mu, in.sigma, g.x, g.mu, g.sigma);
    case kind::lse: return hand::log_sum_exp(in.x, g.x);
    case kind::sum: return hand::sum(in.x, g.x);
    case kind::prod: return hand::prod(in.x, g.x);
  }
  return 0;
}

inline std::string size_name(std::size_t n) { return "N=" + std::to_string(n); }

/// Registers contestant `who` for case k at size n: `fn(in, g)` computes the gradient.
template <class Fn> void add(kind k, std::size_t n, const std::string& who, Fn fn, double tol = 1e-9) {
  bench::add(case_name(k), size_name(n), who, [k, n, fn, tol](benchmark::State& st) {
    inputs in = make_inputs(n);
    grads want, g;
    g.x.resize(n);
    reference(k, in, want);
    fn(in, g);
    if (!bench::check(st, g.x, want.x, tol)) return;
    if (has_scalars(k)) {
      const double got[] = {g.mu, g.sigma}, ref[] = {want.mu, want.sigma};
      if (!bench::check(st, got, ref, tol)) return;
    }
    for (auto _ : st) {
      benchmark::DoNotOptimize(in.x.data());
      benchmark::DoNotOptimize(in.mu);
      fn(in, g);
      benchmark::DoNotOptimize(g.x.data());
      benchmark::ClobberMemory();
    }
    st.SetItemsProcessed(static_cast<long>(st.iterations()) * static_cast<long>(n));
  });
}

}  // namespace bench::arrays
