// tg::kernels matrix products (mm, bmm, mv, dot): torch 1.13's results for every dtype and
// layout (linalg_reference.inc), larger products of every operand layout against a plain
// triple loop, Half/BFloat16 through float, and every error text.
#include <catch2/catch.hpp>

#include <cmath>
#include <complex>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <typegrad/dynamic.hpp>
#include <typegrad/tensor/kernels/linalg.hpp>
#include <typegrad/tensor/raw.hpp>

#include "tensor/kernels/kernel_reference.hpp"

namespace tg = typegrad;
namespace K = tg::kernels;
using kernel_test::every_other;
using kernel_test::V;
using kernel_test::values_as;
using C = std::complex<double>;

namespace {

/// A contiguous complex-double tensor of uniform parts in [-1, 1), converted to `dtype`.
tg::Tensor uniform_parts(V sizes, tg::ScalarType dtype, unsigned seed) {
  std::mt19937 gen(seed);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  std::vector<C> v(static_cast<std::size_t>(tg::detail::numel_of(sizes)));
  for (auto& x : v) x = C(u(gen), u(gen));
  return tg::raw::to(tg::raw::view(tg::tensor(v), sizes), dtype);
}

/// The plain triple loop on the (complex double) values of two matrices of any layout.
std::vector<C> loop_mm(const tg::Tensor& a, const tg::Tensor& b) {
  const auto x = values_as<C>(a), y = values_as<C>(b);
  const std::int64_t n = a.size(0), k = a.size(1), m = b.size(1);
  std::vector<C> out(static_cast<std::size_t>(n * m));
  for (std::int64_t i = 0; i < n; ++i) {
    for (std::int64_t j = 0; j < m; ++j) {
      C s = 0;
      for (std::int64_t l = 0; l < k; ++l) s += x[static_cast<std::size_t>(i * k + l)] * y[static_cast<std::size_t>(l * m + j)];
      out[static_cast<std::size_t>(i * m + j)] = s;
    }
  }
  return out;
}

bool all_close_parts(const std::vector<C>& got, const std::vector<C>& expected, double tol) {
  if (got.size() != expected.size()) return false;
  for (std::size_t i = 0; i < got.size(); ++i) {
    if (!(std::abs(got[i] - expected[i]) <= tol)) return false;
  }
  return true;
}

/// The same [rows, cols] values in differently laid-out tensors: contiguous, a transposed
/// contiguous block (column-major), a narrowed block (outer stride larger than the row), and
/// every other row and column of a bigger block (neither stride 1: copied for Eigen). Expanded
/// operands (stride 0) are in linalg_reference.inc.
std::vector<std::pair<std::string, tg::Tensor>> layouts(const tg::Tensor& m) {
  const std::int64_t r = m.size(0), c = m.size(1);
  std::vector<std::pair<std::string, tg::Tensor>> out;
  out.emplace_back("contiguous", m);
  out.emplace_back("transposed", tg::raw::t(tg::raw::contiguous(tg::raw::t(m))));
  tg::Tensor big = tg::zeros({r + 3, c + 5}, tg::dtype(m.dtype()));
  tg::raw::copy_elements(tg::raw::narrow(tg::raw::narrow(big, 0, 2, r), 1, 3, c), m);
  out.emplace_back("narrowed", tg::raw::narrow(tg::raw::narrow(big, 0, 2, r), 1, 3, c));
  tg::Tensor spread = tg::zeros({2 * r, 2 * c}, tg::dtype(m.dtype()));
  tg::raw::copy_elements(every_other(every_other(spread, 0), 1), m);
  out.emplace_back("every other", every_other(every_other(spread, 0), 1));
  return out;
}

}  // namespace

TEST_CASE("matrix products match torch for every dtype and layout", "[kernels][linalg]") {
  int cases = 0;
#include "tensor/kernels/linalg_reference.inc"
  CHECK(cases == 55);
}

TEST_CASE("mm of every operand layout matches a plain loop", "[kernels][linalg]") {
  // 37 x 53 x 29: past Eigen's small-product threshold, so the GEMM kernel runs.
  for (auto dtype : {tg::kFloat, tg::kDouble, tg::kComplexFloat, tg::kComplexDouble}) {
    const tg::Tensor a = uniform_parts({37, 53}, dtype, 1);
    const tg::Tensor b = uniform_parts({53, 29}, dtype, 2);
    const auto expected = loop_mm(a, b);
    const double tol = dtype == tg::kFloat || dtype == tg::kComplexFloat ? 1e-4 : 1e-12;
    for (const auto& [na, la] : layouts(a)) {
      for (const auto& [nb, lb] : layouts(b)) {
        INFO(tg::scalar_type_name(dtype) << ": " << na << " x " << nb);
        const tg::Tensor p = K::mm(la, lb);
        CHECK(p.sizes() == V{37, 29});
        CHECK(p.dtype() == dtype);
        CHECK(all_close_parts(values_as<C>(p), expected, tol));
      }
    }
  }
}

TEST_CASE("bmm, mv and dot take strided and expanded operands", "[kernels][linalg]") {
  const tg::Tensor a = uniform_parts({3, 7, 5}, tg::kDouble, 3);
  const tg::Tensor b = uniform_parts({3, 5, 4}, tg::kDouble, 4);
  const tg::Tensor p = K::bmm(a, b);
  CHECK(p.sizes() == V{3, 7, 4});
  for (std::int64_t i = 0; i < 3; ++i) {
    INFO("batch " << i);
    const auto got = values_as<C>(tg::raw::select(p, 0, i));
    CHECK(all_close_parts(got, loop_mm(tg::raw::select(a, 0, i), tg::raw::select(b, 0, i)), 1e-12));
  }
  // Batches of a transposed operand, and one matrix expanded over the batch (batch stride 0).
  const tg::Tensor bt = tg::raw::transpose(tg::raw::contiguous(tg::raw::transpose(b, 1, 2)), 1, 2);
  CHECK(all_close_parts(values_as<C>(K::bmm(a, bt)), values_as<C>(p), 1e-12));
  const tg::Tensor shared = tg::raw::expand(tg::raw::select(b, 0, 1), {3, 5, 4});
  CHECK(all_close_parts(values_as<C>(tg::raw::select(K::bmm(a, shared), 0, 2)),
                  loop_mm(tg::raw::select(a, 0, 2), tg::raw::select(b, 0, 1)), 1e-12));
  // mv and dot against mm of the same values.
  const tg::Tensor m = uniform_parts({6, 40}, tg::kComplexDouble, 5);
  const tg::Tensor v = every_other(uniform_parts({80}, tg::kComplexDouble, 6), 0);
  const tg::Tensor v_column = tg::raw::view(tg::raw::contiguous(v), {40, 1});
  CHECK(all_close_parts(values_as<C>(K::mv(m, v)), loop_mm(m, v_column), 1e-12));
  CHECK(all_close_parts(values_as<C>(K::mv(tg::raw::t(tg::raw::contiguous(tg::raw::t(m))), v)), loop_mm(m, v_column), 1e-12));
  const tg::Tensor row = tg::raw::select(m, 0, 3);
  CHECK(all_close_parts(values_as<C>(K::dot(row, v)), loop_mm(tg::raw::view(row, {1, 40}), v_column), 1e-12));
  // dot does not conjugate: (1 + i)(1 + i) = 2i. (Debian's torch 1.13 says 0 here: its BLAS
  // complex dot is broken, so complex dots are not in linalg_reference.inc.)
  const tg::Tensor z = tg::tensor({C(1, 1)});
  CHECK(K::dot(z, z).item<C>() == C(0, 2));
  CHECK(K::dot(tg::tensor({1, 2, 3}), tg::tensor({4, 5, 6})).item<std::int64_t>() == 32);
}

TEST_CASE("Half and BFloat16 products are computed in float and rounded once", "[kernels][linalg]") {
  // torch 1.13 has no Half mm/mv/bmm/dot (current torch has); BFloat16 it has.
  for (auto dtype : {tg::kHalf, tg::kBFloat16}) {
    INFO(tg::scalar_type_name(dtype));
    const tg::Tensor a = uniform_parts({9, 30}, dtype, 7);
    const tg::Tensor b = uniform_parts({30, 11}, dtype, 8);
    const auto in_float = [&](const tg::Tensor& t) { return tg::raw::to(t, tg::kFloat); };
    const tg::Tensor p = K::mm(a, b);
    CHECK(p.dtype() == dtype);
    CHECK(values_as<double>(p) == values_as<double>(tg::raw::to(K::mm(in_float(a), in_float(b)), dtype)));
    const tg::Tensor v = tg::raw::select(b, 1, 4);
    CHECK(values_as<double>(K::mv(a, v)) == values_as<double>(tg::raw::to(K::mv(in_float(a), in_float(v)), dtype)));
    const tg::Tensor r = tg::raw::select(a, 0, 2);
    CHECK(values_as<double>(K::dot(r, v)) == values_as<double>(tg::raw::to(K::dot(in_float(r), in_float(v)), dtype)));
    const tg::Tensor a3 = tg::raw::unsqueeze(a, 0), b3 = tg::raw::unsqueeze(b, 0);
    CHECK(values_as<double>(K::bmm(a3, b3)) == values_as<double>(tg::raw::unsqueeze(p, 0)));
  }
}

TEST_CASE("empty products are zeros of the right shape", "[kernels][linalg]") {
  CHECK(values_as<double>(K::mm(tg::ones({2, 0}), tg::ones({0, 3}))) == std::vector<double>(6, 0.0));
  CHECK(K::mm(tg::ones({0, 4}), tg::ones({4, 3})).sizes() == V{0, 3});
  CHECK(K::mm(tg::ones({2, 4}), tg::ones({4, 0})).sizes() == V{2, 0});
  CHECK(K::bmm(tg::ones({0, 2, 3}), tg::ones({0, 3, 2})).sizes() == V{0, 2, 2});
  CHECK(K::mv(tg::ones({0, 3}), tg::ones({3})).sizes() == V{0});
  CHECK(K::dot(tg::ones({0}, tg::dtype(tg::kLong)), tg::ones({0}, tg::dtype(tg::kLong))).item<std::int64_t>() == 0);
}

TEST_CASE("matrix product errors have torch's texts", "[kernels][linalg]") {
  const tg::Tensor f23 = tg::ones({2, 3}), f45 = tg::ones({4, 5}), f3 = tg::ones({3});
  const tg::Tensor d32 = tg::ones({3, 2}, tg::dtype(tg::kDouble));
  const tg::Tensor b23 = tg::ones({2, 3}, tg::dtype(tg::kBool)), b32 = tg::ones({3, 2}, tg::dtype(tg::kBool));
  CHECK_THROWS_WITH(K::mm(f3, f23), "self must be a matrix");
  CHECK_THROWS_WITH(K::mm(f23, f3), "mat2 must be a matrix");
  CHECK_THROWS_WITH(K::mm(f23, f45), "mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)");
  CHECK_THROWS_WITH(K::mm(f23, tg::raw::to(f45, tg::kDouble)), "mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)");
  CHECK_THROWS_WITH(K::mm(f23, d32), "expected scalar type Float but found Double");
  CHECK_THROWS_WITH(K::mm(tg::raw::t(d32), tg::raw::t(f23)), "expected scalar type Double but found Float");
  CHECK_THROWS_WITH(K::mm(b23, b32), "\"addmm_impl_cpu_\" not implemented for 'Bool'");

  CHECK_THROWS_WITH(K::bmm(f23, d32), "batch1 must be a 3D tensor");
  CHECK_THROWS_WITH(K::bmm(tg::ones({2, 2, 3}), f23), "batch2 must be a 3D tensor");
  CHECK_THROWS_WITH(K::bmm(tg::ones({2, 2, 3}), tg::ones({3, 3, 2})),
                    "Expected size for first two dimensions of batch2 tensor to be: [2, 3] but got: [3, 3].");
  CHECK_THROWS_WITH(K::bmm(tg::ones({2, 2, 3}), tg::ones({2, 4, 2}, tg::dtype(tg::kDouble))),
                    "Expected size for first two dimensions of batch2 tensor to be: [2, 3] but got: [2, 4].");
  CHECK_THROWS_WITH(K::bmm(tg::ones({2, 2, 3}), tg::ones({2, 3, 2}, tg::dtype(tg::kDouble))),
                    "expected scalar type Float but found Double");
  CHECK_THROWS_WITH(K::bmm(tg::raw::unsqueeze(b23, 0), tg::raw::unsqueeze(b32, 0)), "\"bmm\" not implemented for 'Bool'");

  CHECK_THROWS_WITH(K::mv(tg::tensor(1.0f), f3), "Dimension specified as 0 but tensor has no dimensions");
  CHECK_THROWS_WITH(K::mv(f3, f3), "vector + matrix @ vector expected, got 1, 1, 1");
  CHECK_THROWS_WITH(K::mv(f23, tg::ones({3, 1})), "vector + matrix @ vector expected, got 1, 2, 2");
  CHECK_THROWS_WITH(K::mv(f23, tg::ones({4})), "size mismatch, got 2, 2x3,4");
  CHECK_THROWS_WITH(K::mv(f23, tg::ones({3}, tg::dtype(tg::kDouble))), "expected scalar type Float but found Double");
  CHECK_THROWS_WITH(K::mv(b23, tg::ones({3}, tg::dtype(tg::kBool))), "\"addmv_impl_cpu\" not implemented for 'Bool'");

  CHECK_THROWS_WITH(K::dot(tg::ones({3, 1}), f3), "1D tensors expected, but got 2D and 1D tensors");
  CHECK_THROWS_WITH(K::dot(tg::tensor(1.0f), f3), "1D tensors expected, but got 0D and 1D tensors");
  CHECK_THROWS_WITH(K::dot(f3, tg::ones({4})),
                    "inconsistent tensor size, expected tensor [3] and src [4] to have the same number of elements, "
                    "but got 3 and 4 elements respectively");
  CHECK_THROWS_WITH(K::dot(f3, tg::ones({4}, tg::dtype(tg::kDouble))),
                    "dot : expected both vectors to have same dtype, but found Float and Double");
  CHECK_THROWS_WITH(K::dot(tg::ones({3}, tg::dtype(tg::kBool)), tg::ones({3}, tg::dtype(tg::kBool))),
                    "\"dot\" not implemented for 'Bool'");
}
