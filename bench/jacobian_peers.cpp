// The 16-to-16 Jacobian with the forward-mode peers (16 directions). Ours: jacobian_tg.cpp.
#include <array>
#include <cstddef>

#include "common.hpp"
#include "formulas.hpp"
#include "hand.hpp"
#include "peers.hpp"

namespace {

namespace peers = bench::peers;
using J16 = std::array<std::array<double, 16>, 16>;
using X16 = std::array<double, 16>;

template <class P> BENCH_NOINLINE void jac(const X16& x, J16& J) {
  using T = typename P::T;
  std::array<T, 16> a, y;
  for (std::size_t i = 0; i < 16; ++i) a[i] = P::var(x[i], static_cast<int>(i), 16);
  bench::formulas::map16(a.data(), y.data());
  for (std::size_t i = 0; i < 16; ++i)
    for (std::size_t j = 0; j < 16; ++j) J[i][j] = P::d(y[i], static_cast<int>(j));
}

template <class P> void add(const char* who) {
  bench::add("jacobian", "16x16", who, [](benchmark::State& st) {
    X16 x;
    for (std::size_t i = 0; i < 16; ++i) x[i] = bench::map16_point(i);
    J16 want, J{};
    bench::hand::map16_jacobian(x.data(), want);
    jac<P>(x, J);
    for (std::size_t i = 0; i < 16; ++i)
      if (!bench::check(st, J[i], want[i])) return;
    for (auto _ : st) {
      benchmark::DoNotOptimize(x);
      jac<P>(x, J);
      benchmark::DoNotOptimize(J);
    }
  });
}

[[maybe_unused]] const bool registered = [] {
  add<peers::jet<16>>("ceres-jet");
  add<peers::eigen_ad<16>>("eigen-autodiff");
  add<peers::sfad<16>>("sacado-sfad");
  return true;
}();

}  // namespace
