// Neural-network functions: softmax, log_softmax, mse_loss, nll_loss, cross_entropy.
#include "functions/support.hpp"
#include "support/tensor_values.hpp"

#include <cmath>
#include <tuple>

using test_support::check_all;
using test_support::doubles;

TEST_CASE("nn functions: gradcheck, gradgradcheck, forward mode, node names", "[functions][nn]") {
  tg::manual_seed(2);
  auto x = tg::randn({3, 4}, doubles());
  auto target = tg::tensor({0, 3, 1});
  check_all({
      {"softmax", "SoftmaxBackward0", [](const tg::tensor_list& in) { return tg::softmax(in[0], 1); }},
      {"log_softmax", "LogSoftmaxBackward0", [](const tg::tensor_list& in) { return tg::log_softmax(in[0], 0); }},
      {"mse_loss", "MseLossBackward0", [](const tg::tensor_list& in) { return tg::mse_loss(in[0], tg::ones({4}, tg::dtype(tg::kDouble))); }},
      {"mse_loss sum", "MseLossBackward0", [](const tg::tensor_list& in) { return tg::mse_loss(in[0], in[0] * 0.5, tg::Reduction::Sum); }},
      {"cross_entropy", "NllLossBackward0", [&](const tg::tensor_list& in) { return tg::cross_entropy(in[0], target); }},
      {"nll_loss none", "NllLossBackward0", [&](const tg::tensor_list& in) { return tg::nll_loss(tg::log_softmax(in[0], 1), target, tg::Reduction::None); }},
      {"relu", "ReluBackward0", [](const tg::tensor_list& in) { return tg::relu(in[0]); }},
  }, {x});
}

TEST_CASE("nn functions: values and errors", "[functions][nn]") {
  auto logits = tg::tensor({{2.0, 1.0, 0.1}});
  auto p = tg::softmax(logits, 1);
  CHECK(p.sum().item<double>() == Approx(1.0));
  CHECK(p.select(1, 0).item<double>() == Approx(std::exp(2.0) / (std::exp(2.0) + std::exp(1.0) + std::exp(0.1))));
  auto loss = tg::cross_entropy(logits, tg::tensor({0}));
  CHECK(loss.item<double>() == Approx(-std::log(p.select(1, 0).item<double>())));
  CHECK(loss.grad_fn() == nullptr);
  auto y = tg::cross_entropy(logits.detach().requires_grad_(), tg::tensor({0}));
  CHECK(y.grad_fn()->next_functions().size() == 1);
  CHECK(y.grad_fn()->next_functions()[0].first->name() == "LogSoftmaxBackward0");
  CHECK_THROWS_WITH(tg::cross_entropy(logits, tg::tensor({3})), "Target 3 is out of bounds.");
  CHECK_THROWS_WITH(tg::cross_entropy(logits, tg::tensor({0.0})), "expected scalar type Long but found Double");
  CHECK(tg::softmax(tg::tensor({1000.0, 1000.0}), 0).select(0, 0).item<double>() == 0.5);  // no overflow
}

TEST_CASE("relu passes the gradient where its input is NaN, as torch", "[functions][nn]") {
  // torch 1.13: relu([nan, 1, -1]).sum().backward() gives [1., 1., 0.]; create_graph runs the
  // policy's partial as tensor operations, without it the fused gradient kernel
  for (const bool create_graph : {false, true}) {
    for (const auto dtype : {tg::kDouble, tg::kFloat}) {
      const auto x = tg::tensor({std::nan(""), 1.0, -1.0, 0.0}).to(dtype).requires_grad_();
      const auto g = tg::autograd::grad({tg::relu(x).sum()}, {x}, {}, std::nullopt, create_graph)[0];
      CHECK(test_support::values(g) == std::vector<double>{1.0, 1.0, 0.0, 0.0});
    }
  }
}
