// Factories: tg::tensor from scalars and nested lists, zeros/ones/full/empty/eye,
// arange/linspace against torch, rand/randn and the generator, *_like, options and errors.
#include <catch2/catch.hpp>

#include <cmath>
#include <complex>
#include <cstdint>
#include <limits>
#include <vector>
#include <utility>

#include <typegrad/dynamic.hpp>

#include "support/tensor_values.hpp"

namespace tg = typegrad;
using test_support::values;
using V = std::vector<std::int64_t>;


TEST_CASE("TensorOptions and the free option functions", "[tensor][factory]") {
  constexpr tg::TensorOptions o = tg::TensorOptions().dtype(tg::kDouble).requires_grad(true);
  STATIC_REQUIRE(o.dtype() == tg::kDouble);
  STATIC_REQUIRE(o.has_dtype());
  STATIC_REQUIRE(o.requires_grad());
  STATIC_REQUIRE(tg::TensorOptions().dtype() == tg::kFloat);
  STATIC_REQUIRE(!tg::TensorOptions().has_dtype());
  STATIC_REQUIRE(!tg::TensorOptions().requires_grad());
  STATIC_REQUIRE(!tg::TensorOptions().dtype_opt().has_value());
  STATIC_REQUIRE(*tg::dtype(tg::kBool).dtype_opt() == tg::kBool);
  STATIC_REQUIRE(tg::requires_grad().requires_grad());
  STATIC_REQUIRE(!tg::requires_grad(false).requires_grad());
  STATIC_REQUIRE(tg::dtype(tg::kLong).dtype() == tg::kLong);
  STATIC_REQUIRE(tg::dtype<tg::half>().dtype() == tg::kHalf);
  STATIC_REQUIRE(tg::TensorOptions().dtype<std::complex<double>>().dtype() == tg::kComplexDouble);
}

TEST_CASE("tensor: dtype from the C++ scalar type (libtorch), as api.md", "[tensor][factory]") {
  const tg::Tensor x = tg::tensor({1.0, 2.0, 3.0}, tg::requires_grad());
  CHECK(x.dtype() == tg::kDouble);
  CHECK(x.requires_grad());
  CHECK(x.sizes() == V{3});
  CHECK(values(x) == std::vector<double>{1, 2, 3});
  CHECK(tg::tensor({1.0f, 2.0f}).dtype() == tg::kFloat);
  CHECK(tg::tensor({1, 2}).dtype() == tg::kLong);
  CHECK(tg::tensor({std::int64_t{1}}).dtype() == tg::kLong);
  CHECK(tg::tensor({1u, 2u}).dtype() == tg::kLong);
  CHECK(tg::tensor({true, false}).dtype() == tg::kBool);
  CHECK(tg::tensor({std::complex<double>(1, 2)}, tg::requires_grad()).dtype() == tg::kComplexDouble);
  CHECK(tg::tensor({std::complex<float>(1, 2)}).dtype() == tg::kComplexFloat);
  CHECK(tg::tensor({tg::half(1.5)}).dtype() == tg::kHalf);
  CHECK(tg::tensor({tg::bfloat16(1.5)}).dtype() == tg::kBFloat16);
  CHECK(tg::tensor(2.5L).dtype() == tg::kDouble);
  CHECK(tg::tensor(std::vector<double>{1, 2}).sizes() == V{2});
  CHECK(tg::tensor(std::vector<int>{1, 2, 3}).dtype() == tg::kLong);
  CHECK(tg::tensor(std::vector<bool>{true, false}).dtype() == tg::kBool);
  CHECK(tg::tensor(std::vector<double>{}).sizes() == V{0});
  CHECK(tg::tensor({1, 2}, tg::dtype(tg::kDouble)).dtype() == tg::kDouble);
  CHECK(values(tg::tensor({1.75, -2.5}, tg::dtype(tg::kLong))) == std::vector<double>{1, -2});
}

TEST_CASE("tensor: scalars give 0-d tensors, nested lists any depth", "[tensor][factory]") {
  const tg::Tensor s = tg::tensor(3.5);
  CHECK(s.dim() == 0);
  CHECK(s.item<double>() == 3.5);
  CHECK(tg::tensor({3.5}).sizes() == V{1});
  const tg::Tensor m = tg::tensor({{1, 2, 3}, {4, 5, 6}});
  CHECK(m.sizes() == V{2, 3});
  CHECK(values(m) == std::vector<double>{1, 2, 3, 4, 5, 6});
  const tg::Tensor c = tg::tensor({{{1.0, 2.0}}, {{3.0, 4.0}}, {{5.0, 6.0}}});
  CHECK(c.sizes() == V{3, 1, 2});
  CHECK(values(c) == std::vector<double>{1, 2, 3, 4, 5, 6});
  const tg::Tensor d4 = tg::tensor({{{{1.0f}, {2.0f}}, {{3.0f}, {4.0f}}}});
  CHECK(d4.sizes() == V{1, 2, 2, 1});
  CHECK(d4.dtype() == tg::kFloat);
  CHECK(values(d4) == std::vector<double>{1, 2, 3, 4});
  const tg::Tensor e = tg::tensor({});
  CHECK(e.sizes() == V{0});
  CHECK(e.dtype() == tg::kFloat);
  CHECK(tg::tensor({std::vector<double>{1, 2}, std::vector<double>{3, 4}}).sizes() == V{2, 2});
}

TEST_CASE("tensor: ragged and mixed lists are rejected", "[tensor][factory]") {
  CHECK_THROWS_WITH(tg::tensor({{1, 2}, {3, 4, 5}}), "expected sequence of length 2 at dim 1 (got 3)");
  CHECK_THROWS_WITH(tg::tensor({{{1, 2}, {3, 4}}, {{1, 2}, {3}}}), "expected sequence of length 2 at dim 2 (got 1)");
  CHECK_THROWS_WITH(tg::tensor({{1.0, 2.0}, {3.0}}), "expected sequence of length 2 at dim 1 (got 1)");
  CHECK_THROWS_WITH(tg::tensor({{1, 2}, 3}), "not a sequence");
  CHECK_THROWS_WITH(tg::tensor({1, {2, 3}}), "expected a number at dim 1 (got a sequence)");
  CHECK_THROWS_WITH(tg::tensor({1, 2.5}),
                    "Expected all elements of the tensor to have the same scalar type: Long, but got element of scalar "
                    "type: Double");
  CHECK_THROWS_WITH(tg::tensor({1, 2}, tg::requires_grad()),
                    "Only Tensors of floating point and complex dtype can require gradients");
  CHECK_THROWS_WITH(tg::tensor({true}, tg::requires_grad()),
                    "Only Tensors of floating point and complex dtype can require gradients");
  CHECK(tg::tensor({1, 2}, tg::TensorOptions().dtype(tg::kFloat).requires_grad(true)).requires_grad());
}

TEST_CASE("zeros, ones, empty, full in every dtype", "[tensor][factory]") {
  for (auto t : tg::all_scalar_types) {
    INFO(tg::scalar_type_name(t));
    CHECK(values(tg::zeros({2, 2}, tg::dtype(t))) == std::vector<double>(4, 0.0));
    CHECK(values(tg::ones({3}, tg::dtype(t))) == std::vector<double>(3, 1.0));
    CHECK(tg::empty({2, 0}, tg::dtype(t)).numel() == 0);
    CHECK(tg::ones({3}, tg::dtype(t)).dtype() == t);
  }
  CHECK(tg::zeros({2}).dtype() == tg::kFloat);
  CHECK(tg::ones({2}).dtype() == tg::kFloat);
  CHECK(tg::zeros({}).dim() == 0);
  CHECK(tg::zeros({2}, tg::requires_grad()).requires_grad());
  CHECK(values(tg::full({2, 2}, 2.5)) == std::vector<double>(4, 2.5));
  CHECK(tg::full({2}, 2.5).dtype() == tg::kFloat);
  CHECK(tg::full({2}, 1).dtype() == tg::kLong);
  CHECK(tg::full({2}, true).dtype() == tg::kBool);
  CHECK(tg::full({2}, std::complex<double>(1, 1)).dtype() == tg::kComplexFloat);
  CHECK(values(tg::full({2}, 1.5, tg::dtype(tg::kLong))) == std::vector<double>{1, 1});
  CHECK(tg::full({1}, std::complex<double>(1, -1), tg::dtype(tg::kComplexDouble)).item<std::complex<double>>() ==
        std::complex<double>(1, -1));
  CHECK_THROWS_WITH(tg::full({2}, 1e30, tg::dtype(tg::kHalf)),
                    "value cannot be converted to type at::Half without overflow");
  CHECK_THROWS_WITH(tg::full({2}, std::complex<double>(1, 1), tg::dtype(tg::kFloat)),
                    "value cannot be converted to type float without overflow");
  CHECK_THROWS_WITH(tg::zeros({-1}), "Trying to create tensor with negative dimension -1: [-1]");
  CHECK_THROWS_WITH(tg::ones({2, -3}), "Trying to create tensor with negative dimension -3: [2, -3]");
  for (auto t : {tg::kBool, tg::kLong}) {
    CHECK_THROWS_WITH(tg::zeros({1}, tg::dtype(t).requires_grad(true)),
                      "Only Tensors of floating point and complex dtype can require gradients");
    CHECK_THROWS_WITH(tg::full({1}, 1, tg::dtype(t).requires_grad(true)),
                      "Only Tensors of floating point and complex dtype can require gradients");
  }
}

TEST_CASE("eye", "[tensor][factory]") {
  CHECK(values(tg::eye(2)) == std::vector<double>{1, 0, 0, 1});
  const tg::Tensor r = tg::eye(2, 3, tg::dtype(tg::kLong));
  CHECK(r.sizes() == V{2, 3});
  CHECK(r.dtype() == tg::kLong);
  CHECK(values(r) == std::vector<double>{1, 0, 0, 0, 1, 0});
  CHECK(values(tg::eye(3, 1)) == std::vector<double>{1, 0, 0});
  CHECK(tg::eye(0).sizes() == V{0, 0});
  CHECK(tg::eye(2, tg::dtype(tg::kComplexFloat)).select(0, 0).select(0, 0).item<std::complex<float>>() ==
        std::complex<float>(1, 0));
  CHECK(tg::eye(2, tg::requires_grad()).requires_grad());
  CHECK_THROWS_WITH(tg::eye(-1), "n must be greater or equal to 0, got -1");
  CHECK_THROWS_WITH(tg::eye(2, -1), "m must be greater or equal to 0, got -1");
}

TEST_CASE("arange and linspace match torch (dtype, length, values)", "[tensor][factory]") {
  int n = 0;
  const double tg_nan = std::numeric_limits<double>::quiet_NaN();
  (void)tg_nan;
#define TG_RANGE_CASE(py, expr, expected_dtype, ...)          \
  {                                                  \
    INFO(py);                                        \
    const tg::Tensor t = expr;                       \
    const std::vector<double> expected __VA_ARGS__;  \
    CHECK(t.dtype() == expected_dtype);              \
    CHECK(t.sizes() == V{static_cast<std::int64_t>(expected.size())}); \
    CHECK(values(t) == expected);                    \
    ++n;                                             \
  }
#include "tensor/factory_reference.inc"
#undef TG_RANGE_CASE
  CHECK(n == 58);
}

TEST_CASE("arange and linspace errors", "[tensor][factory]") {
  CHECK_THROWS_WITH(tg::arange(0, 5, 0), "step must be nonzero");
  CHECK_THROWS_WITH(tg::arange(0.0, 5.0, 0.0), "step must be nonzero");
  CHECK_THROWS_WITH(tg::arange(5, 0, 1), "upper bound and larger bound inconsistent with step sign");
  CHECK_THROWS_WITH(tg::arange(0, 5, -1), "upper bound and larger bound inconsistent with step sign");
  CHECK_THROWS_WITH(tg::arange(0, std::numeric_limits<double>::infinity()), "unsupported range: 0 -> inf");
  CHECK_THROWS_WITH(tg::arange(5, tg::dtype(tg::kBool)), "\"arange_cpu\" not implemented for 'Bool'");
  CHECK_THROWS_WITH(tg::arange(5, tg::requires_grad()),
                    "Only Tensors of floating point and complex dtype can require gradients");
  CHECK(tg::arange(5.0, tg::requires_grad()).requires_grad());
  CHECK_THROWS_WITH(tg::linspace(0, 1, -1), "number of steps must be non-negative");
  CHECK_THROWS_WITH(tg::linspace(0, 1, 3, tg::dtype(tg::kBool)), "\"linspace_cpu\" not implemented for 'Bool'");
  CHECK_THROWS_WITH(tg::arange(0, 3, 1, tg::dtype(tg::kComplexFloat)), "\"arange_cpu\" not implemented for 'ComplexFloat'");
  CHECK_THROWS_WITH(tg::linspace(0, 1, 3, tg::dtype(tg::kLong).requires_grad(true)),
                    "Only Tensors of floating point and complex dtype can require gradients");
  CHECK(tg::linspace(0, 1, 3, tg::requires_grad()).requires_grad());
}

TEST_CASE("rand and randn: ranges, dtypes, moments, seeding", "[tensor][factory][random]") {
  tg::manual_seed(123);
  CHECK(tg::default_generator().initial_seed() == 123);
  const tg::Tensor a = tg::rand({1000}, tg::dtype(tg::kDouble));
  tg::manual_seed(123);
  const tg::Tensor b = tg::rand({1000}, tg::dtype(tg::kDouble));
  CHECK(values(a) == values(b));  // reproducible from the seed
  const tg::Tensor c = tg::rand({1000}, tg::dtype(tg::kDouble));
  CHECK(values(a) != values(c));  // the stream advances
  double sum = 0;
  for (double v : values(a)) {
    CHECK(v >= 0.0);
    CHECK(v < 1.0);
    sum += v;
  }
  CHECK(sum / 1000 == Approx(0.5).margin(0.05));
  for (auto t : {tg::kHalf, tg::kBFloat16, tg::kFloat, tg::kDouble}) {
    const tg::Tensor r = tg::rand({4000}, tg::dtype(t));
    CHECK(r.dtype() == t);
    for (double v : values(r)) CHECK((v >= 0.0 && v < 1.0));
  }
  CHECK(tg::rand({2}).dtype() == tg::kFloat);
  const tg::Tensor zc = tg::rand({500}, tg::dtype(tg::kComplexDouble));
  const std::complex<double>* zp = zc.data_ptr<std::complex<double>>();
  for (int i = 0; i < 500; ++i) CHECK((zp[i].real() >= 0 && zp[i].real() < 1 && zp[i].imag() >= 0 && zp[i].imag() < 1));

  tg::manual_seed(7);
  const auto g = values(tg::randn({20000}, tg::dtype(tg::kDouble)));
  double m = 0, v2 = 0;
  for (double x : g) m += x;
  m /= static_cast<double>(g.size());
  for (double x : g) v2 += (x - m) * (x - m);
  v2 /= static_cast<double>(g.size());
  CHECK(m == Approx(0.0).margin(0.03));
  CHECK(v2 == Approx(1.0).margin(0.05));
  const tg::Tensor gc = tg::randn({20000}, tg::dtype(tg::kComplexFloat));
  const std::complex<float>* gp = gc.data_ptr<std::complex<float>>();
  double e2 = 0;
  for (int i = 0; i < 20000; ++i) e2 += std::norm(std::complex<double>(gp[i]));
  CHECK(e2 / 20000 == Approx(1.0).margin(0.05));  // E|z|^2 = 1
  CHECK(tg::randn({2, 3}, tg::requires_grad()).requires_grad());
  CHECK_THROWS_WITH(tg::rand({2}, tg::dtype(tg::kLong)), "\"check_uniform_bounds\" not implemented for 'Long'");
  CHECK_THROWS_WITH(tg::rand({2}, tg::dtype(tg::kBool)), "\"check_uniform_bounds\" not implemented for 'Bool'");
  CHECK_THROWS_WITH(tg::randn({2}, tg::dtype(tg::kLong)), "\"normal_kernel_cpu\" not implemented for 'Long'");
}

TEST_CASE("*_like keep shape, dtype and layout", "[tensor][factory]") {
  const tg::Tensor x = tg::arange(6, tg::dtype(tg::kDouble)).view({2, 3}).t();
  const tg::Tensor z = tg::zeros_like(x);
  CHECK(z.sizes() == V{3, 2});
  CHECK(z.strides() == V{1, 3});  // preserve_format, as torch.empty_like
  CHECK(z.dtype() == tg::kDouble);
  CHECK(values(z) == std::vector<double>(6, 0.0));
  CHECK(values(tg::ones_like(x)) == std::vector<double>(6, 1.0));
  CHECK(values(tg::full_like(x, 4)) == std::vector<double>(6, 4.0));
  CHECK(tg::full_like(x, 4).dtype() == tg::kDouble);
  CHECK(tg::empty_like(x).sizes() == V{3, 2});
  CHECK(tg::ones_like(x, tg::dtype(tg::kLong)).dtype() == tg::kLong);
  CHECK(tg::zeros_like(x, tg::requires_grad()).requires_grad());
  CHECK_FALSE(tg::zeros_like(x.requires_grad_()).requires_grad());
  x.requires_grad_(false);
  CHECK(tg::ones_like(tg::tensor({1.0}).expand({3, 2})).strides() == V{2, 1});
  const tg::Tensor r = tg::rand_like(x);
  CHECK(r.dtype() == tg::kDouble);
  CHECK(r.sizes() == V{3, 2});
  CHECK(tg::randn_like(x, tg::dtype(tg::kFloat)).dtype() == tg::kFloat);
  CHECK_THROWS_WITH(tg::ones_like(tg::zeros({1}, tg::dtype(tg::kLong)), tg::requires_grad()),
                    "Only Tensors of floating point and complex dtype can require gradients");
  CHECK_THROWS_WITH(tg::rand_like(tg::zeros({1}, tg::dtype(tg::kLong))),
                    "\"check_uniform_bounds\" not implemented for 'Long'");
}

TEST_CASE("complex linspace: the real linspace as real parts, zero imaginary parts", "[tensor][factory]") {
  for (const auto& [c, r] : {std::pair{tg::kComplexFloat, tg::kFloat}, std::pair{tg::kComplexDouble, tg::kDouble}}) {
    for (const std::int64_t n : {1, 2, 7, 100}) {
      const tg::Tensor z = tg::linspace(-3.7, 11.1, n, tg::dtype(c).requires_grad(true));
      const tg::Tensor x = tg::linspace(-3.7, 11.1, n, tg::dtype(r));
      REQUIRE(z.dtype() == c);
      CHECK(z.requires_grad());
      REQUIRE(z.numel() == n);
      for (std::int64_t i = 0; i < n; ++i) {
        const auto zi = z.select(0, i).item<std::complex<double>>();
        CHECK(zi.real() == x.select(0, i).item<double>());
        CHECK(zi.imag() == 0);
      }
      CHECK(z.select(0, 0).item<std::complex<double>>().real() == (c == tg::kComplexFloat ? double(-3.7f) : -3.7));
    }
  }
}
