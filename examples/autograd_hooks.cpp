// Hooks of the dynamic layer: gradient clipping with tensor hooks, a node pre-hook that logs,
// a multi-grad hook that sees all parameters' gradients at once (their global norm), and a walk
// over grad_fn / next_functions that prints the graph torch-style.
#include <cmath>
#include <cstdio>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include <typegrad/dynamic.hpp>

namespace tg = typegrad;

namespace {
/// Prints the graph below `node` (each node once), indented by depth.
void print_graph(const std::shared_ptr<tg::autograd::Node>& node, int depth, std::set<const tg::autograd::Node*>& seen) {
  if (!node) {
    std::printf("%*sNone\n", 2 * depth, "");
    return;
  }
  const bool first = seen.insert(node.get()).second;
  std::printf("%*s%s%s\n", 2 * depth, "", node->name().c_str(), first ? "" : " (shared, shown above)");
  if (!first) return;
  for (const auto& [next, input_nr] : node->next_functions()) print_graph(next, depth + 1, seen);
}
}  // namespace

int main() {
  tg::Tensor w = tg::tensor({3.0, -4.0, 0.5}, tg::requires_grad());
  tg::Tensor b = tg::tensor(1.0, tg::requires_grad());
  tg::Tensor x = tg::tensor({10.0, 20.0, 30.0});

  // clip every element of w's gradient to [-1, 1] before it is accumulated
  auto clip = w.register_hook([](const tg::Tensor& g) { return tg::clamp(g, -1.0, 1.0); });

  tg::Tensor prediction = (w * x).sum() + b;
  tg::Tensor loss = tg::square(prediction - 2.0);

  // a node pre-hook sees the gradient arriving at the loss' node
  loss.grad_fn()->register_prehook([](const tg::tensor_list& grads) -> std::optional<tg::tensor_list> {
    std::printf("gradient arriving at the loss: %.1f\n", grads[0].item<double>());
    return std::nullopt;
  });
  loss.grad_fn()->metadata()["role"] = std::string("loss");

  std::printf("graph of the loss:\n");
  std::set<const tg::autograd::Node*> seen;
  print_graph(loss.grad_fn(), 1, seen);

  // once per backward pass, when the gradients of both parameters are known (w's after clipping:
  // tensor hooks run in registration order): their global norm
  double global_norm = -1;
  auto norm_hook = tg::autograd::graph::register_multi_grad_hook({w, b}, [&](const tg::tensor_list& grads) {
    double squares = 0;
    for (const auto& g : grads)
      if (g.defined()) squares += (g * g).sum().item<double>();
    global_norm = std::sqrt(squares);
  });

  loss.backward();
  norm_hook.remove();
  const double db = b.grad().item<double>();
  const double expected_norm = std::sqrt((w.grad() * w.grad()).sum().item<double>() + db * db);
  std::printf("global gradient norm seen by the multi-grad hook: %.4f\n", global_norm);
  if (std::abs(global_norm - expected_norm) > 1e-12 * expected_norm) return 1;
  std::printf("prediction %.1f, dloss/db %.1f (unclipped), dloss/dw clipped to %s\n", prediction.item<double>(),
              b.grad().item<double>(), "[-1, 1]");
  for (std::int64_t i = 0; i < 3; ++i) {
    const double g = w.grad().select(0, i).item<double>();
    std::printf("  dloss/dw[%lld] = %.1f\n", static_cast<long long>(i), g);
    if (g < -1.0 || g > 1.0) return 1;
  }
  clip.remove();
  return std::abs(b.grad().item<double>()) > 1.0 ? 0 : 1;  // b has no hook: not clipped
}
