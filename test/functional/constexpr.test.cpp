// constexpr evaluation and differentiation of rational functions, proven at compile time.
#include <catch2/catch.hpp>

#include <typegrad/static.hpp>

namespace tg = typegrad;

namespace {
constexpr auto p = [](auto x) { return x * x * x; };
constexpr auto r = [](auto x, auto y) { return (x * x - 2 * y) / (1.0 + y * y); };
}  // namespace

// The api.md example.
static_assert(tg::grad(p, 3.0)[0] == 27.0);
static_assert(tg::eval(p, 3.0) == 27.0);
static_assert(tg::value_and_grad(p, 2.0).first == 8.0);
static_assert(tg::derivative<0>(p)(2.0) == 12.0);
static_assert(tg::derivative<0>(tg::derivative<0>(p))(2.0) == 12.0);
static_assert(tg::derivative<0>(tg::derivative<0>(tg::derivative<0>(p)))(5.0) == 6.0);
// A rational function of two variables: d/dx = 2x / (1 + y^2), d/dy = (-2(1+y^2) - 2y(x^2-2y)) / (1+y^2)^2
static_assert(tg::grad(r, 3.0, 1.0)[0] == 3.0);
static_assert(tg::grad(r, 3.0, 1.0)[1] == (-2.0 * 2.0 - 2.0 * 7.0) / 4.0);
static_assert(tg::hessian(r, 3.0, 1.0)[0][0] == 1.0);
static_assert(tg::jvp(r, std::array{3.0, 1.0}, std::array{1.0, 0.0}).second == 3.0);
// float and long double too
static_assert(tg::grad(p, 3.0f)[0] == 27.0f);
static_assert(tg::grad(p, 3.0L)[0] == 27.0L);

TEST_CASE("constexpr results equal the run-time results") {
  volatile double x = 3.0;  // forces run-time evaluation
  CHECK(tg::grad(p, static_cast<double>(x))[0] == 27.0);
  CHECK(tg::grad(r, static_cast<double>(x), 1.0)[1] == (-2.0 * 2.0 - 2.0 * 7.0) / 4.0);
}
