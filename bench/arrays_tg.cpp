// Arrays of N = 16 ... 16384: the summed normal log-density (gradient wrt x, mu, sigma),
// log_sum_exp, sum and prod; typegrad against the hand-written gradient.
// Peers: arrays_peers.cpp.
#include <cstddef>
#include <tuple>
#include <utility>
#include <vector>

#include <typegrad/static.hpp>

#include "arrays.hpp"

namespace tg = typegrad;

namespace {

using namespace bench::arrays;

struct logpdf_tg {
  constexpr auto operator()(const auto& x, const auto& mu, const auto& sigma) const {
    auto z = (x - mu) / sigma;
    return tg::sum(-0.5 * (z * z) - log(sigma) - bench::formulas::log_sqrt_2pi);
  }
};
struct lse_tg {
  constexpr auto operator()(const auto& x) const { return tg::log_sum_exp(x); }
};
struct sum_tg {
  constexpr auto operator()(const auto& x) const { return tg::sum(x); }
};
struct prod_tg {
  constexpr auto operator()(const auto& x) const { return tg::prod(x); }
};

// tg::grad returns a fresh gradient vector (the API's shape); it is moved into g.
BENCH_NOINLINE void grad_logpdf(const inputs& in, grads& g) {
  auto [gx, gmu, gsigma] = tg::grad(logpdf_tg{}, in.x, in.mu, in.sigma);
  g.x = std::move(gx);
  g.mu = gmu;
  g.sigma = gsigma;
}
template <class F> BENCH_NOINLINE void grad_1(const inputs& in, grads& g) { g.x = std::move(std::get<0>(tg::grad(F{}, in.x))); }

BENCH_NOINLINE void hand_grad(kind k, const inputs& in, grads& g) { benchmark::DoNotOptimize(reference(k, in, g)); }

[[maybe_unused]] const bool registered = [] {
  for (std::size_t n : bench::array_sizes) {
    for (kind k : kinds) add(k, n, "hand", [k](const inputs& in, grads& g) { hand_grad(k, in, g); });
    add(kind::logpdf, n, "typegrad", grad_logpdf);
    add(kind::lse, n, "typegrad", [](const inputs& in, grads& g) { grad_1<lse_tg>(in, g); });
    add(kind::sum, n, "typegrad", [](const inputs& in, grads& g) { grad_1<sum_tg>(in, g); });
    add(kind::prod, n, "typegrad", [](const inputs& in, grads& g) { grad_1<prod_tg>(in, g); });
  }
  return true;
}();

}  // namespace
