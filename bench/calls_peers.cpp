// sum sin(x_i) exp(x_{i+1}) over 8 arguments with the peers (see peers.hpp). Ours: calls_tg.cpp.
#include <array>
#include <cstddef>

#include "common.hpp"
#include "formulas.hpp"
#include "hand.hpp"
#include "peers.hpp"

namespace {

namespace peers = bench::peers;
using bench::formulas::sin_exp8;
using X = std::array<double, 8>;

template <class Peer> BENCH_NOINLINE double forward_grad(const X& x, X& g) {
  return peers::forward_gradient<Peer>(x, g, [](const auto* a) { return sin_exp8(a); });
}
BENCH_NOINLINE double rad_grad(const X& x, X& g) {
  return peers::rad_gradient(x, g, [](const auto* a) { return sin_exp8(a); });
}
BENCH_NOINLINE void adolc_grad(short tag, const X& x, X& g) { gradient(tag, 8, x.data(), g.data()); }

X point() {
  X x;
  for (std::size_t i = 0; i < 8; ++i) x[i] = bench::map16_point(i);
  return x;
}

template <class Fn> void add_peer(const char* who, Fn fn) {
  X want;
  bench::hand::sin_exp8(point().data(), want.data());
  bench::add_gradient("sin-exp", "8 inputs", who, point(), want, fn);
}

[[maybe_unused]] const bool registered = [] {
  add_peer("ceres-jet", [](const X& x, X& g) { forward_grad<peers::jet<8>>(x, g); });
  add_peer("eigen-autodiff", [](const X& x, X& g) { forward_grad<peers::eigen_ad<8>>(x, g); });
  add_peer("sacado-sfad", [](const X& x, X& g) { forward_grad<peers::sfad<8>>(x, g); });
  add_peer("sacado-dfad", [](const X& x, X& g) { forward_grad<peers::dfad>(x, g); });
  add_peer("sacado-rad", [](const X& x, X& g) { rad_grad(x, g); });
  const X x0 = point();
  const short tag = peers::adolc_record(x0.data(), 8, [](const adouble* a) { return adouble(sin_exp8(a)); });
  add_peer("adol-c", [tag](const X& x, X& g) { adolc_grad(tag, x, g); });
  return true;
}();

}  // namespace
