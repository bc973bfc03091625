#pragma once
/// \file tensor/kernels/reduce.hpp
/// Raw reductions of the dynamic layer (no autograd; the engine wraps them): `sum`, `prod`,
/// `mean`, `amax`, `amin`, `max`/`min` of all elements, `max_dim`/`min_dim` with indices, and
/// `sum_to`, the inverse of broadcasting. Inputs may have any strides; results are new
/// contiguous tensors. Result dtypes, zero-size rules (identities, or torch's errors) and every
/// error text follow torch.
///
///     namespace K = tg::kernels;
///     K::sum(x, {0}, /*keepdim=*/true);            // [2, 3] -> [1, 3]; an empty dim list = all dims
///     K::mean(x, {}, false);                       // 0-d
///     auto [values, indices] = K::max_dim(x, 1, false);
///     K::sum_to(grad, {3});                        // [2, 3] -> [3]
///
/// Half and BFloat16 are accumulated in float and rounded once at the end (torch's CPU
/// accumulate type); contiguous float/double runs are folded in xsimd batches (fold.hpp).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <typegrad/error.hpp>
#include <typegrad/tensor/convert.hpp>
#include <typegrad/tensor/dtype.hpp>
#include <typegrad/tensor/geometry.hpp>
#include <typegrad/tensor/int_array_ref.hpp>
#include <typegrad/tensor/kernels/fold.hpp>
#include <typegrad/tensor/kernels/strided_loop.hpp>
#include <typegrad/tensor/raw.hpp>
#include <typegrad/tensor/tensor.hpp>

namespace typegrad::kernels {
namespace reduce_impl {

/// torch's get_dtype_from_self with promote_integers: Bool and Long sum to Long.
inline ScalarType promoted_dtype(ScalarType self, std::optional<ScalarType> dtype) {
  if (dtype) return *dtype;
  return self == kBool ? kLong : self;
}

/// torch's zero_numel_check_dims for amax/amin of an empty tensor: dims must be given and
/// each must have a non-zero size (the message names the dim as it was passed).
inline void check_dims_of_empty(const Tensor& a, IntArrayRef dims, const char* fn) {
  if (dims.empty()) {
    throw Error(std::string(fn) +
                ": Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the "
                "'dim' argument.");
  }
  for (auto d : dims) {
    if (a.size(d) == 0) {
      throw Error(std::string(fn) + ": Expected reduction dim " + std::to_string(d) + " to have non-zero size.");
    }
  }
}

template <class Op> Tensor extremum(const Tensor& a, IntArrayRef dims, bool keepdim, const char* fn, const char* kernel) {
  if (a.numel() == 0) check_dims_of_empty(a, dims, fn);
  const auto mask = folding::folded_dims_mask(dims, a.dim());
  if (a.is_complex()) {
    throw Error("\"" + std::string(kernel) + "\" not implemented for '" + std::string(scalar_type_name(a.dtype())) + "'");
  }
  return folding::fold_dims<Op>(a, mask, keepdim);
}

template <class Op> Tensor extremum_of_all(const Tensor& a, const char* fn, const char* kernel) {
  if (a.numel() == 0) {
    throw Error(std::string(fn) +
                ": Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the "
                "'dim' argument.");
  }
  if (a.is_complex()) {
    throw Error("\"" + std::string(kernel) + "\" not implemented for '" + std::string(scalar_type_name(a.dtype())) + "'");
  }
  return folding::fold_dims<Op>(a, folding::folded_dims_mask({}, a.dim()), false);
}

/// Values and first indices of the extremum along one dim; a NaN is the extremum (its first
/// index), as torch.
template <bool Max> std::pair<Tensor, Tensor> extremum_along(const Tensor& a, std::int64_t dim, bool keepdim, const char* fn) {
  const std::int64_t d = typegrad::detail::wrap_dim(dim, a.dim());
  if (a.dim() > 0 && a.size(d) == 0) {
    throw Error(std::string(fn) + ": Expected reduction dim " + std::to_string(d) + " to have non-zero size.");
  }
  if (a.is_complex()) throw Error(std::string(fn) + ": does not support complex input");
  std::vector<bool> mask(static_cast<std::size_t>(std::max<std::int64_t>(a.dim(), 1)), false);
  mask[static_cast<std::size_t>(d)] = true;
  const folding::reduction_plan plan = folding::plan_reduction(a, mask, keepdim);
  Tensor values = Tensor::empty_contiguous(plan.out_sizes, a.dtype());
  Tensor indices = Tensor::empty_contiguous(plan.out_sizes, kLong);
  if (values.numel() == 0) return {values, indices};
  // One folded dim at most (a size-1 dim was dropped by coalesce: its index is 0).
  const std::int64_t n = plan.folded.sizes.empty() ? 1 : plan.folded.sizes[0];
  const std::int64_t s = plan.folded.sizes.empty() ? 0 : plan.folded.in[0];
  visit(a.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    if constexpr (!typegrad::detail::is_std_complex_v<T>) {
      const T* in = a.data_ptr<T>();
      T* v = values.data_ptr<T>();
      std::int64_t* idx = indices.data_ptr<std::int64_t>();
      loop::for_each_offsets<2>(plan.kept.sizes, {plan.kept.in, plan.kept.out}, [&](const auto& off) {
        const T* x = in + off[0];
        auto best = folding::load(x[0]);
        std::int64_t arg = 0;
        for (std::int64_t k = 1; k < n && !folding::is_nan(best); ++k) {
          const auto y = folding::load(x[k * s]);
          if (folding::is_nan(y) || (Max ? y > best : y < best)) {  // strict: ties keep the first index
            best = y;
            arg = k;
          }
        }
        v[off[1]] = x[arg * s];
        idx[off[1]] = arg;
      });
    }
  });
  return {values, indices};
}

/// torch's is_expandable_to(shape, desired).
inline bool is_expandable_to(IntArrayRef shape, IntArrayRef desired) {
  if (shape.size() > desired.size()) return false;
  for (std::size_t i = 0; i < shape.size(); ++i) {
    const std::int64_t size = shape[shape.size() - 1 - i];
    if (size != desired[desired.size() - 1 - i] && size != 1) return false;
  }
  return true;
}

}  // namespace reduce_impl

/// Sum over `dims` (all dims when empty). Result dtype: `dtype` if given (the input is cast to
/// it first, as torch), else the input's, with Bool and Long summing to Long.
inline Tensor sum(const Tensor& a, IntArrayRef dims, bool keepdim, std::optional<ScalarType> dtype = std::nullopt) {
  const auto mask = folding::folded_dims_mask(dims, a.dim());
  return folding::fold_dims<folding::sum_op>(raw::to(a, reduce_impl::promoted_dtype(a.dtype(), dtype)), mask, keepdim);
}

/// Product over `dims` (all dims when empty); dtypes as `sum`. An empty fold gives 1.
inline Tensor prod(const Tensor& a, IntArrayRef dims, bool keepdim, std::optional<ScalarType> dtype = std::nullopt) {
  const auto mask = folding::folded_dims_mask(dims, a.dim());
  return folding::fold_dims<folding::prod_op>(raw::to(a, reduce_impl::promoted_dtype(a.dtype(), dtype)), mask, keepdim);
}

/// Mean over `dims` (all dims when empty): the sum in the result dtype (float for Half and
/// BFloat16) divided by the count, so an empty fold gives NaN. Floating and complex dtypes only
/// (`dtype`, when given, must be one), with torch's error otherwise.
inline Tensor mean(const Tensor& a, IntArrayRef dims, bool keepdim, std::optional<ScalarType> dtype = std::nullopt) {
  const ScalarType out = reduce_impl::promoted_dtype(a.dtype(), dtype);
  if (!is_floating_point(out) && !is_complex(out)) {
    throw Error(std::string("mean(): could not infer output dtype. ") + (dtype ? "Optional" : "Input") +
                " dtype must be either a floating point or complex dtype. Got: " +
                std::string(scalar_type_name(dtype ? *dtype : a.dtype())));
  }
  const auto mask = folding::folded_dims_mask(dims, a.dim());
  return folding::fold_dims<folding::sum_op, folding::divide_by_count>(raw::to(a, out), mask, keepdim);
}

/// Largest element over `dims` (all dims when empty), NaN propagating; same dtype as `a`
/// (real dtypes only). An empty tensor needs non-empty dims of non-zero size (torch's errors).
inline Tensor amax(const Tensor& a, IntArrayRef dims, bool keepdim) {
  return reduce_impl::extremum<folding::max_op>(a, dims, keepdim, "amax()", "max_values_cpu");
}
/// Smallest element over `dims`; as `amax`.
inline Tensor amin(const Tensor& a, IntArrayRef dims, bool keepdim) {
  return reduce_impl::extremum<folding::min_op>(a, dims, keepdim, "amin()", "min_values_cpu");
}

/// torch.max(a): the largest element as a 0-d tensor (torch's error for an empty tensor).
inline Tensor max(const Tensor& a) { return reduce_impl::extremum_of_all<folding::max_op>(a, "max()", "max_all"); }
/// torch.min(a): the smallest element as a 0-d tensor.
inline Tensor min(const Tensor& a) { return reduce_impl::extremum_of_all<folding::min_op>(a, "min()", "min_all"); }

/// torch.max(a, dim, keepdim): values (a's dtype) and kLong indices of the largest element
/// along `dim`; ties give the first index, a NaN is the maximum (its first index).
inline std::pair<Tensor, Tensor> max_dim(const Tensor& a, std::int64_t dim, bool keepdim) {
  return reduce_impl::extremum_along<true>(a, dim, keepdim, "max()");
}
/// torch.min(a, dim, keepdim); as `max_dim`.
inline std::pair<Tensor, Tensor> min_dim(const Tensor& a, std::int64_t dim, bool keepdim) {
  return reduce_impl::extremum_along<false>(a, dim, keepdim, "min()");
}

/// at::sum_to: `t` summed to `shape`, the inverse of broadcasting `shape` to t's sizes (every
/// broadcasting op's backward). Sums the leading dims t has beyond `shape` and the dims where
/// `shape` has 1 and t more. As torch, the result is `t` itself when nothing is summed, and a
/// view of the sum when leading dims go. `shape` must broadcast to t's sizes (the text of
/// torch's sum_to_size otherwise).
inline Tensor sum_to(const Tensor& t, IntArrayRef shape) {
  const auto sizes = t.sizes();
  if (!reduce_impl::is_expandable_to(shape, sizes)) {
    throw Error("size {" + typegrad::detail::format_int_list(shape) + "} is not expandable to size {" +
                typegrad::detail::format_int_list(sizes) + "}.");
  }
  if (shape.empty()) return kernels::sum(t, {}, false);
  const auto leading = static_cast<std::int64_t>(sizes.size() - shape.size());
  std::vector<std::int64_t> dims;
  for (std::int64_t d = 0; d < leading; ++d) dims.push_back(d);
  for (std::int64_t d = leading; d < static_cast<std::int64_t>(sizes.size()); ++d) {
    if (shape[static_cast<std::size_t>(d - leading)] == 1 && sizes[static_cast<std::size_t>(d)] != 1) dims.push_back(d);
  }
  if (dims.empty()) return t;
  const Tensor summed = kernels::sum(t, dims, true);
  return leading > 0 ? raw::view(summed, shape) : summed;
}

}  // namespace typegrad::kernels
