// tg::kernels indexing (index_select, index_add, gather, scatter_add, cat, stack): torch
// 1.13's results for every dtype and layout (index_reference.inc), plain loops on larger
// inputs, out-of-place results, and every error text.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#include <typegrad/dynamic.hpp>
#include <typegrad/tensor/kernels/index.hpp>
#include <typegrad/tensor/raw.hpp>

#include "tensor/kernels/kernel_reference.hpp"

namespace tg = typegrad;
namespace K = tg::kernels;
using kernel_test::every_other;
using kernel_test::V;
using kernel_test::values;
using kernel_test::values_as;

namespace {
tg::Tensor iota(V sizes, tg::ScalarType dtype = tg::kFloat) {
  return tg::raw::view(tg::arange(tg::detail::numel_of(sizes), tg::dtype(dtype)), sizes);
}
tg::Tensor longs(std::vector<std::int64_t> v) { return tg::tensor(v); }
}  // namespace

TEST_CASE("indexing kernels match torch for every dtype and layout", "[kernels][index]") {
  int cases = 0;
#include "tensor/kernels/index_reference.inc"
  CHECK(cases == 93);
}

TEST_CASE("index_select and index_add are inverse loops", "[kernels][index]") {
  // x [5, 7, 6] transposed to [6, 7, 5]; select 9 positions (repeats included) along dim 1.
  const tg::Tensor x = tg::raw::transpose(iota({5, 7, 6}, tg::kDouble), 0, 2);
  const std::vector<std::int64_t> pos{6, 0, 3, 3, 1, 6, 2, 5, 4};
  const tg::Tensor sel = K::index_select(x, 1, longs(pos));
  REQUIRE(sel.sizes() == V{6, 9, 5});
  const auto xv = values(x), sv = values(sel);
  bool same = true;
  for (std::size_t i = 0; i < 6; ++i) {
    for (std::size_t j = 0; j < pos.size(); ++j) {
      for (std::size_t k = 0; k < 5; ++k) {
        same = same && sv[(i * 9 + j) * 5 + k] == xv[(i * 7 + static_cast<std::size_t>(pos[j])) * 5 + k];
      }
    }
  }
  CHECK(same);
  // index_add of the selection onto zeros adds each position as often as it was selected.
  const tg::Tensor back = K::index_add(tg::zeros({6, 7, 5}, tg::dtype(tg::kDouble)), 1, longs(pos), sel);
  const auto bv = values(back);
  bool summed = true;
  for (std::size_t i = 0; i < 6; ++i) {
    for (std::size_t j = 0; j < 7; ++j) {
      const auto times = static_cast<double>(std::count(pos.begin(), pos.end(), static_cast<std::int64_t>(j)));
      for (std::size_t k = 0; k < 5; ++k) summed = summed && bv[(i * 7 + j) * 5 + k] == times * xv[(i * 7 + j) * 5 + k];
    }
  }
  CHECK(summed);
}

TEST_CASE("gather and scatter_add are inverse loops", "[kernels][index]") {
  std::mt19937 gen(1);
  std::uniform_int_distribution<std::int64_t> pick(0, 8);
  std::vector<std::int64_t> idx(4 * 6 * 5);
  for (auto& i : idx) i = pick(gen);
  const tg::Tensor index = tg::raw::view(longs(idx), {4, 6, 5});  // into dim 1 of size 9
  const tg::Tensor x = tg::raw::permute(iota({5, 4, 9}, tg::kDouble), {1, 2, 0});  // [4, 9, 5], strided
  const tg::Tensor g = K::gather(x, 1, index);
  REQUIRE(g.sizes() == V{4, 6, 5});
  const auto xv = values(x), gv = values(g);
  bool gathered = true;
  for (std::size_t i = 0; i < 4; ++i) {
    for (std::size_t j = 0; j < 6; ++j) {
      for (std::size_t k = 0; k < 5; ++k) {
        const auto at = static_cast<std::size_t>(idx[(i * 6 + j) * 5 + k]);
        gathered = gathered && gv[(i * 6 + j) * 5 + k] == xv[(i * 9 + at) * 5 + k];
      }
    }
  }
  CHECK(gathered);
  const tg::Tensor s = K::scatter_add(tg::zeros({4, 9, 5}, tg::dtype(tg::kDouble)), 1, index, g);
  std::vector<double> expected(4 * 9 * 5, 0.0);
  for (std::size_t i = 0; i < 4; ++i) {
    for (std::size_t j = 0; j < 6; ++j) {
      for (std::size_t k = 0; k < 5; ++k) {
        const auto at = static_cast<std::size_t>(idx[(i * 6 + j) * 5 + k]);
        expected[(i * 9 + at) * 5 + k] += gv[(i * 6 + j) * 5 + k];
      }
    }
  }
  CHECK(values(s) == expected);
}

TEST_CASE("index_add and scatter_add are out of place", "[kernels][index]") {
  const tg::Tensor self = iota({3, 2});
  const auto before = values(self);
  const tg::Tensor r = K::index_add(self, 0, longs({1}), tg::ones({1, 2}));
  CHECK(values(self) == before);
  CHECK(r.storage() != self.storage());
  CHECK(r.is_contiguous());
  const tg::Tensor t = tg::raw::t(self);  // a transposed self gives a contiguous result
  const tg::Tensor s = K::scatter_add(t, 1, tg::raw::view(longs({0}), {1, 1}), tg::ones({1, 1}));
  CHECK(s.is_contiguous());
  CHECK(values(s) == std::vector<double>{1, 2, 4, 1, 3, 5});
  CHECK(values(t) == std::vector<double>{0, 2, 4, 1, 3, 5});
  // Nothing to add: still a copy.
  const tg::Tensor e = K::scatter_add(self, 0, tg::zeros({0, 2}, tg::dtype(tg::kLong)), self);
  CHECK(e.storage() != self.storage());
  CHECK(values(e) == before);
}

TEST_CASE("Half index_add rounds after every addition, as torch", "[kernels][index]") {
  // 2048 + 1 + 1 in half: each addition rounds back to 2048.
  const tg::Tensor self = tg::full({1}, 2048.0, tg::dtype(tg::kHalf));
  const tg::Tensor r = K::index_add(self, 0, longs({0, 0}), tg::ones({2}, tg::dtype(tg::kHalf)));
  CHECK(r.item<double>() == 2048.0);
  const tg::Tensor b = K::index_add(tg::tensor({false, false}), 0, longs({1, 1}), tg::tensor({true, true}));
  CHECK(values_as<bool>(b) == std::vector<bool>{false, true});
}

TEST_CASE("cat and stack", "[kernels][index]") {
  const tg::Tensor a = iota({2, 3}), b = tg::ones({2, 2}, tg::dtype(tg::kDouble));
  const tg::Tensor c = K::cat({a, b}, 1);
  CHECK(c.dtype() == tg::kDouble);
  CHECK(values(c) == std::vector<double>{0, 1, 2, 1, 1, 3, 4, 5, 1, 1});
  CHECK(K::cat({a}, 0).storage() != a.storage());  // always new memory
  CHECK(K::cat({tg::zeros({0}), tg::zeros({0}, tg::dtype(tg::kLong))}, 3).sizes() == V{0});  // all skipped
  CHECK(K::cat({tg::zeros({0}, tg::dtype(tg::kLong)), tg::zeros({0}, tg::dtype(tg::kBool))}, 0).dtype() == tg::kLong);
  const tg::Tensor s = K::stack({a, a, a}, 1);
  CHECK(s.sizes() == V{2, 3, 3});
  CHECK(K::stack({a, a}, -1).sizes() == V{2, 3, 2});
  CHECK(K::stack({tg::zeros({0}), tg::zeros({0})}, 0).sizes() == V{2, 0});
}

TEST_CASE("indexing errors have torch's texts", "[kernels][index]") {
  const tg::Tensor a = iota({2, 3});
  const tg::Tensor i2 = longs({2, 0});
  // index_select
  CHECK_THROWS_WITH(K::index_select(a, 2, i2), "Dimension out of range (expected to be in range of [-2, 1], but got 2)");
  CHECK_THROWS_WITH(K::index_select(a, 1, tg::tensor({{1}})), "index_select(): Index is supposed to be a vector");
  CHECK_THROWS_WITH(K::index_select(a, 1, tg::tensor({1.0})), "index_select(): Expected dtype int32 or int64 for index");
  CHECK_THROWS_WITH(K::index_select(a, 0, longs({5})), "index out of range in self");
  CHECK_THROWS_WITH(K::index_select(a, 0, longs({-1})), "index out of range in self");
  CHECK_THROWS_WITH(K::index_select(a, 1, longs({3})), "index out of range in self");
  CHECK_THROWS_WITH(K::index_select(tg::tensor(5.0), 0, longs({1})), "index out of range in self");
  CHECK_THROWS_WITH(K::index_select(tg::tensor(5.0), 0, longs({0, 0})),
                    "index_select(): Index to scalar can have only 1 value, got 2 value(s)");
  CHECK_THROWS_WITH(K::index_select(tg::zeros({0}), 0, longs({0})), "index out of range in self");
  CHECK_THROWS_WITH(K::index_select(tg::zeros({2, 0}), 1, longs({0})),
                    "index_select(): self indexing axis dim should be positive");
  // index_add
  const tg::Tensor src = tg::ones({2, 2});
  CHECK_THROWS_WITH(K::index_add(a, 1, i2, tg::ones({2, 3})),
                    "index_add_(): Number of indices (2) should be equal to source.size(dim): (3), for dim: 1");
  CHECK_THROWS_WITH(K::index_add(a, 1, longs({3, 0}), src), "index out of range in self");
  CHECK_THROWS_WITH(K::index_add(a, 1, longs({-1, 0}), src), "index out of range in self");
  CHECK_THROWS_WITH(K::index_add(a, 1, i2, tg::ones({2, 2}, tg::dtype(tg::kDouble))),
                    "index_add_(): self (Float) and source (Double) must have the same scalar type");
  CHECK_THROWS_WITH(K::index_add(a, 1, tg::tensor({2.0, 0.0}), src),
                    "index_add_(): Expected dtype int32/int64 for index but got: Double");
  CHECK_THROWS_WITH(K::index_add(a, 1, tg::tensor({{0}}), tg::ones({2, 1})),
                    "index_add_(): Index is supposed to be a vector, but got dim: 2 with type: Long and size: [1, 1]");
  CHECK_THROWS_WITH(K::index_add(a, 1, tg::tensor(std::int64_t{1}), tg::ones({2})),
                    "index_add_(): Indexing dim 1 is out of bounds of the source tensor with dim 1");
  CHECK_THROWS_WITH(K::index_add(a, 1, i2, tg::ones({3, 2})),
                    "source tensor shape must match self tensor shape, excluding the specified dimension. Got "
                    "self.shape = [2, 3] source.shape = [3, 2]");
  CHECK_THROWS_WITH(K::index_add(a, 0, longs({1}), tg::ones({1, 2})),
                    "source tensor shape must match self tensor shape, excluding the specified dimension. Got "
                    "self.shape = [2, 3] source.shape = [1, 2]");
  CHECK_THROWS_WITH(K::index_add(tg::zeros({3}), 0, longs({1}), tg::tensor(1.0f)),
                    "source tensor shape must match self tensor shape, excluding the specified dimension. Got "
                    "self.shape = [3] source.shape = []");
  CHECK_THROWS_WITH(K::index_add(tg::zeros({3}), 0, i2, tg::tensor(1.0f)),
                    "Dimension specified as 0 but tensor has no dimensions");
  CHECK_THROWS_WITH(K::index_add(tg::tensor(5.0f), 0, longs({1}), tg::tensor(1.0f)), "index out of range in self");
  // gather
  CHECK_THROWS_WITH(K::gather(a, 1, tg::tensor({{3}})), "index 3 is out of bounds for dimension 1 with size 3");
  CHECK_THROWS_WITH(K::gather(a, -1, tg::tensor({{-1}})), "index -1 is out of bounds for dimension 1 with size 3");
  CHECK_THROWS_WITH(K::gather(a, 1, i2), "Index tensor must have the same number of dimensions as input tensor");
  CHECK_THROWS_WITH(K::gather(a, 0, tg::tensor({{1, 1, 1, 1}})),
                    "Size does not match at dimension 1 expected index [1, 4] to be smaller than self [2, 3] apart "
                    "from dimension 0");
  CHECK_THROWS_WITH(K::gather(a, 1, tg::tensor({{1}, {1}, {1}})),
                    "Size does not match at dimension 0 expected index [3, 1] to be smaller than self [2, 3] apart "
                    "from dimension 1");
  CHECK_THROWS_WITH(K::gather(a, 1, tg::tensor({{1.0}})), "gather(): Expected dtype int64 for index");
  CHECK_THROWS_WITH(K::gather(a, 2, tg::tensor({{1}})),
                    "Dimension out of range (expected to be in range of [-2, 1], but got 2)");
  // scatter_add
  CHECK_THROWS_WITH(K::scatter_add(a, 1, tg::tensor({{3}}), src), "index 3 is out of bounds for dimension 1 with size 3");
  CHECK_THROWS_WITH(K::scatter_add(a, 1, tg::tensor({{-1}}), src), "index -1 is out of bounds for dimension 1 with size 3");
  CHECK_THROWS_WITH(K::scatter_add(a, 1, tg::tensor({{1, 1, 1, 1}}), src),
                    "Expected index [1, 4] to be smaller than self [2, 3] apart from dimension 1 and to be smaller size "
                    "than src [2, 2]");
  CHECK_THROWS_WITH(K::scatter_add(a, 1, tg::tensor({{1}, {1}}), tg::ones({1, 2})),
                    "Expected index [2, 1] to be smaller than self [2, 3] apart from dimension 1 and to be smaller size "
                    "than src [1, 2]");
  CHECK_THROWS_WITH(K::scatter_add(a, 1, tg::tensor({{1}}), tg::ones({2, 2}, tg::dtype(tg::kDouble))),
                    "scatter(): Expected self.dtype to be equal to src.dtype");
  CHECK_THROWS_WITH(K::scatter_add(a, 1, longs({1, 1}), tg::ones({2})),
                    "Index tensor must have the same number of dimensions as self tensor");
  CHECK_THROWS_WITH(K::scatter_add(a, 1, tg::tensor({{1.0}}), src), "scatter(): Expected dtype int64 for index");
  // cat and stack
  CHECK_THROWS_WITH(K::cat({}, 0), "torch.cat(): expected a non-empty list of Tensors");
  CHECK_THROWS_WITH(K::cat({a, tg::ones({3, 2})}, 1),
                    "Sizes of tensors must match except in dimension 1. Expected size 2 but got size 3 for tensor "
                    "number 1 in the list.");
  CHECK_THROWS_WITH(K::cat({a, tg::ones({2, 2})}, 0),
                    "Sizes of tensors must match except in dimension 0. Expected size 3 but got size 2 for tensor "
                    "number 1 in the list.");
  CHECK_THROWS_WITH(K::cat({tg::zeros({0}), tg::zeros({2, 0}), tg::zeros({3, 1})}, 0),
                    "Sizes of tensors must match except in dimension 0. Expected size 0 but got size 1 for tensor "
                    "number 2 in the list.");
  CHECK_THROWS_WITH(K::cat({tg::tensor(1.0), tg::tensor(2.0)}, 0),
                    "zero-dimensional tensor (at position 0) cannot be concatenated");
  CHECK_THROWS_WITH(K::cat({a, tg::ones({2})}, 0), "Tensors must have same number of dimensions: got 2 and 1");
  CHECK_THROWS_WITH(K::cat({tg::ones({2}), a}, 0), "Tensors must have same number of dimensions: got 1 and 2");
  CHECK_THROWS_WITH(K::cat({a, a}, 2), "Dimension out of range (expected to be in range of [-2, 1], but got 2)");
  CHECK_THROWS_WITH(K::stack({}, 0), "stack expects a non-empty TensorList");
  CHECK_THROWS_WITH(K::stack({a, tg::ones({3, 2})}, 0),
                    "stack expects each tensor to be equal size, but got [2, 3] at entry 0 and [3, 2] at entry 1");
  CHECK_THROWS_WITH(K::stack({a, a}, 3), "Dimension out of range (expected to be in range of [-3, 2], but got 3)");
}
