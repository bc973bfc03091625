// Array arguments: elementwise bodies over a runtime extent, reductions, element access,
// gradients in the argument's shape, mixing with scalars.
#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <numeric>
#include <span>
#include <vector>

#include <typegrad/static.hpp>

namespace tg = typegrad;

namespace {
std::vector<double> points(std::size_t n, double scale = 1.0) {
  std::vector<double> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = scale * std::sin(0.7 * static_cast<double>(i) + 0.3) + 0.1;
  return v;
}
}  // namespace

TEST_CASE("normal negative log-likelihood: value and every gradient, all extents") {
  const auto nll = [](auto x, auto mu, auto sigma) {
    return tg::sum(square((x - mu) / sigma)) * 0.5 + log(sigma) * static_cast<double>(x.size());
  };
  for (std::size_t n : {1u, 2u, 3u, 4u, 5u, 7u, 8u, 9u, 16u, 17u, 100u, 1001u}) {
    const auto xs = points(n);
    const double mu = 0.2, s = 1.3;
    auto [v, g] = tg::value_and_grad(nll, xs, mu, s);
    auto& [gx, gmu, gs] = g;
    static_assert(std::is_same_v<std::remove_cvref_t<decltype(gx)>, std::vector<double>>);
    double ev = 0, egmu = 0, egs = 0;
    for (double x : xs) {
      ev += 0.5 * (x - mu) * (x - mu) / (s * s) + std::log(s);
      egmu += -(x - mu) / (s * s);
      egs += -(x - mu) * (x - mu) / (s * s * s) + 1 / s;
    }
    CHECK(v == Approx(ev).epsilon(1e-13));
    CHECK(gmu == Approx(egmu).epsilon(1e-12).margin(1e-13));
    CHECK(gs == Approx(egs).epsilon(1e-12));
    REQUIRE(gx.size() == n);
    for (std::size_t i = 0; i < n; ++i) CHECK(gx[i] == Approx((xs[i] - mu) / (s * s)).epsilon(1e-13));
  }
}

TEST_CASE("sum, mean, prod, dot, log_sum_exp and norm2 with their gradients") {
  const auto xs = points(13), ys = points(13, 2.0);
  SECTION("sum and mean") {
    const auto [gx] = tg::grad([](auto x) { return tg::sum(x * x); }, xs);
    for (std::size_t i = 0; i < xs.size(); ++i) CHECK(gx[i] == Approx(2 * xs[i]));
    const auto [gm] = tg::grad([](auto x) { return tg::mean(exp(x)); }, xs);
    for (std::size_t i = 0; i < xs.size(); ++i) CHECK(gm[i] == Approx(std::exp(xs[i]) / 13.0));
    CHECK(tg::eval([](auto x) { return tg::mean(x); }, xs) ==
          Approx(std::accumulate(xs.begin(), xs.end(), 0.0) / 13.0));
  }
  SECTION("dot") {
    const auto [ga, gb] = tg::grad([](auto a, auto b) { return tg::dot(a, b); }, xs, ys);
    CHECK(ga == ys);
    CHECK(gb == xs);
  }
  SECTION("log_sum_exp is stable and its gradient is the softmax") {
    std::vector<double> big = {1000.0, 1001.0, 999.5, -1e300};
    const double lse = tg::eval([](auto x) { return tg::log_sum_exp(x); }, big);
    const double ref = 1001.0 + std::log(std::exp(-1.0) + 1.0 + std::exp(-1.5));
    CHECK(lse == Approx(ref).epsilon(1e-14));
    const auto [g] = tg::grad([](auto x) { return tg::log_sum_exp(x); }, big);
    CHECK(g[0] == Approx(std::exp(1000.0 - ref)));
    CHECK(g[1] == Approx(std::exp(1001.0 - ref)));
    CHECK(g[3] == 0.0);
    CHECK(std::accumulate(g.begin(), g.end(), 0.0) == Approx(1.0));
  }
  SECTION("norm2") {
    const auto [g] = tg::grad([](auto x) { return tg::norm2(x); }, xs);
    double n = 0;
    for (double x : xs) n += x * x;
    n = std::sqrt(n);
    for (std::size_t i = 0; i < xs.size(); ++i) CHECK(g[i] == Approx(xs[i] / n));
    const auto [g0] = tg::grad([](auto x) { return tg::norm2(x); }, std::vector<double>(5, 0.0));
    for (double v : g0) CHECK(v == 0.0);  // 0 at the origin, not NaN
  }
  SECTION("prod is exact with zeros") {
    const auto pr = [](auto x) { return tg::prod(x); };
    const auto [g] = tg::grad(pr, std::array{2.0, 3.0, 4.0});
    CHECK(g == std::array{12.0, 8.0, 6.0});
    const auto [g1] = tg::grad(pr, std::array{2.0, 0.0, 4.0});
    CHECK(g1 == std::array{0.0, 8.0, 0.0});
    const auto [g2] = tg::grad(pr, std::array{0.0, 0.0, 4.0});
    CHECK(g2 == std::array{0.0, 0.0, 0.0});
    std::vector<double> many(37, 1.01);
    many[20] = 0.0;
    const auto [gm] = tg::grad(pr, many);
    CHECK(gm[20] == Approx(std::pow(1.01, 36)));
    CHECK(gm[3] == 0.0);
  }
}

TEST_CASE("element access with run-time and compile-time indices") {
  const auto f = [](auto x) { return x[0] * x[std::integral_constant<std::size_t, 2>{}] + tg::sum(x); };
  const auto [g] = tg::grad(f, std::array{2.0, 3.0, 5.0});
  CHECK(g == std::array{1.0 + 5.0, 1.0, 1.0 + 2.0});
  CHECK(tg::to_string([](auto x) { return x[1] * 2.0; }, std::vector<double>(2)) == "x0[1] * 2");
  CHECK_THROWS_AS(tg::grad([](auto x) { return x[5]; }, std::vector<double>(3, 1.0)), tg::Error);
  CHECK_THROWS_WITH(tg::eval([](auto x) { return x[3]; }, std::vector<double>(3, 1.0)),
                    "index 3 is out of bounds for dimension 0 with size 3");
}

TEST_CASE("arrays of different sizes in one body are an error") {
  const auto f = [](auto a, auto b) { return tg::dot(a, b); };
  CHECK_THROWS_AS(tg::grad(f, std::vector<double>(3), std::vector<double>(4)), tg::Error);
}

TEST_CASE("scalar subexpressions inside a body are hoisted and get summed adjoints") {
  // log(s) and 1/s are scalar nodes: computed once, their adjoints summed over the loop
  const auto f = [](auto x, auto s) { return tg::sum(x * log(s) + x / s); };
  const auto xs = points(21);
  const double s = 1.7;
  const auto [gx, gs] = tg::grad(f, xs, s);
  const double sx = std::accumulate(xs.begin(), xs.end(), 0.0);
  CHECK(gs == Approx(sx / s - sx / (s * s)));
  for (std::size_t i = 0; i < xs.size(); ++i) CHECK(gx[i] == Approx(std::log(s) + 1 / s));
}

TEST_CASE("nested reductions: a reduction inside a body") {
  const auto var = [](auto x) {
    auto m = tg::mean(x);
    return tg::mean(square(x - m));
  };
  const auto xs = points(10);
  double m = std::accumulate(xs.begin(), xs.end(), 0.0) / 10.0, v = 0;
  for (double x : xs) v += (x - m) * (x - m) / 10.0;
  CHECK(tg::eval(var, xs) == Approx(v));
  const auto [g] = tg::grad(var, xs);
  for (std::size_t i = 0; i < xs.size(); ++i) CHECK(g[i] == Approx(2.0 * (xs[i] - m) / 10.0).margin(1e-15));
}

TEST_CASE("std::array, std::span and float arrays, with SIMD tails") {
  const auto f = [](auto x) { return tg::sum(sin(x) * x); };
  std::array<float, 11> a{};
  for (std::size_t i = 0; i < a.size(); ++i) a[i] = 0.1f * static_cast<float>(i);
  const auto [ga] = tg::grad(f, a);
  static_assert(std::is_same_v<std::remove_cvref_t<decltype(ga)>, std::array<float, 11>>);
  for (std::size_t i = 0; i < a.size(); ++i) CHECK(ga[i] == Approx(std::cos(a[i]) * a[i] + std::sin(a[i])).epsilon(1e-5));
  const std::vector<double> v = points(6);
  const auto [gs] = tg::grad(f, std::span<const double>(v));
  static_assert(std::is_same_v<std::remove_cvref_t<decltype(gs)>, std::vector<double>>);
  for (std::size_t i = 0; i < v.size(); ++i) CHECK(gs[i] == Approx(std::cos(v[i]) * v[i] + std::sin(v[i])));
}

TEST_CASE("half arrays are computed in float") {
  std::vector<tg::half> h = {tg::half(0.5f), tg::half(1.0f), tg::half(-2.0f)};
  const auto [g] = tg::grad([](auto x) { return tg::sum(x * x * x); }, h);
  CHECK(static_cast<float>(g[0]) == 0.75f);
  CHECK(static_cast<float>(g[2]) == 12.0f);
}
