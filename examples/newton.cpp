// Newton's method on a 2-D nonlinear system F(x, y) = 0 with tg::jacobian.
//   x^2 + y^2 - 4 = 0      (a circle)
//   exp(x) + y - 1 = 0     (an exponential curve)
#include <array>
#include <cmath>
#include <cstdio>
#include <tuple>

#include <typegrad/static.hpp>

namespace tg = typegrad;

int main() {
  const auto F = [](auto x, auto y) { return std::tuple{x * x + y * y - 4.0, exp(x) + y - 1.0}; };
  std::array<double, 2> p{1.0, -1.0};
  std::printf("Newton's method on F(x, y) = (%s)\n", tg::to_string(F).c_str());
  for (int it = 0; it < 20; ++it) {
    const std::array<double, 2> r = tg::eval(F, p[0], p[1]);
    const auto J = tg::jacobian(F, p[0], p[1]);  // J[i][j] = dF_i / dx_j
    const double det = J[0][0] * J[1][1] - J[0][1] * J[1][0];
    const double dx = (J[1][1] * r[0] - J[0][1] * r[1]) / det;
    const double dy = (J[0][0] * r[1] - J[1][0] * r[0]) / det;
    p = {p[0] - dx, p[1] - dy};
    const double norm = std::hypot(r[0], r[1]);
    std::printf("  iteration %2d: x = %.15f  y = %.15f  |F| = %.3e\n", it, p[0], p[1], norm);
    if (norm < 1e-14) break;
  }
  const std::array<double, 2> r = tg::eval(F, p[0], p[1]);
  if (std::hypot(r[0], r[1]) > 1e-12) {
    std::printf("did not converge\n");
    return 1;
  }
  std::printf("root: (%.12f, %.12f)\n", p[0], p[1]);
  return 0;
}
