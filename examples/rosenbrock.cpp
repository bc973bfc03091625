// Minimising the Rosenbrock function with tg::value_and_grad: gradient descent with a
// backtracking (Armijo) line search, then a few Newton steps with tg::hessian.
#include <array>
#include <cmath>
#include <cstdio>

#include <typegrad/static.hpp>

namespace tg = typegrad;

int main() {
  const auto rosenbrock = [](auto x, auto y) { return square(1.0 - x) + 100.0 * square(y - x * x); };
  std::printf("f(x, y) = %s\n", tg::to_string(rosenbrock).c_str());
  std::array<double, 2> p{-1.2, 1.0};
  int it = 0;
  for (; it < 20000; ++it) {
    auto [f, g] = tg::value_and_grad(rosenbrock, p[0], p[1]);
    const double gg = g[0] * g[0] + g[1] * g[1];
    if (gg < 1e-8) break;
    double step = 1e-2;
    while (tg::eval(rosenbrock, p[0] - step * g[0], p[1] - step * g[1]) > f - 0.5 * step * gg) step *= 0.5;
    p = {p[0] - step * g[0], p[1] - step * g[1]};
    if (it % 2000 == 0) std::printf("  descent %5d: f = %.6e at (%.6f, %.6f)\n", it, f, p[0], p[1]);
  }
  std::printf("gradient descent stopped after %d iterations at (%.6f, %.6f)\n", it, p[0], p[1]);
  for (int k = 0; k < 5; ++k) {  // polish with Newton's method
    const auto g = tg::grad(rosenbrock, p[0], p[1]);
    const auto H = tg::hessian(rosenbrock, p[0], p[1]);
    const double det = H[0][0] * H[1][1] - H[0][1] * H[1][0];
    p = {p[0] - (H[1][1] * g[0] - H[0][1] * g[1]) / det, p[1] - (H[0][0] * g[1] - H[1][0] * g[0]) / det};
    std::printf("  newton %d: (%.15f, %.15f)\n", k, p[0], p[1]);
  }
  const bool ok = std::abs(p[0] - 1.0) < 1e-12 && std::abs(p[1] - 1.0) < 1e-12;
  std::printf("minimum %s at (%.12f, %.12f)\n", ok ? "found" : "NOT found", p[0], p[1]);
  return ok ? 0 : 1;
}
