// SIMD batches as scalars: one tg::grad call computes the gradient at xsimd::batch<double>::size
// independent points (4 with AVX2, 2 with SSE2).
#include <array>
#include <cstdio>

#include <typegrad/static.hpp>

namespace tg = typegrad;
using B = xsimd::batch<double>;

int main() {
  const auto f = [](auto x, auto y) { return square(1.0 - x) + 100.0 * square(y - x * x); };
  alignas(B::arch_type::alignment()) std::array<double, B::size> xs{}, ys{}, gx{}, gy{};
  for (std::size_t i = 0; i < B::size; ++i) {
    xs[i] = -1.0 + 0.5 * static_cast<double>(i);
    ys[i] = 0.25 * static_cast<double>(i);
  }
  const auto g = tg::grad(f, B::load_aligned(xs.data()), B::load_aligned(ys.data()));
  g[0].store_aligned(gx.data());
  g[1].store_aligned(gy.data());
  std::printf("%zu points per call (%s)\n", B::size, B::arch_type::name());
  int bad = 0;
  for (std::size_t i = 0; i < B::size; ++i) {
    const auto s = tg::grad(f, xs[i], ys[i]);  // the same point, scalar
    std::printf("  (%5.2f, %5.2f): batch gradient (%10.4f, %10.4f)  scalar (%10.4f, %10.4f)\n", xs[i], ys[i], gx[i], gy[i],
                s[0], s[1]);
    bad += s[0] != gx[i] || s[1] != gy[i];
  }
  return bad;
}
