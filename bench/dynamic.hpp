#pragma once
/// \file bench/dynamic.hpp
/// The dynamic-layer benchmarks (issue 3 §5), shared by bench/dynamic_tg.cpp (typegrad) and
/// bench/dynamic_torch.cpp (libtorch, compiled as C++17): problem sizes and the data both
/// sides start from. One thread each (libtorch: torch::set_num_threads(1)).
///
///   scalar_chain/ops=N      N operations on 0-d double tensors, forward and backward
///                           (per-operation overhead: y = sin(y) * 0.999 + x, repeated)
///   elementwise/n=N         sum(sin(x) * x + exp(-x)) over N floats, forward and backward
///   pointwise_backward/OP   the backward of y = OP(x) alone (OP sigmoid, tanh, asin, sin) over
///                           10^7 floats, graph retained: the node's gradient formula
///   mlp_step/784-256-10     one SGD step of a 784-256-10 ReLU MLP, batch 64, cross entropy
///   gradient_penalty/64x32  ||d critic / d input||^2 penalty of a 32-32-1 tanh critic,
///                           create_graph and the double backward
#include <cmath>
#include <cstdint>
#include <vector>

namespace bench::dynamic {

inline constexpr int chain_lengths[] = {1000};
inline constexpr std::int64_t elementwise_sizes[] = {1000000, 10000000};
inline constexpr std::int64_t pointwise_size = 10000000;
inline constexpr const char* pointwise_ops[] = {"sigmoid", "tanh", "asin", "sin"};
inline constexpr std::int64_t mlp_in = 784, mlp_hidden = 256, mlp_out = 10, mlp_batch = 64;
inline constexpr std::int64_t gp_batch = 64, gp_width = 32;

/// Deterministic data in [-1, 1] both sides use (no library RNG: the same numbers).
inline std::vector<float> data(std::int64_t n, std::uint32_t seed) {
  std::vector<float> v(static_cast<std::size_t>(n));
  std::uint32_t s = seed * 2654435761u + 1u;
  for (auto& x : v) {
    s = s * 1664525u + 1013904223u;
    x = static_cast<float>(s >> 8) / static_cast<float>(1u << 24) * 2.0f - 1.0f;
  }
  return v;
}
inline std::vector<std::int64_t> labels(std::int64_t n, std::int64_t classes) {
  std::vector<std::int64_t> v(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i) v[static_cast<std::size_t>(i)] = (i * 7 + 3) % classes;
  return v;
}

}  // namespace bench::dynamic
