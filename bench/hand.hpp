#pragma once
/// \file bench/hand.hpp
/// Hand-written gradients (straight-line adjoint code, plain C++, no intrinsics, no
/// -ffast-math): the baseline "typegrad time / hand-written time" divides by, and the
/// reference every contestant's result is checked against before it is timed.
#include <array>
#include <cmath>
#include <cstddef>
#include <vector>

#include "formulas.hpp"

namespace bench::hand {

/// Rosenbrock value and gradient.
template <std::size_t N> inline double rosenbrock(const std::array<double, N>& x, std::array<double, N>& g) {
  double f = 0;
  g.fill(0.0);
  for (std::size_t i = 0; i + 1 < N; ++i) {
    const double d = x[i + 1] - x[i] * x[i];
    const double e = 1.0 - x[i];
    f += 100.0 * (d * d) + e * e;
    g[i] += -400.0 * d * x[i] - 2.0 * e;
    g[i + 1] += 200.0 * d;
  }
  return f;
}

/// Black-Scholes price and gradient wrt (S, K, r, sigma, T): the adjoint of
/// formulas::black_scholes, written out by hand.
inline double black_scholes(const double* p, double* g) {
  constexpr double inv_sqrt_2pi = 0.39894228040143267794;
  const double S = p[0], K = p[1], r = p[2], sigma = p[3], t = p[4];
  const double sqt = std::sqrt(t);
  const double sst = sigma * sqt;
  const double a = S / K;
  const double v = r + 0.5 * (sigma * sigma);
  const double num = std::log(a) + v * t;
  const double d1 = num / sst;
  const double d2 = d1 - sst;
  const double n1 = 0.5 * std::erfc(-d1 * formulas::inv_sqrt2);
  const double n2 = 0.5 * std::erfc(-d2 * formulas::inv_sqrt2);
  const double df = std::exp(-r * t);
  const double price = S * n1 - K * df * n2;
  // reverse
  double bS = n1, bK = -df * n2;
  const double bdf = -K * n2;
  const double bd2 = -K * df * inv_sqrt_2pi * std::exp(-0.5 * d2 * d2);
  const double bd1 = S * inv_sqrt_2pi * std::exp(-0.5 * d1 * d1) + bd2;
  double br = -bdf * df * t, bt = -bdf * df * r;
  const double bnum = bd1 / sst;
  const double bsst = -bd2 - bnum * d1;
  br += bnum * t;                              // v = r + sigma^2/2, bv = bnum * t
  bt += bnum * v;
  double bsigma = bnum * t * sigma + bsst * sqt;
  bt += bsst * sigma * 0.5 / sqt;
  const double ba = bnum / a;                  // log(a)
  bS += ba / K;
  bK -= ba * a / K;
  g[0] = bS, g[1] = bK, g[2] = br, g[3] = bsigma, g[4] = bt;
  return price;
}

/// Black-Scholes price and the closed-form Greeks (what a quant writes: uses the identity
/// S phi(d1) = K e^{-rT} phi(d2), one exp fewer than the adjoint).
inline double black_scholes_analytic(const double* p, double* g) {
  constexpr double inv_sqrt_2pi = 0.39894228040143267794;
  const double S = p[0], K = p[1], r = p[2], sigma = p[3], t = p[4];
  const double sqt = std::sqrt(t);
  const double sst = sigma * sqt;
  const double d1 = (std::log(S / K) + (r + 0.5 * (sigma * sigma)) * t) / sst;
  const double d2 = d1 - sst;
  const double n1 = 0.5 * std::erfc(-d1 * formulas::inv_sqrt2);
  const double n2 = 0.5 * std::erfc(-d2 * formulas::inv_sqrt2);
  const double df = std::exp(-r * t);
  const double Sphi = S * inv_sqrt_2pi * std::exp(-0.5 * d1 * d1);
  g[0] = n1;
  g[1] = -df * n2;
  g[2] = K * t * df * n2;
  g[3] = Sphi * sqt;
  g[4] = Sphi * sigma * 0.5 / sqt + r * K * df * n2;
  return S * n1 - K * df * n2;
}

/// Jacobian of formulas::map16 (J[i][j] = dy_i/dx_j).
inline void map16_jacobian(const double* x, std::array<std::array<double, 16>, 16>& J) {
  double s = 0;
  for (std::size_t j = 0; j < 16; ++j) s += x[j] * x[j];
  const double e = std::exp(-0.01 * s);
  const double w = -0.02 * e;
  for (std::size_t i = 0; i < 16; ++i) {
    const std::size_t i1 = (i + 1) % 16, i2 = (i + 2) % 16, i3 = (i + 3) % 16;
    const double inv = 1.0 / (1.0 + x[i3] * x[i3]);
    const double c = x[i2] * inv;
    const double cw = c * w;
    for (std::size_t j = 0; j < 16; ++j) J[i][j] = cw * x[j];
    J[i][i] += std::cos(x[i]) * x[i1];
    J[i][i1] += std::sin(x[i]);
    J[i][i2] += e * inv;
    J[i][i3] -= 2.0 * e * c * x[i3] * inv;
  }
}

/// Normal log-density summed over x, gradient wrt x (gx), mu and sigma.
inline double normal_logpdf(const std::vector<double>& x, double mu, double sigma, std::vector<double>& gx, double& gmu,
                            double& gsigma) {
  const std::size_t n = x.size();
  const double inv = 1.0 / sigma;
  double acc = 0, gm = 0, gs = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double z = (x[i] - mu) * inv;
    acc += z * z;
    gx[i] = -z * inv;
    gm += z;
    gs += z * z;
  }
  const double dn = static_cast<double>(n);
  gmu = gm * inv;
  gsigma = (gs - dn) * inv;
  return -0.5 * acc - dn * (std::log(sigma) + formulas::log_sqrt_2pi);
}

/// log_sum_exp and its gradient (softmax), one exp per element.
inline double log_sum_exp(const std::vector<double>& x, std::vector<double>& g) {
  const std::size_t n = x.size();
  double m = x[0];
  for (std::size_t i = 1; i < n; ++i) m = x[i] > m ? x[i] : m;
  double s = 0;
  for (std::size_t i = 0; i < n; ++i) s += (g[i] = std::exp(x[i] - m));
  const double inv = 1.0 / s;
  for (std::size_t i = 0; i < n; ++i) g[i] *= inv;
  return m + std::log(s);
}

inline double sum(const std::vector<double>& x, std::vector<double>& g) {
  double s = 0;
  for (double v : x) s += v;
  for (double& v : g) v = 1.0;
  return s;
}

/// Product and gradient p / x_i (the inputs have no zeros).
inline double prod(const std::vector<double>& x, std::vector<double>& g) {
  double p = 1;
  for (double v : x) p *= v;
  for (std::size_t i = 0; i < x.size(); ++i) g[i] = p / x[i];
  return p;
}

/// sum sin(x_i) exp(x_{i+1}) and its gradient: each sin, cos and exp computed once.
inline double sin_exp8(const double* x, double* g) {
  std::array<double, 8> s, c, e;
  for (std::size_t i = 0; i < 8; ++i) s[i] = std::sin(x[i]), c[i] = std::cos(x[i]), e[i] = std::exp(x[i]);
  double f = 0;
  for (std::size_t i = 0; i < 8; ++i) {
    const std::size_t n = (i + 1) % 8;
    f += s[i] * e[n];
    g[i] = c[i] * e[n] + s[(i + 7) % 8] * e[i];
  }
  return f;
}

}  // namespace bench::hand
