// Matrix products: mm, bmm, mv, dot, outer, matmul (functions/linalg.hpp).
#include "functions/support.hpp"

#include <cmath>
#include <tuple>

using test_support::check_all;
using test_support::doubles;

TEST_CASE("matrix products: gradcheck, gradgradcheck, forward mode, node names", "[functions][linalg]") {
  tg::manual_seed(3);
  auto a = tg::randn({4, 3}, doubles());
  auto b = tg::randn({3, 2}, doubles());
  auto v = tg::randn({3}, doubles());
  auto batch = tg::randn({2, 4, 3}, doubles());
  check_all({
      {"mm", "MmBackward0", [](const tg::tensor_list& in) { return tg::mm(in[0], in[1]); }},
      {"mv", "MvBackward0", [](const tg::tensor_list& in) { return tg::mv(in[0], in[2]); }},
      {"dot", "DotBackward0", [](const tg::tensor_list& in) { return tg::dot(in[2], in[2] * 2.0); }},
      {"bmm", "BmmBackward0", [](const tg::tensor_list& in) { return tg::bmm(in[3], in[3].transpose(1, 2)); }},
      {"outer", "MulBackward0", [](const tg::tensor_list& in) { return tg::outer(in[2], in[2]); }},
      {"matmul vector-matrix", "SqueezeBackward1", [](const tg::tensor_list& in) { return tg::matmul(in[2], in[1]); }},
      {"matmul batch-matrix", "ReshapeAliasBackward0", [](const tg::tensor_list& in) { return tg::matmul(in[3], in[1]); }},
      {"matmul broadcast batches", "ReshapeAliasBackward0",
       [](const tg::tensor_list& in) { return tg::matmul(in[3].unsqueeze(0), in[3].transpose(1, 2)); }},
  }, {a, b, v, batch});
}

TEST_CASE("matrix products of complex matrices follow torch's convention", "[functions][linalg][complex]") {
  auto a = test_support::input({2, 3}, tg::kComplexDouble);
  auto b = test_support::input({3, 2}, tg::kComplexDouble);
  CHECK(test_support::gradchecks([](const tg::tensor_list& in) { return tg::mm(in[0], in[1]); }, {a, b}));
  CHECK(test_support::gradgradchecks([](const tg::tensor_list& in) { return tg::matmul(in[0], in[1]); }, {a, b}));
}

TEST_CASE("matmul shapes and errors", "[functions][linalg]") {
  CHECK(tg::matmul(tg::ones({5, 2, 3}), tg::ones({3, 4})).sizes() == std::vector<std::int64_t>{5, 2, 4});
  CHECK(tg::matmul(tg::ones({3}), tg::ones({2, 3, 4})).sizes() == std::vector<std::int64_t>{2, 4});
  CHECK(tg::matmul(tg::ones({2, 1, 2, 3}), tg::ones({5, 3, 4})).sizes() == std::vector<std::int64_t>{2, 5, 2, 4});
  CHECK(tg::matmul(tg::ones({2, 3}), tg::ones({3, 4})).select(0, 0).select(0, 0).item<float>() == 3.0f);
  CHECK_THROWS_WITH(tg::matmul(tg::ones({}), tg::ones({3})), "both arguments to matmul need to be at least 1D, but they are 0D and 1D");
}
