// Shared by the tg::fuse tests: the comparison of fused results with the unfused dynamic layer
// (the same callable run with tensors) and the dtypes they run in.
#pragma once
#include <catch2/catch.hpp>

#include <array>
#include <complex>
#include <cstddef>
#include <utility>
#include <vector>

#include <typegrad/typegrad.hpp>

#include "functions/support.hpp"
#include "support/tensor_values.hpp"

namespace fuse_test {
namespace tg = typegrad;
using test_support::input;
using test_support::values;
using cd = std::complex<double>;

/// Relative tolerance of a comparison between fused and unfused results in `dtype`.
inline double tolerance(tg::ScalarType dtype) {
  switch (dtype) {
    case tg::kHalf: return 2e-2;
    case tg::kBFloat16: return 1e-1;
    case tg::kFloat:
    case tg::kComplexFloat: return 2e-5;
    default: return 1e-12;
  }
}

/// |a - b| <= tol * (1 + |b|) elementwise (complex parts compared one by one).
inline void check_close(const tg::Tensor& a, const tg::Tensor& b, double tol) {
  REQUIRE(a.sizes() == b.sizes());
  const bool complex = tg::is_complex(a.dtype()) || tg::is_complex(b.dtype());
  const auto parts = [&](const tg::Tensor& t) {
    if (!complex) return std::vector<std::vector<double>>{values(t)};
    const auto c = t.to(tg::kComplexDouble);
    return std::vector<std::vector<double>>{values(tg::real(c)), values(tg::imag(c))};
  };
  const auto pa = parts(a), pb = parts(b);
  for (std::size_t p = 0; p < pa.size(); ++p) {
    for (std::size_t i = 0; i < pa[p].size(); ++i) {
      INFO("element " << i << (p ? " (imaginary part)" : ""));
      CHECK(std::abs(pa[p][i] - pb[p][i]) <= tol * (1 + std::abs(pb[p][i])));
    }
  }
}

/// Fused and unfused f on `inputs`: the same values, and the same gradients for a random output
/// gradient (both computed by backward).
template <class F, class... T> void check_against_unfused(const F& f, double tol, const T&... inputs) {
  const std::array<tg::Tensor, sizeof...(T)> x{inputs.detach().requires_grad_(tg::is_differentiable(inputs.dtype()))...};
  const auto [fused, plain] = [&]<std::size_t... I>(std::index_sequence<I...>) {
    return std::pair{tg::fuse(f, x[I]...), tg::Tensor(f(x[I]...))};
  }(std::index_sequence_for<T...>{});
  CHECK(fused.dtype() == plain.dtype());
  CHECK(fused.grad_fn()->name() == "FusedBackward0");
  check_close(fused, plain, tol);
  const auto g = tg::randn(plain.sizes(), tg::dtype(plain.dtype()));
  tg::tensor_list wrt;
  for (const auto& t : x)
    if (t.requires_grad()) wrt.push_back(t);
  const auto gf = tg::autograd::grad({fused}, wrt, {g});
  const auto gp = tg::autograd::grad({plain}, wrt, {g});
  for (std::size_t i = 0; i < wrt.size(); ++i) {
    INFO("gradient of input " << i);
    CHECK(gf[i].dtype() == wrt[i].dtype());
    check_close(gf[i], gp[i], tol);
  }
}

inline const std::vector<tg::ScalarType> real_dtypes{tg::kDouble, tg::kFloat, tg::kHalf, tg::kBFloat16};
inline const std::vector<tg::ScalarType> all_dtypes{tg::kDouble,   tg::kFloat,        tg::kHalf,
                                             tg::kBFloat16, tg::kComplexFloat, tg::kComplexDouble};

}  // namespace fuse_test
