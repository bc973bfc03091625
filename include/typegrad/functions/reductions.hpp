#pragma once
/// \file functions/reductions.hpp
/// The reductions beyond sum and mean: prod, amax/amin, max/min (over everything, or along a
/// dim with indices), norm, logsumexp, var and std, each over all or given dims with keepdim,
/// with torch's node names and gradient rules (ties share the gradient evenly for amax/amin
/// and the full max/min; along a dim the gradient goes to the returned index; prod handles
/// zeros exactly).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <tuple>
#include <utility>
#include <vector>

#include <typegrad/autograd/forward_grad.hpp>
#include <typegrad/error.hpp>
#include <typegrad/functions/fwd.hpp>
#include <typegrad/functions/generic_node.hpp>
#include <typegrad/functions/indexing.hpp>
#include <typegrad/functions/pointwise.hpp>
#include <typegrad/functions/reduce.hpp>
#include <typegrad/tensor/factories.hpp>
#include <typegrad/tensor/kernels/elementwise.hpp>
#include <typegrad/tensor/kernels/reduce.hpp>

namespace typegrad {

Tensor prod(const Tensor& a, std::optional<ScalarType> dtype = std::nullopt);
Tensor prod(const Tensor& a, std::int64_t dim, bool keepdim = false, std::optional<ScalarType> dtype = std::nullopt);
Tensor amax(const Tensor& a, IntArrayRef dims = {}, bool keepdim = false);
Tensor amin(const Tensor& a, IntArrayRef dims = {}, bool keepdim = false);
Tensor max(const Tensor& a);
Tensor min(const Tensor& a);
std::tuple<Tensor, Tensor> max(const Tensor& a, std::int64_t dim, bool keepdim = false);
std::tuple<Tensor, Tensor> min(const Tensor& a, std::int64_t dim, bool keepdim = false);
Tensor norm(const Tensor& a, double p = 2.0);
Tensor norm(const Tensor& a, double p, IntArrayRef dims, bool keepdim = false);
Tensor logsumexp(const Tensor& a, IntArrayRef dims, bool keepdim = false);
/// var and std over `dims` (empty: all) with Bessel's `correction` (1: unbiased). No
/// (tensor, correction) overload: `std(x, {0})` must mean dims {0}, not correction 0.
Tensor var(const Tensor& a);
Tensor var(const Tensor& a, IntArrayRef dims, double correction = 1.0, bool keepdim = false);
Tensor std(const Tensor& a);
Tensor std(const Tensor& a, IntArrayRef dims, double correction = 1.0, bool keepdim = false);

namespace autograd::functions::impl {

/// Wrapped reduction dims (all dims when `dims` is empty).
inline std::vector<std::int64_t> reduction_dims(const Tensor& a, IntArrayRef dims) {
  std::vector<std::int64_t> r;
  if (dims.empty()) {
    for (std::int64_t d = 0; d < a.dim(); ++d) r.push_back(d);
  } else {
    for (auto d : dims) r.push_back(typegrad::detail::wrap_dim(d, std::max<std::int64_t>(a.dim(), 1)));
    std::sort(r.begin(), r.end());
  }
  return r;
}
/// A reduced result (or its gradient) with the reduced dims back as size-1 dims, so that it
/// broadcasts against the input.
inline Tensor unsqueeze_reduced(const Tensor& r, const std::vector<std::int64_t>& dims, bool keepdim, std::int64_t input_dim) {
  if (keepdim || input_dim == 0) return r;
  Tensor out = r;
  for (auto d : dims) out = out.unsqueeze(d);
  return out;
}
/// The number of elements each output element reduces.
inline std::int64_t reduced_numel(const Tensor& a, const std::vector<std::int64_t>& dims) {
  std::int64_t n = 1;
  for (auto d : dims) n *= a.dim() == 0 ? 1 : a.size(d);
  return n;
}
/// grad (with the reduced dims kept) spread evenly over the positions where `a` equals the
/// extremum (also with its reduced dims kept).
inline Tensor evenly_distribute(const Tensor& grad, const Tensor& a, const Tensor& extremum) {
  const Tensor mask = (a == extremum).to(grad.dtype());
  return grad * mask / sum_to(mask, extremum.sizes());
}

}  // namespace autograd::functions::impl

// ---- prod -----------------------------------------------------------------------------------
namespace autograd::functions::impl {
/// d prod / d a_i, the product of the other elements of the slice along `dim`. Without zeros
/// it is prod / a_i; with zeros it is the product of the row of `a` with a_i replaced by 1
/// (an n x n matrix per slice), which is exact and, being made of products, has the right
/// second derivatives too (a masked formula would not).
inline Tensor prod_of_others(const Tensor& a, std::int64_t dim, const Tensor& result_kept) {
  bool has_zero = false;
  {
    NoGradGuard no_history;
    forward_ad::detail::tangent_scope values_only;
    has_zero = kernels::amax((a == Scalar(0.0)).to(kDouble), {}, false).item<double>() > 0.0;
  }
  if (!has_zero) return result_kept / a;
  const Tensor last = a.transpose(dim, -1);
  const std::int64_t n = last.size(-1);
  auto rows = last.sizes();
  rows.insert(rows.end() - 1, n);
  const Tensor eye_mask = eye(n, dtype(kBool));
  const Tensor others = prod(where(eye_mask, Scalar(1.0), last.unsqueeze(-2).expand(rows)), -1, false);
  return others.transpose(dim, -1);
}
}  // namespace autograd::functions::impl

inline Tensor prod(const Tensor& a, std::optional<ScalarType> dtype) {
  Tensor y = kernels::prod(a, {}, false, dtype);
  record::op("ProdBackward0", {&a}, {y}, {{a, false}, {y, true}},
             [](const tensor_list& g, const tensor_list& s, const autograd::Node&) {
               const Tensor flat = s[0].reshape({-1});
               const Tensor others = autograd::functions::impl::prod_of_others(flat, 0, s[1].reshape({1}));
               return tensor_list{(g[0] * conj(others)).reshape(s[0].sizes())};
             });
  autograd::forward_ad::detail::propagate(y, a, [&](const Tensor& t) {
    const Tensor flat = a.reshape({-1});
    return (t.reshape({-1}) * autograd::functions::impl::prod_of_others(flat, 0, y.reshape({1}))).sum();
  });
  return y;
}
inline Tensor prod(const Tensor& a, std::int64_t dim, bool keepdim, std::optional<ScalarType> dtype) {
  Tensor y = kernels::prod(a, {dim}, keepdim, dtype);
  const auto dims = autograd::functions::impl::reduction_dims(a, {dim});
  record::op("ProdBackward1", {&a}, {y}, {{a, false}, {y, true}},
             [dims, keepdim](const tensor_list& g, const tensor_list& s, const autograd::Node&) {
               const Tensor kept = autograd::functions::impl::unsqueeze_reduced(s[1], dims, keepdim, s[0].dim());
               const Tensor others = s[0].dim() == 0 ? ones_like(s[0]) : autograd::functions::impl::prod_of_others(s[0], dims[0], kept);
               return tensor_list{autograd::functions::impl::unsqueeze_reduced(g[0], dims, keepdim, s[0].dim()) * conj(others)};
             });
  autograd::forward_ad::detail::propagate(y, a, [&](const Tensor& t) {
    const Tensor kept = autograd::functions::impl::unsqueeze_reduced(y, dims, keepdim, a.dim());
    if (a.dim() == 0) return t;
    return (t * autograd::functions::impl::prod_of_others(a, dims[0], kept)).sum(dims, keepdim);
  });
  return y;
}

// ---- amax, amin, max, min ------------------------------------------------------------------
namespace autograd::functions::impl {
inline Tensor extremum(const Tensor& a, IntArrayRef dims_in, bool keepdim, bool is_max, const char* name) {
  Tensor y = is_max ? kernels::amax(a, dims_in, keepdim) : kernels::amin(a, dims_in, keepdim);
  const auto dims = reduction_dims(a, dims_in);
  record::op(name, {&a}, {y}, {{a, false}, {y, true}}, [dims, keepdim](const tensor_list& g, const tensor_list& s, const Node&) {
    const auto n = s[0].dim();
    return tensor_list{evenly_distribute(unsqueeze_reduced(g[0], dims, keepdim, n), s[0], unsqueeze_reduced(s[1], dims, keepdim, n))};
  });
  forward_ad::detail::propagate(y, a, [&](const Tensor& t) {
    const auto n = a.dim();
    const Tensor mask = (a == unsqueeze_reduced(y, dims, keepdim, n)).to(t.dtype());
    return (t * mask).sum(dims, keepdim) / mask.sum(dims, keepdim);
  });
  return y;
}
/// max/min along a dim: values and indices; the gradient goes to the returned index.
inline std::tuple<Tensor, Tensor> extremum_along(const Tensor& a, std::int64_t dim, bool keepdim, bool is_max) {
  auto [values, indices] = is_max ? kernels::max_dim(a, dim, keepdim) : kernels::min_dim(a, dim, keepdim);
  const std::int64_t d = typegrad::detail::wrap_dim(dim, std::max<std::int64_t>(a.dim(), 1));
  const auto sizes = a.sizes();
  record::op(is_max ? "MaxBackward0" : "MinBackward0", {&a}, {values}, {{indices, false}},
             [d, keepdim, sizes](const tensor_list& g, const tensor_list& s, const Node&) {
               if (sizes.empty()) return tensor_list{g[0]};
               const Tensor idx = keepdim ? s[0] : s[0].unsqueeze(d);
               const Tensor grad = keepdim ? g[0] : g[0].unsqueeze(d);
               return tensor_list{scatter_add(zeros(sizes, typegrad::dtype(g[0].dtype())), d, idx, grad)};
             });
  forward_ad::detail::propagate(values, a, [&, idx = indices](const Tensor& t) {
    if (a.dim() == 0) return t;
    Tensor picked = gather(t, d, keepdim ? idx : idx.unsqueeze(d));
    return keepdim ? picked : picked.squeeze(d);
  });
  return {values, indices};
}
}  // namespace autograd::functions::impl

inline Tensor amax(const Tensor& a, IntArrayRef dims, bool keepdim) {
  return autograd::functions::impl::extremum(a, dims, keepdim, true, "AmaxBackward0");
}
inline Tensor amin(const Tensor& a, IntArrayRef dims, bool keepdim) {
  return autograd::functions::impl::extremum(a, dims, keepdim, false, "AminBackward0");
}
/// The largest element (torch.max without dim); ties share the gradient.
inline Tensor max(const Tensor& a) {
  if (a.numel() == 0) {
    throw Error("max(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with "
                "the 'dim' argument.");
  }
  return autograd::functions::impl::extremum(a, {}, false, true, "MaxBackward1");
}
inline Tensor min(const Tensor& a) {
  if (a.numel() == 0) {
    throw Error("min(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with "
                "the 'dim' argument.");
  }
  return autograd::functions::impl::extremum(a, {}, false, false, "MinBackward1");
}
inline std::tuple<Tensor, Tensor> max(const Tensor& a, std::int64_t dim, bool keepdim) {
  return autograd::functions::impl::extremum_along(a, dim, keepdim, true);
}
inline std::tuple<Tensor, Tensor> min(const Tensor& a, std::int64_t dim, bool keepdim) {
  return autograd::functions::impl::extremum_along(a, dim, keepdim, false);
}

// ---- norm -------------------------------------------------------------------------------------
inline Tensor norm(const Tensor& a, double p) { return norm(a, p, {}, false); }
/// The p-norm of |a| over dims (p = 2 by default; 1, inf, -inf, 0 and any other p > 0).
inline Tensor norm(const Tensor& a, double p, IntArrayRef dims_in, bool keepdim) {
  using namespace autograd::functions::impl;
  const auto dims = reduction_dims(a, dims_in);
  Tensor y;
  {
    autograd::forward_ad::detail::tangent_scope values_only;
    NoGradGuard no_history;
    const Tensor m = abs(a);
    if (p == 2.0) y = sqrt(sum(m * m, dims, keepdim));
    else if (p == 1.0) y = sum(m, dims, keepdim);
    else if (std::isinf(p)) y = p > 0 ? amax(m, dims, keepdim) : amin(m, dims, keepdim);
    else if (p == 0.0) y = sum((m != Scalar(0.0)).to(m.dtype()), dims, keepdim);
    else y = pow(sum(pow(m, p), dims, keepdim), 1.0 / p);
  }
  auto grad_rule = [p, dims, keepdim](const Tensor& g, const Tensor& x, const Tensor& result) {
    const auto n = x.dim();
    const Tensor gk = unsqueeze_reduced(g, dims, keepdim, n);
    const Tensor yk = unsqueeze_reduced(result, dims, keepdim, n);
    if (p == 0.0) return zeros_like(x);
    if (p == 1.0) return gk * sgn(x);
    if (std::isinf(p)) return evenly_distribute(gk, abs(x), yk) * sgn(x);
    if (p == 2.0) return where(yk == Scalar(0.0), Scalar(0.0), gk * x / yk);
    // g * x |x|^(p-2) / y^(p-1)
    return where(yk == Scalar(0.0), Scalar(0.0), gk * x * pow(abs(x), p - 2.0) / pow(yk, p - 1.0));
  };
  record::op("NormBackward1", {&a}, {y}, {{a, false}, {y, true}}, [grad_rule](const tensor_list& g, const tensor_list& s, const autograd::Node&) {
    return tensor_list{grad_rule(g[0], s[0], s[1])};
  });
  autograd::forward_ad::detail::propagate(y, a, [&](const Tensor& t) {
    // dy = Re(sum(conj(dy/dx*) t)): the backward rule with a gradient of one, paired with t
    const Tensor w = grad_rule(ones_like(y), a, y);
    return real(sum(conj(w) * t, dims, keepdim));
  });
  return y;
}

// ---- logsumexp ------------------------------------------------------------------------------
inline Tensor logsumexp(const Tensor& a, IntArrayRef dims_in, bool keepdim) {
  using namespace autograd::functions::impl;
  const auto dims = reduction_dims(a, dims_in);
  Tensor y;
  {
    autograd::forward_ad::detail::tangent_scope values_only;
    NoGradGuard no_history;
    // shift by the max so exp cannot overflow; an infinite max shifts by 0
    Tensor m = amax(a, dims, true);
    m = where(abs(m) == Scalar(std::numeric_limits<double>::infinity()), Scalar(0.0), m);
    Tensor r = log(sum(exp(a - m), dims, true)) + m;
    y = keepdim ? r : sum(r, dims, false);
  }
  record::op("LogsumexpBackward0", {&a}, {y}, {{a, false}, {y, true}},
             [dims, keepdim](const tensor_list& g, const tensor_list& s, const autograd::Node&) {
               const auto n = s[0].dim();
               return tensor_list{unsqueeze_reduced(g[0], dims, keepdim, n) * exp(s[0] - unsqueeze_reduced(s[1], dims, keepdim, n))};
             });
  autograd::forward_ad::detail::propagate(y, a, [&](const Tensor& t) {
    return sum(t * exp(a - unsqueeze_reduced(y, dims, keepdim, a.dim())), dims, keepdim);
  });
  return y;
}

// ---- var, std -------------------------------------------------------------------------------
namespace autograd::functions::impl {
inline Tensor variance(const Tensor& a, IntArrayRef dims_in, double correction, bool keepdim, bool take_sqrt) {
  const auto dims = reduction_dims(a, dims_in);
  const double n = static_cast<double>(reduced_numel(a, dims));
  const double dof = std::max(0.0, n - correction);
  Tensor y;
  {
    forward_ad::detail::tangent_scope values_only;
    NoGradGuard no_history;
    const Tensor centered = a - mean(a, dims, true);
    const Tensor squares = a.is_complex() ? real(centered * conj(centered)) : centered * centered;
    y = sum(squares, dims, keepdim) / dof;
    if (take_sqrt) y = sqrt(y);
  }
  auto rule = [dims, keepdim, dof, take_sqrt](const Tensor& g, const Tensor& x, const Tensor& result) {
    const auto rank = x.dim();
    const Tensor centered = x - mean(x, dims, true);
    Tensor scale = unsqueeze_reduced(g, dims, keepdim, rank) * (2.0 / dof);
    if (take_sqrt) scale = scale / (2.0 * unsqueeze_reduced(result, dims, keepdim, rank));
    return scale * centered;
  };
  record::op(take_sqrt ? "StdBackward0" : "VarBackward0", {&a}, {y}, {{a, false}, {y, true}},
             [rule](const tensor_list& g, const tensor_list& s, const Node&) { return tensor_list{rule(g[0], s[0], s[1])}; });
  forward_ad::detail::propagate(y, a, [&](const Tensor& t) {
    const Tensor w = rule(ones_like(y), a, y);
    return real(sum(conj(w) * t, dims, keepdim));
  });
  return y;
}
}  // namespace autograd::functions::impl

inline Tensor var(const Tensor& a) { return autograd::functions::impl::variance(a, {}, 1.0, false, false); }
inline Tensor var(const Tensor& a, IntArrayRef dims, double correction, bool keepdim) {
  return autograd::functions::impl::variance(a, dims, correction, keepdim, false);
}
inline Tensor std(const Tensor& a) { return autograd::functions::impl::variance(a, {}, 1.0, false, true); }
inline Tensor std(const Tensor& a, IntArrayRef dims, double correction, bool keepdim) {
  return autograd::functions::impl::variance(a, dims, correction, keepdim, true);
}

}  // namespace typegrad
