#pragma once
/// \file functions/indexing.hpp
/// index_select, index_add, gather, scatter_add and repeat, differentiable in both
/// directions (each backward is written with another of them, so double backward works).
#include <cstdint>
#include <vector>

#include <typegrad/autograd/forward_grad.hpp>
#include <typegrad/error.hpp>
#include <typegrad/functions/fwd.hpp>
#include <typegrad/functions/generic_node.hpp>
#include <typegrad/functions/reduce.hpp>
#include <typegrad/functions/shape.hpp>
#include <typegrad/tensor/factories.hpp>
#include <typegrad/tensor/kernels/index.hpp>
#include <typegrad/tensor/raw.hpp>

namespace typegrad {

inline Tensor index_select(const Tensor& a, std::int64_t dim, const Tensor& index) {
  Tensor y = kernels::index_select(a, dim, index);
  const auto sizes = a.sizes();
  record::op("IndexSelectBackward0", {&a}, {y}, {{index, false}},
             [dim, sizes](const tensor_list& g, const tensor_list& s, const autograd::Node&) {
               return tensor_list{index_add(zeros(sizes, typegrad::dtype(g[0].dtype())), dim, s[0], g[0])};
             });
  autograd::forward_ad::detail::propagate(y, a, [&](const Tensor& t) { return index_select(t, dim, index); });
  return y;
}

inline Tensor index_add(const Tensor& self, std::int64_t dim, const Tensor& index, const Tensor& source) {
  Tensor y = kernels::index_add(self, dim, index, source);
  const auto source_dim = source.dim();
  record::op("IndexAddBackward0", {&self, &source}, {y}, {{index, false}},
             [dim, source_dim](const tensor_list& g, const tensor_list& s, const autograd::Node& n) {
               tensor_list r(2);
               if (n.should_compute_output(0)) r[0] = g[0];
               if (n.should_compute_output(1)) {
                 r[1] = source_dim == 0 ? index_select(g[0], dim, s[0]).squeeze(dim) : index_select(g[0], dim, s[0]);
               }
               return r;
             });
  autograd::forward_ad::detail::propagate(y, self, source, [&](const Tensor& ts, const Tensor& tsrc) {
    return index_add(ts.defined() ? ts : zeros_like(self), dim, index, tsrc.defined() ? tsrc : zeros_like(source));
  });
  return y;
}

inline Tensor gather(const Tensor& a, std::int64_t dim, const Tensor& index) {
  Tensor y = kernels::gather(a, dim, index);
  const auto sizes = a.sizes();
  record::op("GatherBackward0", {&a}, {y}, {{index, false}},
             [dim, sizes](const tensor_list& g, const tensor_list& s, const autograd::Node&) {
               return tensor_list{scatter_add(zeros(sizes, typegrad::dtype(g[0].dtype())), dim, s[0], g[0])};
             });
  autograd::forward_ad::detail::propagate(y, a, [&](const Tensor& t) { return gather(t, dim, index); });
  return y;
}

inline Tensor scatter_add(const Tensor& self, std::int64_t dim, const Tensor& index, const Tensor& src) {
  Tensor y = kernels::scatter_add(self, dim, index, src);
  record::op("ScatterAddBackward0", {&self, &src}, {y}, {{index, false}},
             [dim](const tensor_list& g, const tensor_list& s, const autograd::Node& n) {
               tensor_list r(2);
               if (n.should_compute_output(0)) r[0] = g[0];
               if (n.should_compute_output(1)) r[1] = gather(g[0], dim, s[0]);
               return r;
             });
  autograd::forward_ad::detail::propagate(y, self, src, [&](const Tensor& ts, const Tensor& tsrc) {
    return scatter_add(ts.defined() ? ts : zeros_like(self), dim, index, tsrc.defined() ? tsrc : zeros_like(src));
  });
  return y;
}

/// The tensor tiled `repeats[k]` times along dim k (torch.Tensor.repeat).
inline Tensor repeat(const Tensor& a, IntArrayRef repeats) {
  const auto n = static_cast<std::int64_t>(repeats.size());
  if (n < a.dim()) {
    throw Error("Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor");
  }
  // a as (1, ..., 1, s_0, ..., s_k) expanded to (r_0, s_0, r_1, s_1, ...) and merged pairwise
  std::vector<std::int64_t> padded(static_cast<std::size_t>(n - a.dim()), 1);
  for (auto s : a.sizes()) padded.push_back(s);
  std::vector<std::int64_t> interleaved, expanded, result;
  for (std::size_t k = 0; k < padded.size(); ++k) {
    interleaved.push_back(1);
    interleaved.push_back(padded[k]);
    expanded.push_back(repeats[k]);
    expanded.push_back(padded[k]);
    result.push_back(repeats[k] * padded[k]);
  }
  Tensor y = raw::contiguous(raw::expand(raw::reshape(a, interleaved), expanded)).view(result);
  y = raw::reshape(y, result);
  const auto sizes = a.sizes();
  record::op("RepeatBackward0", {&a}, {y}, {}, [expanded, sizes](const tensor_list& g, const tensor_list&, const autograd::Node&) {
    std::vector<std::int64_t> even;
    for (std::size_t k = 0; k < expanded.size(); k += 2) even.push_back(static_cast<std::int64_t>(k));
    return tensor_list{g[0].reshape(expanded).sum(even).reshape(sizes)};
  });
  autograd::forward_ad::detail::propagate(y, a, [&](const Tensor& t) { return repeat(t, repeats); });
  return y;
}

}  // namespace typegrad
