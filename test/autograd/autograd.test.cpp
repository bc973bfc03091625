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
                    "Mismatch in shape: grad_output[0] has a shape of [3] and output[0] has a shape of [2].");
  CHECK_THROWS_WITH(tg::autograd::grad({y}, {x}, {}, true), "grad can be implicitly created only for scalar outputs");
  auto z = tg::tensor({std::complex<double>(1, 2)}, tg::requires_grad());
  auto zz = (z * z).sum();
  CHECK_THROWS_WITH(tg::autograd::grad({zz}, {z}, {}, true),
                    "grad can be implicitly created only for real scalar outputs but got torch.complex128");
  CHECK_THROWS_WITH(tg::autograd::grad({zz}, {z}, {tg::tensor(1.0)}, true),
                    Catch::StartsWith("For complex Tensors, both grad_output and output are required to have the same "
                                      "dtype. Mismatch in dtype:"));
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
