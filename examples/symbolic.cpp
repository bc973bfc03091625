// Symbolic derivatives as types: tg::derivative returns a new callable whose formula
// tg::to_string prints; rational functions differentiate at compile time.
#include <cstdio>

#include <typegrad/static.hpp>

namespace tg = typegrad;

int main() {
  const auto f = [](auto x, auto y) { return sin(x) * y + exp(x * y); };
  const auto dfdx = tg::derivative<0>(f);
  const auto d2fdxdy = tg::derivative<1>(dfdx);
  std::printf("f          = %s\n", tg::to_string(f).c_str());
  std::printf("df/dx      = %s\n", tg::to_string(dfdx).c_str());
  std::printf("d2f/dxdy   = %s\n", tg::to_string(d2fdxdy).c_str());
  std::printf("at (1, 2): f = %.12f, df/dx = %.12f, d2f/dxdy = %.12f\n", tg::eval(f, 1.0, 2.0), dfdx(1.0, 2.0),
              d2fdxdy(1.0, 2.0));

  // Simplification: 0 and 1 fold away, literals fold at compile time.
  using namespace tg::literals;
  const auto p = [](auto x) { return 3_c * x * x * x - 2_c * x + 7_c; };
  std::printf("p          = %s\n", tg::to_string(p).c_str());
  std::printf("p'         = %s\n", tg::to_string(tg::derivative<0>(p)).c_str());
  std::printf("p''        = %s\n", tg::to_string(tg::derivative<0>(tg::derivative<0>(p))).c_str());
  std::printf("p'''       = %s\n", tg::to_string(tg::derivative<0>(tg::derivative<0>(tg::derivative<0>(p)))).c_str());

  // constexpr: the derivative is computed by the compiler.
  constexpr auto cube = [](auto x) { return x * x * x; };
  static_assert(tg::grad(cube, 3.0)[0] == 27.0);
  static_assert(tg::derivative<0>(tg::derivative<0>(cube))(2.0) == 12.0);
  constexpr double slope = tg::derivative<0>(p)(1.0);
  static_assert(slope == 7.0);
  std::printf("constexpr: d/dx x^3 at 3 = %g, p'(1) = %g (both computed at compile time)\n", tg::grad(cube, 3.0)[0], slope);

  // Special functions differentiate too.
  const auto g = [](auto x) { return lgamma(x) + erf(x); };
  std::printf("g          = %s\ng'         = %s\ng''        = %s\n", tg::to_string(g).c_str(),
              tg::to_string(tg::derivative<0>(g)).c_str(),
              tg::to_string(tg::derivative<0>(tg::derivative<0>(g))).c_str());
  return 0;
}
