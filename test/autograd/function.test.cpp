// Custom functions (spec/autograd.md §4, acceptance tests 36-40).
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include <typegrad/dynamic.hpp>

namespace tg = typegrad;
using tg::autograd::AutogradContext;

namespace {

struct MyMul : tg::autograd::Function<MyMul> {
  static tg::Tensor forward(AutogradContext* ctx, tg::Tensor a, tg::Tensor b, double scale) {
    ctx->save_for_backward({a, b});
    ctx->saved_data["scale"] = scale;
    ctx->saved_data["needs"] = std::vector<bool>{ctx->needs_input_grad(0), ctx->needs_input_grad(1), ctx->needs_input_grad(2)};
    return a * b * scale;
  }
  static tg::tensor_list backward(AutogradContext* ctx, tg::tensor_list g) {
    auto saved = ctx->get_saved_variables();
    const double scale = std::any_cast<double>(ctx->saved_data["scale"]);
    return {g[0] * saved[1] * scale, g[0] * saved[0] * scale, tg::Tensor()};
  }
};

struct BadCount : tg::autograd::Function<BadCount> {
  static tg::Tensor forward(AutogradContext*, tg::Tensor a) { return a * 2.0; }
  static tg::tensor_list backward(AutogradContext*, tg::tensor_list g) { return {g[0], g[0]}; }
};

struct BadNonTensor : tg::autograd::Function<BadNonTensor> {
  static tg::Tensor forward(AutogradContext*, tg::Tensor a, int) { return a * 2.0; }
  static tg::tensor_list backward(AutogradContext*, tg::tensor_list g) { return {g[0], g[0]}; }
};

struct ExtraNones : tg::autograd::Function<ExtraNones> {
  static tg::Tensor forward(AutogradContext*, tg::Tensor a) { return a * 2.0; }
  static tg::tensor_list backward(AutogradContext*, tg::tensor_list g) { return {g[0] * 2.0, tg::Tensor(), tg::Tensor()}; }
};

struct Once : tg::autograd::Function<Once> {
  static constexpr bool once_differentiable = true;
  static tg::Tensor forward(AutogradContext* ctx, tg::Tensor a) {
    ctx->save_for_backward({a});
    return a * a;
  }
  static tg::tensor_list backward(AutogradContext* ctx, tg::tensor_list g) {
    CHECK_FALSE(tg::GradMode::is_enabled());
    return {g[0] * 2.0 * ctx->get_saved_variables()[0]};
  }
};

struct ScaleInPlace : tg::autograd::Function<ScaleInPlace> {
  static tg::Tensor forward(AutogradContext* ctx, tg::Tensor a) {
    a.mul_(2.0);
    ctx->mark_dirty({a});
    return a;
  }
  static tg::tensor_list backward(AutogradContext*, tg::tensor_list g) { return {g[0] * 2.0}; }
};

struct DirtyNotReturned : tg::autograd::Function<DirtyNotReturned> {
  static tg::Tensor forward(AutogradContext* ctx, tg::Tensor a) {
    ctx->mark_dirty({a});
    return a * 1.0;
  }
  static tg::tensor_list backward(AutogradContext*, tg::tensor_list g) { return {g[0]}; }
};

struct SortWithIndex : tg::autograd::Function<SortWithIndex> {
  static tg::tensor_list forward(AutogradContext* ctx, tg::Tensor a) {
    auto doubled = a * 2.0;
    auto mask = a > 0.0;
    ctx->mark_non_differentiable({mask});
    return {doubled, mask};
  }
  static tg::tensor_list backward(AutogradContext*, tg::tensor_list g) {
    CHECK(g.size() == 2);
    CHECK(g[1].defined());  // materialized zeros for the non-differentiable output
    return {g[0] * 2.0};
  }
};

struct NoMaterialize : tg::autograd::Function<NoMaterialize> {
  static tg::tensor_list forward(AutogradContext* ctx, tg::Tensor a) {
    ctx->set_materialize_grads(false);
    return {a * 1.0, a * 1.0};
  }
  static tg::tensor_list backward(AutogradContext*, tg::tensor_list g) {
    CHECK(g[0].defined());
    CHECK_FALSE(g[1].defined());
    return {g[0]};
  }
};

struct ReturnsInput : tg::autograd::Function<ReturnsInput> {
  static tg::Tensor forward(AutogradContext*, tg::Tensor a) { return a; }
  static tg::tensor_list backward(AutogradContext*, tg::tensor_list g) { return {g[0] * 3.0}; }
};

struct SetupContextStyle : tg::autograd::Function<SetupContextStyle> {
  static tg::Tensor forward(tg::Tensor a) { return tg::exp(a); }
  static void setup_context(AutogradContext* ctx, const tg::tensor_list&, const tg::Tensor& output) {
    ctx->save_for_backward({output});
  }
  static tg::tensor_list backward(AutogradContext* ctx, tg::tensor_list g) { return {g[0] * ctx->get_saved_variables()[0]}; }
};

}  // namespace

TEST_CASE("custom function: forward, backward, name, needs_input_grad, saved data", "[autograd][function]") {
  auto a = tg::tensor({1.0, 2.0}, tg::requires_grad());
  auto b = tg::tensor({3.0, 4.0});
  auto y = MyMul::apply(a, b, 2.0);
  CHECK(y.grad_fn()->name() == "MyMulBackward");
  CHECK(y.grad_fn()->next_functions().size() == 2);
  CHECK(y.grad_fn()->next_functions()[1].first == nullptr);
  auto& node = dynamic_cast<tg::autograd::CppNode<MyMul>&>(*y.grad_fn());
  CHECK(std::any_cast<std::vector<bool>>(node.ctx.saved_data["needs"]) == std::vector<bool>{true, false, false});
  y.sum().backward();
  CHECK(a.grad().select(0, 1).item<double>() == 8.0);
  CHECK_THROWS_WITH(node.ctx.get_saved_variables(), Catch::StartsWith("Trying to backward through the graph a second time"));
  CHECK_FALSE(MyMul::apply(b, b, 1.0).requires_grad());
}

TEST_CASE("custom function: saved tensors are version-checked", "[autograd][function]") {
  auto a = tg::tensor({1.0, 2.0}, tg::requires_grad());
  auto h = a * 1.0;
  auto y = MyMul::apply(h, h, 1.0);
  h.add_(1.0);
  CHECK_THROWS_WITH(y.sum().backward(), Catch::Contains("modified by an inplace operation"));
}

TEST_CASE("custom function: wrong gradient counts and positions", "[autograd][function][errors]") {
  auto a = tg::tensor({1.0}, tg::requires_grad());
  CHECK_THROWS_WITH(BadCount::apply(a).backward(),
                    "function BadCountBackward returned an incorrect number of gradients (expected 1, got 2)");
  CHECK_THROWS_WITH(BadNonTensor::apply(a, 1).backward(),
                    "function BadNonTensorBackward returned a gradient different than None at position 2, but the "
                    "corresponding forward input was not a Variable");
  CHECK_FALSE(a.grad().defined());  // the failed backwards accumulated nothing
  ExtraNones::apply(a).backward();  // trailing undefined gradients are fine
  CHECK(a.grad().item<double>() == 2.0);
}

TEST_CASE("custom function: once_differentiable", "[autograd][function]") {
  auto a = tg::tensor({3.0}, tg::requires_grad());
  auto y = Once::apply(a);
  auto g = tg::autograd::grad({y.sum()}, {a}, {}, true, true);
  CHECK(g[0].item<double>() == 6.0);
  CHECK(g[0].grad_fn()->name() == "torch::autograd::Error");
  CHECK_THROWS_WITH(g[0].sum().backward(),
                    "trying to differentiate twice a function that was marked with @once_differentiable");
}

TEST_CASE("custom function: mark_dirty returns the input with a new history", "[autograd][function]") {
  auto a = tg::tensor({1.0, 2.0}, tg::requires_grad());
  auto h = a * 1.0;
  const auto version = h._version();
  auto y = ScaleInPlace::apply(h);
  CHECK(y.is_same(h));
  CHECK(h._version() == version + 2);  // the mul_ inside forward, then mark_dirty
  CHECK(h.grad_fn()->name() == "ScaleInPlaceBackward");
  y.sum().backward();
  CHECK(a.grad().select(0, 0).item<double>() == 2.0);
  CHECK_THROWS_WITH(ScaleInPlace::apply(a), "a leaf Variable that requires grad has been used in an in-place operation.");
  CHECK_THROWS_WITH(DirtyNotReturned::apply(a * 1.0),
                    "Some elements marked as dirty during the forward method were not returned as output.");
}

TEST_CASE("custom function: non-differentiable outputs and materialized grads", "[autograd][function]") {
  auto a = tg::tensor({-1.0, 2.0}, tg::requires_grad());
  auto outs = SortWithIndex::apply(a);
  CHECK(outs[0].requires_grad());
  CHECK_FALSE(outs[1].requires_grad());
  outs[0].sum().backward();
  CHECK(a.grad().select(0, 0).item<double>() == 2.0);
  auto b = tg::tensor({1.0}, tg::requires_grad());
  auto two = NoMaterialize::apply(b);
  two[0].sum().backward();
  CHECK(b.grad().item<double>() == 1.0);
}

TEST_CASE("custom function: returning an input, setup_context style", "[autograd][function]") {
  auto a = tg::tensor({1.0}, tg::requires_grad());
  auto y = ReturnsInput::apply(a);
  CHECK_FALSE(y.is_same(a));
  CHECK(y.grad_fn()->name() == "ReturnsInputBackward");
  y.backward();
  CHECK(a.grad().item<double>() == 3.0);
  auto z = SetupContextStyle::apply(a);
  z.backward();
  CHECK(a.grad().item<double>() == Approx(3.0 + std::exp(1.0)));
}
