// Common subexpressions are shared: the layout has one slot per distinct node, so a chain of
// thirty self-multiplications compiles and runs in linear time and space.
#include <catch2/catch.hpp>

#include <cmath>

#include <typegrad/static.hpp>

namespace tg = typegrad;

namespace {

template <int N> constexpr auto self_square_chain(auto u) {
  if constexpr (N == 0) return u;
  else return self_square_chain<N - 1>(u * u);
}

template <int N> constexpr auto straight_line(auto u, auto x) {
  using namespace tg::literals;
  if constexpr (N == 0) return u;
  else return straight_line<N - 1>(u * (1_c - u) + sin(x) / 4_c, x);
}

/// Number of distinct nodes (slots) of f's graph.
template <class F, class... T> constexpr std::size_t layout_size(const F&, T...) {
  using Roots = decltype(tg::detail::trace(std::declval<const F&>(), std::declval<T>()...));
  return tg::detail::layout_of<typename Roots::template type<0>>::full::size;
}

// clang 14 spends time exponential in the depth of a shared expression type while building it
// (about 1.6x per level: 2 s at depth 14, 12 s at 18; g++ 12 is linear), so under clang the
// chain is shorter. A known limit, see the README.
// Under the sanitizers (ours pair address with undefined), UBSan's type descriptors spell
// out the expression type in full, 2^depth names long: 20 GB of compiler memory at depth 30.
#if defined(__clang__)
constexpr int chain_depth = 10;
constexpr int line_steps = 6;
#elif defined(__SANITIZE_ADDRESS__)
constexpr int chain_depth = 12;
constexpr int line_steps = 8;
#else
constexpr int chain_depth = 30;
constexpr int line_steps = 12;
#endif

}  // namespace

TEST_CASE("u = u * u repeated (30 times with g++, fewer with clang or sanitizers): depth + 1 nodes, gradient 2^depth x^(2^depth - 1)") {
  const auto f = [](auto x) { return self_square_chain<chain_depth>(x); };
  STATIC_REQUIRE(layout_size(f, 1.0) == chain_depth + 1);
  STATIC_REQUIRE(std::is_empty_v<decltype(f(tg::placeholder<0, double>{}))>);  // canonical: stores nothing
  const double n = std::ldexp(1.0, chain_depth);
  CHECK(tg::grad(f, 1.0)[0] == n);
  const double x = 1.0 + 1e-10;
  CHECK(tg::grad(f, x)[0] == Approx(n * std::pow(x, n - 1)).epsilon(1e-6));
  // the symbolic derivative of the chain is linear in size too and agrees
  CHECK(tg::derivative<0>(f)(1.0) == n);
  CHECK(tg::hessian(f, 1.0)[0][0] == Approx(n * (n - 1)));
}

TEST_CASE("a subexpression used twice is evaluated once") {
  // x*y is one node: x, y, x*y, sin(x*y), (x*y)*sin(x*y)
  const auto f = [](auto x, auto y) {
    auto u = x * y;
    return u * sin(u);
  };
  STATIC_REQUIRE(layout_size(f, 1.0, 2.0) == 5);
  const auto g = tg::grad(f, 1.0, 2.0);
  const double u = 2.0, du = std::sin(u) + u * std::cos(u);
  CHECK(g[0] == Approx(du * 2.0));
  CHECK(g[1] == Approx(du * 1.0));
}

TEST_CASE("subtrees holding runtime constants are kept apart by position") {
  // 2*x and 3*x have the same type but different constants: two nodes, correct values
  const double a = 2.0, b = 3.0;
  const auto f = [a, b](auto x) { return (a * x) * (b * x); };
  STATIC_REQUIRE(layout_size(f, 1.0) == 6);  // x, a, b, a*x, b*x, product
  CHECK(tg::grad(f, 5.0)[0] == Approx(2 * a * b * 5.0));
  CHECK(tg::eval(f, 5.0) == Approx(a * b * 25.0));
  // the same through tuple outputs (constants are counted across roots)
  const auto F = [a, b](auto x) { return std::tuple{a * x, b * x}; };
  const auto J = tg::jacobian(F, 1.0);
  CHECK(J[0][0] == a);
  CHECK(J[1][0] == b);
  CHECK(tg::vjp(F, std::array{1.0}, std::array{1.0, 1.0})[0] == a + b);
}

TEST_CASE("a straight-line program reusing its last value") {
  // line_steps steps u = u (1 - u) + sin(x) / 4: each step uses u twice
  const auto f = [](auto x) { return straight_line<line_steps>(x, x); };
  double u = 0.3, du = 1.0;
  for (int i = 0; i < line_steps; ++i) {
    du = du * (1 - u) - u * du + std::cos(0.3) / 4;
    u = u * (1 - u) + std::sin(0.3) / 4;
  }
  CHECK(tg::eval(f, 0.3) == Approx(u).epsilon(1e-14));
  CHECK(tg::grad(f, 0.3)[0] == Approx(du).epsilon(1e-13));
  CHECK(tg::derivative<0>(f)(0.3) == Approx(du).epsilon(1e-13));
}
