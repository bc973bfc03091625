#pragma once
/// \file tensor/kernels/fold.hpp
/// The engine under every reduction of tensor/kernels/reduce.hpp: an operation with an
/// identity and an associative combine (sum, prod, max, min) folded over chosen dims of a
/// tensor of any strides into a new contiguous tensor. The kept and the folded dims are each
/// ordered by input stride and merged where memory allows, then walked one of two ways: a
/// contiguous folded run per result element (xsimd batches for float/double), or, when the
/// kept dims end in the contiguous run (a sum over leading dims), whole rows accumulated.
/// No dtype rules and no torch checks beyond the dim list: reduce.hpp has those.
///
///     const auto mask = folding::folded_dims_mask({0}, x.dim());
///     Tensor s = folding::fold_dims<folding::sum_op>(x, mask, /*keepdim=*/false);
///
/// Half and BFloat16 are folded in float (torch's CPU accumulate type) and rounded once.
#include <algorithm>
#include <array>
#include <cmath>
#include <complex>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

#include <xsimd/xsimd.hpp>

#include <typegrad/config.hpp>
#include <typegrad/error.hpp>
#include <typegrad/tensor/convert.hpp>
#include <typegrad/tensor/dtype.hpp>
#include <typegrad/tensor/geometry.hpp>
#include <typegrad/tensor/int_array_ref.hpp>
#include <typegrad/tensor/kernels/strided_loop.hpp>
#include <typegrad/tensor/tensor.hpp>

namespace typegrad::kernels::folding {

using typegrad::detail::dim_vector;

/// What a reduction computes in: float for Half/BFloat16, the element type otherwise.
template <class T> using compute_t = std::conditional_t<typegrad::detail::is_narrow_float_v<T>, float, T>;

/// Element types whose contiguous runs are folded in xsimd batches (none when
/// TYPEGRAD_USE_SIMD is 0).
template <class T>
inline constexpr bool has_simd_v = TYPEGRAD_USE_SIMD && (std::is_same_v<T, float> || std::is_same_v<T, double>);

template <class T> compute_t<T> load(const T& x) { return static_cast<compute_t<T>>(typegrad::detail::widen(x)); }

template <class A> bool is_nan(const A& x) {
  if constexpr (std::is_floating_point_v<A>) return std::isnan(x);
  else return false;
}

// ---- the folds: an identity and an associative combine, for numbers and xsimd batches ----------

struct sum_op {
  template <class T> static constexpr bool supports = true;
  template <class A> static A identity() { return A(0); }
  template <class A> static A combine(const A& a, const A& b) { return static_cast<A>(a + b); }  // bool: or
};

struct prod_op {
  template <class T> static constexpr bool supports = true;
  template <class A> static A identity() { return A(1); }
  template <class A> static A combine(const A& a, const A& b) { return static_cast<A>(a * b); }  // bool: and
};

/// The larger value; a NaN wins and stays (torch's max propagates NaN). Real dtypes only.
struct max_op {
  template <class T> static constexpr bool supports = !typegrad::detail::is_std_complex_v<T>;
  template <class A> static A identity() {
    if constexpr (std::numeric_limits<A>::has_infinity) return -std::numeric_limits<A>::infinity();
    else return std::numeric_limits<A>::lowest();
  }
  template <class A> static A combine(const A& a, const A& b) { return (b > a || is_nan(b)) ? b : a; }
  template <class T, class Arch>
  static xsimd::batch<T, Arch> combine(const xsimd::batch<T, Arch>& a, const xsimd::batch<T, Arch>& b) {
    return xsimd::select((b > a) | xsimd::isnan(b), b, a);
  }
};

/// The smaller value; a NaN wins and stays. Real dtypes only.
struct min_op {
  template <class T> static constexpr bool supports = !typegrad::detail::is_std_complex_v<T>;
  template <class A> static A identity() {
    if constexpr (std::numeric_limits<A>::has_infinity) return std::numeric_limits<A>::infinity();
    else return std::numeric_limits<A>::max();
  }
  template <class A> static A combine(const A& a, const A& b) { return (b < a || is_nan(b)) ? b : a; }
  template <class T, class Arch>
  static xsimd::batch<T, Arch> combine(const xsimd::batch<T, Arch>& a, const xsimd::batch<T, Arch>& b) {
    return xsimd::select((b < a) | xsimd::isnan(b), b, a);
  }
};

template <class Op, class B> auto fold_lanes(const B& b) {
  using T = typename B::value_type;
  alignas(B::arch_type::alignment()) std::array<T, B::size> lanes;
  b.store_aligned(lanes.data());
  T r = lanes[0];
  for (std::size_t i = 1; i < B::size; ++i) r = Op::combine(r, lanes[i]);
  return r;
}

// ---- geometry: which dims are kept, which are folded, walked in memory order ----------------

/// Dims of one loop nest, outermost first; `in` are the input's strides, `out` the result's.
struct dim_group {
  dim_vector sizes, in, out;
  void push(std::int64_t size, std::int64_t in_stride, std::int64_t out_stride) {
    sizes.push_back(size);
    in.push_back(in_stride);
    out.push_back(out_stride);
  }
  dim_group without_last() const {
    dim_group g = *this;
    g.sizes.pop_back();
    g.in.pop_back();
    g.out.pop_back();
    return g;
  }
};

/// Orders a group by input stride (largest first, so the innermost loop walks memory fastest),
/// drops size-1 dims and merges neighbours that walk both input and result as one dim.
inline dim_group coalesce(const dim_group& g) {
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < g.sizes.size(); ++i) {
    if (g.sizes[i] != 1) order.push_back(i);
  }
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return g.in[a] > g.in[b]; });
  dim_group r;
  for (auto i : order) {
    if (!r.sizes.empty()) {
      const std::size_t n = r.sizes.size() - 1;
      if (r.in[n] == g.in[i] * g.sizes[i] && r.out[n] == g.out[i] * g.sizes[i]) {
        r.sizes[n] *= g.sizes[i];
        r.in[n] = g.in[i];
        r.out[n] = g.out[i];
        continue;
      }
    }
    r.push(g.sizes[i], g.in[i], g.out[i]);
  }
  return r;
}

struct reduction_plan {
  dim_vector out_sizes;              // the result's sizes (keepdim applied)
  dim_group kept;                    // out: strides in the contiguous result
  dim_group folded;                  // out: unused
  std::int64_t folded_count = 1;     // input elements folded into each result element
};

/// The folded dims as a mask over the input's dims: wrapped, duplicates rejected with torch's
/// text; an empty list folds every dim. A 0-d tensor accepts dim 0 / -1 (and folds nothing).
inline std::vector<bool> folded_dims_mask(IntArrayRef dims, std::int64_t ndim) {
  std::vector<bool> mask(static_cast<std::size_t>(std::max<std::int64_t>(ndim, 1)), dims.empty());
  for (auto d : dims) {
    const auto w = static_cast<std::size_t>(typegrad::detail::wrap_dim(d, ndim));
    if (mask[w]) throw Error("dim " + std::to_string(w) + " appears multiple times in the list of dims");
    mask[w] = true;
  }
  return mask;
}

inline reduction_plan plan_reduction(const Tensor& a, const std::vector<bool>& mask, bool keepdim) {
  const auto sizes = a.sizes();
  const auto strides = a.strides();
  reduction_plan p;
  for (std::size_t d = 0; d < sizes.size(); ++d) {
    if (!mask[d]) p.out_sizes.push_back(sizes[d]);
    else if (keepdim) p.out_sizes.push_back(1);
  }
  const auto out_strides = typegrad::detail::contiguous_strides(p.out_sizes);
  dim_group kept, folded;
  std::size_t o = 0;
  for (std::size_t d = 0; d < sizes.size(); ++d) {
    if (mask[d]) {
      folded.push(sizes[d], strides[d], 0);
      p.folded_count *= sizes[d];
      if (keepdim) ++o;
    } else {
      kept.push(sizes[d], strides[d], out_strides[o++]);
    }
  }
  p.kept = coalesce(kept);
  p.folded = coalesce(folded);
  return p;
}

// ---- the loops ---------------------------------------------------------------------------------

/// Folds p[0], p[s], ..., p[(n-1)s]. A contiguous float/double run goes through xsimd in blocks
/// of `block` elements whose partial results are combined in turn.
template <class Op, class T> compute_t<T> fold_run(const T* p, std::int64_t n, std::int64_t s) {
  using A = compute_t<T>;
  A acc = Op::template identity<A>();
  if constexpr (has_simd_v<T>) {
    if (s == 1) {
      using B = xsimd::batch<T>;
      constexpr auto lanes = static_cast<std::int64_t>(B::size);
      constexpr std::int64_t block = 4096;
      for (std::int64_t start = 0; start < n; start += block) {
        const std::int64_t end = std::min(n, start + block);
        B b0(Op::template identity<A>()), b1 = b0;  // two accumulators hide the add latency
        std::int64_t i = start;
        for (; i + 2 * lanes <= end; i += 2 * lanes) {
          b0 = Op::combine(b0, B::load_unaligned(p + i));
          b1 = Op::combine(b1, B::load_unaligned(p + i + lanes));
        }
        for (; i + lanes <= end; i += lanes) b0 = Op::combine(b0, B::load_unaligned(p + i));
        A part = fold_lanes<Op>(Op::combine(b0, b1));
        for (; i < end; ++i) part = Op::combine(part, p[i]);
        acc = Op::combine(acc, part);
      }
      return acc;
    }
  }
  for (std::int64_t i = 0; i < n; ++i) acc = Op::combine(acc, load(p[i * s]));
  return acc;
}

/// Folds every element of the `folded` dims starting at p.
template <class Op, class T> compute_t<T> fold_all(const T* p, const dim_group& folded) {
  if (folded.sizes.empty()) return load(*p);
  const std::int64_t n = folded.sizes.back();
  const std::int64_t s = folded.in.back();
  auto acc = Op::template identity<compute_t<T>>();
  loop::for_each_row<1>(folded.sizes, {folded.in},
                        [&](const auto& off) { acc = Op::combine(acc, fold_run<Op>(p + off[0], n, s)); });
  return acc;
}

/// row[j] = combine(row[j], p[j]) for a contiguous run (xsimd for float/double).
template <class Op, class T> void fold_into_row(compute_t<T>* row, const T* p, std::int64_t n) {
  std::int64_t j = 0;
  if constexpr (has_simd_v<T>) {
    using B = xsimd::batch<T>;
    constexpr auto lanes = static_cast<std::int64_t>(B::size);
    for (; j + lanes <= n; j += lanes) {
      Op::combine(B::load_unaligned(row + j), B::load_unaligned(p + j)).store_unaligned(row + j);
    }
  }
  for (; j < n; ++j) row[j] = Op::combine(row[j], load(p[j]));
}

/// dst[k] = the fold of the input elements of result element k (dst contiguous, result order).
template <class Op, class T> void fold(const reduction_plan& plan, const T* in, compute_t<T>* dst) {
  using A = compute_t<T>;
  const dim_group& kept = plan.kept;
  const dim_group& folded = plan.folded;
  if (plan.folded_count == 0) {  // folding nothing: the identity (sum 0, prod 1)
    std::fill(dst, dst + typegrad::detail::numel_of(plan.out_sizes), Op::template identity<A>());
    return;
  }
  // The kept dims end in a run contiguous in both input and result while the folded dims do
  // not (a sum over the leading dims, as in a broadcasting backward): accumulate whole rows.
  if (!kept.sizes.empty() && kept.in.back() == 1 && kept.out.back() == 1 && !folded.sizes.empty() &&
      folded.in.back() != 1) {
    const std::int64_t n = kept.sizes.back();
    const dim_group outer = kept.without_last();
    loop::for_each_offsets<2>(outer.sizes, {outer.in, outer.out}, [&](const auto& off) {
      A* row = dst + off[1];
      std::fill(row, row + n, Op::template identity<A>());
      loop::for_each_offsets<1>(folded.sizes, {folded.in},
                                [&](const auto& f) { fold_into_row<Op>(row, in + off[0] + f[0], n); });
    });
    return;
  }
  loop::for_each_offsets<2>(kept.sizes, {kept.in, kept.out},
                            [&](const auto& off) { dst[off[1]] = fold_all<Op>(in + off[0], folded); });
}

/// Leaves each folded value as it is (sum, prod, amax, amin).
struct keep_value {};
/// Divides each folded value by the number of elements folded into it (mean).
struct divide_by_count {};

/// A new contiguous tensor: `a` (whose dtype is the result's) folded over the dims of `mask`
/// with Op, each value then passed through Finish.
template <class Op, class Finish = keep_value>
Tensor fold_dims(const Tensor& a, const std::vector<bool>& mask, bool keepdim) {
  const reduction_plan plan = plan_reduction(a, mask, keepdim);
  Tensor out = Tensor::empty_contiguous(plan.out_sizes, a.dtype());
  const std::int64_t n = out.numel();
  if (n == 0) return out;
  visit(a.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    using A = compute_t<T>;
    if constexpr (Op::template supports<T>) {
      const auto finish = [&](const A& v) -> A {
        if constexpr (std::is_same_v<Finish, divide_by_count> && !std::is_same_v<T, bool> &&
                      !std::is_same_v<T, std::int64_t>) {
          using R = typename std::conditional_t<typegrad::detail::is_std_complex_v<A>, A, std::complex<A>>::value_type;
          return v / static_cast<R>(plan.folded_count);  // 0 / 0 = NaN for an empty fold, as torch
        } else {
          return v;
        }
      };
      T* o = out.data_ptr<T>();
      if constexpr (std::is_same_v<A, T>) {
        fold<Op>(plan, a.data_ptr<T>(), o);
        if constexpr (std::is_same_v<Finish, divide_by_count>) {
          for (std::int64_t k = 0; k < n; ++k) o[k] = finish(o[k]);
        }
      } else {
        std::vector<A> acc(static_cast<std::size_t>(n));
        fold<Op>(plan, a.data_ptr<T>(), acc.data());
        for (std::int64_t k = 0; k < n; ++k) o[k] = typegrad::detail::convert<T>(finish(acc[static_cast<std::size_t>(k)]));
      }
    }
  });
  return out;
}

}  // namespace typegrad::kernels::folding
