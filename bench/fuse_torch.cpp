// The fusion benchmarks, libtorch side (see bench/fuse.hpp): the same chains, one node per
// operation. C++17, as bench/dynamic_torch.cpp.
#include "fuse.hpp"

#include <benchmark/benchmark.h>
#include <torch/torch.h>

#include <string>

namespace fz = bench::fuse;

namespace {

torch::Tensor from(const std::vector<float>& v) { return torch::tensor(v).clone(); }

template <int K, bool Affine> void chain(benchmark::State& state, std::int64_t n) {
  torch::set_num_threads(1);
  const torch::Tensor x = from(fz::data(n, 11)).requires_grad_();
  const torch::Tensor w = from(fz::data(n, 12)).requires_grad_();
  const torch::Tensor g = from(fz::data(n, 13));
  for (auto _ : state) {
    torch::Tensor y = Affine ? fz::affine_chain<K>(x, x, w) : fz::chain<K>(x, w);
    y.backward(g);
    benchmark::DoNotOptimize(x.grad().data_ptr());
    x.mutable_grad() = torch::Tensor();
    w.mutable_grad() = torch::Tensor();
  }
  state.SetBytesProcessed(state.iterations() * fz::fused_bytes(n));
}

template <int K> void add_chain(std::int64_t n) {
  const std::string chain_name = "fuse_chain/ops=" + std::to_string(K) + "/libtorch";
  benchmark::RegisterBenchmark(chain_name.c_str(), [n](benchmark::State& s) { chain<K, false>(s, n); });
  const std::string affine_name = "fuse_affine/ops=" + std::to_string(K) + "/libtorch";
  benchmark::RegisterBenchmark(affine_name.c_str(), [n](benchmark::State& s) { chain<K, true>(s, n); });
}

void reduction(benchmark::State& state, std::int64_t n) {
  torch::set_num_threads(1);
  const torch::Tensor x = from(fz::data(n, 11)).requires_grad_();
  const torch::Tensor w = from(fz::data(n, 12)).requires_grad_();
  for (auto _ : state) {
    torch::Tensor y = fz::log_body(x, w).sum();
    y.backward();
    benchmark::DoNotOptimize(x.grad().data_ptr());
    x.mutable_grad() = torch::Tensor();
    w.mutable_grad() = torch::Tensor();
  }
}

void double_backward(benchmark::State& state, std::int64_t n) {
  torch::set_num_threads(1);
  const torch::Tensor x = from(fz::data(n, 17)).requires_grad_();
  const torch::Tensor w = from(fz::data(n, 18)).requires_grad_();
  for (auto _ : state) {
    const torch::Tensor s = fz::log_body(x, w).sum();
    const auto g = torch::autograd::grad({s}, {x, w}, {}, c10::nullopt, /*create_graph=*/true);
    (g[0] * g[0] + g[1] * g[1]).sum().backward();
    benchmark::DoNotOptimize(x.grad().data_ptr());
    x.mutable_grad() = torch::Tensor();
    w.mutable_grad() = torch::Tensor();
  }
}

const bool registered = [] {
  add_chain<2>(fz::chain_size);
  add_chain<4>(fz::chain_size);
  add_chain<8>(fz::chain_size);
  const std::string name = "fuse_sum/n=" + std::to_string(fz::chain_size) + "/libtorch";
  benchmark::RegisterBenchmark(name.c_str(), [](benchmark::State& s) { reduction(s, fz::chain_size); });
  const std::string db = "fuse_double_backward/n=" + std::to_string(fz::double_backward_size) + "/libtorch";
  benchmark::RegisterBenchmark(db.c_str(), [](benchmark::State& s) { double_backward(s, fz::double_backward_size); });
  return true;
}();

}  // namespace
