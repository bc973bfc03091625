// xsimd batches as scalars: every lane an independent point.
#include <catch2/catch.hpp>

#include <cmath>

#include <typegrad/static.hpp>

namespace tg = typegrad;

namespace {
template <class B> B lanes(double start, double step) {
  alignas(B::arch_type::alignment()) std::array<typename B::value_type, B::size> a{};
  for (std::size_t i = 0; i < B::size; ++i) a[i] = static_cast<typename B::value_type>(start + step * static_cast<double>(i));
  return B::load_aligned(a.data());
}
template <class B> auto lane(const B& b, std::size_t i) {
  alignas(B::arch_type::alignment()) std::array<typename B::value_type, B::size> a{};
  b.store_aligned(a.data());
  return a[i];
}
}  // namespace

TEMPLATE_TEST_CASE("gradient, value and hessian per lane equal the scalar results", "", double, float) {
  using B = xsimd::batch<TestType>;
  const auto f = [](auto x, auto y) { return square(1.0 - x) + 100.0 * square(y - x * x) + tg::where(x > y, sin(x), cos(y)); };
  const B x = lanes<B>(-1.2, 0.37), y = lanes<B>(0.4, -0.21);
  const auto [v, g] = tg::value_and_grad(f, x, y);
  const auto H = tg::hessian(f, x, y);
  const double tol = std::is_same_v<TestType, float> ? 1e-5 : 1e-14;
  for (std::size_t i = 0; i < B::size; ++i) {
    const TestType xi = lane(x, i), yi = lane(y, i);
    const auto [vs, gs] = tg::value_and_grad(f, xi, yi);
    const auto Hs = tg::hessian(f, xi, yi);
    CHECK(lane(v, i) == Approx(vs).epsilon(tol));
    CHECK(lane(g[0], i) == Approx(gs[0]).epsilon(tol));
    CHECK(lane(g[1], i) == Approx(gs[1]).epsilon(tol));
    for (int r = 0; r < 2; ++r)
      for (int c = 0; c < 2; ++c) CHECK(lane(H[r][c], i) == Approx(Hs[r][c]).epsilon(tol));
  }
}

TEST_CASE("symbolic derivatives evaluate on batches") {
  using B = xsimd::batch<double>;
  const auto f = [](auto x) { return exp(-x * x) * relu(x) + max(x, 0.5); };
  const B x = lanes<B>(-1.0, 0.6);
  const B d = tg::derivative<0>(f)(x);
  for (std::size_t i = 0; i < B::size; ++i) CHECK(lane(d, i) == Approx(tg::derivative<0>(f)(lane(x, i))));
}
