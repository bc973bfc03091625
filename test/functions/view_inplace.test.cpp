// In-place operations on views with history (torch's CopySlices and AsStridedBackward0): the
// graph torch builds, gradients against analytic values (those of torch 1.13 for the same
// programs, noted beside), gradcheck/gradgradcheck through strided views in double and complex
// double, forward-mode tangents, custom functions, and torch's errors.
#include <catch2/catch.hpp>

#include <sstream>
#include <string>
#include <vector>

#include <typegrad/typegrad.hpp>

#include "functions/support.hpp"
#include "support/tensor_values.hpp"

namespace {
namespace view_inplace_test {
using test_support::values;
using vec = std::vector<double>;
using AutogradContext = tg::autograd::AutogradContext;

tg::Tensor leaf(const std::vector<double>& v) { return tg::tensor(v, tg::requires_grad()); }

std::string name_of(const std::shared_ptr<tg::autograd::Node>& n) { return n ? n->name() : "None"; }

/// Doubles its input in place and marks it dirty.
struct DoubleInPlace : tg::autograd::Function<DoubleInPlace> {
  static tg::Tensor forward(AutogradContext* ctx, tg::Tensor a) {
    a.mul_(2.0);
    ctx->mark_dirty({a});
    return a;
  }
  static tg::tensor_list backward(AutogradContext*, tg::tensor_list g) { return {g[0] * 2.0}; }
};

const char* const multi_view_tail =
    ". This view is the output of a function that returns multiple views. Such functions do not allow the output "
    "views to be modified inplace. You should replace the inplace operation by an out-of-place one.";
const char* const no_grad_view_tail =
    " with grad mode enabled. Given that this use case is ambiguous and error-prone, it is forbidden. You can clarify "
    "your code by moving both the view and the inplace either both inside the no_grad block (if you don't want the "
    "inplace to be tracked) or both outside (if you want the inplace to be tracked).";
}  // namespace view_inplace_test
}  // namespace

using namespace view_inplace_test;

TEST_CASE("in-place on a view: the base's history becomes CopySlices, the view's AsStridedBackward0",
          "[functions][view_inplace]") {
  const auto a = tg::ones({3, 4}, tg::dtype(tg::kDouble).requires_grad(true));
  auto x = a * 2.0;
  auto v = x.select(0, 1);
  v.mul_(3.0);
  CHECK(name_of(x.grad_fn()) == "CopySlices");
  const auto next = x.grad_fn()->next_functions();  // torch: ((MulBackward0, 0), (None, 0))
  REQUIRE(next.size() == 2);
  CHECK(name_of(next[0].first) == "MulBackward0");
  CHECK(next[1].first == nullptr);
  CHECK(name_of(v.grad_fn()) == "AsStridedBackward0");
  CHECK(v.grad_fn()->next_functions()[0].first == x.grad_fn());
  CHECK(values(x) == vec{2, 2, 2, 2, 6, 6, 6, 6, 2, 2, 2, 2});
  std::ostringstream printed;
  printed << x;
  CHECK(printed.str().find("grad_fn=<CopySlices>") != std::string::npos);
  x.sum().backward();
  CHECK(values(a.grad()) == vec{2, 2, 2, 2, 6, 6, 6, 6, 2, 2, 2, 2});
}

TEST_CASE("in-place on views of a base that needs no gradient, with operands that do", "[functions][view_inplace]") {
  auto z = tg::zeros({2, 3}, tg::dtype(tg::kDouble));
  const auto w = leaf({1.0, 2.0, 3.0});
  z.select(0, 0).add_(w);
  z.select(0, 1).mul_(w);  // zeros times w
  z.select(0, 1).add_(w * w);
  CHECK(z.requires_grad());
  CHECK(name_of(z.grad_fn()) == "CopySlices");
  const auto next = z.grad_fn()->next_functions();  // torch: ((CopySlices, 0), (MulBackward0, 0))
  CHECK(name_of(next[0].first) == "CopySlices");
  CHECK(name_of(next[1].first) == "MulBackward0");
  (z * z).sum().backward();  // sum w^2 + w^4: 2w + 4w^3
  CHECK(values(w.grad()) == vec{6, 36, 114});
}

TEST_CASE("views made before an in-place change of their base follow it", "[functions][view_inplace]") {
  const auto a = leaf({1.0, 2.0, 3.0});
  auto x = a * 1.0;
  const auto v = x.narrow(0, 0, 2);
  const auto w = x.narrow(0, 1, 2);
  CHECK(name_of(v.grad_fn()) == "SliceBackward0");
  x.mul_(a);                                   // the base
  CHECK(name_of(v.grad_fn()) == "AsStridedBackward0");
  (v * v).sum().backward();                    // torch: [4, 32, 0]
  CHECK(values(a.grad()) == vec{4, 32, 0});
  a.mutable_grad() = tg::Tensor();
  auto y = a * 1.0;
  const auto p = y.narrow(0, 1, 2);
  y.narrow(0, 0, 2).mul_(a.narrow(0, 0, 2));   // another view: y = [a0^2, a1^2, a2]
  (p * 1.0).sum().backward();                  // p = [a1^2, a2]
  CHECK(values(a.grad()) == vec{0, 4, 1});
  CHECK(values(w) == vec{4, 9});               // w saw x.mul_(a) too
}

TEST_CASE("a view of a leaf changed without grad mode differentiates to the leaf", "[functions][view_inplace]") {
  const auto b = leaf({1.0, 2.0, 3.0});
  auto vb = b.narrow(0, 0, 2);
  {
    tg::NoGradGuard no_grad;
    vb.mul_(2.0);
  }
  REQUIRE(vb.grad_fn());
  CHECK(name_of(vb.grad_fn()) == "AsStridedBackward0");
  CHECK(name_of(vb.grad_fn()->next_functions()[0].first) == "torch::autograd::AccumulateGrad");
  vb.sum().backward();  // torch: [1, 1, 0]
  CHECK(values(b.grad()) == vec{1, 1, 0});
}

TEST_CASE("in-place on views: create_graph and second derivatives", "[functions][view_inplace][create_graph]") {
  const auto a = leaf({1.0, 2.0, 3.0});
  auto x = a * 1.0;
  x.narrow(0, 1, 2).mul_(a.narrow(0, 1, 2));  // x = [a0, a1^2, a2^2]
  const auto g = tg::autograd::grad({x.pow(2).sum()}, {a}, {}, std::nullopt, true)[0];
  CHECK_THAT(values(g), Catch::Matchers::Approx(vec{2, 32, 108}));         // 2 a0, 4 a^3
  g.sum().backward();
  CHECK_THAT(values(a.grad()), Catch::Matchers::Approx(vec{2, 48, 108}));  // 2, 12 a^2
}

TEST_CASE("in-place on strided views: gradcheck and gradgradcheck in double and complex double",
          "[functions][view_inplace][gradcheck]") {
  for (auto dtype : {tg::kDouble, tg::kComplexDouble}) {
    INFO(tg::scalar_type_name(dtype));
    const test_support::fn f = [](const tg::tensor_list& in) {
      auto x = in[0] * 1.0;                                   // 3x4
      x.narrow(1, 1, 2).mul_(in[1]);                          // a 3x2 block, times a broadcast 2-vector
      x.t().select(0, 3).add_(tg::exp(in[1]).sum());          // a column, through a transpose
      x.select(0, 2).copy_(x.select(0, 0) + 1.0);             // a row from another (changed) row
      x.t().narrow(0, 0, 2).select(1, 1).div_(in[1] + 2.0);   // a view of a view of a view
      return x * x;
    };
    const tg::tensor_list inputs{test_support::input({3, 4}, dtype), test_support::input({2}, dtype)};
    CHECK(test_support::gradchecks(f, inputs));
    CHECK(test_support::gradgradchecks(f, inputs));
    if (dtype == tg::kDouble) test_support::check_forward_matches_backward(f, inputs);
  }
}

TEST_CASE("in-place on views: forward-mode tangents reach the base", "[functions][view_inplace][forward_ad]") {
  namespace fwd = tg::autograd::forward_ad;
  fwd::dual_level level;
  const auto a = tg::tensor({1.0, 2.0, 3.0});
  const auto ta = tg::tensor({1.0, 10.0, 100.0});
  auto x = fwd::make_dual(a, ta) * 1.0;
  x.narrow(0, 0, 2).mul_(3.0);
  CHECK(values(fwd::unpack_dual(x).tangent) == vec{3, 30, 100});
  // a base without a tangent gets one: zero where the view did not write
  auto z = tg::zeros({4}, tg::dtype(tg::kDouble));
  z.narrow(0, 1, 2).copy_(fwd::make_dual(tg::tensor({5.0, 6.0}), tg::tensor({7.0, 8.0})));
  CHECK(values(z) == vec{0, 5, 6, 0});
  CHECK(values(fwd::unpack_dual(z).tangent) == vec{0, 7, 8, 0});
  // and a later in-place change of another view of it lands there too
  z.narrow(0, 2, 2).mul_(2.0);
  CHECK(values(fwd::unpack_dual(z).tangent) == vec{0, 7, 16, 0});
}

TEST_CASE("in-place on views: custom functions that mark a view dirty", "[functions][view_inplace][function]") {
  const auto a = leaf({1.0, 2.0});
  auto y = a * 1.0;
  auto r = DoubleInPlace::apply(y.narrow(0, 0, 1));
  CHECK(name_of(y.grad_fn()) == "CopySlices");
  CHECK(name_of(r.grad_fn()) == "AsStridedBackward0");
  CHECK(values(y) == vec{2, 2});
  y.sum().backward();
  CHECK(values(a.grad()) == vec{2, 1});
  CHECK_THROWS_WITH(DoubleInPlace::apply(a.narrow(0, 0, 1)),
                    "a view of a leaf Variable that requires grad is being used in an in-place operation.");
}

TEST_CASE("in-place on views: torch's errors", "[functions][view_inplace][errors]") {
  const auto a = tg::ones({3, 4}, tg::dtype(tg::kDouble).requires_grad(true));
  auto x = a * 2.0;
  CHECK_THROWS_WITH(x.split(2)[0].mul_(2.0), std::string("Output 0 of SplitBackward0 is a view and is being modified inplace") +
                                                   multi_view_tail);
  CHECK_THROWS_WITH(x.chunk(3, 1)[1].add_(1.0),
                    std::string("Output 1 of SplitBackward0 is a view and is being modified inplace") + multi_view_tail);
  CHECK_THROWS_WITH(x.unbind()[0].zero_(),
                    std::string("Output 0 of UnbindBackward0 is a view and is being modified inplace") + multi_view_tail);
  // the refused operation changed nothing
  CHECK(name_of(x.grad_fn()) == "MulBackward0");
  CHECK(x._version() == 0);
  // a multi-view function's output whose base changed cannot be used with history any more
  const auto parts = x.split(2);
  x.mul_(2.0);
  CHECK_THROWS_WITH(parts[0].grad_fn(),
                    std::string("Output 0 of SplitBackward0 is a view and its base or another view of its base has been "
                                "modified inplace") +
                        multi_view_tail);
  CHECK_THROWS_WITH(parts[1] * 2.0, Catch::StartsWith("Output 1 of SplitBackward0 is a view and its base"));
  // without history the views of a multi-view function may change
  {
    tg::NoGradGuard no_grad;
    auto pieces = (a * 1.0).split(2);
    pieces[0].zero_();
  }
  // views made without grad mode
  tg::Tensor w;
  {
    tg::NoGradGuard no_grad;
    w = x.select(0, 0);
  }
  CHECK_THROWS_WITH(w.mul_(2.0), std::string("A view was created in no_grad mode and is being modified inplace") +
                                     no_grad_view_tail);
  x.narrow(0, 1, 1).mul_(2.0);  // another view of w's base
  CHECK_THROWS_WITH(w.grad_fn(), std::string("A view was created in no_grad mode and its base or another view of its "
                                             "base has been modified inplace") +
                                     no_grad_view_tail);
  // backward through CopySlices twice
  auto y = a * 1.0;
  y.select(1, 0).mul_(a.select(1, 1));
  auto loss = y.sum();
  loss.backward();
  CHECK_THROWS_WITH(loss.backward(), Catch::StartsWith("Trying to backward through the graph a second time"));
  // a saved view changed afterwards through its base
  auto s = a * 1.0;
  auto t = tg::sin(s.select(0, 0));
  s.add_(1.0);
  CHECK_THROWS_WITH(t.sum().backward(), Catch::Contains("modified by an inplace operation"));
}

TEST_CASE("a view made without grad mode of a tensor that requires grad requires grad, without history",
          "[functions][view_inplace]") {
  const auto x = leaf({1.0, 1.0, 1.0});
  tg::Tensor v;
  {
    tg::NoGradGuard no_grad;
    v = x.narrow(0, 0, 2);
  }
  // torch 1.13: True None True tensor([1., 1.], requires_grad=True)
  CHECK(v.requires_grad());
  CHECK(v.grad_fn() == nullptr);
  CHECK(v.is_leaf());
  std::ostringstream printed;
  printed << v;
  CHECK(printed.str() == "tensor([1., 1.], dtype=torch.float64, requires_grad=True)");
  // torch checks the view's own rule before the leaf's
  CHECK_THROWS_WITH(v.mul_(2.0), std::string("A view was created in no_grad mode and is being modified inplace") +
                                     no_grad_view_tail);
  // operations on it record nodes whose edge to it is empty: nothing reaches x
  const auto w = leaf({2.0, 3.0});
  const auto z = v * w;
  CHECK(z.requires_grad());
  REQUIRE(z.grad_fn() != nullptr);
  CHECK(z.grad_fn()->next_functions()[0].first == nullptr);
  CHECK(name_of(z.grad_fn()->next_functions()[1].first) == "torch::autograd::AccumulateGrad");
  z.sum().backward();
  CHECK_FALSE(x.grad().defined());
  CHECK(values(w.grad()) == vec{1.0, 1.0});
  CHECK_THROWS_WITH(tg::autograd::grad({(v * w).sum()}, {v}),
                    "One of the differentiated Tensors appears to not have been used in the graph. Set allow_unused=True "
                    "if this is the desired behavior.");
  v.sum().backward();  // torch runs it too (its only edge is empty)
  CHECK_FALSE(x.grad().defined());
  // a no-grad view of a non-leaf: True as well
  const auto y = x * 2.0;
  tg::Tensor u;
  {
    tg::NoGradGuard no_grad;
    u = y.narrow(0, 1, 2);
  }
  CHECK(u.requires_grad());
  CHECK(u.grad_fn() == nullptr);
  // a view made before its base was made to require grad (torch: True; then the leaf-view error)
  const auto a = tg::ones({3}, tg::dtype(tg::kDouble));
  const auto b = a.narrow(0, 0, 2);
  a.requires_grad_();
  CHECK(b.requires_grad());
  CHECK_THROWS_WITH(b.mul_(2.0), "a view of a leaf Variable that requires grad is being used in an in-place operation.");
  // a view of a leaf in a multi-view function: the multi-view rule comes first, as in torch
  CHECK_THROWS_WITH(x.split(2)[0].mul_(2.0),
                    std::string("Output 0 of SplitBackward0 is a view and is being modified inplace") + multi_view_tail);
}
