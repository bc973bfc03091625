// The array cases with the peers (see peers.hpp). Forward-mode peers need one direction per
// element (O(N^2) work): Jet, AutoDiffScalar and SFad (N fixed at compile time) run up to
// N = 128, DFad up to N = 1024; the reverse-mode peers (Sacado Rad, ADOL-C) at every N.
#include <array>
#include <cstddef>
#include <memory>
#include <vector>

#include "arrays.hpp"
#include "formulas.hpp"
#include "peers.hpp"

namespace {

using namespace bench::arrays;
namespace peers = bench::peers;
namespace formulas = bench::formulas;

constexpr std::size_t nvars(kind k, std::size_t n) { return n + (has_scalars(k) ? 2 : 0); }

/// The case on variables v = (x_0 .. x_{n-1} [, mu, sigma]).
template <kind K, class T, class Value> T eval(const T* v, std::size_t n, Value value) {
  if constexpr (K == kind::logpdf) return formulas::normal_logpdf(v, n, v[n], v[n + 1]);
  else if constexpr (K == kind::lse) return formulas::log_sum_exp(v, n, value);
  else if constexpr (K == kind::sum) return formulas::sum(v, n);
  else return formulas::prod(v, n);
}

inline double var_value(const inputs& in, std::size_t i) {
  const std::size_t n = in.x.size();
  return i < n ? in.x[i] : (i == n ? in.mu : in.sigma);
}
inline void store(grads& g, std::size_t n, std::size_t i, double d) {
  if (i < n) g.x[i] = d;
  else if (i == n) g.mu = d;
  else g.sigma = d;
}

/// Forward mode with D = nvars directions fixed at compile time (on the stack).
template <class P, kind K, std::size_t D> BENCH_NOINLINE void forward_static(const inputs& in, grads& g) {
  using T = typename P::T;
  const std::size_t n = in.x.size();
  std::array<T, D> v;
  for (std::size_t i = 0; i < D; ++i) v[i] = P::var(var_value(in, i), static_cast<int>(i), static_cast<int>(D));
  const T f = eval<K>(v.data(), n, [](const T& t) { return P::value(t); });
  for (std::size_t i = 0; i < D; ++i) store(g, n, i, P::d(f, static_cast<int>(i)));
  benchmark::DoNotOptimize(P::value(f));
}

template <kind K> BENCH_NOINLINE void dfad_grad(const inputs& in, grads& g) {
  using P = peers::dfad;
  using T = P::T;
  const std::size_t n = in.x.size(), d = nvars(K, n);
  std::vector<T> v(d);
  for (std::size_t i = 0; i < d; ++i) v[i] = P::var(var_value(in, i), static_cast<int>(i), static_cast<int>(d));
  const T f = eval<K>(v.data(), n, [](const T& t) { return t.val(); });
  for (std::size_t i = 0; i < d; ++i) store(g, n, i, f.dx(static_cast<int>(i)));
  benchmark::DoNotOptimize(f.val());
}

template <kind K> BENCH_NOINLINE void rad_grad(const inputs& in, grads& g) {
  using T = peers::rad::T;
  const std::size_t n = in.x.size(), d = nvars(K, n);
  std::vector<T> v(d);
  for (std::size_t i = 0; i < d; ++i) v[i] = var_value(in, i);
  const T f = eval<K>(v.data(), n, [](const T& t) { return t.val(); });
  T::Gradcomp();
  for (std::size_t i = 0; i < d; ++i) store(g, n, i, v[i].adj());
  benchmark::DoNotOptimize(f.val());
}

/// ADOL-C: the tape is recorded once at registration; each call replays it.
struct adolc_state {
  short tag;
  std::vector<double> v, gv;
};
BENCH_NOINLINE void adolc_grad(adolc_state& s, const inputs& in, grads& g) {
  const std::size_t n = in.x.size();
  for (std::size_t i = 0; i < s.v.size(); ++i) s.v[i] = var_value(in, i);
  gradient(s.tag, static_cast<int>(s.v.size()), s.v.data(), s.gv.data());
  for (std::size_t i = 0; i < s.v.size(); ++i) store(g, n, i, s.gv[i]);
}

template <kind K> void add_adolc(std::size_t n) {
  auto s = std::make_shared<adolc_state>();
  const inputs in = make_inputs(n);
  const std::size_t d = nvars(K, n);
  s->v.resize(d);
  s->gv.resize(d);
  for (std::size_t i = 0; i < d; ++i) s->v[i] = var_value(in, i);
  s->tag = peers::adolc_record(s->v.data(), d, [n](const adouble* v) {
    return adouble(eval<K>(v, n, [](const adouble& t) { return t.value(); }));
  });
  add(K, n, "adol-c", [s](const inputs& i, grads& g) { adolc_grad(*s, i, g); }, 1e-8);
}

template <kind K, std::size_t N> void add_static() {
  constexpr std::size_t D = nvars(K, N);
  add(K, N, "ceres-jet", [](const inputs& in, grads& g) { forward_static<peers::jet<static_cast<int>(D)>, K, D>(in, g); });
  add(K, N, "eigen-autodiff", [](const inputs& in, grads& g) { forward_static<peers::eigen_ad<static_cast<int>(D)>, K, D>(in, g); });
  add(K, N, "sacado-sfad", [](const inputs& in, grads& g) { forward_static<peers::sfad<static_cast<int>(D)>, K, D>(in, g); });
}

template <kind K> void add_kind() {
  add_static<K, 16>();
  static_assert(bench::forward_peer_max_static == 128);
  add_static<K, 128>();
  for (std::size_t n : bench::array_sizes) {
    if (n <= bench::forward_peer_max_dynamic) add(K, n, "sacado-dfad", [](const inputs& in, grads& g) { dfad_grad<K>(in, g); });
    add(K, n, "sacado-rad", [](const inputs& in, grads& g) { rad_grad<K>(in, g); }, 1e-8);
  }
}

[[maybe_unused]] const bool registered = [] {
  add_kind<kind::logpdf>();
  add_kind<kind::lse>();
  add_kind<kind::sum>();
  add_kind<kind::prod>();
  // ADOL-C tapes in increasing size: a tape recorded after a large one gets high locations
  // in ADOL-C's global store, and its reverse sweep then allocates and zeroes an adjoint
  // array as large as the largest tape so far (55 us for a 16-element sum).
  for (std::size_t n : bench::array_sizes) {
    add_adolc<kind::logpdf>(n);
    add_adolc<kind::lse>(n);
    add_adolc<kind::sum>(n);
    add_adolc<kind::prod>(n);
  }
  return true;
}();

}  // namespace
