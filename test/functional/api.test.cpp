// The api.md §1 examples, verbatim where possible, against analytic values.
#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <string>
#include <tuple>
#include <utility>

#include <typegrad/static.hpp>

namespace tg = typegrad;

namespace {
const auto f = [](auto x, auto y) { return sin(x) * y + exp(x * y); };
const auto F = [](auto x, auto y) { return std::tuple{x * y, sin(x) + y}; };

double fx(double x, double y) { return std::cos(x) * y + y * std::exp(x * y); }
double fy(double x, double y) { return std::sin(x) + x * std::exp(x * y); }
double fxx(double x, double y) { return -std::sin(x) * y + y * y * std::exp(x * y); }
double fxy(double x, double y) { return std::cos(x) + std::exp(x * y) * (1 + x * y); }
double fyy(double x, double y) { return x * x * std::exp(x * y); }
}  // namespace

TEST_CASE("eval, grad and value_and_grad follow the contract") {
  const double x = 1.0, y = 2.0;
  const double v = tg::eval(f, x, y);
  CHECK(v == Approx(std::sin(x) * y + std::exp(x * y)).epsilon(1e-15));
  const std::array<double, 2> g = tg::grad(f, x, y);
  CHECK(g[0] == Approx(fx(x, y)).epsilon(1e-14));
  CHECK(g[1] == Approx(fy(x, y)).epsilon(1e-14));
  auto [value, gradient] = tg::value_and_grad(f, x, y);
  static_assert(std::is_same_v<decltype(value), double>);
  static_assert(std::is_same_v<decltype(gradient), std::array<double, 2>>);
  CHECK(value == v);
  CHECK(gradient == g);
}

TEST_CASE("hessian, hvp and jvp agree with the analytic second derivatives") {
  const double x = 1.0, y = 2.0;
  const std::array<std::array<double, 2>, 2> H = tg::hessian(f, x, y);
  CHECK(H[0][0] == Approx(fxx(x, y)).epsilon(1e-13));
  CHECK(H[0][1] == Approx(fxy(x, y)).epsilon(1e-13));
  CHECK(H[1][0] == Approx(fxy(x, y)).epsilon(1e-13));
  CHECK(H[1][1] == Approx(fyy(x, y)).epsilon(1e-13));
  const std::array<double, 2> hv = tg::hvp(f, std::array{1.0, 2.0}, std::array{1.0, 0.0});
  CHECK(hv[0] == Approx(fxx(x, y)).epsilon(1e-13));
  CHECK(hv[1] == Approx(fxy(x, y)).epsilon(1e-13));
  auto [fxv, dfx] = tg::jvp(f, std::array{1.0, 2.0}, std::array{0.5, -1.0});
  CHECK(fxv == Approx(tg::eval(f, x, y)));
  CHECK(dfx == Approx(0.5 * fx(x, y) - fy(x, y)).epsilon(1e-14));
}

TEST_CASE("jacobian picks forward or reverse mode and both give J[i][j] = dF_i/dx_j") {
  const std::array<std::array<double, 2>, 2> J = tg::jacobian(F, 1.0, 2.0);  // square: forward mode
  CHECK(J[0][0] == 2.0);
  CHECK(J[0][1] == 1.0);
  CHECK(J[1][0] == Approx(std::cos(1.0)));
  CHECK(J[1][1] == 1.0);
  // three inputs, two outputs: reverse mode
  const auto G = [](auto x, auto y, auto z) { return std::tuple{x * y * z, sin(x) + y}; };
  const auto J3 = tg::jacobian(G, 1.0, 2.0, 3.0);
  CHECK(J3[0] == std::array{6.0, 3.0, 2.0});
  CHECK(J3[1][0] == Approx(std::cos(1.0)));
  CHECK(J3[1][1] == 1.0);
  CHECK(J3[1][2] == 0.0);
  // one input, two outputs: forward mode
  const auto K = [](auto x) { return std::tuple{x * x, exp(x)}; };
  const auto J1 = tg::jacobian(K, 0.5);
  CHECK(J1[0][0] == 1.0);
  CHECK(J1[1][0] == Approx(std::exp(0.5)));
}

namespace {
/// `depth` steps of u = sin(u) * x + y: three instructions each.
template <int Depth> auto sin_chain(const auto& u, const auto& x, const auto& y) {
  if constexpr (Depth == 0) return u;
  else return sin_chain<Depth - 1>(sin(u) * x + y, x, y);
}
}  // namespace

TEST_CASE("jacobian of a function over 256 instructions: the forward sweep in pieces gives the same values") {
  // 2 x 45 x 3 instructions plus the inputs: over forward_piece_limit, so the SIMD-tangent sweep
  // runs as two functions; each output alone (137 instructions) is one reverse sweep.
  const auto H = [](auto x, auto y) { return std::pair{sin_chain<45>(x, x, y), sin_chain<45>(y, y, x)}; };
  // the first sin of each output reads an argument: those two form a SIMD group (simd_groups.hpp)
  using Roots = decltype(tg::detail::trace(H, 0.0, 0.0));
  using Code = tg::detail::compile<tg::detail::roots_layout<tg::detail::roots_t<Roots>>::type>::type;
  STATIC_REQUIRE(Code::size > tg::detail::forward_piece_limit);
  STATIC_REQUIRE(tg::detail::group_plan<Code>::plan.groups == 1);
  const auto J = tg::jacobian(H, 0.7, 0.4);
  const auto g0 = tg::grad([&](auto x, auto y) { return H(x, y).first; }, 0.7, 0.4);
  const auto g1 = tg::grad([&](auto x, auto y) { return H(x, y).second; }, 0.7, 0.4);
  for (std::size_t j = 0; j < 2; ++j) {
    CHECK(J[0][j] == Approx(g0[j]).epsilon(1e-13));
    CHECK(J[1][j] == Approx(g1[j]).epsilon(1e-13));
  }
  // and against central differences of the plain function
  const double h = 1e-6;
  const auto first = [&](double x, double y) { return H(x, y).first; };
  CHECK(J[0][0] == Approx((first(0.7 + h, 0.4) - first(0.7 - h, 0.4)) / (2 * h)).epsilon(1e-7));
  CHECK(J[0][1] == Approx((first(0.7, 0.4 + h) - first(0.7, 0.4 - h)) / (2 * h)).epsilon(1e-7));
}

TEST_CASE("vjp is v^T J") {
  const std::array<double, 2> w = tg::vjp(F, std::array{1.0, 2.0}, std::array{1.0, 0.0});
  CHECK(w == std::array{2.0, 1.0});
  const auto w2 = tg::vjp(F, std::array{1.0, 2.0}, std::array{0.5, 2.0});
  CHECK(w2[0] == Approx(0.5 * 2.0 + 2.0 * std::cos(1.0)));
  CHECK(w2[1] == Approx(0.5 * 1.0 + 2.0));
}

TEST_CASE("derivative returns a callable of any order and mix") {
  const auto dfdx = tg::derivative<0>(f);
  CHECK(dfdx(1.0, 2.0) == Approx(fx(1.0, 2.0)).epsilon(1e-14));
  const double d2 = tg::derivative<1>(dfdx)(1.0, 2.0);
  CHECK(d2 == Approx(fxy(1.0, 2.0)).epsilon(1e-14));
  const auto d3 = tg::derivative<0>(tg::derivative<0>(dfdx));
  const double x = 1.0, y = 2.0;
  CHECK(d3(x, y) == Approx(-std::cos(x) * y + y * y * y * std::exp(x * y)).epsilon(1e-13));
}

TEST_CASE("to_string prints the formula and its simplified derivative") {
  CHECK(tg::to_string(f) == "sin(x0) * x1 + exp(x0 * x1)");
  CHECK(tg::to_string(tg::derivative<0>(f)) == "x1 * cos(x0) + exp(x0 * x1) * x1");
  CHECK(tg::to_string(tg::derivative<1>(f)) == "sin(x0) + exp(x0 * x1) * x0");
  CHECK(tg::to_string([](auto x) { return x * 2.5 - 1.0 / x; }) == "x0 * 2.5 - 1 / x0");
  CHECK(tg::to_string([](auto x, auto y) { return x - (y - x) / (x * y); }) == "x0 - (x1 - x0) / (x0 * x1)");
  CHECK(tg::to_string(F) == "(x0 * x1, sin(x0) + x1)");
  // 0 and 1 fold away: d/dx (3x + y) is the literal 3
  CHECK(tg::to_string(tg::derivative<0>([](auto x, auto y) {
          using namespace tg::literals;
          return 3_c * x + y;
        })) == "3");
}

TEST_CASE("a captured runtime value is a constant of the graph") {
  const double a = 3.5;
  const auto g = [a](auto x) { return a * x * x; };
  CHECK(tg::grad(g, 2.0)[0] == Approx(2 * a * 2.0));
  CHECK(tg::derivative<0>(tg::derivative<0>(g))(2.0) == Approx(2 * a));
  CHECK(tg::to_string(g) == "3.5 * x0 * x0");
}

TEST_CASE("an argument f does not use gets a zero gradient") {
  const auto g = [](auto x, auto) { return x * x; };
  CHECK(tg::grad(g, 3.0, 4.0) == std::array{6.0, 0.0});
  CHECK(tg::hessian(g, 3.0, 4.0)[1] == std::array{0.0, 0.0});
  const auto c = [](auto) { return 2.0; };
  CHECK(tg::grad(c, 1.0) == std::array{0.0});
  CHECK(tg::eval(c, 1.0) == 2.0);
}

TEST_CASE("where, comparisons and the piecewise operations") {
  const auto g = [](auto x, auto y) { return tg::where(x > y, x * y, x + y); };
  CHECK(tg::grad(g, 3.0, 2.0) == std::array{2.0, 3.0});
  CHECK(tg::grad(g, 1.0, 2.0) == std::array{1.0, 1.0});
  CHECK(tg::eval(g, 1.0, 2.0) == 3.0);
  const auto m = [](auto x, auto y) { return max(x, y) + min(x, y) * 2.0; };
  CHECK(tg::grad(m, 1.0, 1.0) == std::array{1.5, 1.5});  // ties split evenly (torch)
  CHECK(tg::grad(m, 2.0, 1.0) == std::array{1.0, 2.0});
}
