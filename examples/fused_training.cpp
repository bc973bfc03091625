// A training loop whose loss is one fused expression: fitting a line with its noise level to
// noisy data by the Gaussian negative log-likelihood
//     nll(x, t; a, b, s) = s + 0.5 ((x - (a + b t)) e^-s)^2     (s = log sigma)
// evaluated by tg::fuse as ONE node (forward and backward each one pass over the data), the
// parameters broadcast as 0-d tensors (their gradients summed back by the engine). Prints the
// loss as it falls, the fitted parameters, and the time per step fused against the same
// expression run as separate tensor operations.
//
//   build/.../fused_training
#include <chrono>
#include <cmath>
#include <cstdio>
#include <vector>

#include <typegrad/typegrad.hpp>

namespace tg = typegrad;

namespace {

const auto nll = [](auto x, auto t, auto a, auto b, auto s) {
  return s + 0.5 * tg::square((x - (a + b * t)) * tg::exp(-s));
};

/// Data x = 2 + 0.5 t + noise with sigma 0.3, t in [0, 1).
std::pair<tg::Tensor, tg::Tensor> make_data(std::int64_t n) {
  const tg::Tensor t = tg::arange(n, tg::dtype(tg::kFloat)) / static_cast<double>(n);
  const tg::Tensor x = 2.0 + 0.5 * t + 0.3 * tg::randn({n});
  return {x, t};
}

/// One SGD step on the mean negative log-likelihood; returns the loss.
template <bool Fused>
double step(const tg::Tensor& x, const tg::Tensor& t, const std::vector<tg::Tensor>& params, double lr) {
  const tg::Tensor per_point = Fused ? tg::fuse(nll, x, t, params[0], params[1], params[2])
                                     : nll(x, t, params[0], params[1], params[2]);
  const tg::Tensor loss = per_point.mean();
  loss.backward();
  tg::NoGradGuard no_grad;
  for (const auto& p : params) {
    p.sub_(p.grad() * lr);
    p.mutable_grad().zero_();
  }
  return loss.item<double>();
}

template <bool Fused> double milliseconds_per_step(const tg::Tensor& x, const tg::Tensor& t, int steps) {
  std::vector<tg::Tensor> params{tg::tensor(0.0f, tg::requires_grad()), tg::tensor(0.0f, tg::requires_grad()),
                                 tg::tensor(0.0f, tg::requires_grad())};
  step<Fused>(x, t, params, 0.1);  // warm-up
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < steps; ++i) step<Fused>(x, t, params, 0.1);
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count() / steps;
}

}  // namespace

int main() {
  tg::manual_seed(0);
  const auto [x, t] = make_data(2000);
  std::vector<tg::Tensor> params{tg::tensor(0.0f, tg::requires_grad()), tg::tensor(0.0f, tg::requires_grad()),
                                 tg::tensor(0.0f, tg::requires_grad())};
  const auto probe = tg::fuse(nll, x, t, params[0], params[1], params[2]);
  std::printf("loss node: %s, formula %s\n", probe.grad_fn()->name().c_str(),
              std::any_cast<std::string>(probe.grad_fn()->metadata().at("formula")).c_str());

  double first = 0, last = 0;
  for (int i = 0; i <= 1500; ++i) {
    last = step<true>(x, t, params, 0.05);
    if (i == 0) first = last;
    if (i == 10 || i == 25 || i == 50 || i == 100 || i % 500 == 0) std::printf("step %3d  loss %.5f\n", i, last);
  }
  const double a = params[0].item<double>(), b = params[1].item<double>(), sigma = std::exp(params[2].item<double>());
  std::printf("fitted: a = %.3f (2), b = %.3f (0.5), sigma = %.3f (0.3)\n", a, b, sigma);

#ifdef NDEBUG
  const auto [big_x, big_t] = make_data(1000000);
  const double fused = milliseconds_per_step<true>(big_x, big_t, 10);
  const double unfused = milliseconds_per_step<false>(big_x, big_t, 10);
  std::printf("10^6 points: %.2f ms per step fused, %.2f ms unfused (%.1fx)\n", fused, unfused, unfused / fused);
#else
  std::printf("10^6 points: timing skipped (a debug build's times say nothing)\n");
#endif

  // the example fails (non-zero exit) unless it learned: loss fell, parameters near the truth
  const bool learned = last < first && std::abs(a - 2.0) < 0.1 && std::abs(b - 0.5) < 0.2 && std::abs(sigma - 0.3) < 0.05;
  return learned ? 0 : 1;
}
