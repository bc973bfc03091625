// tg::kernels reductions (sum, prod, mean, amax, amin, max, min, max_dim, min_dim, sum_to):
// torch 1.13's results for every dtype and layout (reduce_reference.inc), long runs through the
// SIMD paths against plain loops, Half/BFloat16 accumulation, and every error text.
#include <catch2/catch.hpp>

#include <cmath>
#include <complex>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include <typegrad/dynamic.hpp>
#include <typegrad/tensor/kernels/reduce.hpp>
#include <typegrad/tensor/raw.hpp>

#include "tensor/kernels/kernel_reference.hpp"

namespace tg = typegrad;
namespace K = tg::kernels;
using kernel_test::every_other;
using kernel_test::tg_inf;
using kernel_test::tg_nan;
using kernel_test::V;
using kernel_test::values;

namespace {

/// A contiguous tensor of uniform values in [-scale, scale) of the given dtype.
tg::Tensor uniform(V sizes, tg::ScalarType dtype, unsigned seed, double scale = 1.0) {
  std::mt19937 gen(seed);
  std::uniform_real_distribution<double> u(-scale, scale);
  std::vector<double> v(static_cast<std::size_t>(tg::detail::numel_of(sizes)));
  for (auto& x : v) x = u(gen);
  return tg::raw::to(tg::raw::view(tg::tensor(v), sizes), dtype);
}

/// The plain loop: folds the row-major values of `t` over the dims in `mask` (keepdim=false
/// layout of the result), in double, with `f(acc, x)` starting from `init`.
template <class F>
std::vector<double> loop_reduce(const tg::Tensor& t, const std::vector<bool>& mask, double init, F f) {
  const auto sizes = t.sizes();
  const auto v = values(t);
  V out_sizes;
  for (std::size_t d = 0; d < sizes.size(); ++d) {
    if (!mask[d]) out_sizes.push_back(sizes[d]);
  }
  std::vector<double> out(static_cast<std::size_t>(tg::detail::numel_of(out_sizes)), init);
  for (std::size_t k = 0; k < v.size(); ++k) {
    std::size_t rest = k, o = 0, scale = 1;
    for (std::size_t d = sizes.size(); d-- > 0;) {
      const auto i = rest % static_cast<std::size_t>(sizes[d]);
      rest /= static_cast<std::size_t>(sizes[d]);
      if (!mask[d]) {
        o += i * scale;
        scale *= static_cast<std::size_t>(sizes[d]);
      }
    }
    out[o] = f(out[o], v[k]);
  }
  return out;
}

bool all_close(const std::vector<double>& got, const std::vector<double>& expected, double tol) {
  if (got.size() != expected.size()) return false;
  for (std::size_t i = 0; i < got.size(); ++i) {
    if (!kernel_test::close(got[i], expected[i], tol)) return false;
  }
  return true;
}

/// |got - expected| <= tol * scale elementwise (scale: the sum of the magnitudes summed, which
/// bounds the rounding error of any summation order).
bool all_within(const std::vector<double>& got, const std::vector<double>& expected, const std::vector<double>& scale,
                double tol) {
  if (got.size() != expected.size()) return false;
  for (std::size_t i = 0; i < got.size(); ++i) {
    if (!(std::abs(got[i] - expected[i]) <= tol * std::max(1.0, scale[i]))) return false;
  }
  return true;
}

}  // namespace

TEST_CASE("reductions match torch for every dtype and layout", "[kernels][reduce]") {
  int cases = 0;
#include "tensor/kernels/reduce_reference.inc"
  CHECK(cases == 240);
}

TEST_CASE("long sums and extrema take the SIMD paths and match plain loops", "[kernels][reduce]") {
  // Sizes straddle the xsimd batch, the unroll by two and the 4096-element block.
  for (std::int64_t n : {1, 3, 7, 8, 9, 17, 4095, 4096, 4097, 10007}) {
    for (auto dtype : {tg::kFloat, tg::kDouble}) {
      INFO("n = " << n << ", dtype " << dtype);
      const tg::Tensor x = uniform({n}, dtype, static_cast<unsigned>(n));
      const std::vector<bool> all{true};
      const double tol = dtype == tg::kFloat ? 1e-5 : 1e-13;
      const auto sum = loop_reduce(x, all, 0.0, [](double a, double b) { return a + b; });
      CHECK(all_close(values(K::sum(x, {}, false)), sum, tol * std::sqrt(static_cast<double>(n))));
      CHECK(all_close(values(K::mean(x, {0}, false)), {sum[0] / static_cast<double>(n)}, tol));
      CHECK(values(K::amax(x, {}, false)) ==
            loop_reduce(x, all, -tg_inf, [](double a, double b) { return std::max(a, b); }));
      CHECK(values(K::amin(x, {0}, false)) ==
            loop_reduce(x, all, tg_inf, [](double a, double b) { return std::min(a, b); }));
      CHECK(values(K::max(x)) == values(K::amax(x, {}, false)));
    }
  }
}

TEST_CASE("a NaN anywhere in a run propagates through amax, amin, max_dim and sum", "[kernels][reduce]") {
  for (std::int64_t pos : {0, 5, 8, 15, 16, 1000, 4095, 4096, 5000, 5002}) {
    for (auto dtype : {tg::kFloat, tg::kDouble, tg::kHalf}) {
      INFO("NaN at " << pos << ", dtype " << dtype);
      std::vector<double> v(5005, 1.0);
      v[static_cast<std::size_t>(pos)] = tg_nan;
      v[static_cast<std::size_t>(pos + 1)] = tg_nan;  // two NaNs: the first one's index wins
      const tg::Tensor x = tg::raw::to(tg::tensor(v), dtype);
      CHECK(std::isnan(values(K::amax(x, {}, false))[0]));
      CHECK(std::isnan(values(K::amin(x, {0}, true))[0]));
      CHECK(std::isnan(values(K::sum(x, {}, false))[0]));
      const auto [value, index] = K::max_dim(x, 0, false);
      CHECK(std::isnan(value.item<double>()));
      CHECK(index.item<std::int64_t>() == pos);
      CHECK(K::min_dim(x, 0, false).second.item<std::int64_t>() == pos);
    }
  }
}

TEST_CASE("reductions over any layout match plain loops", "[kernels][reduce]") {
  // Inputs laid out contiguously, transposed, permuted, narrowed, strided and expanded; reduced
  // over the inner dims (contiguous runs), the outer dims (whole rows accumulated) and mixes.
  const tg::Tensor base = uniform({6, 35, 17}, tg::kDouble, 7, 100.0);  // Long keeps the integer parts
  const std::vector<tg::Tensor> inputs{
      base,
      tg::raw::permute(base, {2, 0, 1}),
      tg::raw::transpose(base, 0, 2),
      tg::raw::narrow(base, 2, 3, 11),
      every_other(base, 1),
      tg::raw::expand(tg::raw::select(base, 0, 2), {4, 35, 17}),
      tg::raw::expand(tg::raw::narrow(base, 1, 0, 1), {6, 9, 17}),
  };
  const std::vector<std::vector<std::int64_t>> dim_lists{{0}, {1}, {2}, {0, 1}, {1, 2}, {0, 2}, {}};
  for (std::size_t k = 0; k < inputs.size(); ++k) {
    for (auto dtype : {tg::kFloat, tg::kDouble, tg::kLong}) {
      const tg::Tensor x = tg::raw::to(tg::raw::to(inputs[k], tg::kDouble), dtype);
      for (const auto& dims : dim_lists) {
        INFO("input " << k << ", dtype " << dtype << ", dims " << tg::detail::format_int_list(dims));
        std::vector<bool> mask(3, dims.empty());
        for (auto d : dims) mask[static_cast<std::size_t>(d)] = true;
        const double tol = dtype == tg::kFloat ? 1e-5 : 1e-12;
        const auto sum = loop_reduce(x, mask, 0.0, [](double a, double b) { return a + b; });
        const auto magnitude = loop_reduce(x, mask, 0.0, [](double a, double b) { return a + std::abs(b); });
        CHECK(all_within(values(K::sum(x, dims, false)), sum, magnitude, tol));
        CHECK(all_close(values(K::amax(x, dims, false)),
                        loop_reduce(x, mask, -tg_inf, [](double a, double b) { return std::max(a, b); }), 0));
        CHECK(all_close(values(K::amin(x, dims, false)),
                        loop_reduce(x, mask, tg_inf, [](double a, double b) { return std::min(a, b); }), 0));
      }
    }
  }
}

TEST_CASE("keepdim keeps each folded dim as size 1", "[kernels][reduce]") {
  const tg::Tensor x = uniform({2, 3, 4, 5}, tg::kFloat, 3);
  CHECK(K::sum(x, {1, 3}, true).sizes() == V{2, 1, 4, 1});
  CHECK(K::sum(x, {1, 3}, false).sizes() == V{2, 4});
  CHECK(K::mean(x, {}, true).sizes() == V{1, 1, 1, 1});
  CHECK(K::prod(x, {-1, 0}, true).sizes() == V{1, 3, 4, 1});
  CHECK(K::amax(x, {2}, true).sizes() == V{2, 3, 1, 5});
  CHECK(K::max_dim(x, -2, true).second.sizes() == V{2, 3, 1, 5});
  CHECK(K::min_dim(x, 1, false).first.sizes() == V{2, 4, 5});
  CHECK(values(K::sum(x, {1, 3}, true)) == values(K::sum(x, {1, 3}, false)));
  const tg::Tensor s = tg::tensor(2.0);
  CHECK(K::sum(s, {0}, true).sizes() == V{});
  CHECK(K::max_dim(s, -1, true).first.sizes() == V{});
}

TEST_CASE("Half and BFloat16 accumulate in float and round once", "[kernels][reduce]") {
  // In half precision 2048 + 1 rounds back to 2048: an accumulator in half would stop there.
  const tg::Tensor ones = tg::ones({4096}, tg::dtype(tg::kHalf));
  CHECK(K::sum(ones, {}, false).item<double>() == 4096.0);
  CHECK(K::mean(ones, {}, false).item<double>() == 1.0);
  CHECK(K::sum(tg::ones({1000}, tg::dtype(tg::kBFloat16)), {}, false).item<double>() == 1000.0);
  // torch 1.13 has no Half/BFloat16 prod; current torch has: the product in float, rounded.
  const tg::Tensor x = uniform({3, 7}, tg::kFloat, 11);
  for (auto dtype : {tg::kHalf, tg::kBFloat16}) {
    const tg::Tensor narrow = tg::raw::to(x, dtype);
    const tg::Tensor in_float = K::prod(tg::raw::to(narrow, tg::kFloat), {1}, false);
    const tg::Tensor p = K::prod(narrow, {1}, false);
    CHECK(p.dtype() == dtype);
    CHECK(values(p) == values(tg::raw::to(in_float, dtype)));
    CHECK(values(K::mean(narrow, {0}, false)) ==
          values(tg::raw::to(K::mean(tg::raw::to(narrow, tg::kFloat), {0}, false), dtype)));
  }
}

TEST_CASE("result dtypes of sum, prod and mean", "[kernels][reduce]") {
  const tg::Tensor b = tg::tensor({true, false, true});
  const tg::Tensor l = tg::tensor({1, 2, 3});
  CHECK(K::sum(b, {}, false).dtype() == tg::kLong);
  CHECK(K::sum(b, {}, false).item<std::int64_t>() == 2);
  CHECK(K::prod(b, {}, false).dtype() == tg::kLong);
  CHECK(K::sum(l, {}, false).dtype() == tg::kLong);
  CHECK(K::sum(b, {}, false, tg::kBool).dtype() == tg::kBool);
  CHECK(K::sum(tg::tensor({1.5, 2.75}), {}, false, tg::kLong).item<std::int64_t>() == 3);  // cast first
  CHECK(K::mean(l, {}, false, tg::kDouble).item<double>() == 2.0);
  CHECK(K::mean(tg::tensor({std::complex<double>(1, 2), std::complex<double>(3, -4)}), {}, false)
            .item<std::complex<double>>() == std::complex<double>(2, -1));
  CHECK(K::amax(b, {}, false).dtype() == tg::kBool);
  CHECK(K::max_dim(l, 0, false).first.dtype() == tg::kLong);
  for (auto dtype : tg::all_scalar_types) {
    const tg::Tensor x = tg::ones({2, 3}, tg::dtype(dtype));
    const bool integral = dtype == tg::kBool || dtype == tg::kLong;
    CHECK(K::sum(x, {0}, false).dtype() == (integral ? tg::kLong : dtype));
    CHECK(K::prod(x, {0}, false).dtype() == (integral ? tg::kLong : dtype));
    if (!integral) CHECK(K::mean(x, {0}, false).dtype() == dtype);
  }
}

TEST_CASE("zero-size reductions: identities and torch's errors", "[kernels][reduce]") {
  const tg::Tensor e = tg::zeros({0, 3});
  CHECK(values(K::sum(e, {0}, false)) == std::vector<double>{0, 0, 0});
  CHECK(values(K::prod(e, {0}, false)) == std::vector<double>{1, 1, 1});
  CHECK(K::prod(e, {}, false).item<double>() == 1.0);
  CHECK(std::isnan(K::mean(e, {}, false).item<double>()));
  CHECK(K::sum(e, {1}, false).sizes() == V{0});
  CHECK(K::amax(e, {1}, false).sizes() == V{0});
  CHECK(K::max_dim(e, 1, false).second.sizes() == V{0});
  const char* no_dim_max = "max(): Expected reduction dim to be specified for input.numel() == 0. Specify the "
                           "reduction dim with the 'dim' argument.";
  CHECK_THROWS_WITH(K::max(e), no_dim_max);
  CHECK_THROWS_WITH(K::min(tg::zeros({0})),
                    "min(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim "
                    "with the 'dim' argument.");
  CHECK_THROWS_WITH(K::amax(e, {}, false),
                    "amax(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim "
                    "with the 'dim' argument.");
  CHECK_THROWS_WITH(K::amax(e, {0}, false), "amax(): Expected reduction dim 0 to have non-zero size.");
  CHECK_THROWS_WITH(K::amax(e, {-2}, false), "amax(): Expected reduction dim -2 to have non-zero size.");
  CHECK_THROWS_WITH(K::amin(e, {1, -2}, true), "amin(): Expected reduction dim -2 to have non-zero size.");
  CHECK_THROWS_WITH(K::max_dim(e, -2, false), "max(): Expected reduction dim 0 to have non-zero size.");
  CHECK_THROWS_WITH(K::min_dim(tg::zeros({0}), 0, true), "min(): Expected reduction dim 0 to have non-zero size.");
}

TEST_CASE("reduction errors have torch's texts", "[kernels][reduce]") {
  const tg::Tensor x = tg::zeros({2, 3});
  CHECK_THROWS_WITH(K::sum(x, {0, 0}, false), "dim 0 appears multiple times in the list of dims");
  CHECK_THROWS_WITH(K::sum(x, {1, -1}, false), "dim 1 appears multiple times in the list of dims");
  CHECK_THROWS_WITH(K::prod(tg::tensor(1.0), {0, -1}, false), "dim 0 appears multiple times in the list of dims");
  CHECK_THROWS_WITH(K::amax(x, {0, -2}, false), "dim 0 appears multiple times in the list of dims");
  CHECK_THROWS_WITH(K::sum(x, {2}, false), "Dimension out of range (expected to be in range of [-2, 1], but got 2)");
  CHECK_THROWS_WITH(K::max_dim(tg::tensor(1.0), 1, false),
                    "Dimension out of range (expected to be in range of [-1, 0], but got 1)");
  CHECK_THROWS_WITH(K::mean(tg::tensor({1, 2}), {}, false),
                    "mean(): could not infer output dtype. Input dtype must be either a floating point or complex "
                    "dtype. Got: Long");
  CHECK_THROWS_WITH(K::mean(tg::tensor({true}), {0}, false),
                    "mean(): could not infer output dtype. Input dtype must be either a floating point or complex "
                    "dtype. Got: Bool");
  CHECK_THROWS_WITH(K::mean(x, {}, false, tg::kLong),
                    "mean(): could not infer output dtype. Optional dtype must be either a floating point or complex "
                    "dtype. Got: Long");
  const tg::Tensor c = tg::zeros({2}, tg::dtype(tg::kComplexFloat));
  CHECK_THROWS_WITH(K::amax(c, {}, false), "\"max_values_cpu\" not implemented for 'ComplexFloat'");
  CHECK_THROWS_WITH(K::amin(c, {0}, false), "\"min_values_cpu\" not implemented for 'ComplexFloat'");
  CHECK_THROWS_WITH(K::max(tg::raw::to(c, tg::kComplexDouble)), "\"max_all\" not implemented for 'ComplexDouble'");
  CHECK_THROWS_WITH(K::min(c), "\"min_all\" not implemented for 'ComplexFloat'");
  CHECK_THROWS_WITH(K::max_dim(c, 0, false), "max(): does not support complex input");
  CHECK_THROWS_WITH(K::min_dim(c, 0, false), "min(): does not support complex input");
  CHECK_THROWS_WITH(K::sum(tg::Tensor(), {}, false), "dim() called on an undefined Tensor");
}

TEST_CASE("sum_to: the inverse of broadcasting", "[kernels][reduce]") {
  const tg::Tensor x = uniform({4, 2, 3}, tg::kDouble, 5);
  CHECK(K::sum_to(x, {4, 2, 3}).is_same(x));  // nothing to sum: the tensor itself, as at::sum_to
  CHECK(K::sum_to(x, {2, 3}).sizes() == V{2, 3});
  CHECK(values(K::sum_to(x, {2, 3})) == values(K::sum(x, {0}, false)));
  CHECK(K::sum_to(x, {1, 1}).sizes() == V{1, 1});
  CHECK(K::sum_to(x, {}).sizes() == V{});
  CHECK(K::sum_to(x, {4, 1, 3}).sizes() == V{4, 1, 3});
  // Every shape that broadcasts to x gives back x when expanded, summed the way torch does.
  const tg::Tensor g = tg::ones({4, 2, 3}, tg::dtype(tg::kFloat));
  CHECK(values(K::sum_to(g, {2, 1})) == std::vector<double>{12, 12});
  CHECK(values(K::sum_to(tg::raw::expand(tg::tensor({1.0f, 2.0f, 3.0f}), {5, 3}), {3})) ==
        std::vector<double>{5, 10, 15});
  CHECK_THROWS_WITH(K::sum_to(x, {4}), "size {[4]} is not expandable to size {[4, 2, 3]}.");
  CHECK_THROWS_WITH(K::sum_to(x, {1, 4, 2, 3}), "size {[1, 4, 2, 3]} is not expandable to size {[4, 2, 3]}.");
}
