// The graph API: node names, next_functions, gradient edges, versions and in-place checks
// (spec/autograd.md §1-3, acceptance tests 17-23).
#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <vector>

#include <typegrad/dynamic.hpp>

#include "support/tensor_values.hpp"

namespace tg = typegrad;

namespace {
using test_support::leaf;
std::string node_name(const std::shared_ptr<tg::autograd::Node>& n) { return n ? n->name() : "None"; }
}  // namespace

TEST_CASE("torch's node names and next_functions for arithmetic with numbers", "[autograd][graph]") {
  auto t = leaf({0.5, 0.7});
  auto u = leaf({0.3, 0.2});
  struct expected {
    tg::Tensor y;
    std::string name;
    std::vector<std::string> next;
  };
  const std::string acc = "torch::autograd::AccumulateGrad";
  std::vector<expected> cases{
      {t * 2.0, "MulBackward0", {acc, "None"}},      {2.0 * t, "MulBackward0", {acc, "None"}},
      {t + 2.0, "AddBackward0", {acc, "None"}},      {2.0 + t, "AddBackward0", {acc, "None"}},
      {t - 2.0, "SubBackward0", {acc, "None"}},      {1.0 - t, "RsubBackward1", {acc}},
      {t / 2.0, "DivBackward0", {acc, "None"}},      {1.0 / t, "MulBackward0", {"ReciprocalBackward0", "None"}},
      {tg::pow(t, 2.0), "PowBackward0", {acc}},      {tg::pow(2.0, t), "PowBackward2", {acc}},
      {tg::pow(t, u), "PowBackward1", {acc, acc}},   {-t, "NegBackward0", {acc}},
      {t * u, "MulBackward0", {acc, acc}},           {t / u, "DivBackward0", {acc, acc}},
      {t + u, "AddBackward0", {acc, acc}},           {t - u, "SubBackward0", {acc, acc}},
      {tg::square(t), "PowBackward0", {acc}},        {tg::abs(t), "AbsBackward0", {acc}},
      {tg::clamp(t, 0.1, 0.6), "ClampBackward1", {acc}},
      {tg::where(t > 0.6, t, u), "WhereBackward0", {acc, acc}},
      {tg::maximum(t, u), "MaximumBackward0", {acc, acc}}, {tg::atan2(t, u), "Atan2Backward0", {acc, acc}},
      {tg::relu(t), "ReluBackward0", {acc}},         {tg::sigmoid(t), "SigmoidBackward0", {acc}},
      {tg::log1p(t), "Log1PBackward0", {acc}},       {tg::exp2(t), "Exp2Backward0", {acc}},
      {tg::rsqrt(t), "RsqrtBackward0", {acc}},
      {t.sum(), "SumBackward0", {acc}},              {t.sum({0}), "SumBackward1", {acc}},
      {t.mean(), "MeanBackward0", {acc}},            {t.clone(), "CloneBackward0", {acc}},
      {t.to(tg::kFloat), "ToCopyBackward0", {acc}},  {t.view({2, 1}), "ViewBackward0", {acc}},
      {t.reshape({2, 1}), "ReshapeAliasBackward0", {acc}}, {tg::sgn(t), "SgnBackward0", {acc}},
      {tg::fmax(t, u), "FmaxBackward0", {acc, acc}}, {tg::polygamma(1, t), "PolygammaBackward0", {acc}},
      {tg::digamma(t), "DigammaBackward0", {acc}},   {tg::add(t, u, 2.0), "AddBackward0", {acc, acc}},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    REQUIRE(c.y.grad_fn());
    CHECK(c.y.grad_fn()->name() == c.name);
    auto next = c.y.grad_fn()->next_functions();
    REQUIRE(next.size() == c.next.size());
    for (std::size_t i = 0; i < next.size(); ++i) {
      CHECK(node_name(next[i].first) == c.next[i]);
      CHECK(next[i].second == 0);
    }
  }
}

TEST_CASE("printing shows grad_fn like torch", "[autograd][graph][print]") {
  auto t = tg::tensor({1.0f, 1.0f}, tg::requires_grad());
  std::ostringstream os;
  os << t * 2.0;
  CHECK(os.str() == "tensor([2., 2.], grad_fn=<MulBackward0>)");
  os.str("");
  os << t;
  CHECK(os.str() == "tensor([1., 1.], requires_grad=True)");
}

TEST_CASE("leaves, requires_grad propagation and requires_grad_ errors", "[autograd][graph]") {
  auto x = leaf({1.0});
  auto c = tg::tensor({1.0});
  CHECK((c * 2.0).is_leaf());
  CHECK_FALSE((c * 2.0).requires_grad());
  CHECK((x * c).requires_grad());
  CHECK_FALSE((x * c).is_leaf());
  CHECK(x.output_nr() == 0);
  CHECK_THROWS_WITH((x * 2.0).requires_grad_(false),
                    "you can only change requires_grad flags of leaf variables. If you want to use a computed "
                    "variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach().");
  CHECK_THROWS_WITH(tg::tensor({1, 2}).requires_grad_(), "only Tensors of floating point dtype can require gradients");
  CHECK_THROWS_WITH(tg::tensor({1, 2}).set_requires_grad(true),
                    "only Tensors of floating point and complex dtype can require gradients");
  CHECK_FALSE((x > 0.0).requires_grad());  // comparisons give Bool, which never requires grad
}

TEST_CASE("gradient edges: of leaves, non-leaves, as grad() inputs", "[autograd][graph]") {
  auto x = leaf({1.0, 2.0});
  auto h = x * 3.0;
  auto y = (h * h).sum();
  auto e = tg::autograd::graph::get_gradient_edge(h);
  CHECK(e.node == h.grad_fn());
  CHECK(e.output_nr == 0);
  auto le = tg::autograd::graph::get_gradient_edge(x);
  CHECK(le.node->name() == "torch::autograd::AccumulateGrad");
  auto g = tg::autograd::grad({y}, std::vector<tg::autograd::graph::GradientEdge>{e}, {}, true);
  CHECK(g[0].sizes() == std::vector<std::int64_t>{2});
  CHECK(g[0].select(0, 1).item<double>() == 12.0);  // 2h
  CHECK_THROWS_WITH(tg::autograd::graph::get_gradient_edge(tg::tensor({1.0})),
                    "It is not possible to get the gradient edge for a Tensor that does not require gradients");
  CHECK_THROWS_WITH(tg::autograd::grad({y}, std::vector<tg::autograd::graph::GradientEdge>{e}, {}, true, false,
                                       std::nullopt, true),
                    "materialize_grads cannot be used when the given input is a GradientEdge");
  // backward from an edge with an explicit gradient
  tg::autograd::backward(std::vector<tg::autograd::graph::GradientEdge>{e}, {tg::tensor({1.0, 1.0})});
  CHECK(x.grad().select(0, 0).item<double>() == 3.0);
}

TEST_CASE("versions: in-place bumps, views share, increment_version", "[autograd][version]") {
  auto a = tg::tensor({1.0, 2.0, 3.0});
  auto v = a.narrow(0, 1, 2);
  CHECK(a._version() == 0);
  v.add_(1.0);
  CHECK(a._version() == 1);
  CHECK(v._version() == 1);
  tg::autograd::graph::increment_version(a);
  CHECK(v._version() == 2);
  auto i = tg::tensor({1, 2});
  tg::autograd::graph::increment_version(i);
  CHECK(i._version() == 1);
  auto d = a.detach();
  d.mul_(2.0);
  CHECK(a._version() == 3);  // detach shares the counter
  auto data = a.data();
  data.mul_(2.0);
  CHECK(a._version() == 3);  // .data has its own
}

TEST_CASE("modifying a saved tensor in place is caught at backward", "[autograd][version][errors]") {
  auto x = tg::tensor({1.0f, 2.0f}, tg::requires_grad());
  auto y = x + 1.0;
  auto z = y * y;  // saves y
  y.add_(1.0);
  CHECK_THROWS_WITH(z.sum().backward(),
                    "one of the variables needed for gradient computation has been modified by an inplace operation: "
                    "[torch.FloatTensor [2]], which is output 0 of AddBackward0, is at version 1; expected version 0 "
                    "instead. Hint: enable anomaly detection to find the operation that failed to compute its "
                    "gradient, with torch.autograd.set_detect_anomaly(True).");
  auto w = tg::tensor({1.0f, 2.0f}, tg::requires_grad());
  auto e = tg::exp(w);  // saves its result
  auto l = e.sum();
  e.mul_(2.0);
  CHECK_THROWS_WITH(l.backward(), Catch::Contains("which is output 0 of ExpBackward0, is at version 1; expected version 0"));
  // the graph stays usable: nothing was consumed by the failed backward
  auto ok = (w * 2.0).sum();
  ok.backward();
  CHECK(w.grad().select(0, 0).item<float>() == 2.0f);
}

TEST_CASE("which saved-tensor mutations raise", "[autograd][version]") {
  auto x = leaf({1.0, 2.0});
  {
    auto y = x * 1.0;
    auto z = y + 2.0;  // AddBackward0 saves nothing
    y.mul_(3.0);
    z.sum().backward();  // fine
  }
  {
    auto y = x * 1.0;
    auto z = tg::sin(y);  // saves y
    y.mul_(3.0);
    CHECK_THROWS_WITH(z.sum().backward(), Catch::Contains("modified by an inplace operation"));
  }
}

TEST_CASE("in-place on leaves and views of leaves that require grad", "[autograd][version][errors]") {
  auto x = leaf({1.0, 2.0});
  CHECK_THROWS_WITH(x.add_(1.0), "a leaf Variable that requires grad is being used in an in-place operation.");
  CHECK_THROWS_WITH(x.narrow(0, 0, 1).mul_(2.0),
                    "a view of a leaf Variable that requires grad is being used in an in-place operation.");
  CHECK(x._version() == 0);
  {
    tg::NoGradGuard no_grad;
    x.mul_(2.0);  // allowed without grad mode, bumps the version
  }
  CHECK(x._version() == 1);
  CHECK(x.select(0, 1).item<double>() == 4.0);
}

TEST_CASE("in-place on a non-leaf rebases its history", "[autograd][version]") {
  auto x = leaf({1.0, 2.0});
  auto y = x * 2.0;
  y.mul_(x);
  CHECK(y.grad_fn()->name() == "MulBackward0");
  CHECK(y.grad_fn()->next_functions()[0].first->name() == "MulBackward0");
  y.sum().backward();
  CHECK(x.grad().select(0, 0).item<double>() == 4.0);  // d(2x^2)/dx
  CHECK(x.grad().select(0, 1).item<double>() == 8.0);
  auto z = x * 1.0;
  z.zero_();
  z.sum().backward();
  CHECK(x.grad().select(0, 0).item<double>() == 4.0);  // zero_ cuts the old values' gradient
  auto w = tg::zeros({2}, tg::dtype(tg::kDouble));
  w.copy_(x * 3.0);
  CHECK(w.grad_fn()->name() == "CopyBackwards");
  w.sum().backward();
  CHECK(x.grad().select(0, 0).item<double>() == 7.0);
}

TEST_CASE("detach and detach_", "[autograd][graph]") {
  auto x = leaf({1.0, 2.0});
  auto y = x * 2.0;
  auto d = y.detach();
  CHECK_FALSE(d.requires_grad());
  CHECK(d.is_leaf());
  CHECK(d.storage() == y.storage());
  y.detach_();
  CHECK_FALSE(y.requires_grad());
  CHECK(y.is_leaf());
  CHECK_THROWS_WITH((x * 1.0).narrow(0, 0, 1).detach_(), Catch::StartsWith("Can't detach views in-place."));
}
