// Training a small multilayer perceptron with the dynamic layer, as one would with libtorch:
// a 2-16-3 network learns to tell three noisy spirals apart. The loss is printed as it falls.
//
//   build/.../mlp_training
#include <cmath>
#include <cstdio>
#include <vector>

#include <typegrad/dynamic.hpp>

namespace tg = typegrad;

int main() {
  tg::manual_seed(0);
  // three spiral arms of 60 points each
  const std::int64_t per_class = 60, classes = 3;
  std::vector<double> points;
  std::vector<std::int64_t> labels;
  for (std::int64_t c = 0; c < classes; ++c) {
    for (std::int64_t i = 0; i < per_class; ++i) {
      const double r = static_cast<double>(i) / per_class;
      const double t = 4.0 * static_cast<double>(c) + 4.0 * r;
      const double noise = 0.2 * tg::randn({1}, tg::dtype(tg::kDouble)).item<double>();
      points.push_back(r * std::sin(t + noise));
      points.push_back(r * std::cos(t + noise));
      labels.push_back(c);
    }
  }
  const auto n = per_class * classes;
  tg::Tensor x = tg::tensor(points).view({n, 2}).to(tg::kFloat);
  tg::Tensor y = tg::tensor(labels);

  // parameters: leaves that require grad
  auto param = [](std::vector<std::int64_t> sizes, double scale) {
    return (tg::randn(sizes) * scale).detach().requires_grad_();
  };
  tg::Tensor w1 = param({2, 16}, 1.0), b1 = param({16}, 0.0);
  tg::Tensor w2 = param({16, 3}, 0.3), b2 = param({3}, 0.0);
  const std::vector<tg::Tensor> params{w1, b1, w2, b2};

  const double learning_rate = 1.0;
  double first_loss = 0.0, last_loss = 0.0;
  for (int step = 0; step <= 1500; ++step) {
    tg::Tensor hidden = tg::relu(x.matmul(w1) + b1);
    tg::Tensor logits = hidden.matmul(w2) + b2;
    tg::Tensor loss = tg::cross_entropy(logits, y);
    loss.backward();
    {
      tg::NoGradGuard no_grad;  // the update itself is not part of the graph
      for (const auto& p : params) {
        p.sub_(p.grad() * learning_rate);
        p.mutable_grad().zero_();
      }
    }
    last_loss = loss.item<double>();
    if (step == 0) first_loss = last_loss;
    if (step % 300 == 0) {
      tg::NoGradGuard no_grad;
      auto predicted = std::get<1>(tg::max(logits, 1));
      const double accuracy = (predicted == y).to(tg::kFloat).mean().item<double>();
      std::printf("step %4d  loss %.4f  accuracy %.2f\n", step, last_loss, accuracy);
    }
  }
  if (!(last_loss < 0.5 * first_loss)) {
    std::printf("the loss did not fall enough: %.4f -> %.4f\n", first_loss, last_loss);
    return 1;
  }
  return 0;
}
