#pragma once
/// \file tensor/geometry.hpp
/// Size/stride arithmetic of strided tensors, as ATen computes it: dimension wrapping, numel,
/// contiguity, `view`'s -1 inference and stride computation, `expand`'s geometry, the layout
/// `clone`/`empty_like` preserve. Pure functions on vectors; every error text is torch's.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <typegrad/error.hpp>
#include <typegrad/tensor/int_array_ref.hpp>

namespace typegrad::detail {

using dim_vector = std::vector<std::int64_t>;

/// A dim in [-ndim, ndim) to [0, ndim). A 0-d tensor accepts dims as if it had one (torch).
inline std::int64_t wrap_dim(std::int64_t dim, std::int64_t ndim) {
  const std::int64_t n = ndim <= 0 ? 1 : ndim;
  if (dim < -n || dim >= n) {
    throw Error("Dimension out of range (expected to be in range of [" + std::to_string(-n) + ", " +
                std::to_string(n - 1) + "], but got " + std::to_string(dim) + ")");
  }
  return dim < 0 ? dim + n : dim;
}

/// Product of the sizes (1 for a 0-d tensor).
inline std::int64_t numel_of(IntArrayRef sizes) noexcept {
  std::int64_t n = 1;
  for (auto s : sizes) n *= s;
  return n;
}

/// Factories reject negative sizes with torch's text.
inline void check_sizes_nonnegative(IntArrayRef sizes) {
  for (auto s : sizes) {
    if (s < 0) {
      throw Error("Trying to create tensor with negative dimension " + std::to_string(s) + ": " +
                  format_int_list(sizes));
    }
  }
}

/// Row-major strides of a contiguous tensor of these sizes (size-0/1 dims count as 1).
inline dim_vector contiguous_strides(IntArrayRef sizes) {
  dim_vector strides(sizes.size());
  std::int64_t stride = 1;
  for (std::size_t i = sizes.size(); i-- > 0;) {
    strides[i] = stride;
    stride *= std::max<std::int64_t>(sizes[i], 1);
  }
  return strides;
}

/// torch's is_contiguous: row-major, ignoring the strides of size-1 dims; empty is contiguous.
inline bool is_contiguous_layout(IntArrayRef sizes, IntArrayRef strides) noexcept {
  if (numel_of(sizes) == 0) return true;
  std::int64_t expected = 1;
  for (std::size_t i = sizes.size(); i-- > 0;) {
    if (sizes[i] == 1) continue;
    if (strides[i] != expected) return false;
    expected *= sizes[i];
  }
  return true;
}

/// Every element has its own address and together they fill a block without holes, in some
/// order of the dims (a transposed contiguous tensor is; an expanded or narrowed one is not).
inline bool is_non_overlapping_and_dense(IntArrayRef sizes, IntArrayRef strides) {
  std::vector<std::size_t> dims;
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    if (sizes[i] >= 2) dims.push_back(i);
  }
  std::stable_sort(dims.begin(), dims.end(), [&](std::size_t a, std::size_t b) { return strides[a] < strides[b]; });
  std::int64_t required = 1;
  for (auto d : dims) {
    if (strides[d] != required) return false;
    required *= sizes[d];
  }
  return true;
}

/// Dense strides that keep the order of `strides` (ATen's infer_dense_strides): what
/// `empty_like`/`clone` give a tensor that is not non-overlapping-and-dense. Stride-0 dims are
/// ambiguous and keep their place; equal strides put the smaller size first.
inline dim_vector infer_dense_strides(IntArrayRef sizes, IntArrayRef strides) {
  const std::size_t ndim = sizes.size();
  std::vector<std::size_t> perm(ndim);  // innermost first: n-1, ..., 0
  for (std::size_t i = 0; i < ndim; ++i) perm[i] = ndim - 1 - i;
  const auto should_swap = [&](std::size_t d0, std::size_t d1) {
    if (strides[d0] == 0 || strides[d1] == 0) return 0;
    if (strides[d0] < strides[d1]) return -1;
    if (strides[d0] > strides[d1]) return 1;
    return sizes[d0] > sizes[d1] ? 1 : 0;
  };
  for (std::size_t i = 1; i < ndim; ++i) {  // insertion sort tolerant of ambiguous comparisons
    std::size_t d1 = i;
    for (std::size_t d0 = i; d0-- > 0;) {
      const int c = should_swap(perm[d0], perm[d1]);
      if (c > 0) {
        std::swap(perm[d0], perm[d1]);
        d1 = d0;
      } else if (c < 0) {
        break;
      }
    }
  }
  dim_vector out(ndim);
  std::int64_t stride = 1;
  for (auto d : perm) {
    out[d] = stride;
    if (sizes[d] > 1) stride *= sizes[d];
  }
  return out;
}

/// The strides `clone()`, `to()` and `*_like` factories give (torch's preserve_format).
inline dim_vector preserved_strides(IntArrayRef sizes, IntArrayRef strides) {
  if (is_non_overlapping_and_dense(sizes, strides)) return strides.vec();
  return infer_dense_strides(sizes, strides);
}

/// `view`/`reshape` sizes with the one -1 inferred (ATen's infer_size).
inline dim_vector infer_size(IntArrayRef shape, std::int64_t numel) {
  dim_vector result = shape.vec();
  std::int64_t known = 1;
  std::optional<std::size_t> inferred;
  for (std::size_t d = 0; d < shape.size(); ++d) {
    if (shape[d] == -1) {
      if (inferred) throw Error("only one dimension can be inferred");
      inferred = d;
    } else if (shape[d] >= 0) {
      known *= shape[d];
    } else {
      throw Error("invalid shape dimension " + std::to_string(shape[d]));
    }
  }
  if (numel == known || (inferred && known > 0 && numel % known == 0)) {
    if (inferred) {
      if (known == 0) {
        throw Error("cannot reshape tensor of 0 elements into shape " + format_int_list(shape) +
                    " because the unspecified dimension size -1 can be any value and is ambiguous");
      }
      result[*inferred] = numel / known;
    }
    return result;
  }
  throw Error("shape '" + format_int_list(shape) + "' is invalid for input of size " + std::to_string(numel));
}

/// Strides that view a tensor of (old_sizes, old_strides) as new_sizes without copying, or
/// nothing when some new dim would span two non-adjacent memory chunks (ATen's computeStride).
inline std::optional<dim_vector> view_strides(IntArrayRef old_sizes, IntArrayRef old_strides, IntArrayRef new_sizes) {
  if (old_sizes.empty()) return dim_vector(new_sizes.size(), 1);  // 0-d: every new dim is 1
  const std::int64_t numel = numel_of(old_sizes);
  if (numel == 0) {
    if (std::equal(old_sizes.begin(), old_sizes.end(), new_sizes.begin(), new_sizes.end())) return old_strides.vec();
    return contiguous_strides(new_sizes);
  }
  dim_vector strides(new_sizes.size());
  std::int64_t view_d = static_cast<std::int64_t>(new_sizes.size()) - 1;
  std::int64_t chunk_base_stride = old_strides[old_sizes.size() - 1];
  std::int64_t tensor_numel = 1;
  std::int64_t view_numel = 1;
  for (std::int64_t tensor_d = static_cast<std::int64_t>(old_sizes.size()) - 1; tensor_d >= 0; --tensor_d) {
    const auto td = static_cast<std::size_t>(tensor_d);
    tensor_numel *= old_sizes[td];
    // A chunk ends where the next-outer dim does not continue it in memory.
    if (tensor_d == 0 || (old_sizes[td - 1] != 1 && old_strides[td - 1] != tensor_numel * chunk_base_stride)) {
      while (view_d >= 0 && (view_numel < tensor_numel || new_sizes[static_cast<std::size_t>(view_d)] == 1)) {
        strides[static_cast<std::size_t>(view_d)] = view_numel * chunk_base_stride;
        view_numel *= new_sizes[static_cast<std::size_t>(view_d)];
        --view_d;
      }
      if (view_numel != tensor_numel) return std::nullopt;
      if (tensor_d > 0) {
        chunk_base_stride = old_strides[td - 1];
        tensor_numel = 1;
        view_numel = 1;
      }
    }
  }
  if (view_d != -1) return std::nullopt;
  return strides;
}

/// Sizes and strides of `expand(target)` (ATen's inferExpandGeometry). `type_name` is the
/// legacy tensor-type name used in torch's message ("torch.FloatTensor").
inline std::pair<dim_vector, dim_vector> expand_geometry(IntArrayRef sizes, IntArrayRef strides, IntArrayRef target,
                                                         std::string_view type_name) {
  const auto ndim = static_cast<std::int64_t>(target.size());
  const auto tensor_dim = static_cast<std::int64_t>(sizes.size());
  if (ndim < tensor_dim) {
    throw Error("expand(" + std::string(type_name) + "{" + format_int_list(sizes) + "}, size=" +
                format_int_list(target) + "): the number of sizes provided (" + std::to_string(ndim) +
                ") must be greater or equal to the number of dimensions in the tensor (" +
                std::to_string(tensor_dim) + ")");
  }
  dim_vector out_sizes(target.size()), out_strides(target.size());
  for (std::int64_t i = ndim - 1; i >= 0; --i) {
    const auto iu = static_cast<std::size_t>(i);
    const std::int64_t dim = tensor_dim - 1 - (ndim - 1 - i);
    std::int64_t size = dim >= 0 ? sizes[static_cast<std::size_t>(dim)] : 1;
    std::int64_t stride = dim >= 0   ? strides[static_cast<std::size_t>(dim)]
                          : i + 1 < ndim ? out_sizes[iu + 1] * out_strides[iu + 1]
                                         : 1;
    std::int64_t wanted = target[iu];
    if (wanted == -1) {
      if (dim < 0) {
        throw Error("The expanded size of the tensor (-1) isn't allowed in a leading, non-existing dimension " +
                    std::to_string(i));
      }
      wanted = size;
    }
    if (wanted < 0) {
      throw Error("Trying to create tensor with negative dimension " + std::to_string(wanted) + ": " +
                  format_int_list(target));
    }
    if (size != wanted) {
      if (size != 1) {
        throw Error("The expanded size of the tensor (" + std::to_string(wanted) + ") must match the existing size (" +
                    std::to_string(size) + ") at non-singleton dimension " + std::to_string(i) +
                    ".  Target sizes: " + format_int_list(target) + ".  Tensor sizes: " + format_int_list(sizes));
      }
      size = wanted;
      stride = 0;
    }
    out_sizes[iu] = size;
    out_strides[iu] = stride;
  }
  return {out_sizes, out_strides};
}

/// Calls `f(offset)` for every element in row-major order, offset in elements from the first.
template <class F> void for_each_offset(IntArrayRef sizes, IntArrayRef strides, F&& f) {
  const std::size_t ndim = sizes.size();
  if (numel_of(sizes) == 0) return;
  dim_vector index(ndim, 0);
  std::int64_t offset = 0;
  while (true) {
    f(offset);
    std::size_t d = ndim;
    while (d > 0) {  // odometer increment from the innermost dim
      --d;
      if (++index[d] < sizes[d]) {
        offset += strides[d];
        break;
      }
      offset -= strides[d] * (sizes[d] - 1);
      index[d] = 0;
      if (d == 0) return;
    }
    if (ndim == 0) return;
  }
}

}  // namespace typegrad::detail
