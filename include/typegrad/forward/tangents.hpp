#pragma once
/// \file forward/tangents.hpp
/// Storage of a dual number's N tangent directions: xsimd batches for float and double
/// (N directions in ceil(N / lanes) registers, padding lanes kept at zero), a plain array
/// otherwise (long double, complex, nested duals), which also keeps them constexpr.
#include <array>
#include <cstddef>
#include <type_traits>

#include <xsimd/xsimd.hpp>

#include <typegrad/scalar/traits.hpp>

namespace typegrad::detail {

/// Plain array of N tangents.
template <class T, int N> struct array_tangents {
  std::array<T, N> t{};
  static constexpr int size = N;
  constexpr T get(int i) const { return t[static_cast<std::size_t>(i)]; }
  constexpr void set(int i, const T& v) { t[static_cast<std::size_t>(i)] = v; }
  constexpr std::array<T, N> to_array() const { return t; }
  /// p0 * a + p1 * b, elementwise (the chain rule of a binary operation).
  template <class P0, class P1>
  static constexpr array_tangents lincomb(const P0& p0, const array_tangents& a, const P1& p1,
                                          const array_tangents& b) {
    array_tangents r;
    for (std::size_t i = 0; i < N; ++i) r.t[i] = p0 * a.t[i] + p1 * b.t[i];
    return r;
  }
  template <class P> static constexpr array_tangents scale(const P& p, const array_tangents& a) {
    array_tangents r;
    for (std::size_t i = 0; i < N; ++i) r.t[i] = p * a.t[i];
    return r;
  }
  constexpr array_tangents& operator+=(const array_tangents& o) {
    for (std::size_t i = 0; i < N; ++i) t[i] += o.t[i];
    return *this;
  }
  constexpr array_tangents conj() const {
    array_tangents r;
    for (std::size_t i = 0; i < N; ++i) {
      if constexpr (is_complex_v<T>) r.t[i] = T(t[i].real(), -t[i].imag());
      else r.t[i] = t[i];
    }
    return r;
  }
  template <class M> static array_tangents select(const M& m, const array_tangents& a, const array_tangents& b) {
    array_tangents r;
    for (std::size_t i = 0; i < N; ++i) {
      if constexpr (std::is_same_v<M, bool>) r.t[i] = m ? a.t[i] : b.t[i];
      else r.t[i] = xsimd::select(m, a.t[i], b.t[i]);
    }
    return r;
  }
};

/// N tangents of float/double in xsimd batches.
template <class T, int N> struct batch_tangents {
  using batch = xsimd::batch<T>;
  static constexpr std::size_t lanes = batch::size;
  static constexpr std::size_t blocks = (N + lanes - 1) / lanes;
  static constexpr int size = N;
  std::array<batch, blocks> b;
  batch_tangents() { b.fill(batch(T(0))); }
  T get(int i) const {
    alignas(batch::arch_type::alignment()) std::array<T, lanes> tmp;
    b[static_cast<std::size_t>(i) / lanes].store_aligned(tmp.data());
    return tmp[static_cast<std::size_t>(i) % lanes];
  }
  void set(int i, const T& v) {
    alignas(batch::arch_type::alignment()) std::array<T, lanes> tmp;
    auto& blk = b[static_cast<std::size_t>(i) / lanes];
    blk.store_aligned(tmp.data());
    tmp[static_cast<std::size_t>(i) % lanes] = v;
    blk = batch::load_aligned(tmp.data());
  }
  std::array<T, N> to_array() const {
    alignas(batch::arch_type::alignment()) std::array<T, blocks * lanes> tmp;
    for (std::size_t k = 0; k < blocks; ++k) b[k].store_aligned(tmp.data() + k * lanes);
    std::array<T, N> r;
    for (std::size_t i = 0; i < N; ++i) r[i] = tmp[i];
    return r;
  }
  template <class P0, class P1>
  static batch_tangents lincomb(const P0& p0, const batch_tangents& x, const P1& p1, const batch_tangents& y) {
    batch_tangents r;
    const batch q0(static_cast<T>(p0)), q1(static_cast<T>(p1));
    for (std::size_t k = 0; k < blocks; ++k) r.b[k] = xsimd::fma(q0, x.b[k], q1 * y.b[k]);
    return r;
  }
  template <class P> static batch_tangents scale(const P& p, const batch_tangents& x) {
    batch_tangents r;
    const batch q(static_cast<T>(p));
    for (std::size_t k = 0; k < blocks; ++k) r.b[k] = q * x.b[k];
    return r;
  }
  batch_tangents& operator+=(const batch_tangents& o) {
    for (std::size_t k = 0; k < blocks; ++k) b[k] += o.b[k];
    return *this;
  }
  batch_tangents conj() const { return *this; }
  static batch_tangents select(bool m, const batch_tangents& x, const batch_tangents& y) { return m ? x : y; }
};

template <class T> constexpr bool simd_tangents_for() {
  if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double>) return xsimd::batch<T>::size > 1;
  else return false;
}
template <class T, int N>
using default_tangents = std::conditional_t<simd_tangents_for<T>() && (N > 1), batch_tangents<T, N>, array_tangents<T, N>>;

}  // namespace typegrad::detail
