// tg::fuse: one pass, one node. Values and gradients against the unfused dynamic layer (the same
// callable run with tensors), every dtype, broadcasting and promotion, the node's place in the
// graph (name, formula, next_functions, hooks, retain_graph, version checks), threads.
// Higher-order and forward-mode derivatives and fuse_sum are in higher_order.test.cpp: two TUs,
// since one was the longest compile of the suite.
#include <catch2/catch.hpp>

#include <array>
#include <atomic>
#include <complex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <typegrad/typegrad.hpp>

#include "fuse/support.hpp"

using namespace fuse_test;

TEST_CASE("fuse: values and gradients equal the unfused operations, every dtype", "[fuse]") {
  // 37 elements: four full AVX batches of double plus a tail, and strided/broadcast cases below.
  for (auto dtype : all_dtypes) {
    INFO(tg::scalar_type_name(dtype));
    const double tol = tolerance(dtype);
    const auto a = input({37}, dtype, 0.2, 0.9);
    const auto b = input({37}, dtype, 0.3, 0.8);
    check_against_unfused([](auto x, auto y) { return x * y + x / y - y; }, tol, a, b);
    check_against_unfused([](auto x, auto y) { return tg::exp(x) * tg::sin(y) + tg::cos(x * y); }, tol, a, b);
    check_against_unfused([](auto x) { return tg::log(x) + tg::sqrt(x) * tg::tanh(x) - tg::square(x); }, tol, a);
    check_against_unfused([](auto x, auto y) { return tg::pow(x, y) + tg::sinh(x) / tg::cosh(y); }, tol, a, b);
    check_against_unfused([](auto x) { return tg::asin(x) + tg::acos(x) * tg::atan(x) + tg::asinh(x) + tg::atanh(x); }, tol, a);
    check_against_unfused([](auto x) { return tg::exp2(x) + tg::expm1(x) + tg::log2(x) + tg::log10(x) + tg::log1p(x); }, tol, a);
    check_against_unfused([](auto x) { return tg::tan(x) * tg::sigmoid(x) - tg::acosh(x + 1.5); }, tol, a);
  }
  for (auto dtype : real_dtypes) {
    INFO(tg::scalar_type_name(dtype));
    const double tol = tolerance(dtype);
    const auto a = input({37}, dtype, -0.9, 0.9);
    const auto b = input({37}, dtype, -0.8, 0.8);
    check_against_unfused([](auto x, auto y) { return tg::atan2(x, y) + tg::hypot(x, y) + tg::fmax(x, y) * tg::fmin(x, y); }, tol, a, b);
    check_against_unfused([](auto x) { return tg::relu(x) + tg::softplus(x) * tg::abs(x) + tg::erf(x) - tg::erfc(x); }, tol, a);
    check_against_unfused([](auto x) { return tg::lgamma(x + 2.0) + tg::digamma(x + 2.0); }, tol, a);
  }
  for (auto dtype : {tg::kComplexFloat, tg::kComplexDouble}) {
    INFO(tg::scalar_type_name(dtype));
    const auto a = input({37}, dtype, 0.2, 0.9);
    const auto b = input({37}, dtype, 0.3, 0.8);
    // real-valued functions of complex inputs: a real output, complex gradients (torch's convention)
    check_against_unfused([](auto x, auto y) { return tg::abs(x * y) + tg::real(x) * tg::imag(y); }, tolerance(dtype), a, b);
    check_against_unfused([](auto x) { return tg::conj(x) * x + tg::abs(x); }, tolerance(dtype), a);
  }
}

TEST_CASE("fuse: broadcasting, strided operands and type promotion as torch", "[fuse]") {
  const auto a = input({3, 1}, tg::kDouble);
  const auto b = input({4}, tg::kDouble);
  const auto c = input({}, tg::kDouble);
  const auto f = [](auto x, auto y, auto z) { return x * tg::exp(y) + z * y; };
  check_against_unfused(f, 1e-12, a, b, c);
  CHECK(tg::fuse(f, a, b, c).sizes() == std::vector<std::int64_t>{3, 4});
  // a transposed (strided) operand
  const auto m = input({4, 3}, tg::kFloat).t();
  check_against_unfused([](auto x, auto y) { return x * y + tg::sin(x); }, 2e-5, m, input({3, 4}, tg::kFloat));
  // float with double: double; half with bfloat16: float; long computes in float (no gradient)
  CHECK(tg::fuse([](auto x, auto y) { return x + y; }, input({2}, tg::kFloat), input({2}, tg::kDouble)).dtype() ==
        tg::kDouble);
  CHECK(tg::fuse([](auto x, auto y) { return x * y; }, input({2}, tg::kHalf), input({2}, tg::kBFloat16)).dtype() ==
        tg::kFloat);
  const auto n = tg::tensor({1, 2, 3});
  const auto w = input({3}, tg::kFloat);
  auto y = tg::fuse([](auto k, auto v) { return k * v + tg::sqrt(k); }, n, w);
  CHECK(y.dtype() == tg::kFloat);
  y.sum().backward();
  CHECK(values(w.grad()) == values(n.to(tg::kFloat)));
  // a 0-dim double with a float vector: float (torch's priority of dimensioned tensors)
  CHECK(tg::fuse([](auto x, auto s) { return x * s; }, input({2}, tg::kFloat), input({}, tg::kDouble)).dtype() ==
        tg::kFloat);
  CHECK_THROWS_WITH(tg::fuse([](auto x, auto y) { return x + y; }, input({2}, tg::kDouble), input({3}, tg::kDouble)),
                    Catch::Contains("must match the size of tensor b"));
}

TEST_CASE("fuse: one node with torch's graph API", "[fuse][graph]") {
  const auto a = tg::tensor({0.5, 1.5}, tg::requires_grad());
  const auto b = tg::tensor({2.0, 3.0});           // no grad: an invalid edge
  const auto c = tg::tensor({1.0, -1.0}, tg::requires_grad()) * 2.0;  // a non-leaf
  auto z = tg::fuse([](auto x, auto y, auto w) { return x * y + tg::sin(w); }, a, b, c);
  const auto& node = z.grad_fn();
  CHECK(node->name() == "FusedBackward0");
  CHECK(std::any_cast<std::string>(node->metadata().at("formula")) == "x0 * x1 + sin(x2)");
  const auto next = node->next_functions();
  REQUIRE(next.size() == 3);
  CHECK(next[0].first->name() == "torch::autograd::AccumulateGrad");
  CHECK(next[1].first == nullptr);
  CHECK(next[2].first->name() == "MulBackward0");

  // hooks on the node: the pre-hook sees the output gradient, the post-hook the inputs' gradients
  int pre = 0, post = 0;
  node->register_prehook([&](const tg::tensor_list& g) -> std::optional<tg::tensor_list> {
    ++pre;
    CHECK(values(g[0]) == std::vector<double>{1.0, 1.0});
    return tg::tensor_list{g[0] * 2.0};
  });
  node->register_hook([&](const tg::tensor_list& grad_inputs, const tg::tensor_list&) -> std::optional<tg::tensor_list> {
    ++post;
    CHECK(!grad_inputs[1].defined());  // b needs no gradient
    return std::nullopt;
  });
  auto loss = z.sum();
  loss.backward({}, /*retain_graph=*/true);
  CHECK(pre == 1);
  CHECK(post == 1);
  CHECK(values(a.grad()) == std::vector<double>{4.0, 6.0});  // doubled by the pre-hook
  loss.backward();
  CHECK(values(a.grad()) == std::vector<double>{8.0, 12.0});
  CHECK_THROWS_WITH(loss.backward(), Catch::Contains("Trying to backward through the graph a second time"));
}

TEST_CASE("fuse: saved operands are version-checked", "[fuse][version][errors]") {
  const auto a = tg::tensor({1.0f, 2.0f}, tg::requires_grad());
  auto h = a * 1.0;
  auto z = tg::fuse([](auto x) { return x * x; }, h);
  h.add_(1.0);
  CHECK_THROWS_WITH(z.sum().backward(),
                    "one of the variables needed for gradient computation has been modified by an inplace operation: "
                    "[torch.FloatTensor [2]], which is output 0 of MulBackward0, is at version 1; expected version 0 "
                    "instead. Hint: enable anomaly detection to find the operation that failed to compute its "
                    "gradient, with torch.autograd.set_detect_anomaly(True).");
}

TEST_CASE("fuse: concurrent use from threads", "[fuse][threads]") {
  const auto shared = tg::tensor({0.5, 1.0, 1.5}, tg::requires_grad());
  std::atomic<int> failures{0};
  std::vector<std::thread> pool;
  std::vector<tg::Tensor> own(4);
  for (int k = 0; k < 4; ++k) {
    own[static_cast<std::size_t>(k)] = tg::tensor({1.0 * k, 2.0, 3.0}, tg::requires_grad());
    pool.emplace_back([&, k] {
      try {
        for (int r = 0; r < 10; ++r) {
          auto z = tg::fuse([](auto x, auto s) { return x * x + s; }, own[static_cast<std::size_t>(k)], shared);
          z.sum().backward();
        }
      } catch (...) {
        ++failures;
      }
    });
  }
  for (auto& t : pool) t.join();
  CHECK(failures == 0);
  for (int k = 0; k < 4; ++k) CHECK(values(own[static_cast<std::size_t>(k)].grad())[0] == 10 * 2.0 * k);
  CHECK(values(shared.grad()) == std::vector<double>{40.0, 40.0, 40.0});
}

TEST_CASE("fuse: no history without grad mode or operands requiring grad, and bad operands", "[fuse][grad_mode][errors]") {
  const auto a = tg::tensor({1.0, 2.0}, tg::requires_grad());
  {
    tg::NoGradGuard no_grad;
    CHECK(tg::fuse([](auto x) { return x * 2.0; }, a).grad_fn() == nullptr);
  }
  const auto z = tg::fuse([](auto x) { return x * 2.0; }, a.detach());
  CHECK_FALSE(z.requires_grad());
  CHECK(values(z) == std::vector<double>{2.0, 4.0});
  CHECK_THROWS_WITH(tg::fuse([](auto x) { return x; }, tg::Tensor()), "tg::fuse: operand 0 is an undefined tensor");
  // a real-only function is not instantiated for complex elements: complex tensors are refused
  CHECK_THROWS_WITH(tg::fuse([](auto x) { return tg::relu(x); }, input({2}, tg::kComplexDouble)),
                    Catch::Contains("f uses a function defined for real values only") &&
                        Catch::Contains("so it cannot run on ComplexDouble tensors"));
}

