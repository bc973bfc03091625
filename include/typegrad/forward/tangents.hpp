#pragma once
/// \file forward/tangents.hpp
/// Storage of a dual number's N tangent directions: xsimd batches for float and double
/// (N directions in ceil(N / lanes) registers, padding lanes kept at zero), a plain array
/// otherwise (long double, complex, nested duals), which also keeps them constexpr.
#include <array>
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <utility>

#include <xsimd/xsimd.hpp>

#include <typegrad/config.hpp>
#include <typegrad/scalar/traits.hpp>

namespace typegrad::detail {

/// Plain array of N tangents.
template <class T, int N> struct array_tangents {
  std::array<T, N> t{};
  static constexpr int size = N;
  constexpr T get(int i) const { return t[static_cast<std::size_t>(i)]; }
  constexpr void set(int i, const T& v) { t[static_cast<std::size_t>(i)] = v; }
  constexpr std::array<T, N> to_array() const { return t; }
  static constexpr array_tangents zero() { return {}; }
  static constexpr array_tangents unit(int i) {
    array_tangents r;
    r.t[static_cast<std::size_t>(i)] = T(1);
    return r;
  }
  static constexpr array_tangents from_array(const std::array<T, N>& a) { return {a}; }
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
  /// p[0] * x[0] + p[1] * x[1] + ..., elementwise (the chain rule over K operands).
  template <class P, std::size_t K>
  static constexpr array_tangents combine(const std::array<P, K>& p, const std::array<const array_tangents*, K>& x) {
    array_tangents r;
    for (std::size_t i = 0; i < N; ++i) {
      r.t[i] = p[0] * x[0]->t[i];
      for (std::size_t j = 1; j < K; ++j) r.t[i] = r.t[i] + p[j] * x[j]->t[i];
    }
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
///
/// Written so that, inlined, tangents stay in registers or move as whole blocks:
/// - no round trip through memory: set() once stored a block, wrote one lane and reloaded the
///   block (a failed store-to-load forwarding per seeded direction);
/// - copies go block by block as registers: xsimd's implicitly copied batches were copied by
///   g++ in 8- and 16-byte pieces (through general registers), then reloaded as whole blocks;
/// - no chain rule summed from zero: `0 + x` cannot be folded in IEEE arithmetic (0 + -0 is
///   +0), which cost one addition per block on every operation's critical path. combine()
///   writes each block once, from the operands' terms, with operators (`acc + p * x`, not
///   xsimd::fma): g++ and clang contract them into fused multiply-adds all the same, and fold a
///   partial of 1 or -1 (additions, subtractions), which they do not through the intrinsic.
/// Zeroed = false (the value slots of tg::jacobian's sweep, each written before it is read):
/// default construction leaves the blocks uninitialized. Every other constructor of a dual
/// initializes its tangents explicitly (zero(), unit(), from_array()).
template <class T, int N, bool Zeroed = true> struct batch_tangents {
  using batch = xsimd::batch<T>;
  static constexpr std::size_t lanes = batch::size;
  static constexpr std::size_t blocks = (N + lanes - 1) / lanes;
  static constexpr int size = N;
  static constexpr bool zeroed = Zeroed;
  std::array<batch, blocks> b;

  batch_tangents() requires(Zeroed) { b.fill(batch(T(0))); }
  batch_tangents() requires(!Zeroed) {}  // NOLINT: deliberately uninitialized
  batch_tangents(const batch_tangents& o) { copy_from(o); }
  batch_tangents& operator=(const batch_tangents& o) {
    copy_from(o);
    return *this;
  }

 private:
  struct uninitialized {};
  explicit batch_tangents(uninitialized) {}  // every block written by the caller
  void copy_from(const batch_tangents& o) {
    for (std::size_t k = 0; k < blocks; ++k) b[k] = batch(static_cast<typename batch::register_type>(o.b[k]));
  }
  /// Lane indices of block k: k * lanes, k * lanes + 1, ...
  static batch lane_index(std::size_t k) {
    alignas(batch::arch_type::alignment()) static constexpr std::array<T, lanes> iota = [] {
      std::array<T, lanes> a{};
      for (std::size_t l = 0; l < lanes; ++l) a[l] = static_cast<T>(l);
      return a;
    }();
    return batch::load_aligned(iota.data()) + batch(static_cast<T>(k * lanes));
  }

 public:
  static batch_tangents zero() {
    batch_tangents r{uninitialized{}};
    r.b.fill(batch(T(0)));
    return r;
  }
  /// Direction i set to 1, the others 0.
  static batch_tangents unit(int i) {
    batch_tangents r{uninitialized{}};
    const batch at(static_cast<T>(i)), one(T(1)), zero(T(0));
    for (std::size_t k = 0; k < blocks; ++k) r.b[k] = xsimd::select(lane_index(k) == at, one, zero);
    return r;
  }
  static batch_tangents from_array(const std::array<T, N>& t) {
    batch_tangents r{uninitialized{}};
    if constexpr (N % lanes == 0) {
      for (std::size_t k = 0; k < blocks; ++k) r.b[k] = batch::load_unaligned(t.data() + k * lanes);
    } else {
      alignas(batch::arch_type::alignment()) std::array<T, blocks * lanes> tmp{};
      for (std::size_t i = 0; i < N; ++i) tmp[i] = t[i];
      for (std::size_t k = 0; k < blocks; ++k) r.b[k] = batch::load_aligned(tmp.data() + k * lanes);
    }
    return r;
  }
  T get(int i) const {
    alignas(batch::arch_type::alignment()) std::array<T, lanes> tmp;
    b[static_cast<std::size_t>(i) / lanes].store_aligned(tmp.data());
    return tmp[static_cast<std::size_t>(i) % lanes];
  }
  /// Direction i set to v, by a blend in registers.
  void set(int i, const T& v) {
    const batch at(static_cast<T>(i)), value(v);
    for (std::size_t k = 0; k < blocks; ++k) b[k] = xsimd::select(lane_index(k) == at, value, b[k]);
  }
  std::array<T, N> to_array() const {
    std::array<T, N> r;
    if constexpr (N % lanes == 0) {
      for (std::size_t k = 0; k < blocks; ++k) b[k].store_unaligned(r.data() + k * lanes);
    } else {
      alignas(batch::arch_type::alignment()) std::array<T, blocks * lanes> tmp;
      for (std::size_t k = 0; k < blocks; ++k) b[k].store_aligned(tmp.data() + k * lanes);
      for (std::size_t i = 0; i < N; ++i) r[i] = tmp[i];
    }
    return r;
  }
  template <class P0, class P1>
  static batch_tangents lincomb(const P0& p0, const batch_tangents& x, const P1& p1, const batch_tangents& y) {
    batch_tangents r{uninitialized{}};
    const batch q0(static_cast<T>(p0)), q1(static_cast<T>(p1));
    for (std::size_t k = 0; k < blocks; ++k) r.b[k] = q1 * y.b[k] + q0 * x.b[k];
    return r;
  }
  template <class P> static batch_tangents scale(const P& p, const batch_tangents& x) {
    batch_tangents r{uninitialized{}};
    const batch q(static_cast<T>(p));
    for (std::size_t k = 0; k < blocks; ++k) r.b[k] = q * x.b[k];
    return r;
  }
  /// p[0] * x[0] + p[1] * x[1] + ... (the chain rule over K operands), each block summed in
  /// registers and written once.
  template <class P, std::size_t K>
  static batch_tangents combine(const std::array<P, K>& p, const std::array<const batch_tangents*, K>& x) {
    batch_tangents r{uninitialized{}};
    std::array<batch, K> q;
    for (std::size_t j = 0; j < K; ++j) q[j] = batch(static_cast<T>(p[j]));
    for (std::size_t k = 0; k < blocks; ++k) {
      batch acc = q[0] * x[0]->b[k];
      for (std::size_t j = 1; j < K; ++j) acc = acc + q[j] * x[j]->b[k];
      r.b[k] = acc;
    }
    return r;
  }
  // Masked forms for tg::jacobian's sweep (reverse/tangent_masks.hpp): bit k of a mask says
  // block k may be nonzero; blocks outside a value's mask are neither written nor read.
  /// combine() over the blocks of Out; In[j]: the blocks operand j has. (Forced inline, with
  /// no lambda inside: out of line, each call passed its tangents through memory.)
  template <std::uint64_t Out, auto In, class P, std::size_t K>
  TYPEGRAD_ALWAYS_INLINE static batch_tangents combine_masked(const std::array<P, K>& p,
                                                               const std::array<const batch_tangents*, K>& x) {
    batch_tangents r{uninitialized{}};
    std::array<batch, K> q;
    for (std::size_t j = 0; j < K; ++j) q[j] = batch(static_cast<T>(p[j]));
    combine_blocks<Out, In>(r, q, x, std::make_index_sequence<blocks>{});
    return r;
  }

 private:
  template <std::uint64_t Out, auto In, std::size_t K, std::size_t... k>
  TYPEGRAD_ALWAYS_INLINE static void combine_blocks(batch_tangents& r, const std::array<batch, K>& q,
                                                    const std::array<const batch_tangents*, K>& x,
                                                    std::index_sequence<k...>) {
    (combine_block<Out, In, k>(r, q, x, std::make_index_sequence<K>{}), ...);
  }
  /// Block k of the result: the sum over the operands having it (at least one: Out is their union).
  template <std::uint64_t Out, auto In, std::size_t k, std::size_t K, std::size_t... j>
  TYPEGRAD_ALWAYS_INLINE static void combine_block(batch_tangents& r, const std::array<batch, K>& q,
                                                   const std::array<const batch_tangents*, K>& x,
                                                   std::index_sequence<j...>) {
    if constexpr (Out >> k & 1) {
      constexpr std::size_t first = [] {
        std::size_t f = 0;
        while (!(In[f] >> k & 1)) ++f;
        return f;
      }();
      batch acc = q[first] * x[first]->b[k];
      ((j != first && (In[j] >> k & 1) ? (void)(acc = acc + q[j] * x[j]->b[k]) : void()), ...);
      r.b[k] = acc;
    }
  }

 public:
  /// scale() over the blocks of Out.
  template <std::uint64_t Out, class P>
  TYPEGRAD_ALWAYS_INLINE static batch_tangents scale_masked(const P& p, const batch_tangents& x) {
    batch_tangents r{uninitialized{}};
    const batch q(static_cast<T>(p));
    for (std::size_t k = 0; k < blocks; ++k)
      if (Out >> k & 1) r.b[k] = q * x.b[k];
    return r;
  }
  /// Zero the blocks outside Mask (before the tangents are read whole).
  template <std::uint64_t Mask> TYPEGRAD_ALWAYS_INLINE void clear_outside() {
    for (std::size_t k = 0; k < blocks; ++k)
      if (!(Mask >> k & 1)) b[k] = batch(T(0));
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
/// The tangent store of tg::jacobian's sweep slots: default construction leaves SIMD blocks
/// uninitialized (the sweep writes every slot before reading it; zero-filling its ~150 slots of
/// 16 directions was most of a 16x16 Jacobian's time).
template <class T, int N>
using sweep_tangents =
    std::conditional_t<simd_tangents_for<T>() && (N > 1), batch_tangents<T, N, false>, array_tangents<T, N>>;

}  // namespace typegrad::detail
