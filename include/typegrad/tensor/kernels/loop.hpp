#pragma once
/// \file tensor/kernels/loop.hpp
/// The one elementwise loop every kernel runs: out[i] = f(in_0[i], in_1[i], ...) over out's
/// shape, inputs broadcast to it, in the order iteration.hpp chooses. Two element paths:
///
/// - lanes = xsimd::batch<C> (C float or double, TYPEGRAD_USE_SIMD): f takes and returns
///   batches. Contiguous operands of type C are loaded and stored directly; other operands
///   (strided, broadcast, or stored as another type: half, bfloat16, int64) are gathered into
///   a batch, converted to C lane by lane (contiguous halves with F16C and AVX: eight at once,
///   one instruction each way, with the same results). A run's last, partial batch is padded, so every
///   element goes through the same batch code: contiguous and strided layouts give bit-identical
///   results (xsimd's math and <cmath> differ in the last bits). One caveat: xsimd's sin/cos/tan
///   choose their range reduction per batch, so beyond |x| > 20 pi a lane's last bit can depend
///   on its neighbours.
/// - lanes = void: f takes the stored elements one at a time (complex, integer, bool kernels,
///   copies, selections).
///
/// Within a run each batch (or element) is read before its results are stored, so an output
/// that is exactly one of the inputs (same elements, same layout: `a += b`) is computed correctly.
///
/// Two variants for tg::fuse share the loop: run_elementwise_outputs (one call of f gives
/// several outputs: a fused backward's gradients) and sum_elementwise (f's values summed, never
/// stored: tg::fuse_sum).
#include <array>
#include <cstddef>
#include <cstdint>
#include <tuple>
#include <type_traits>
#include <utility>

#include <xsimd/xsimd.hpp>
#if defined(__F16C__) && defined(__AVX__)
#include <immintrin.h>
#endif

#include <typegrad/config.hpp>
#include <typegrad/scalar/half.hpp>
#include <typegrad/scalar/traits.hpp>
#include <typegrad/tensor/convert.hpp>
#include <typegrad/tensor/kernels/broadcast.hpp>
#include <typegrad/tensor/kernels/iteration.hpp>
#include <typegrad/tensor/tensor.hpp>

namespace typegrad::kernels::detail {

/// The lanes a kernel computing in C runs on: xsimd::batch<C> for float and double (unless
/// TYPEGRAD_USE_SIMD is 0), else void (one element at a time).
template <class C>
using lanes_for = std::conditional_t<TYPEGRAD_USE_SIMD && (std::is_same_v<C, float> || std::is_same_v<C, double>),
                                     xsimd::batch<C>, void>;

/// An element converted as torch converts (tensor/convert.hpp), except between the integer
/// compute types (int64 <-> uint64), which keep the bits: wrapped-around arithmetic stays exact.
template <class To, class From> constexpr To cast_element(const From& v) noexcept {
  if constexpr (std::is_same_v<To, From>) {
    return v;
  } else if constexpr (std::is_integral_v<To> && std::is_integral_v<From> && !std::is_same_v<To, bool> &&
                       !std::is_same_v<From, bool>) {
    return static_cast<To>(v);
  } else {
    return typegrad::detail::convert<To>(v);
  }
}

/// One operand along a run: its element at index i is p[i * step].
template <class T> struct strided {
  T* p;
  std::int64_t step;
};

// A run's batch loads never read past its length, but once a short run is inlined g++ 12 -O2
// warns about the untaken full-batch load (-Warray-bounds, a false positive; see reverse/sweep.hpp).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Warray-bounds"
#endif

/// Does B hold 8 floats in an AVX register, with the F16C conversions available? Then eight
/// halves convert in one instruction each way (exactly as half.hpp converts one: the same
/// rounding to nearest even, infinities, subnormals and quieted NaNs).
template <class B> inline constexpr bool f16c_lanes =
#if defined(__F16C__) && defined(__AVX__)
    std::is_same_v<B, xsimd::batch<float, typename B::arch_type>> && B::size == 8;
#else
    false;
#endif

/// Lanes [i, i + count) of `in` as a batch B (count <= B::size; missing lanes are 0).
template <class B, class I> B load_lanes(const strided<const I>& in, std::int64_t i, std::int64_t count) {
  using C = typename B::value_type;
  constexpr auto size = static_cast<std::int64_t>(B::size);
  if (in.step == 0) return B(cast_element<C>(*in.p));
  if constexpr (std::is_same_v<I, C>) {
    if (in.step == 1 && count == size) return B::load_unaligned(in.p + i);
  }
#if defined(__F16C__) && defined(__AVX__)
  if constexpr (std::is_same_v<I, half> && f16c_lanes<B>) {
    static_assert(sizeof(half) == 2);
    if (in.step == 1 && count == size) return B(_mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(in.p + i))));
  }
#endif
  alignas(B::arch_type::alignment()) std::array<C, B::size> lanes{};
  for (std::int64_t l = 0; l < count; ++l) lanes[static_cast<std::size_t>(l)] = cast_element<C>(in.p[(i + l) * in.step]);
  return B::load_aligned(lanes.data());
}

/// Stores lanes [0, count) of `r` to elements [i, i + count) of `out`, converted to O.
template <class O, class B> void store_lanes(const strided<O>& out, std::int64_t i, std::int64_t count, const B& r) {
  using C = typename B::value_type;
  constexpr auto size = static_cast<std::int64_t>(B::size);
  if constexpr (std::is_same_v<O, C>) {
    if (out.step == 1 && count == size) {
      r.store_unaligned(out.p + i);
      return;
    }
  }
#if defined(__F16C__) && defined(__AVX__)
  if constexpr (std::is_same_v<O, half> && f16c_lanes<B>) {
    if (out.step == 1 && count == size) {
      _mm_storeu_si128(reinterpret_cast<__m128i*>(out.p + i), _mm256_cvtps_ph(r, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
      return;
    }
  }
#endif
  alignas(B::arch_type::alignment()) std::array<C, B::size> lanes;
  r.store_aligned(lanes.data());
  for (std::int64_t l = 0; l < count; ++l) out.p[(i + l) * out.step] = cast_element<O>(lanes[static_cast<std::size_t>(l)]);
}

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

/// One run of `n` elements in batches of B; f returns one batch per output (outputs with a null
/// pointer are not stored).
template <class B, class F, class O, std::size_t M, class... I>
void batch_run(F& f, std::int64_t n, const std::array<strided<O>, M>& out, const strided<const I>&... in) {
  constexpr auto size = static_cast<std::int64_t>(B::size);
  const auto store = [&](std::int64_t i, std::int64_t count, const std::array<B, M>& r) {
    for (std::size_t k = 0; k < M; ++k)
      if (out[k].p) store_lanes(out[k], i, count, r[k]);
  };
  std::int64_t i = 0;
  for (; i + size <= n; i += size) store(i, size, f(load_lanes<B>(in, i, size)...));
  if (i < n) store(i, n - i, f(load_lanes<B>(in, i, n - i)...));
}

/// One run of `n` elements, one at a time.
template <class F, class O, std::size_t M, class... I>
void element_run(F& f, std::int64_t n, const std::array<strided<O>, M>& out, const strided<const I>&... in) {
  for (std::int64_t i = 0; i < n; ++i) {
    const auto r = f(in.p[i * in.step]...);
    for (std::size_t k = 0; k < M; ++k)
      if (out[k].p) out[k].p[i * out[k].step] = cast_element<O>(r[k]);
  }
}

template <class Lanes, class F, class O, std::size_t M, class... I, std::size_t... K>
void run_loop(const loop_geometry<M + sizeof...(I)>& g, F& f, const std::array<O*, M>& out, std::index_sequence<K...>,
              const I*... in) {
  for_each_run(g, [&](const auto& offset, std::int64_t n, const auto& step) {
    std::array<strided<O>, M> o;
    for (std::size_t k = 0; k < M; ++k) o[k] = {out[k] ? out[k] + offset[k] : nullptr, step[k]};
    if constexpr (std::is_void_v<Lanes>) {
      element_run(f, n, o, strided<const I>{in + offset[M + K], step[M + K]}...);
    } else {
      batch_run<Lanes>(f, n, o, strided<const I>{in + offset[M + K], step[M + K]}...);
    }
  });
}

/// outputs[k][i] = f(inputs[i]...)[k] for every index of the outputs' shape (one call of f
/// computes all M results: a fused backward's gradients). O and I... are the element types of
/// the outputs and `inputs` (checked by data_ptr); undefined outputs are skipped; each input's
/// shape must broadcast to the outputs' (the first defined output gives the shape). With
/// Lanes = xsimd::batch<C>, f takes batches of C and returns std::array<Lanes, M>; with
/// Lanes = void, it takes the stored elements and returns an array of M values, converted to O.
template <class Lanes, class O, std::size_t M, class... I, class F>
void run_elementwise_outputs(F f, const std::array<Tensor, M>& outputs, const std::array<Tensor, sizeof...(I)>& inputs) {
  constexpr std::size_t n = M + sizeof...(I);
  const Tensor* first = nullptr;
  for (const Tensor& o : outputs)
    if (!first && o.defined()) first = &o;
  if (!first) return;
  const auto shape = first->sizes();
  std::array<dim_vector, n> strides;
  std::array<O*, M> out{};
  for (std::size_t k = 0; k < M; ++k) {
    if (outputs[k].defined()) {
      strides[k] = outputs[k].strides();
      out[k] = outputs[k].template data_ptr<O>();
    } else {
      strides[k] = dim_vector(shape.size(), 0);  // not stored: a broadcast stand-in for the geometry
    }
  }
  for (std::size_t k = 0; k < sizeof...(I); ++k) {
    strides[M + k] = broadcast_strides(inputs[k].sizes(), inputs[k].strides(), shape);
  }
  const auto geometry = make_loop_geometry(shape, strides, iteration_order(shape, strides));
  [&]<std::size_t... K>(std::index_sequence<K...> ks) {
    run_loop<Lanes>(geometry, f, out, ks, inputs[K].template data_ptr<I>()...);
  }(std::index_sequence_for<I...>{});
}

/// The sum of f over one run of `n` elements: batches added up in blocks (64 batches of C, then
/// into Acc), the padded lanes of the last batch left out.
template <class Lanes, class Acc, class F, class... I>
Acc sum_run(F& f, std::int64_t n, const strided<const I>&... in) {
  Acc total{};
  if constexpr (std::is_void_v<Lanes>) {
    for (std::int64_t i = 0; i < n; ++i) total += static_cast<Acc>(f(in.p[i * in.step]...));
  } else {
    using B = Lanes;
    constexpr auto size = static_cast<std::int64_t>(B::size);
    const auto add_lanes = [&total](const B& b, std::int64_t count) {
      alignas(B::arch_type::alignment()) std::array<typename B::value_type, B::size> lanes;
      b.store_aligned(lanes.data());
      for (std::int64_t l = 0; l < count; ++l) total += static_cast<Acc>(lanes[static_cast<std::size_t>(l)]);
    };
    B block(0);
    int batches = 0;
    std::int64_t i = 0;
    for (; i + size <= n; i += size) {
      block += B(f(load_lanes<B>(in, i, size)...));
      if (++batches == 64) {
        add_lanes(block, size);
        block = B(0);
        batches = 0;
      }
    }
    add_lanes(block, size);
    if (i < n) add_lanes(B(f(load_lanes<B>(in, i, n - i)...)), n - i);
  }
  return total;
}

/// The sum over `shape` of f(inputs[i]...), inputs broadcast to it, accumulated in Acc (double,
/// or std::complex<double>): a reduction over an elementwise body that never stores the body's
/// values. Lanes and I... as for run_elementwise; f's results convert to Acc.
template <class Lanes, class Acc, class... I, class F>
Acc sum_elementwise(F f, IntArrayRef shape, const std::array<Tensor, sizeof...(I)>& inputs) {
  std::array<dim_vector, sizeof...(I)> strides;
  for (std::size_t k = 0; k < sizeof...(I); ++k) {
    strides[k] = broadcast_strides(inputs[k].sizes(), inputs[k].strides(), shape);
  }
  const auto geometry = make_loop_geometry(shape, strides, iteration_order(shape, strides));
  Acc total{};
  [&]<std::size_t... K>(std::index_sequence<K...>) {
    const std::tuple<const I*...> data{inputs[K].template data_ptr<I>()...};
    for_each_run(geometry, [&](const auto& offset, std::int64_t n, const auto& step) {
      total += sum_run<Lanes, Acc>(f, n, strided<const I>{std::get<K>(data) + offset[K], step[K]}...);
    });
  }(std::index_sequence_for<I...>{});
  return total;
}

/// out[i] = f(inputs[i]...) for every index of out's shape. O and I... are the element types
/// of `out` and `inputs` (checked by data_ptr); each input's shape must broadcast to out's.
/// With Lanes = xsimd::batch<C>, f is called with batches of C; with Lanes = void, with the
/// stored elements. f's results are converted to O.
template <class Lanes, class O, class... I, class F>
void run_elementwise(F f, const Tensor& out, const std::array<Tensor, sizeof...(I)>& inputs) {
  const auto one = [&f](const auto&... x) {
    if constexpr (std::is_void_v<Lanes>) return std::array{f(x...)};
    else return std::array<Lanes, 1>{Lanes(f(x...))};
  };
  run_elementwise_outputs<Lanes, O, 1, I...>(one, std::array<Tensor, 1>{out}, inputs);
}

}  // namespace typegrad::kernels::detail
