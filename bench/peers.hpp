#pragma once
/// \file bench/peers.hpp
/// The peers, as their users write them: Ceres' Jet, Eigen's AutoDiffScalar, Sacado's DFad,
/// SFad (forward) and Rad (reverse), ADOL-C (reverse, tape recorded once, replayed by the
/// `gradient` driver). Included only by the *_peers.cpp TUs (their headers are included as
/// system headers; see bench/CMakeLists.txt).
#include <array>
#include <cmath>
#include <cstddef>
#include <vector>

#include <ceres/jet.h>
#include <unsupported/Eigen/AutoDiff>
#include <Sacado.hpp>
#include <adolc/adolc.h>

namespace bench::peers {

inline constexpr double two_over_sqrt_pi = 1.12837916709551257390;

/// Forward-mode peers: how to make variable i of n, and read value and derivative i.
template <int N> struct jet {
  using T = ceres::Jet<double, N>;
  static constexpr const char* name = "ceres-jet";
  static T var(double v, int i, int) { return T(v, i); }
  static double value(const T& y) { return y.a; }
  static double d(const T& y, int i) { return y.v[i]; }
  static T erfc(const T& x) { return ceres::erfc(x); }
};

template <int N> struct eigen_ad {
  using T = Eigen::AutoDiffScalar<Eigen::Matrix<double, N, 1>>;
  static constexpr const char* name = "eigen-autodiff";
  static T var(double v, int i, int) { return T(v, N, i); }
  static double value(const T& y) { return y.value(); }
  static double d(const T& y, int i) { return y.derivatives()[i]; }
  // Eigen's AutoDiff module has no erfc: written by hand, as a user would.
  static T erfc(const T& x) {
    const double v = x.value();
    return T(std::erfc(v), x.derivatives() * (-two_over_sqrt_pi * std::exp(-v * v)));
  }
};

template <class F> F fad_erfc(const F& x) {  // Sacado has no erf/erfc either
  const double v = x.val();
  const double dv = -two_over_sqrt_pi * std::exp(-v * v);
  F r(x);
  r.val() = std::erfc(v);
  for (int i = 0; i < r.size(); ++i) r.fastAccessDx(i) = dv * x.fastAccessDx(i);
  return r;
}

template <int N> struct sfad {
  using T = Sacado::Fad::SFad<double, N>;
  static constexpr const char* name = "sacado-sfad";
  static T var(double v, int i, int) { return T(N, i, v); }
  static double value(const T& y) { return y.val(); }
  static double d(const T& y, int i) { return y.dx(i); }
  static T erfc(const T& x) { return fad_erfc(x); }
};

struct dfad {
  using T = Sacado::Fad::DFad<double>;
  static constexpr const char* name = "sacado-dfad";
  static T var(double v, int i, int n) { return T(n, i, v); }
  static double value(const T& y) { return y.val(); }
  static double d(const T& y, int i) { return y.dx(i); }
  static T erfc(const T& x) { return fad_erfc(x); }
};

/// Sacado's reverse mode (Rad): build the expression on ADvars, Gradcomp(), read adj().
struct rad {
  using T = Sacado::Rad::ADvar<double>;
  static constexpr const char* name = "sacado-rad";
  static double value(const T& y) { return y.val(); }
  static T erfc(const T& x) {
    const double v = x.val();
    return T(Sacado::Rad::ADf1(std::erfc(v), -two_over_sqrt_pi * std::exp(-v * v), x));
  }
};

/// ADOL-C: erfc(x) = 1 - erf(x) (ADOL-C has erf).
struct adolc {
  static constexpr const char* name = "adol-c";
  static adouble erfc(const adouble& x) { return 1.0 - erf(x); }
};

/// Value and gradient at x of f (a callable taking const T* to N variables) with forward-mode
/// Peer: one variable per direction, as users of Jet, AutoDiffScalar and Fad write it.
template <class Peer, std::size_t N, class F>
double forward_gradient(const std::array<double, N>& x, std::array<double, N>& g, F f) {
  using T = typename Peer::T;
  std::array<T, N> a;
  for (std::size_t i = 0; i < N; ++i) a[i] = Peer::var(x[i], static_cast<int>(i), static_cast<int>(N));
  const T y = f(a.data());
  for (std::size_t i = 0; i < N; ++i) g[i] = Peer::d(y, static_cast<int>(i));
  return Peer::value(y);
}

/// The same with Sacado's Rad: build the expression, Gradcomp(), read the adjoints.
template <std::size_t N, class F> double rad_gradient(const std::array<double, N>& x, std::array<double, N>& g, F f) {
  using T = rad::T;
  std::array<T, N> a;
  for (std::size_t i = 0; i < N; ++i) a[i] = x[i];
  const T y = f(a.data());
  T::Gradcomp();
  for (std::size_t i = 0; i < N; ++i) g[i] = a[i].adj();
  return y.val();
}

/// A fresh ADOL-C tape tag for each recorded function.
inline short next_tag() {
  static short tag = 1;
  return tag++;
}

/// Records f (a callable taking const adouble* x, returning adouble) on a new tape at x;
/// returns the tag. The gradient driver replays it: gradient(tag, n, x, g).
template <class F> short adolc_record(const double* x, std::size_t n, F f) {
  const short tag = next_tag();
  trace_on(tag);
  std::vector<adouble> ax(n);
  for (std::size_t i = 0; i < n; ++i) ax[i] <<= x[i];
  adouble y = f(ax.data());
  double yv;
  y >>= yv;
  trace_off();
  return tag;
}

}  // namespace bench::peers
