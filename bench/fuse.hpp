#pragma once
/// \file bench/fuse.hpp
/// The fusion benchmarks (issue 4), shared by bench/fuse_tg.cpp (typegrad fused and unfused,
/// the copy and triad loops) and bench/fuse_torch.cpp (libtorch, C++17). One thread each.
///
///   fuse_chain/ops=K       y = chain<K>(x, w) over chain_size floats, forward and backward with a given
///                          output gradient: K elementwise operations (K/2 times y = sin(y) * w),
///                          compute-heavy (a sine, and a cosine in the backward, per pair)
///   fuse_affine/ops=K      the same with K/2 times y = y * w + x: memory-bound
///   fuse_sum/n=N           sum(x * log(1 + w * w)) over N floats, forward and backward: fuse_sum
///                          (never stores the body), fuse then sum, unfused, libtorch
///   fuse_double_backward/n=N  a gradient penalty over N floats: s = sum(x * log(1 + w * w)),
///                          (gx, gw) = grad(s, create_graph), backward of sum(gx^2 + gw^2):
///                          fused (the gradients' node is fused too), unfused, libtorch
///   bandwidth/n=N          copy (b = a) and triad (a = b + s c) loops over N floats: the
///                          memory bandwidth the chains are measured against
#include <cstdint>
#include <vector>

#include "dynamic.hpp"

namespace bench::fuse {

inline constexpr int chain_ops[] = {2, 4, 8};
inline constexpr std::int64_t chain_size = 10000000;
inline constexpr std::int64_t double_backward_size = 1000000;

/// K elementwise operations: K/2 times y = sin(y) * w. Generic: typegrad placeholders and
/// tensors, and libtorch tensors (sin found by argument-dependent lookup).
template <int K, class X, class W> auto chain(const X& x, const W& w) {
  if constexpr (K == 0) {
    return x;
  } else {
    return chain<K - 2>(sin(x) * w, w);
  }
}

/// K elementwise operations: K/2 times y = y * w + x (multiply-adds only), starting from y = x.
template <int K, class Y, class X, class W> auto affine_chain(const Y& y, const X& x, const W& w) {
  if constexpr (K == 0) {
    return y;
  } else {
    return affine_chain<K - 2>(y * w + x, x, w);
  }
}

/// The body of the reduction case.
template <class X, class W> auto log_body(const X& x, const W& w) { return x * log(1.0 + w * w); }

/// Bytes one forward and backward of a fused chain must move at least: forward reads x, w and
/// writes y; backward reads x, w, the output gradient, and writes both input gradients.
inline constexpr std::int64_t fused_bytes(std::int64_t n) { return (3 + 5) * n * static_cast<std::int64_t>(sizeof(float)); }

using bench::dynamic::data;  // the same deterministic inputs as the dynamic-layer cases

}  // namespace bench::fuse
