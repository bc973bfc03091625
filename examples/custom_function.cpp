// A custom differentiable function, as in libtorch: a numerically stable softplus whose
// backward reuses what forward saved. Checked with gradcheck.
#include <cstdio>

#include <typegrad/autograd/gradcheck.hpp>
#include <typegrad/dynamic.hpp>

namespace tg = typegrad;
using tg::autograd::AutogradContext;

/// softplus(x) = log(1 + exp(x)) with derivative sigmoid(x), computed once in forward.
struct StableSoftplus : tg::autograd::Function<StableSoftplus> {
  static tg::Tensor forward(AutogradContext* ctx, tg::Tensor x, double beta) {
    tg::Tensor bx = x * beta;
    // log(1 + exp(bx)) = max(bx, 0) + log1p(exp(-|bx|))
    tg::Tensor y = (tg::relu(bx) + tg::log1p(tg::exp(-tg::abs(bx)))) / beta;
    ctx->save_for_backward({tg::sigmoid(bx)});
    return y;
  }
  static tg::tensor_list backward(AutogradContext* ctx, tg::tensor_list grad_outputs) {
    const tg::Tensor slope = ctx->get_saved_variables()[0];
    return {grad_outputs[0] * slope, tg::Tensor()};  // no gradient for beta (not a tensor)
  }
};

int main() {
  tg::Tensor x = tg::tensor({-30.0, -1.0, 0.0, 2.0, 40.0}, tg::requires_grad());
  tg::Tensor y = StableSoftplus::apply(x, 2.0);
  std::printf("%s\n", y.grad_fn()->name().c_str());  // StableSoftplusBackward
  y.sum().backward();
  for (std::int64_t i = 0; i < 5; ++i) {
    std::printf("x = %6.1f  softplus = %.6f  slope = %.6f\n", x.select(0, i).item<double>(), y.select(0, i).item<double>(),
                x.grad().select(0, i).item<double>());
  }
  // gradcheck compares the backward with central differences
  const bool ok = tg::autograd::gradcheck(
      [](const tg::tensor_list& in) { return StableSoftplus::apply(in[0], 2.0); },
      {tg::tensor({-1.5, 0.3, 2.0}, tg::requires_grad())});
  std::printf("gradcheck: %s\n", ok ? "passed" : "failed");
  return ok ? 0 : 1;
}
