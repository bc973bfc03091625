// Helpers of the raw-kernel tests (reduce, linalg, index): reading any tensor's values, the
// TG_FIXTURE / TG_CASE macros the generated *_reference.inc files use (see
// make_kernel_reference.py), a strided-view helper, and plain reference loops.
#pragma once
#include <catch2/catch.hpp>

#include <cmath>
#include <complex>
#include <cstdint>
#include <limits>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

#include <typegrad/dynamic.hpp>
#include <typegrad/tensor/raw.hpp>

#include "support/tensor_values.hpp"

namespace kernel_test {

namespace tg = typegrad;
using V = std::vector<std::int64_t>;

inline constexpr double tg_nan = std::numeric_limits<double>::quiet_NaN();
inline constexpr double tg_inf = std::numeric_limits<double>::infinity();

/// Row-major values of any tensor, converted to E (double, std::complex<double>, int64, bool).
template <class E> std::vector<E> values_as(const tg::Tensor& t) {
  const tg::Tensor c = tg::raw::contiguous(tg::raw::to(t, tg::dtype_of<E>));
  const E* p = c.data_ptr<E>();
  return std::vector<E>(p, p + c.numel());
}
using test_support::values;

/// t[::2] along `dim` (a view with twice the stride), for inputs no other view makes.
inline tg::Tensor every_other(const tg::Tensor& t, std::int64_t dim) {
  auto sizes = t.sizes();
  auto strides = t.strides();
  const auto d = static_cast<std::size_t>(dim);
  sizes[d] = (sizes[d] + 1) / 2;
  strides[d] *= 2;
  return tg::raw::alias(t, sizes, strides, t.storage_offset());
}

/// Relative tolerance of a result of this dtype against torch's (summation order differs).
inline double tolerance(tg::ScalarType dtype) {
  switch (dtype) {
    case tg::kHalf: return 2e-3;       // one ulp of a half
    case tg::kBFloat16: return 1.6e-2;  // one ulp of a bfloat16
    case tg::kFloat: case tg::kComplexFloat: return 1e-5;
    default: return 1e-12;
  }
}

inline bool close(double got, double expected, double tol) {
  if (std::isnan(expected)) return std::isnan(got);
  if (std::isinf(expected)) return got == expected;
  return std::abs(got - expected) <= tol * std::max(1.0, std::abs(expected));
}

/// "" when `got` matches `expected` element for element (within the dtype's tolerance for
/// floating results, exactly otherwise), else a description of the first mismatch.
template <class E> std::string mismatch(const tg::Tensor& got, const std::vector<E>& expected) {
  const auto v = values_as<E>(got);
  if (v.size() != expected.size()) return "size " + std::to_string(v.size()) + " != " + std::to_string(expected.size());
  const double tol = tolerance(got.dtype());
  for (std::size_t i = 0; i < v.size(); ++i) {
    bool ok;
    if constexpr (std::is_same_v<E, std::complex<double>>) {
      ok = close(v[i].real(), expected[i].real(), tol) && close(v[i].imag(), expected[i].imag(), tol);
    } else if constexpr (std::is_same_v<E, double>) {
      ok = close(v[i], expected[i], tol);
    } else {
      ok = v[i] == expected[i];
    }
    if (!ok) {
      std::ostringstream os;
      os.precision(17);
      os << "element " << i << ": got " << v[i] << ", expected " << expected[i];
      return os.str();
    }
  }
  return "";
}

template <class E>
void check_case(const tg::Tensor& got, tg::ScalarType dtype, const V& sizes, const std::vector<E>& expected) {
  CHECK(got.dtype() == dtype);
  CHECK(got.sizes() == sizes);
  CHECK(got.is_contiguous());
  CHECK(mismatch(got, expected) == "");
}

}  // namespace kernel_test

/// An input of the generated cases: a local tensor.
#define TG_FIXTURE(name, expr) const tg::Tensor name = expr;
/// One generated case: evaluates the C++ expression and compares with torch's result.
#define TG_CASE(py, expr, dtype, sizes, element, ...)                              \
  {                                                                                \
    INFO(py);                                                                      \
    const std::vector<element> expected __VA_ARGS__;                               \
    kernel_test::check_case(tg::Tensor(expr), dtype, sizes, expected);             \
    ++cases;                                                                       \
  }
