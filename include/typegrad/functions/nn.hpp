#pragma once
/// \file functions/nn.hpp
/// Neural-network basics: softmax, log_softmax, mse_loss, nll_loss and cross_entropy
/// (= nll_loss(log_softmax(x)), torch's graph: NllLossBackward0 -> LogSoftmaxBackward0).
/// relu, sigmoid and tanh are the pointwise functions.
#include <cstdint>
#include <string>
#include <string_view>

#include <typegrad/autograd/forward_grad.hpp>
#include <typegrad/error.hpp>
#include <typegrad/functions/fwd.hpp>
#include <typegrad/functions/generic_node.hpp>
#include <typegrad/functions/indexing.hpp>
#include <typegrad/functions/pointwise.hpp>
#include <typegrad/functions/reduce.hpp>
#include <typegrad/functions/reductions.hpp>

namespace typegrad {

/// How a loss combines its elements (torch's `reduction=`).
enum class Reduction { None, Mean, Sum };

Tensor softmax(const Tensor& a, std::int64_t dim);
Tensor log_softmax(const Tensor& a, std::int64_t dim);
Tensor mse_loss(const Tensor& input, const Tensor& target, Reduction reduction = Reduction::Mean);
Tensor nll_loss(const Tensor& log_probs, const Tensor& target, Reduction reduction = Reduction::Mean);
Tensor cross_entropy(const Tensor& logits, const Tensor& target, Reduction reduction = Reduction::Mean);

inline Tensor softmax(const Tensor& a, std::int64_t dim) {
  const std::int64_t d = typegrad::detail::wrap_dim(dim, std::max<std::int64_t>(a.dim(), 1));
  Tensor y;
  {
    autograd::forward_ad::detail::tangent_scope values_only;
    NoGradGuard no_history;
    const Tensor e = exp(a - amax(a, {d}, true));
    y = e / sum(e, {d}, true);
  }
  record::op("SoftmaxBackward0", {&a}, {y}, {{y, true}}, [d](const tensor_list& g, const tensor_list& s, const autograd::Node&) {
    return tensor_list{s[0] * (g[0] - sum(g[0] * s[0], {d}, true))};
  });
  autograd::forward_ad::detail::propagate(y, a, [&](const Tensor& t) { return y * (t - sum(t * y, {d}, true)); });
  return y;
}

inline Tensor log_softmax(const Tensor& a, std::int64_t dim) {
  const std::int64_t d = typegrad::detail::wrap_dim(dim, std::max<std::int64_t>(a.dim(), 1));
  Tensor y;
  {
    autograd::forward_ad::detail::tangent_scope values_only;
    NoGradGuard no_history;
    y = a - logsumexp(a, {d}, true);
  }
  record::op("LogSoftmaxBackward0", {&a}, {y}, {{y, true}}, [d](const tensor_list& g, const tensor_list& s, const autograd::Node&) {
    return tensor_list{g[0] - exp(s[0]) * sum(g[0], {d}, true)};
  });
  autograd::forward_ad::detail::propagate(y, a, [&](const Tensor& t) { return t - sum(t * exp(y), {d}, true); });
  return y;
}

namespace autograd::functions::impl {
inline Tensor reduce_loss(const Tensor& per_element, Reduction reduction) {
  switch (reduction) {
    case Reduction::None: return per_element;
    case Reduction::Sum: return per_element.sum();
    case Reduction::Mean: break;
  }
  return per_element.mean();
}
}  // namespace autograd::functions::impl

/// mean/sum/none of (input - target)^2; target broadcasts to input as torch allows.
inline Tensor mse_loss(const Tensor& input, const Tensor& target, Reduction reduction) {
  Tensor y;
  {
    autograd::forward_ad::detail::tangent_scope values_only;
    NoGradGuard no_history;
    const Tensor diff = input - target;
    y = autograd::functions::impl::reduce_loss(diff * diff, reduction);
  }
  const auto count = static_cast<double>(kernels::broadcast_shapes(input.sizes(), target.sizes()).empty()
                                             ? 1
                                             : (input - target).numel());
  const auto in_sizes = input.sizes(), target_sizes = target.sizes();
  record::op("MseLossBackward0", {&input, &target}, {y}, {{input, false}, {target, false}},
             [reduction, count, in_sizes, target_sizes](const tensor_list& g, const tensor_list& s, const autograd::Node& n) {
               Tensor scale = reduction == Reduction::Mean ? g[0] * (2.0 / count) : g[0] * 2.0;
               const Tensor grad = scale * (s[0] - s[1]);
               tensor_list r(2);
               if (n.should_compute_output(0)) r[0] = sum_to(grad, in_sizes);
               if (n.should_compute_output(1)) r[1] = sum_to(-grad, target_sizes);
               return r;
             });
  autograd::forward_ad::detail::propagate(y, input, target, [&](const Tensor& ti, const Tensor& tt) {
    Tensor dt = ti.defined() ? (tt.defined() ? ti - tt : ti) : -tt;
    return autograd::functions::impl::reduce_loss(2.0 * (input - target) * dt, reduction);
  });
  return y;
}

/// -log_probs[i, target[i]] reduced (log_probs (N, C) or (C), target Long (N) or ()).
inline Tensor nll_loss(const Tensor& log_probs, const Tensor& target, Reduction reduction) {
  if (target.dtype() != kLong) {
    throw Error("expected scalar type Long but found " + std::string(scalar_type_name(target.dtype())));
  }
  if (log_probs.dim() < 1 || log_probs.dim() > 2) {
    throw Error("nll_loss: expected 1D or 2D input (got " + std::to_string(log_probs.dim()) + "D)");
  }
  const bool batched = log_probs.dim() == 2;
  if (batched && (target.dim() != 1 || target.size(0) != log_probs.size(0))) {
    throw Error("Expected input batch_size (" + std::to_string(log_probs.size(0)) + ") to match target batch_size (" +
                std::to_string(target.dim() == 0 ? 1 : target.size(0)) + ").");
  }
  const Tensor index = batched ? target.unsqueeze(1) : target.reshape({1});
  const std::int64_t classes = log_probs.size(-1);
  {
    const Tensor t = index.contiguous();
    const auto* p = t.data_ptr<std::int64_t>();
    for (std::int64_t i = 0; i < t.numel(); ++i) {
      if (p[i] < 0 || p[i] >= classes) throw Error("Target " + std::to_string(p[i]) + " is out of bounds.");
    }
  }
  Tensor y;
  {
    autograd::forward_ad::detail::tangent_scope values_only;
    NoGradGuard no_history;
    const Tensor picked = -gather(log_probs, batched ? 1 : 0, index);
    y = autograd::functions::impl::reduce_loss(batched ? picked.squeeze(1) : picked.squeeze(0), reduction);
  }
  const double count = batched ? static_cast<double>(log_probs.size(0)) : 1.0;
  const auto sizes = log_probs.sizes();
  record::op("NllLossBackward0", {&log_probs}, {y}, {{index, false}},
             [reduction, count, sizes, batched](const tensor_list& g, const tensor_list& s, const autograd::Node&) {
               Tensor scale = reduction == Reduction::Mean ? g[0] / count : g[0];
               Tensor per_row = reduction == Reduction::None ? (batched ? scale.unsqueeze(1) : scale.reshape({1}))
                                                             : scale.expand(s[0].sizes());
               return tensor_list{scatter_add(zeros(sizes, typegrad::dtype(g[0].dtype())), batched ? 1 : 0, s[0], -per_row)};
             });
  autograd::forward_ad::detail::propagate(y, log_probs, [&](const Tensor& t) {
    const Tensor picked = -gather(t, batched ? 1 : 0, index);
    return autograd::functions::impl::reduce_loss(batched ? picked.squeeze(1) : picked.squeeze(0), reduction);
  });
  return y;
}

inline Tensor cross_entropy(const Tensor& logits, const Tensor& target, Reduction reduction) {
  return nll_loss(log_softmax(logits, logits.dim() == 1 ? 0 : 1), target, reduction);
}

}  // namespace typegrad
