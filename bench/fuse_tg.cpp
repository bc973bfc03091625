// The fusion benchmarks, typegrad side (see bench/fuse.hpp): fused and unfused chains, and the
// copy/triad loops that measure the memory bandwidth in the same run.
#include "fuse.hpp"

#include <string>
#include <utility>
#include <vector>

#include <typegrad/typegrad.hpp>

#include "common.hpp"

namespace tg = typegrad;
namespace fz = bench::fuse;

namespace {

tg::Tensor from(const std::vector<float>& v) { return tg::tensor(v).clone(); }

/// One forward and backward of chain<K> (Affine: affine_chain<K>) over n floats, fused into one
/// node or not.
template <int K, bool Affine, bool Fused> void chain(benchmark::State& state, std::int64_t n) {
  const tg::Tensor x = from(fz::data(n, 11)).requires_grad_();
  const tg::Tensor w = from(fz::data(n, 12)).requires_grad_();
  const tg::Tensor g = from(fz::data(n, 13));
  const auto f = [](const auto& a, const auto& b) {
    if constexpr (Affine) return fz::affine_chain<K>(a, a, b);
    else return fz::chain<K>(a, b);
  };
  for (auto _ : state) {
    tg::Tensor y = Fused ? tg::fuse(f, x, w) : f(x, w);
    y.backward(g);
    benchmark::DoNotOptimize(x.grad().data_ptr());
    x.mutable_grad() = tg::Tensor();
    w.mutable_grad() = tg::Tensor();
  }
  state.SetBytesProcessed(state.iterations() * fz::fused_bytes(n));
}

/// sum(x * log(1 + w^2)) forward and backward: Mode 0 fuse_sum, 1 fuse then sum, 2 unfused.
template <int Mode> void reduction(benchmark::State& state, std::int64_t n) {
  const tg::Tensor x = from(fz::data(n, 11)).requires_grad_();
  const tg::Tensor w = from(fz::data(n, 12)).requires_grad_();
  const auto f = [](const auto& a, const auto& b) { return fz::log_body(a, b); };
  for (auto _ : state) {
    tg::Tensor y = Mode == 0 ? tg::fuse_sum(f, x, w) : Mode == 1 ? tg::fuse(f, x, w).sum() : f(x, w).sum();
    y.backward();
    benchmark::DoNotOptimize(x.grad().data_ptr());
    x.mutable_grad() = tg::Tensor();
    w.mutable_grad() = tg::Tensor();
  }
}

/// A gradient penalty through sum(x * log(1 + w^2)): create_graph, then the double backward.
template <bool Fused> void double_backward(benchmark::State& state, std::int64_t n) {
  const tg::Tensor x = from(fz::data(n, 17)).requires_grad_();
  const tg::Tensor w = from(fz::data(n, 18)).requires_grad_();
  const auto f = [](const auto& a, const auto& b) { return fz::log_body(a, b); };
  for (auto _ : state) {
    const tg::Tensor s = Fused ? tg::fuse_sum(f, x, w) : f(x, w).sum();
    const auto g = tg::autograd::grad({s}, {x, w}, {}, std::nullopt, /*create_graph=*/true);
    (g[0] * g[0] + g[1] * g[1]).sum().backward();
    benchmark::DoNotOptimize(x.grad().data_ptr());
    x.mutable_grad() = tg::Tensor();
    w.mutable_grad() = tg::Tensor();
  }
}

/// b = a: two streams.
void copy(benchmark::State& state, std::int64_t n) {
  const std::vector<float> a = fz::data(n, 14);
  std::vector<float> b(a.size());
  for (auto _ : state) {
    const float* src = a.data();
    float* dst = b.data();
    for (std::int64_t i = 0; i < n; ++i) dst[i] = src[i];
    benchmark::DoNotOptimize(b.data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(state.iterations() * 2 * n * static_cast<std::int64_t>(sizeof(float)));
}

/// a = b + s c: three streams (STREAM's triad).
void triad(benchmark::State& state, std::int64_t n) {
  const std::vector<float> b = fz::data(n, 15), c = fz::data(n, 16);
  std::vector<float> a(b.size());
  const float s = 0.5f;
  for (auto _ : state) {
    const float* pb = b.data();
    const float* pc = c.data();
    float* pa = a.data();
    for (std::int64_t i = 0; i < n; ++i) pa[i] = pb[i] + s * pc[i];
    benchmark::DoNotOptimize(a.data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(state.iterations() * 3 * n * static_cast<std::int64_t>(sizeof(float)));
}

template <int K> void add_chain(std::int64_t n) {
  const std::string size = "ops=" + std::to_string(K);
  bench::add("fuse_chain", size, "typegrad", [n](benchmark::State& s) { chain<K, false, true>(s, n); });
  bench::add("fuse_chain", size, "typegrad-unfused", [n](benchmark::State& s) { chain<K, false, false>(s, n); });
  bench::add("fuse_affine", size, "typegrad", [n](benchmark::State& s) { chain<K, true, true>(s, n); });
  bench::add("fuse_affine", size, "typegrad-unfused", [n](benchmark::State& s) { chain<K, true, false>(s, n); });
}

const bool registered = [] {
  static_assert(fz::chain_ops[0] == 2 && fz::chain_ops[1] == 4 && fz::chain_ops[2] == 8);
  add_chain<2>(fz::chain_size);
  add_chain<4>(fz::chain_size);
  add_chain<8>(fz::chain_size);
  const std::string size = "n=" + std::to_string(fz::chain_size);
  bench::add("fuse_sum", size, "typegrad", [](benchmark::State& s) { reduction<0>(s, fz::chain_size); });
  bench::add("fuse_sum", size, "typegrad-fuse-then-sum", [](benchmark::State& s) { reduction<1>(s, fz::chain_size); });
  bench::add("fuse_sum", size, "typegrad-unfused", [](benchmark::State& s) { reduction<2>(s, fz::chain_size); });
  const std::string db = "n=" + std::to_string(fz::double_backward_size);
  bench::add("fuse_double_backward", db, "typegrad", [](benchmark::State& s) { double_backward<true>(s, fz::double_backward_size); });
  bench::add("fuse_double_backward", db, "typegrad-unfused",
             [](benchmark::State& s) { double_backward<false>(s, fz::double_backward_size); });
  bench::add("bandwidth", size, "copy", [](benchmark::State& s) { copy(s, fz::chain_size); });
  bench::add("bandwidth", size, "triad", [](benchmark::State& s) { triad(s, fz::chain_size); });
  return true;
}();

}  // namespace
