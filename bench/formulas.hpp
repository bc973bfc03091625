#pragma once
/// \file bench/formulas.hpp
/// The benchmark functions written once over a number type T with *typed* temporaries
/// (`T d = ...`), the way one writes them for Ceres' Jet, Eigen's AutoDiffScalar, Sacado,
/// ADOL-C and tg::dual. (Expression-template peers must not keep `auto` temporaries: they
/// would dangle.) typegrad's traced versions (generic lambdas, `auto` temporaries) are in
/// the tg TUs and compute exactly the same operations in the same order.
#include <algorithm>
#include <cmath>
#include <cstddef>

namespace bench::formulas {

inline constexpr double inv_sqrt2 = 0.70710678118654752440;
inline constexpr double log_sqrt_2pi = 0.91893853320467274178;

/// Rosenbrock: sum_{i < n-1} 100 (x_{i+1} - x_i^2)^2 + (1 - x_i)^2.
template <class T> T rosenbrock(const T* x, std::size_t n) {
  T f = T(0.0);
  for (std::size_t i = 0; i + 1 < n; ++i) {
    T d = x[i + 1] - x[i] * x[i];
    T e = 1.0 - x[i];
    f += 100.0 * (d * d) + e * e;
  }
  return f;
}

/// Black-Scholes call price; N(d) = erfc(-d / sqrt 2) / 2. `erfc_fn` supplies erfc for T.
template <class T, class Erfc> T black_scholes(const T& S, const T& K, const T& r, const T& sigma, const T& t, Erfc erfc_fn) {
  using std::exp;
  using std::log;
  using std::sqrt;
  T sqt = sqrt(t);
  T sst = sigma * sqt;
  T d1 = (log(S / K) + (r + 0.5 * (sigma * sigma)) * t) / sst;
  T d2 = d1 - sst;
  T n1 = 0.5 * erfc_fn(T(-d1 * inv_sqrt2));
  T n2 = 0.5 * erfc_fn(T(-d2 * inv_sqrt2));
  return S * n1 - K * exp(-r * t) * n2;
}

/// Eight independent pairs of calls: sum over i of sin(x_i) exp(x_{i+1}), indices mod 8.
template <class T> T sin_exp8(const T* x) {
  using std::exp;
  using std::sin;
  T f = sin(x[0]) * exp(x[1]);
  for (std::size_t i = 1; i < 8; ++i) f += sin(x[i]) * exp(x[(i + 1) % 8]);
  return f;
}

/// The 16-to-16 map: s = sum_j x_j^2 (shared by every output), e = exp(-0.01 s),
/// y_i = sin(x_i) x_{i+1} + e x_{i+2} / (1 + x_{i+3}^2), indices mod 16.
template <class T> void map16(const T* x, T* y) {
  using std::exp;
  using std::sin;
  T s = x[0] * x[0];
  for (std::size_t j = 1; j < 16; ++j) s += x[j] * x[j];
  T e = exp(-0.01 * s);
  for (std::size_t i = 0; i < 16; ++i) {
    const T& b = x[(i + 3) % 16];
    y[i] = sin(x[i]) * x[(i + 1) % 16] + e * x[(i + 2) % 16] / (1.0 + b * b);
  }
}

/// Sum over i of the normal log-density of x_i: -((x_i - mu)/sigma)^2 / 2 - log sigma - log sqrt(2 pi).
template <class T> T normal_logpdf(const T* x, std::size_t n, const T& mu, const T& sigma) {
  using std::log;
  T ls = log(sigma);
  T acc = T(0.0);
  for (std::size_t i = 0; i < n; ++i) {
    T z = (x[i] - mu) / sigma;
    acc += -0.5 * (z * z) - ls - log_sqrt_2pi;
  }
  return acc;
}

/// log(sum exp x_i), shifted by max_i value(x_i) (a constant: the shift cancels).
template <class T, class Value> T log_sum_exp(const T* x, std::size_t n, Value value) {
  using std::exp;
  using std::log;
  double m = value(x[0]);
  for (std::size_t i = 1; i < n; ++i) m = std::max(m, value(x[i]));
  T s = T(0.0);
  for (std::size_t i = 0; i < n; ++i) s += exp(x[i] - m);
  return m + log(s);
}

template <class T> T sum(const T* x, std::size_t n) {
  T s = T(0.0);
  for (std::size_t i = 0; i < n; ++i) s += x[i];
  return s;
}

template <class T> T prod(const T* x, std::size_t n) {
  T p = T(1.0);
  for (std::size_t i = 0; i < n; ++i) p *= x[i];
  return p;
}

}  // namespace bench::formulas
