// backward() and grad(): torch's arguments, accumulation and error texts (spec/autograd.md §1).
#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <vector>

#include <typegrad/dynamic.hpp>

#include "support/tensor_values.hpp"

namespace tg = typegrad;

namespace {
using test_support::leaf;
using test_support::values;
}  // namespace

TEST_CASE("backward accumulates d(sum)/dx into leaves", "[autograd][backward]") {
  auto x = leaf({1.0, 2.0, 3.0});
  auto y = (x * x).sum();
  y.backward();
  CHECK(values(x.grad()) == std::vector<double>{2.0, 4.0, 6.0});
  CHECK(y.grad_fn()->name() == "SumBackward0");
  CHECK_FALSE(y.is_leaf());
  CHECK(x.is_leaf());
  CHECK_FALSE(x.grad().requires_grad());
}

TEST_CASE("the first .grad follows the leaf's layout, never an expanded gradient's", "[autograd][backward]") {
  // sum()'s gradient is an expanded (stride 0) tensor: .grad must be a dense copy that later
  // backwards can add into in place.
  auto x = tg::zeros({2, 3}, tg::requires_grad());
  x.sum().backward();
  CHECK(x.grad().strides() == x.strides());
  (x * 2.0).sum().backward();
  CHECK(values(x.grad()) == std::vector<double>(6, 3.0));

  // A dense leaf with other strides (a transposed one) gets .grad with its strides.
  auto t = tg::zeros({3, 2}).t().detach().requires_grad_();
  REQUIRE(t.strides() == std::vector<std::int64_t>{1, 2});
  (t + 1.0).sum().backward();
  CHECK(t.grad().strides() == t.strides());
  t.sum().backward();
  CHECK(values(t.grad()) == std::vector<double>(6, 2.0));

  // An expanded leaf (not dense) gets a contiguous .grad.
  auto e = tg::zeros({3}).expand({2, 3}).detach().requires_grad_();
  e.sum().backward();
  CHECK(e.grad().strides() == std::vector<std::int64_t>{3, 1});
  e.sum().backward();
  CHECK(values(e.grad()) == std::vector<double>(6, 2.0));
}

TEST_CASE("later backwards add into .grad in place - with create_graph out of place", "[autograd][backward]") {
  auto x = leaf({1.0, 2.0});
  (x * 3.0).sum().backward();
  const auto first = x.grad();
  const auto version = first._version();
  (x * 3.0).sum().backward();
  CHECK(x.grad().is_same(first));  // same tensor, updated in place
  CHECK(first._version() == version + 1);
  CHECK(values(x.grad()) == std::vector<double>{6.0, 6.0});

  (x * x).sum().backward({}, std::nullopt, /*create_graph=*/true);
  CHECK_FALSE(x.grad().is_same(first));  // out of place: the sum keeps its history
  CHECK(x.grad().requires_grad());
  CHECK(values(x.grad()) == std::vector<double>{8.0, 10.0});
  // x.grad's history holds x (torch's warning: a reference cycle); resetting .grad breaks it
  x.mutable_grad() = tg::Tensor();
}

TEST_CASE("grad returns the gradients in order and never writes .grad", "[autograd][grad]") {
  auto x = leaf({1.0, 2.0});
  auto w = leaf({3.0, 4.0});
  auto y = (x * w + tg::sin(x)).sum();
  auto g = tg::autograd::grad({y}, {w, x});
  REQUIRE(g.size() == 2);
  CHECK(values(g[0]) == std::vector<double>{1.0, 2.0});
  CHECK(values(g[1])[0] == Approx(3.0 + std::cos(1.0)));
  CHECK(values(g[1])[1] == Approx(4.0 + std::cos(2.0)));
  CHECK_FALSE(x.grad().defined());
  CHECK_FALSE(w.grad().defined());
}

TEST_CASE("grad of a non-leaf and of many outputs", "[autograd][grad]") {
  auto x = leaf({1.0, 2.0});
  auto h = x * 2.0;
  auto y1 = (h * h).sum();
  auto y2 = h.sum();
  auto g = tg::autograd::grad({y1, y2}, {h});
  CHECK(values(g[0]) == std::vector<double>{5.0, 9.0});  // 2h + 1
}

TEST_CASE("grad_outputs weight the outputs - mismatches give torch's errors", "[autograd][grad][errors]") {
  auto x = leaf({1.0, 2.0});
  auto y = x * 2.0;
  auto g = tg::autograd::grad({y}, {x}, {tg::tensor({1.0, -1.0})}, true);
  CHECK(values(g[0]) == std::vector<double>{2.0, -2.0});
  CHECK_THROWS_WITH(tg::autograd::grad({y}, {x}, {tg::tensor({1.0, 2.0, 3.0})}, true),
                    "Mismatch in shape: grad_output[0] has a shape of torch.Size([3]) and output[0] has a shape of "
                    "torch.Size([2]).");
  CHECK_THROWS_WITH(tg::autograd::grad({y}, {x}, {}, true), "grad can be implicitly created only for scalar outputs");
  auto z = tg::tensor({std::complex<double>(1, 2)}, tg::requires_grad());
  auto zz = (z * z).sum();
  CHECK_THROWS_WITH(tg::autograd::grad({zz}, {z}, {}, true),
                    "grad can be implicitly created only for real scalar outputs but got torch.complex128");
  CHECK_THROWS_WITH(tg::autograd::grad({zz}, {z}, {tg::tensor(1.0)}, true),
                    Catch::StartsWith("For complex Tensors, both grad_output and output are required to have the same "
                                      "dtype. Mismatch in dtype:"));
}

TEST_CASE("grad with is_grads_batched: one vector-Jacobian product per vector of the batch", "[autograd][grad]") {
  // torch's test_grad_batched_grad, in our words.
  auto x = tg::randn({2, 2}, tg::TensorOptions().dtype(tg::kDouble).requires_grad(true));
  auto out = x.clone();
  auto batched = tg::arange(3).expand({2, 2, 3}).transpose(0, 2);  // [3, 2, 2] of kLong: batch b is all b
  auto g = tg::autograd::grad({out}, {x}, {batched}, std::nullopt, false, std::nullopt, false,
                              /*is_grads_batched=*/true)[0];
  CHECK(g.sizes() == std::vector<std::int64_t>{3, 2, 2});
  CHECK(g.dtype() == tg::kDouble);
  CHECK(values(g) == values(batched));
  CHECK_THROWS_WITH(tg::autograd::grad({out}, {x}, {tg::ones({2, 2})}, true, false, std::nullopt, false, true),
                    "If `is_grads_batched=True`, we interpret the first dimension of each grad_output as the batch "
                    "dimension. The sizes of the remaining dimensions are expected to match the shape of corresponding "
                    "output, but a mismatch was detected: grad_output[0] has a shape of torch.Size([2]) and output[0] "
                    "has a shape of torch.Size([2, 2]). If you only want some tensors in `grad_output` to be "
                    "considered batched, consider using vmap.");

  // A scalar output: a batch of scalars.
  auto s = (x * x).sum();
  auto gs = tg::autograd::grad({s}, {x}, {tg::arange(3)}, true, false, std::nullopt, false, true)[0];
  REQUIRE(gs.sizes() == std::vector<std::int64_t>{3, 2, 2});
  for (std::int64_t b = 0; b < 3; ++b) CHECK(values(gs.select(0, b)) == values(x * (2.0 * static_cast<double>(b))));
  // Scalar and size-1 are a mismatch, as without batching.
  CHECK_THROWS_WITH(tg::autograd::grad({s}, {x}, {tg::ones({2}).unsqueeze(1)}, true, false, std::nullopt, false, true),
                    Catch::StartsWith("If `is_grads_batched=True`, we interpret the first dimension"));

  // Several outputs: the same batch size everywhere; unused inputs stay undefined or become zeros.
  auto unused = tg::zeros({4}, tg::requires_grad());
  auto y1 = x * 3.0, y2 = x.sum({0});
  auto both = tg::autograd::grad({y1, y2}, {x, unused}, {tg::ones({5, 2, 2}), tg::ones({5, 2})}, true, false,
                                 /*allow_unused=*/true, false, true);
  CHECK(values(both[0]) == std::vector<double>(20, 4.0));
  CHECK_FALSE(both[1].defined());
  auto materialized = tg::autograd::grad({y1, y2}, {x, unused}, {tg::ones({5, 2, 2}), tg::ones({5, 2})}, true, false,
                                         std::nullopt, /*materialize_grads=*/true, true);
  CHECK(materialized[1].sizes() == std::vector<std::int64_t>{5, 4});
  CHECK(values(materialized[1]) == std::vector<double>(20, 0.0));
  CHECK_THROWS_WITH(tg::autograd::grad({y1, y2}, {x}, {tg::ones({5, 2, 2}), tg::ones({4, 2})}, true, false,
                                       std::nullopt, false, true),
                    "vmap: Expected all tensors to have the same size in the mapped dimension, got sizes [5, 4] for "
                    "the mapped dimension");
  CHECK_THROWS_WITH(tg::autograd::grad({s}, {x}, {}, true, false, std::nullopt, false, true),
                    Catch::StartsWith("grad(): is_grads_batched=True needs a batched grad_output"));
  CHECK_THROWS_WITH(tg::autograd::grad({s}, {x}, {tg::tensor(1.0)}, true, false, std::nullopt, false, true),
                    Catch::StartsWith("invalid index of a 0-dim tensor."));

  // create_graph: the batched gradients are differentiable (a batch of Hessian-vector products).
  auto h = tg::autograd::grad({s}, {x}, {tg::ones({2})}, true, /*create_graph=*/true, std::nullopt, false, true)[0];
  CHECK(h.requires_grad());
  auto hh = tg::autograd::grad({h.sum()}, {x})[0];
  CHECK(values(hh) == std::vector<double>(4, 4.0));  // d/dx of sum over 2 vectors of 2x
}

TEST_CASE("engine errors: roots without grad, inputs without grad, unused inputs", "[autograd][errors]") {
  auto x = leaf({1.0, 2.0});
  auto c = tg::tensor({1.0, 2.0});
  auto y = (x * 2.0).sum();
  CHECK_THROWS_WITH(tg::autograd::grad({c.sum()}, {x}), "element 0 of tensors does not require grad and does not have a grad_fn");
  CHECK_THROWS_WITH(c.sum().backward(), "element 0 of tensors does not require grad and does not have a grad_fn");
  CHECK_THROWS_WITH(tg::autograd::grad({y}, {c}, {}, true), "One of the differentiated Tensors does not require grad");
  auto unused = leaf({5.0});
  CHECK_THROWS_WITH(tg::autograd::grad({y}, {x, unused}, {}, true),
                    "One of the differentiated Tensors appears to not have been used in the graph. Set "
                    "allow_unused=True if this is the desired behavior.");
  auto g = tg::autograd::grad({y}, {x, unused}, {}, true, false, /*allow_unused=*/true);
  CHECK(g[0].defined());
  CHECK_FALSE(g[1].defined());
  CHECK_THROWS_WITH(tg::autograd::grad({y}, tg::tensor_list{}), "grad requires non-empty inputs.");
  CHECK_THROWS_WITH(tg::autograd::backward({y}, {}, true, false, tg::tensor_list{}),
                    "`inputs` argument to `backward()` cannot be empty.");
}

TEST_CASE("materialize_grads gives zeros for unused inputs", "[autograd][grad]") {
  auto x = leaf({1.0, 2.0});
  auto unused = leaf({5.0, 6.0, 7.0});
  auto y = (x * x).sum();
  auto g = tg::autograd::grad({y}, {x, unused}, {}, true, false, std::nullopt, /*materialize_grads=*/true);
  CHECK(values(g[1]) == std::vector<double>{0.0, 0.0, 0.0});
  CHECK_FALSE(g[1].requires_grad());
  g = tg::autograd::grad({y}, {x, unused}, {}, true, /*create_graph=*/true, std::nullopt, true);
  CHECK(g[1].requires_grad());  // zeros_like(input, requires_grad=create_graph)
  CHECK_THROWS_WITH(tg::autograd::grad({y}, {x, unused}, {}, true, false, /*allow_unused=*/false, true),
                    "Expected allow_unused to be True or not passed when materialize_grads=True, but got: "
                    "allow_unused=False.");
}

TEST_CASE("backward twice: saved tensors are freed, graphs without saved tensors are fine", "[autograd][backward]") {
  auto x = leaf({1.0, 2.0});
  auto y = (x * x).sum();
  y.backward();
  CHECK_THROWS_WITH(y.backward(),
                    "Trying to backward through the graph a second time (or directly access saved tensors after they "
                    "have already been freed). Saved intermediate values of the graph are freed when you call "
                    ".backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the "
                    "graph a second time or if you need to access saved tensors after calling backward.");
  auto z = (x + 1.0).sum();  // AddBackward0 and SumBackward0 save nothing
  z.backward();
  z.backward();
  auto r = (x * x).sum();
  r.backward({}, /*retain_graph=*/true);
  r.backward();
  CHECK(values(x.grad()) == std::vector<double>{2.0 + 1.0 + 1.0 + 2.0 + 2.0, 4.0 + 1.0 + 1.0 + 4.0 + 4.0});
}

TEST_CASE("backward with inputs: only those get .grad - non-leaf inputs retain theirs", "[autograd][backward]") {
  auto x = leaf({1.0, 2.0});
  auto w = leaf({3.0, 4.0});
  auto h = x * w;
  auto y = (h * h).sum();
  tg::autograd::backward({y}, {}, true, false, tg::tensor_list{w});
  CHECK(values(w.grad()) == std::vector<double>{2 * 3.0 * 1.0, 2 * 8.0 * 2.0});
  CHECK_FALSE(x.grad().defined());
  tg::autograd::backward({y}, {}, true, false, tg::tensor_list{h});
  CHECK(h.retains_grad());
  CHECK(values(h.grad()) == std::vector<double>{6.0, 16.0});
  CHECK_FALSE(x.grad().defined());
  auto unreachable = leaf({1.0});
  tg::autograd::backward({y}, {}, true, false, tg::tensor_list{unreachable});
  CHECK_FALSE(unreachable.grad().defined());
}

TEST_CASE("shared subgraphs and duplicate roots sum their gradients", "[autograd][backward]") {
  auto x = leaf({2.0});
  auto a = x * x;
  auto b = a * 3.0;
  auto c = a + b;  // dc/dx = 2x + 6x
  c.sum().backward();
  CHECK(values(x.grad()) == std::vector<double>{16.0});
  auto y = (x * 1.0).sum();
  auto g = tg::autograd::grad({y, y}, {x});
  CHECK(values(g[0]) == std::vector<double>{2.0});
}

TEST_CASE("create_graph gives differentiable gradients (Hessian-vector products)", "[autograd][grad]") {
  auto x = leaf({1.0, 2.0});
  auto y = (x * x * x).sum();
  auto g = tg::autograd::grad({y}, {x}, {}, std::nullopt, true);
  CHECK(g[0].requires_grad());
  auto v = tg::tensor({1.0, 0.5});
  auto hv = tg::autograd::grad({(g[0] * v).sum()}, {x});
  CHECK(values(hv[0]) == std::vector<double>{6.0, 6.0});  // diag(6x) v
}

TEST_CASE("grad mode inside backward equals create_graph", "[autograd][grad]") {
  auto x = leaf({1.0});
  bool seen = true;
  auto y = x * 2.0;
  y.register_hook([&](const tg::Tensor&) { seen = tg::GradMode::is_enabled(); });
  tg::autograd::grad({y.sum()}, {x}, {}, true);
  CHECK_FALSE(seen);
  tg::autograd::grad({y.sum()}, {x}, {}, true, true);
  CHECK(seen);
}

TEST_CASE("a node returning a gradient of the wrong shape is reported", "[autograd][errors]") {
  auto x = leaf({1.0, 2.0});
  auto y = x * 2.0;
  y.grad_fn()->register_hook([](const tg::tensor_list&, const tg::tensor_list&) -> std::optional<tg::tensor_list> {
    return tg::tensor_list{tg::ones({3}, tg::dtype(tg::kDouble)), tg::Tensor()};
  });
  CHECK_THROWS_WITH(y.sum().backward(), "Function MulBackward0 returned an invalid gradient at index 0 - got [3] but "
                                        "expected shape compatible with [2]");
}
