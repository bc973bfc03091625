// The dynamic-layer benchmarks, libtorch side (see bench/dynamic.hpp). C++17: libtorch 1.13's
// headers do not compile as C++20 with every compiler.
#include "dynamic.hpp"

#include <benchmark/benchmark.h>
#include <torch/torch.h>

#include <string>

namespace dyn = bench::dynamic;

namespace {

torch::Tensor from(const std::vector<float>& v, std::vector<std::int64_t> sizes) {
  return torch::tensor(v).view(sizes).clone();
}

void add(const std::string& name, std::function<void(benchmark::State&)> fn) {
  benchmark::RegisterBenchmark(name.c_str(), [fn](benchmark::State& s) {
    torch::set_num_threads(1);
    fn(s);
  });
}

void scalar_chain(benchmark::State& state, int ops) {
  torch::Tensor x = torch::tensor(0.5, torch::dtype(torch::kDouble).requires_grad(true));
  for (auto _ : state) {
    torch::Tensor y = x;
    for (int i = 0; i < ops / 3; ++i) y = torch::sin(y) * 0.999 + x;
    y.backward();
    benchmark::DoNotOptimize(x.grad().data_ptr());
    x.mutable_grad() = torch::Tensor();
  }
}

void elementwise(benchmark::State& state, std::int64_t n) {
  torch::Tensor x = from(dyn::data(n, 1), {n}).requires_grad_();
  for (auto _ : state) {
    torch::Tensor y = (torch::sin(x) * x + torch::exp(-x)).sum();
    y.backward();
    benchmark::DoNotOptimize(x.grad().data_ptr());
    x.mutable_grad() = torch::Tensor();
  }
}

void pointwise_backward(benchmark::State& state, const std::string& op) {
  const std::int64_t n = dyn::pointwise_size;
  torch::Tensor x = (from(dyn::data(n, 8), {n}) * 0.9).detach().requires_grad_();
  torch::Tensor y = op == "sigmoid" ? torch::sigmoid(x) : op == "tanh" ? torch::tanh(x) : op == "asin" ? torch::asin(x) : torch::sin(x);
  torch::Tensor g = torch::ones_like(y);
  for (auto _ : state) {
    torch::Tensor gx = torch::autograd::grad({y}, {x}, {g}, /*retain_graph=*/true)[0];
    benchmark::DoNotOptimize(gx.data_ptr());
  }
}

void mlp_step(benchmark::State& state) {
  torch::Tensor input = from(dyn::data(dyn::mlp_batch * dyn::mlp_in, 2), {dyn::mlp_batch, dyn::mlp_in});
  torch::Tensor target = torch::tensor(dyn::labels(dyn::mlp_batch, dyn::mlp_out));
  torch::Tensor w1 = (from(dyn::data(dyn::mlp_in * dyn::mlp_hidden, 3), {dyn::mlp_in, dyn::mlp_hidden}) * 0.05).detach().requires_grad_();
  torch::Tensor b1 = torch::zeros({dyn::mlp_hidden}, torch::requires_grad());
  torch::Tensor w2 = (from(dyn::data(dyn::mlp_hidden * dyn::mlp_out, 4), {dyn::mlp_hidden, dyn::mlp_out}) * 0.05).detach().requires_grad_();
  torch::Tensor b2 = torch::zeros({dyn::mlp_out}, torch::requires_grad());
  const std::vector<torch::Tensor> params{w1, b1, w2, b2};
  for (auto _ : state) {
    torch::Tensor loss = torch::nn::functional::cross_entropy(torch::relu(input.matmul(w1) + b1).matmul(w2) + b2, target);
    loss.backward();
    torch::NoGradGuard no_grad;
    for (const auto& p : params) {
      p.sub_(p.grad() * 0.01);
      p.mutable_grad().zero_();
    }
    benchmark::DoNotOptimize(loss.data_ptr());
  }
}

void gradient_penalty(benchmark::State& state) {
  torch::Tensor samples = from(dyn::data(dyn::gp_batch * dyn::gp_width, 5), {dyn::gp_batch, dyn::gp_width});
  torch::Tensor w1 = (from(dyn::data(dyn::gp_width * dyn::gp_width, 6), {dyn::gp_width, dyn::gp_width}) * 0.2).detach().requires_grad_();
  torch::Tensor w2 = (from(dyn::data(dyn::gp_width, 7), {dyn::gp_width, 1}) * 0.2).detach().requires_grad_();
  for (auto _ : state) {
    torch::Tensor input = samples.detach().requires_grad_();
    torch::Tensor critic = torch::tanh(torch::tanh(input.matmul(w1)).matmul(w2)).sum();
    torch::Tensor g = torch::autograd::grad({critic}, {input}, {}, c10::nullopt, true)[0];
    torch::Tensor penalty = torch::square(torch::norm(g, 2, {1}) - 1.0).mean();
    penalty.backward();
    benchmark::DoNotOptimize(w1.grad().data_ptr());
    w1.mutable_grad() = torch::Tensor();
    w2.mutable_grad() = torch::Tensor();
  }
}

const bool registered = [] {
  for (int ops : dyn::chain_lengths) {
    add("scalar_chain/ops=" + std::to_string(ops) + "/libtorch", [ops](benchmark::State& s) { scalar_chain(s, ops); });
  }
  for (auto n : dyn::elementwise_sizes) {
    add("elementwise/n=" + std::to_string(n) + "/libtorch", [n](benchmark::State& s) { elementwise(s, n); });
  }
  for (const std::string op : dyn::pointwise_ops) {
    add("pointwise_backward/" + op + "/libtorch", [op](benchmark::State& s) { pointwise_backward(s, op); });
  }
  add("mlp_step/784-256-10/libtorch", mlp_step);
  add("gradient_penalty/64x32/libtorch", gradient_penalty);
  return true;
}();

}  // namespace
