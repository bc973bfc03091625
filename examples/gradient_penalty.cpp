// Double backward: a gradient penalty (as in WGAN-GP). The penalty is a function of the
// gradient of the critic's output with respect to its input, so computing it needs the
// gradient with create_graph = true, and minimizing it differentiates through that gradient.
#include <cmath>
#include <cstdio>

#include <typegrad/dynamic.hpp>

namespace tg = typegrad;

int main() {
  tg::manual_seed(1);
  tg::Tensor w = (tg::randn({4, 1}, tg::dtype(tg::kDouble)) * 2.0).detach().requires_grad_();
  tg::Tensor samples = tg::randn({8, 4}, tg::dtype(tg::kDouble));

  double first = 0.0, last = 0.0;
  for (int step = 0; step < 60; ++step) {
    tg::Tensor input = samples.detach().requires_grad_();
    tg::Tensor critic = tg::tanh(input.matmul(w)).sum();
    // d critic / d input, itself differentiable with respect to w
    tg::Tensor g = tg::autograd::grad({critic}, {input}, {}, std::nullopt, /*create_graph=*/true)[0];
    tg::Tensor norms = tg::norm(g, 2.0, {1});
    tg::Tensor penalty = tg::square(norms - 1.0).mean();
    penalty.backward();  // through the gradient: second derivatives of tanh
    {
      tg::NoGradGuard no_grad;
      w.sub_(w.grad() * 0.1);
      w.mutable_grad().zero_();
    }
    last = penalty.item<double>();
    if (step == 0) first = last;
    if (step % 10 == 0) std::printf("step %2d  penalty %.5f\n", step, last);
  }
  std::printf("penalty %.5f -> %.5f\n", first, last);
  return last < first ? 0 : 1;
}
