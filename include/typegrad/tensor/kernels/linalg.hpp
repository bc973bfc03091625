#pragma once
/// \file tensor/kernels/linalg.hpp
/// Raw matrix products of the dynamic layer (no autograd; the engine wraps them): `mm`, `bmm`,
/// `mv`, `dot`, with torch's shape rules, dtypes and error texts. All four run Eigen's product
/// (GEMM, or its GEMV / inner-product fallbacks for vector shapes) on Eigen::Maps over the
/// tensors' own memory: a matrix whose rows or columns are contiguous runs (a transposed
/// tensor included) is mapped as it is; only one with neither stride 1 (stride 0 from expand,
/// a slice taken both ways) is copied first.
///
///     namespace K = tg::kernels;
///     K::mm(a, b.t());        // b.t() is mapped column-major, not copied
///     K::bmm(x, y);  K::mv(a, v);  K::dot(u, v);    // dot does not conjugate (torch.dot)
///
/// Float, Double, ComplexFloat, ComplexDouble and Long multiply in their own type; Half and
/// BFloat16 in float, rounded once at the end; Bool throws torch's "not implemented".
///
/// The GEMMs (four layouts of five scalar types) are the most expensive code of the dynamic
/// layer to compile: under TYPEGRAD_SEPARATE_COMPILATION only the separate-compilation TU sees
/// them (and Eigen).
#include <algorithm>
#include <complex>
#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

#include <typegrad/config.hpp>
#include <typegrad/error.hpp>
#include <typegrad/tensor/dtype.hpp>
#include <typegrad/tensor/raw.hpp>
#include <typegrad/tensor/tensor.hpp>

#if !TYPEGRAD_KERNELS_ELSEWHERE
#include <Eigen/Core>
#endif

namespace typegrad::kernels {
namespace linalg_impl {

/// [batch, m, k] x [batch, k, n] -> a new contiguous [batch, m, n]; same dtypes, checked by the
/// callers. Empty products give zeros (the zero-filled result is left as it is).
TYPEGRAD_KERNEL_FUNC Tensor batched_product(const Tensor& a, const Tensor& b);

#if !TYPEGRAD_KERNELS_ELSEWHERE
/// One matrix operand: element (i, j) at data[i * row_stride + j * col_stride].
template <class S> struct strided_matrix {
  const S* data;
  std::int64_t rows, cols, row_stride, col_stride;
};

template <class S> using row_major = Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
template <class S> using col_major = Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic, Eigen::ColMajor>;
/// Inner stride 1 at compile time: what lets Eigen's GEMM read a Map in place.
template <class M> using const_map = Eigen::Map<const M, Eigen::Unaligned, Eigen::OuterStride<>>;

/// Calls `f` with an Eigen view of `m`: a row-major Map when its rows are contiguous runs, a
/// column-major Map when its columns are, else a row-major Map of a contiguous copy. Only these
/// two Map types occur, so each product below has four instantiations per scalar type.
template <class S, class F> void with_eigen_matrix(const strided_matrix<S>& m, F&& f) {
  const std::int64_t r = m.rows, c = m.cols;
  const auto at_least_one = [](std::int64_t n) { return std::max<std::int64_t>(n, 1); };
  if ((c <= 1 || m.col_stride == 1) && (r <= 1 || m.row_stride >= at_least_one(c))) {
    f(const_map<row_major<S>>(m.data, r, c, Eigen::OuterStride<>(r <= 1 ? at_least_one(c) : m.row_stride)));
  } else if ((r <= 1 || m.row_stride == 1) && (c <= 1 || m.col_stride >= at_least_one(r))) {
    f(const_map<col_major<S>>(m.data, r, c, Eigen::OuterStride<>(c <= 1 ? at_least_one(r) : m.col_stride)));
  } else {
    std::vector<S> copy(static_cast<std::size_t>(r * c));
    for (std::int64_t i = 0; i < r; ++i) {
      for (std::int64_t j = 0; j < c; ++j) copy[static_cast<std::size_t>(i * c + j)] = m.data[i * m.row_stride + j * m.col_stride];
    }
    f(const_map<row_major<S>>(copy.data(), r, c, Eigen::OuterStride<>(at_least_one(c))));
  }
}

/// out (row-major, contiguous, a.rows x b.cols) = a * b.
template <class S> void gemm(S* out, const strided_matrix<S>& a, const strided_matrix<S>& b) {
  Eigen::Map<row_major<S>> result(out, a.rows, b.cols);
  with_eigen_matrix(a, [&](const auto& lhs) {
    with_eigen_matrix(b, [&](const auto& rhs) { result.noalias() = lhs * rhs; });
  });
}

TYPEGRAD_KERNEL_FUNC Tensor batched_product(const Tensor& a, const Tensor& b) {
  if (is_floating_point(a.dtype()) && a.dtype() != kFloat && a.dtype() != kDouble) {
    return raw::to(linalg_impl::batched_product(raw::to(a, kFloat), raw::to(b, kFloat)), a.dtype());  // Half, BFloat16: in float
  }
  const std::int64_t batch = a.size(0), m = a.size(1), k = a.size(2), n = b.size(2);
  Tensor out = Tensor::empty_contiguous({batch, m, n}, a.dtype());
  if (batch == 0 || m == 0 || n == 0 || k == 0) return out;
  visit(a.dtype(), [&](auto tag) {
    using S = typename decltype(tag)::type;
    if constexpr (std::is_same_v<S, float> || std::is_same_v<S, double> || std::is_same_v<S, std::complex<float>> ||
                  std::is_same_v<S, std::complex<double>> || std::is_same_v<S, std::int64_t>) {
      const S* pa = a.data_ptr<S>();
      const S* pb = b.data_ptr<S>();
      S* po = out.data_ptr<S>();
      for (std::int64_t i = 0; i < batch; ++i) {
        gemm<S>(po + i * m * n, {pa + i * a.stride(0), m, k, a.stride(1), a.stride(2)},
                {pb + i * b.stride(0), k, n, b.stride(1), b.stride(2)});
      }
    }
  });
  return out;
}
#endif  // !TYPEGRAD_KERNELS_ELSEWHERE

inline std::string not_implemented(const char* kernel, ScalarType t) {
  return "\"" + std::string(kernel) + "\" not implemented for '" + std::string(scalar_type_name(t)) + "'";
}

/// torch's dtype check of mm/bmm/mv: "expected scalar type Float but found Double".
inline void check_same_dtype(const Tensor& a, const Tensor& b) {
  if (a.dtype() != b.dtype()) {
    throw Error("expected scalar type " + std::string(scalar_type_name(a.dtype())) + " but found " +
                std::string(scalar_type_name(b.dtype())));
  }
}

}  // namespace linalg_impl

/// Matrix product of a [n, m] and b [m, p]: a new contiguous [n, p] of their (common) dtype.
inline Tensor mm(const Tensor& a, const Tensor& b) {
  if (a.dim() != 2) throw Error("self must be a matrix");
  if (b.dim() != 2) throw Error("mat2 must be a matrix");
  if (a.size(1) != b.size(0)) {
    throw Error("mat1 and mat2 shapes cannot be multiplied (" + std::to_string(a.size(0)) + "x" +
                std::to_string(a.size(1)) + " and " + std::to_string(b.size(0)) + "x" + std::to_string(b.size(1)) + ")");
  }
  linalg_impl::check_same_dtype(a, b);
  if (a.dtype() == kBool) throw Error(linalg_impl::not_implemented("addmm_impl_cpu_", kBool));
  return raw::view(linalg_impl::batched_product(raw::unsqueeze(a, 0), raw::unsqueeze(b, 0)), {a.size(0), b.size(1)});
}

/// Batched matrix product of a [b, n, m] and b [b, m, p]: a new contiguous [b, n, p].
inline Tensor bmm(const Tensor& a, const Tensor& b) {
  if (a.dim() != 3) throw Error("batch1 must be a 3D tensor");
  if (b.dim() != 3) throw Error("batch2 must be a 3D tensor");
  if (b.size(0) != a.size(0) || b.size(1) != a.size(2)) {
    throw Error("Expected size for first two dimensions of batch2 tensor to be: [" + std::to_string(a.size(0)) + ", " +
                std::to_string(a.size(2)) + "] but got: [" + std::to_string(b.size(0)) + ", " +
                std::to_string(b.size(1)) + "].");
  }
  linalg_impl::check_same_dtype(a, b);
  if (a.dtype() == kBool) throw Error(linalg_impl::not_implemented("bmm", kBool));
  return linalg_impl::batched_product(a, b);
}

/// Matrix-vector product of a [n, m] and v [m]: a new [n].
inline Tensor mv(const Tensor& a, const Tensor& v) {
  // torch's mv makes its [a.size(0)] result before addmv checks the dims.
  if (a.dim() == 0) throw Error("Dimension specified as 0 but tensor has no dimensions");
  if (a.dim() != 2 || v.dim() != 1) {
    throw Error("vector + matrix @ vector expected, got 1, " + std::to_string(a.dim()) + ", " + std::to_string(v.dim()));
  }
  if (a.size(1) != v.size(0)) {
    throw Error("size mismatch, got " + std::to_string(a.size(0)) + ", " + std::to_string(a.size(0)) + "x" +
                std::to_string(a.size(1)) + "," + std::to_string(v.size(0)));
  }
  linalg_impl::check_same_dtype(a, v);
  if (a.dtype() == kBool) throw Error(linalg_impl::not_implemented("addmv_impl_cpu", kBool));
  return raw::view(linalg_impl::batched_product(raw::unsqueeze(a, 0), raw::view(v, {1, v.size(0), 1})), {a.size(0)});
}

/// Inner product of two 1-d tensors of the same size and dtype, without conjugation (torch.dot):
/// a new 0-d tensor.
inline Tensor dot(const Tensor& a, const Tensor& b) {
  if (a.dim() != 1 || b.dim() != 1) {
    throw Error("1D tensors expected, but got " + std::to_string(a.dim()) + "D and " + std::to_string(b.dim()) +
                "D tensors");
  }
  if (a.dtype() != b.dtype()) {
    throw Error("dot : expected both vectors to have same dtype, but found " + std::string(scalar_type_name(a.dtype())) +
                " and " + std::string(scalar_type_name(b.dtype())));
  }
  if (a.numel() != b.numel()) {
    const std::string n = std::to_string(a.numel()), m = std::to_string(b.numel());
    throw Error("inconsistent tensor size, expected tensor [" + n + "] and src [" + m +
                "] to have the same number of elements, but got " + n + " and " + m + " elements respectively");
  }
  if (a.dtype() == kBool) throw Error(linalg_impl::not_implemented("dot", kBool));
  return raw::view(linalg_impl::batched_product(raw::view(a, {1, 1, a.size(0)}), raw::view(b, {1, b.size(0), 1})), {});
}

}  // namespace typegrad::kernels
