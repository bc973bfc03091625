// Consumer smoke test: the static layer, used from an installed or add_subdirectory'd
// typegrad. Exit status 0 iff tg::grad gives the right gradient.
#include <typegrad/static.hpp>

#include <cmath>
#include <cstdio>

namespace tg = typegrad;

int main() {
  auto f = [](auto x, auto y) { return x * y + sin(x); };  // ADL finds tg::sin
  const auto g = tg::grad(f, 1.0, 2.0);

  const double expected[2] = {2.0 + std::cos(1.0), 1.0};
  const double got[2] = {static_cast<double>(g[0]), static_cast<double>(g[1])};
  bool ok = true;
  for (int i = 0; i < 2; ++i) {
    if (std::abs(got[i] - expected[i]) > 1e-12 * (1.0 + std::abs(expected[i]))) ok = false;
  }
  std::printf("grad(x*y + sin(x)) at (1, 2) = {%.17g, %.17g}, expected {%.17g, %.17g}: %s\n",
              got[0], got[1], expected[0], expected[1], ok ? "ok" : "WRONG");
  return ok ? 0 : 1;
}
