// tg::dual<T, N> on its own: construction, reading, arithmetic, math, nesting.
#include <catch2/catch.hpp>

#include <array>
#include <cmath>

#include <typegrad/static.hpp>

namespace tg = typegrad;

TEST_CASE("construction and reading as in the contract") {
  tg::dual<double, 4> a(2.0);
  tg::dual<double, 4> b(3.0, 1);
  tg::dual<double, 4> c(3.0, std::array{1.0, 0.0, 0.5, 0.0});
  CHECK(a.value() == 2.0);
  CHECK(a.tangents() == std::array{0.0, 0.0, 0.0, 0.0});
  CHECK(b.tangent(1) == 1.0);
  CHECK(b.tangents() == std::array{0.0, 1.0, 0.0, 0.0});
  CHECK(c.tangent(2) == 0.5);
  const auto d = a * b + c / b;
  CHECK(d.value() == 7.0);
  // d(a*b)/d = a * db; d(c/b) = dc/b - c db / b^2
  CHECK(d.tangent(0) == Approx(1.0 / 3.0));
  CHECK(d.tangent(1) == Approx(2.0 - 3.0 / 9.0));
  CHECK(d.tangent(2) == Approx(0.5 / 3.0));
  CHECK(d.tangent(3) == 0.0);
}

TEST_CASE("math functions and a user loop") {
  // Newton-like loop written by a user with duals: y = x^(1/3) by iteration, dy/dx via tangents
  using D = tg::dual<double, 1>;
  const D x(8.0, 0);
  D y(2.5);
  for (int i = 0; i < 30; ++i) y = y - (y * y * y - x) / (3.0 * y * y);
  CHECK(y.value() == Approx(2.0));
  CHECK(y.tangent(0) == Approx(1.0 / 12.0));
  const auto s = sin(x) * exp(x / 8.0) + pow(x, 2.0) + atan2(x, D(1.0));
  CHECK(s.tangent(0) == Approx(std::cos(8.0) * std::exp(1.0) + std::sin(8.0) * std::exp(1.0) / 8.0 + 16.0 + 1.0 / 65.0));
  CHECK((x < 9.0));
  CHECK((x == 8.0));
}

TEST_CASE("many directions span several SIMD registers") {
  using D = tg::dual<double, 11>;
  std::array<D, 11> v;
  for (int i = 0; i < 11; ++i) v[static_cast<std::size_t>(i)] = D(1.0 + i, i);
  D s(0.0);
  for (const auto& e : v) s = s + e * e;
  for (int i = 0; i < 11; ++i) CHECK(s.tangent(i) == 2.0 * (1.0 + i));
}

TEST_CASE("nested duals give second derivatives") {
  using D1 = tg::dual<double, 1>;
  using D2 = tg::dual<D1, 1>;
  // f(x) = x^3 sin(x): f'' = 6x sin x + 6 x^2 cos x - x^3 sin x
  const double x0 = 0.7;
  const D2 x(D1(x0, 0), std::array{D1(1.0)});
  const D2 f = x * x * x * sin(x);
  const double f2 = 6 * x0 * std::sin(x0) + 6 * x0 * x0 * std::cos(x0) - x0 * x0 * x0 * std::sin(x0);
  CHECK(f.tangent(0).tangent(0) == Approx(f2));
  CHECK(f.value().tangent(0) == Approx(3 * x0 * x0 * std::sin(x0) + x0 * x0 * x0 * std::cos(x0)));
}

TEST_CASE("complex duals carry complex tangents (holomorphic chain rule)") {
  using C = std::complex<double>;
  using D = tg::dual<C, 1>;
  const D z(C(0.5, 1.0), 0);
  const D w = exp(z) * z;
  const C expected = std::exp(C(0.5, 1.0)) * (C(0.5, 1.0) + 1.0);
  CHECK(std::abs(w.tangent(0) - expected) < 1e-14);
}
