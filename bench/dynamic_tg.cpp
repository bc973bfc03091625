// The dynamic-layer benchmarks, typegrad side (see bench/dynamic.hpp).
#include "dynamic.hpp"

#include <string>

#include <typegrad/dynamic.hpp>

#include "common.hpp"

namespace tg = typegrad;
namespace dyn = bench::dynamic;

namespace {

tg::Tensor from(const std::vector<float>& v, std::vector<std::int64_t> sizes) {
  return tg::tensor(v).view(sizes).clone();
}

void scalar_chain(benchmark::State& state, int ops) {
  tg::Tensor x = tg::tensor(0.5, tg::requires_grad());
  for (auto _ : state) {
    tg::Tensor y = x;
    for (int i = 0; i < ops / 3; ++i) y = tg::sin(y) * 0.999 + x;
    y.backward();
    benchmark::DoNotOptimize(x.grad().data_ptr());
    x.mutable_grad() = tg::Tensor();
  }
  state.counters["ops"] = ops;
}

void elementwise(benchmark::State& state, std::int64_t n) {
  tg::Tensor x = from(dyn::data(n, 1), {n}).requires_grad_();
  for (auto _ : state) {
    tg::Tensor y = (tg::sin(x) * x + tg::exp(-x)).sum();
    y.backward();
    benchmark::DoNotOptimize(x.grad().data_ptr());
    x.mutable_grad() = tg::Tensor();
  }
}

void pointwise_backward(benchmark::State& state, const std::string& op) {
  const std::int64_t n = dyn::pointwise_size;
  tg::Tensor x = (from(dyn::data(n, 8), {n}) * 0.9).detach().requires_grad_();  // inside asin's domain
  tg::Tensor y = op == "sigmoid" ? tg::sigmoid(x) : op == "tanh" ? tg::tanh(x) : op == "asin" ? tg::asin(x) : tg::sin(x);
  tg::Tensor g = tg::ones_like(y);
  for (auto _ : state) {
    tg::Tensor gx = tg::autograd::grad({y}, {x}, {g}, /*retain_graph=*/true)[0];
    benchmark::DoNotOptimize(gx.data_ptr());
  }
}

void mlp_step(benchmark::State& state) {
  tg::Tensor input = from(dyn::data(dyn::mlp_batch * dyn::mlp_in, 2), {dyn::mlp_batch, dyn::mlp_in});
  tg::Tensor target = tg::tensor(dyn::labels(dyn::mlp_batch, dyn::mlp_out));
  tg::Tensor w1 = (from(dyn::data(dyn::mlp_in * dyn::mlp_hidden, 3), {dyn::mlp_in, dyn::mlp_hidden}) * 0.05).detach().requires_grad_();
  tg::Tensor b1 = tg::zeros({dyn::mlp_hidden}, tg::requires_grad());
  tg::Tensor w2 = (from(dyn::data(dyn::mlp_hidden * dyn::mlp_out, 4), {dyn::mlp_hidden, dyn::mlp_out}) * 0.05).detach().requires_grad_();
  tg::Tensor b2 = tg::zeros({dyn::mlp_out}, tg::requires_grad());
  const std::vector<tg::Tensor> params{w1, b1, w2, b2};
  for (auto _ : state) {
    tg::Tensor loss = tg::cross_entropy(tg::relu(input.matmul(w1) + b1).matmul(w2) + b2, target);
    loss.backward();
    tg::NoGradGuard no_grad;
    for (const auto& p : params) {
      p.sub_(p.grad() * 0.01);
      p.mutable_grad().zero_();
    }
    benchmark::DoNotOptimize(loss.data_ptr());
  }
}

void gradient_penalty(benchmark::State& state) {
  tg::Tensor samples = from(dyn::data(dyn::gp_batch * dyn::gp_width, 5), {dyn::gp_batch, dyn::gp_width});
  tg::Tensor w1 = (from(dyn::data(dyn::gp_width * dyn::gp_width, 6), {dyn::gp_width, dyn::gp_width}) * 0.2).detach().requires_grad_();
  tg::Tensor w2 = (from(dyn::data(dyn::gp_width, 7), {dyn::gp_width, 1}) * 0.2).detach().requires_grad_();
  for (auto _ : state) {
    tg::Tensor input = samples.detach().requires_grad_();
    tg::Tensor critic = tg::tanh(tg::tanh(input.matmul(w1)).matmul(w2)).sum();
    tg::Tensor g = tg::autograd::grad({critic}, {input}, {}, std::nullopt, true)[0];
    tg::Tensor penalty = tg::square(tg::norm(g, 2.0, {1}) - 1.0).mean();
    penalty.backward();
    benchmark::DoNotOptimize(w1.grad().data_ptr());
    w1.mutable_grad() = tg::Tensor();
    w2.mutable_grad() = tg::Tensor();
  }
}

const bool registered = [] {
  for (int ops : dyn::chain_lengths) {
    bench::add("scalar_chain", "ops=" + std::to_string(ops), "typegrad", [ops](benchmark::State& s) { scalar_chain(s, ops); });
  }
  for (auto n : dyn::elementwise_sizes) {
    bench::add("elementwise", "n=" + std::to_string(n), "typegrad", [n](benchmark::State& s) { elementwise(s, n); });
  }
  for (const std::string op : dyn::pointwise_ops) {
    bench::add("pointwise_backward", op, "typegrad", [op](benchmark::State& s) { pointwise_backward(s, op); });
  }
  bench::add("mlp_step", "784-256-10", "typegrad", mlp_step);
  bench::add("gradient_penalty", "64x32", "typegrad", gradient_penalty);
  return true;
}();

}  // namespace
