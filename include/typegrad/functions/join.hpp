#pragma once
/// \file functions/join.hpp
/// Joining and splitting: cat, stack (CatBackward0, StackBackward0), and the multi-output
/// split, split_with_sizes, chunk, unbind (one shared node, outputs told apart by output_nr;
/// a gradient that did not reach some output counts as zeros there).
#include <cstdint>
#include <string>
#include <vector>

#include <typegrad/autograd/forward_grad.hpp>
#include <typegrad/error.hpp>
#include <typegrad/functions/fwd.hpp>
#include <typegrad/functions/generic_node.hpp>
#include <typegrad/functions/shape.hpp>
#include <typegrad/tensor/factories.hpp>
#include <typegrad/tensor/kernels/index.hpp>
#include <typegrad/tensor/raw.hpp>

namespace typegrad {

namespace autograd::functions::impl {
/// The tangents of `inputs` (zeros where one has none), or empty when none has one.
inline tensor_list tangents_of(const tensor_list& inputs) {
  bool any = false;
  for (const auto& t : inputs) any = any || forward_ad::detail::any_tangent({&t});
  if (!any) return {};
  tensor_list r;
  for (const auto& t : inputs) {
    Tensor tangent = forward_ad::detail::tangent_of(t);
    r.push_back(tangent.defined() ? tangent : zeros_like(t));
  }
  return r;
}
/// Gradients of several outputs of one node, undefined ones as zeros of the output's shape.
inline tensor_list materialized(const tensor_list& grads, const Node& node) {
  tensor_list r = grads;
  for (std::size_t i = 0; i < r.size(); ++i) {
    if (!r[i].defined()) {
      const auto& m = node.input_metadata(i);
      r[i] = zeros(m.sizes, dtype(m.dtype));
    }
  }
  return r;
}
}  // namespace autograd::functions::impl

Tensor cat(const tensor_list& tensors, std::int64_t dim = 0);
// stack(tensors, dim = 0): declared in fwd.hpp (the engine's batched grad uses it).
tensor_list split(const Tensor& a, std::int64_t split_size, std::int64_t dim = 0);
tensor_list split_with_sizes(const Tensor& a, const std::vector<std::int64_t>& sizes, std::int64_t dim = 0);
tensor_list chunk(const Tensor& a, std::int64_t chunks, std::int64_t dim = 0);
tensor_list unbind(const Tensor& a, std::int64_t dim = 0);

inline Tensor cat(const tensor_list& tensors, std::int64_t dim) {
  Tensor y = kernels::cat(tensors, dim);
  const std::int64_t d = typegrad::detail::wrap_dim(dim, y.dim());
  std::vector<std::int64_t> lengths;  // 0 for the legacy empty 1-d tensors cat skips
  for (const auto& t : tensors) lengths.push_back(t.dim() == 1 && t.numel() == 0 ? -1 : t.size(d));
  record::op("CatBackward0", tensors, {y}, {}, [d, lengths](const tensor_list& g, const tensor_list&, const autograd::Node&) {
    tensor_list r;
    std::int64_t start = 0;
    for (auto n : lengths) {
      if (n < 0) {
        r.push_back(Tensor());
        continue;
      }
      r.push_back(g[0].narrow(d, start, n));
      start += n;
    }
    return r;
  });
  tensor_list tangents = autograd::functions::impl::tangents_of(tensors);
  if (!tangents.empty()) {
    autograd::forward_ad::detail::tangent_scope primal_values;
    autograd::forward_ad::detail::set_tangent(y, cat(tangents, dim));
  }
  return y;
}

inline Tensor stack(const tensor_list& tensors, std::int64_t dim) {
  if (tensors.empty()) throw Error("stack expects a non-empty TensorList");
  const std::int64_t d = typegrad::detail::wrap_dim(dim, tensors[0].dim() + 1);
  for (std::size_t i = 1; i < tensors.size(); ++i) {
    if (tensors[i].sizes() != tensors[0].sizes()) {
      throw Error("stack expects each tensor to be equal size, but got " + typegrad::detail::format_int_list(tensors[0].sizes()) +
                  " at entry 0 and " + typegrad::detail::format_int_list(tensors[i].sizes()) + " at entry " + std::to_string(i));
    }
  }
  tensor_list unsqueezed;
  for (const auto& t : tensors) unsqueezed.push_back(raw::unsqueeze(t, d));
  Tensor y = kernels::cat(unsqueezed, d);
  const auto n = static_cast<std::int64_t>(tensors.size());
  record::op("StackBackward0", tensors, {y}, {}, [d, n](const tensor_list& g, const tensor_list&, const autograd::Node&) {
    tensor_list r;
    for (std::int64_t i = 0; i < n; ++i) r.push_back(g[0].select(d, i));
    return r;
  });
  tensor_list tangents = autograd::functions::impl::tangents_of(tensors);
  if (!tangents.empty()) {
    autograd::forward_ad::detail::tangent_scope primal_values;
    autograd::forward_ad::detail::set_tangent(y, stack(tangents, dim));
  }
  return y;
}

namespace autograd::functions::impl {
/// Pieces of `a` along `d` with the given lengths, as views sharing one node.
inline tensor_list split_views(const Tensor& a, const std::vector<std::int64_t>& lengths, std::int64_t d, const char* name,
                               bool select) {
  tensor_list outs;
  std::int64_t start = 0;
  for (auto n : lengths) {
    outs.push_back(select ? raw::select(a, d, start) : raw::narrow(a, d, start, n));
    start += n;
  }
  for (auto& o : outs) mark_view(a, o, autograd::view_creation::by_multi_view_function);
  auto sizes = a.sizes();
  record::op(name, {&a}, outs, {}, [d, sizes, select](const tensor_list& g, const tensor_list&, const autograd::Node& node) {
    tensor_list parts = materialized(g, node);
    if (select) {
      for (auto& p : parts) p = p.unsqueeze(d);
    }
    return tensor_list{cat(parts, d)};
  });
  Tensor ta = forward_ad::detail::tangent_of(a);
  if (ta.defined()) {
    forward_ad::detail::tangent_scope primal_values;
    std::int64_t s = 0;
    for (std::size_t i = 0; i < outs.size(); ++i) {
      forward_ad::detail::set_tangent(outs[i], select ? ta.select(d, s) : ta.narrow(d, s, lengths[i]));
      s += lengths[i];
    }
  }
  return outs;
}
}  // namespace autograd::functions::impl

inline tensor_list split_with_sizes(const Tensor& a, const std::vector<std::int64_t>& sizes, std::int64_t dim) {
  if (a.dim() == 0) throw Error("split expects at least a 1-dimensional tensor");
  const std::int64_t d = typegrad::detail::wrap_dim(dim, a.dim());
  std::int64_t total = 0;
  for (auto s : sizes) {
    if (s < 0) throw Error("split_with_sizes expects split_sizes have only non-negative entries, but got split_sizes=" + typegrad::detail::format_int_list(sizes));
    total += s;
  }
  if (total != a.size(d)) {
    throw Error("split_with_sizes expects split_sizes to sum exactly to " + std::to_string(a.size(d)) +
                " (input tensor's size at dimension " + std::to_string(d) + "), but got split_sizes=" +
                typegrad::detail::format_int_list(sizes));
  }
  return autograd::functions::impl::split_views(a, sizes, d, "SplitWithSizesBackward0", false);
}

inline tensor_list split(const Tensor& a, std::int64_t split_size, std::int64_t dim) {
  if (a.dim() == 0) throw Error("split expects at least a 1-dimensional tensor");
  if (split_size < 0) throw Error("split expects split_size be non-negative, but got split_size=" + std::to_string(split_size));
  const std::int64_t d = typegrad::detail::wrap_dim(dim, a.dim());
  const std::int64_t n = a.size(d);
  if (split_size == 0 && n != 0) {
    throw Error("split_size can only be 0 if dimension size is 0, but got dimension size of " + std::to_string(n));
  }
  std::vector<std::int64_t> lengths;
  if (n == 0) lengths.push_back(0);
  for (std::int64_t s = 0; s < n; s += split_size) lengths.push_back(std::min(split_size, n - s));
  return autograd::functions::impl::split_views(a, lengths, d, "SplitBackward0", false);
}

inline tensor_list chunk(const Tensor& a, std::int64_t chunks, std::int64_t dim) {
  if (a.dim() == 0) throw Error("chunk expects at least a 1-dimensional tensor");
  if (chunks <= 0) throw Error("chunk expects `chunks` to be greater than 0, got: " + std::to_string(chunks));
  const std::int64_t n = a.size(dim);
  const std::int64_t split_size = (n + chunks - 1) / chunks;
  if (split_size == 0 && n == 0) {
    std::vector<std::int64_t> sizes(static_cast<std::size_t>(chunks), 0);
    return split_with_sizes(a, sizes, dim);
  }
  return split(a, split_size, dim);
}

inline tensor_list unbind(const Tensor& a, std::int64_t dim) {
  if (a.dim() == 0) throw Error("Dimension specified as 0 but tensor has no dimensions");
  const std::int64_t d = typegrad::detail::wrap_dim(dim, a.dim());
  std::vector<std::int64_t> lengths(static_cast<std::size_t>(a.size(d)), 1);
  return autograd::functions::impl::split_views(a, lengths, d, "UnbindBackward0", true);
}

}  // namespace typegrad
