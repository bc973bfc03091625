#pragma once
/// \file functions/reduce.hpp
/// Differentiable reductions: sum and mean (over everything or over dims, keepdim), and
/// sum_to, the inverse of broadcasting that every broadcasting backward uses.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <typegrad/autograd/forward_grad.hpp>
#include <typegrad/autograd/node.hpp>
#include <typegrad/functions/fwd.hpp>
#include <typegrad/functions/record.hpp>
#include <typegrad/functions/shape.hpp>
#include <typegrad/tensor/kernels/reduce.hpp>

namespace typegrad {

namespace autograd::functions {

/// The gradient of a reduction over `dims` of a tensor of `sizes`, spread back to `sizes`
/// (times `scale` for means).
class ReductionBackward final : public Node {
 public:
  ReductionBackward(const char* name, std::vector<std::int64_t> sizes, std::vector<std::int64_t> dims, bool keepdim,
                    double scale)
      : name_(name), sizes_(std::move(sizes)), dims_(std::move(dims)), keepdim_(keepdim), scale_(scale) {}
  std::string name() const override { return name_; }
  tensor_list apply(tensor_list&& grads) override {
    if (!grads[0].defined() || !should_compute_output(0)) return {Tensor()};
    Tensor g = grads[0];
    if (!keepdim_ && !sizes_.empty()) {
      // put the reduced dims back as size-1 dims, lowest first
      std::vector<std::int64_t> dims = dims_;
      if (dims.empty()) {
        g = g.reshape(std::vector<std::int64_t>(sizes_.size(), 1));
      } else {
        std::sort(dims.begin(), dims.end());
        for (auto d : dims) g = g.unsqueeze(d);
      }
    }
    g = g.expand(sizes_);
    return {scale_ == 1.0 ? g : g * scale_};
  }

 private:
  const char* name_;
  std::vector<std::int64_t> sizes_;
  std::vector<std::int64_t> dims_;  // wrapped; empty: all
  bool keepdim_;
  double scale_;
};

namespace impl {
inline std::vector<std::int64_t> wrapped_dims(IntArrayRef dims, std::int64_t rank) {
  std::vector<std::int64_t> r;
  for (auto d : dims) r.push_back(typegrad::detail::wrap_dim(d, rank == 0 ? 1 : rank));
  return r;
}
inline std::int64_t reduced_count(const std::vector<std::int64_t>& sizes, const std::vector<std::int64_t>& dims) {
  std::int64_t n = 1;
  if (dims.empty()) {
    for (auto s : sizes) n *= s;
  } else {
    for (auto d : dims) n *= sizes.empty() ? 1 : sizes[static_cast<std::size_t>(d)];
  }
  return n;
}
inline Tensor record_reduction(const Tensor& a, Tensor out, const char* name, std::vector<std::int64_t> dims, bool keepdim,
                               double scale) {
  // the tangent is reduced the same way (sum or mean are linear)
  forward_ad::detail::propagate(out, a, [&](const Tensor& t) {
    Tensor r = dims.empty() ? typegrad::sum(t) : typegrad::sum(t, dims, keepdim);
    if (dims.empty() && keepdim) r = r.reshape(out.sizes());
    return scale == 1.0 ? r : r * scale;
  });
  if (record::needs_history({&a})) {
    auto node = std::make_shared<ReductionBackward>(name, a.sizes(), std::move(dims), keepdim, scale);
    node->set_next_edges(record::edges_of({&a}));
    record::set_history(out, node);
  }
  return out;
}
}  // namespace impl

}  // namespace autograd::functions

inline Tensor sum(const Tensor& a, std::optional<ScalarType> dtype) {
  return autograd::functions::impl::record_reduction(a, kernels::sum(a, {}, false, dtype), "SumBackward0", {}, false, 1.0);
}
inline Tensor sum(const Tensor& a, IntArrayRef dims, bool keepdim, std::optional<ScalarType> dtype) {
  auto wrapped = autograd::functions::impl::wrapped_dims(dims, a.dim());
  return autograd::functions::impl::record_reduction(a, kernels::sum(a, dims, keepdim, dtype), "SumBackward1",
                                                       std::move(wrapped), keepdim, 1.0);
}
inline Tensor mean(const Tensor& a) {
  Tensor out = kernels::mean(a, {}, false);
  const auto n = a.numel();
  return autograd::functions::impl::record_reduction(a, std::move(out), "MeanBackward0", {}, false,
                                                       1.0 / static_cast<double>(n));
}
inline Tensor mean(const Tensor& a, IntArrayRef dims, bool keepdim) {
  Tensor out = kernels::mean(a, dims, keepdim);
  auto wrapped = autograd::functions::impl::wrapped_dims(dims, a.dim());
  const auto n = autograd::functions::impl::reduced_count(a.sizes(), wrapped);
  return autograd::functions::impl::record_reduction(a, std::move(out), "MeanBackward1", std::move(wrapped), keepdim,
                                                       1.0 / static_cast<double>(n));
}

inline Tensor sum_to(const Tensor& a, IntArrayRef shape) {
  const auto sizes = a.sizes();
  if (sizes == shape.vec()) return a;
  // sum the leading dims away and the dims where shape has 1, then drop the leading ones
  const std::size_t lead = sizes.size() - shape.size();
  std::vector<std::int64_t> dims;
  for (std::size_t k = 0; k < sizes.size(); ++k) {
    if (k < lead || (shape[k - lead] == 1 && sizes[k] != 1)) dims.push_back(static_cast<std::int64_t>(k));
  }
  Tensor r = dims.empty() ? a : sum(a, dims, true);
  return r.sizes() == shape.vec() ? r : r.view(shape);
}

}  // namespace typegrad
