// cat, stack, split, chunk, unbind (functions/join.hpp).
#include "functions/support.hpp"

#include <cmath>
#include <tuple>

using test_support::check_all;
using test_support::doubles;

TEST_CASE("joining and splitting: gradcheck, gradgradcheck, forward mode, node names", "[functions][join]") {
  tg::manual_seed(4);
  auto x = tg::randn({4, 3}, doubles());
  auto v = tg::randn({3}, doubles());
  check_all({
      {"cat", "CatBackward0", [](const tg::tensor_list& in) { return tg::cat({in[0], in[0] * 2.0}, 1); }},
      {"stack", "StackBackward0", [](const tg::tensor_list& in) { return tg::stack({in[1], tg::sin(in[1])}, 1); }},
      {"split", "SplitBackward0", [](const tg::tensor_list& in) { return tg::split(in[0], 3, 0)[1]; }},
      {"split sum", "AddBackward0", [](const tg::tensor_list& in) { auto p = tg::split(in[0], 3, 0); return p[0] * 2.0 + p[1].sum(); }},
      {"chunk", "SplitBackward0", [](const tg::tensor_list& in) { return tg::chunk(in[0], 2, 1)[1]; }},
      {"unbind", "MulBackward0", [](const tg::tensor_list& in) { auto p = tg::unbind(in[0], 1); return p[0] * p[2]; }},
      {"split_with_sizes", "SplitWithSizesBackward0", [](const tg::tensor_list& in) { return tg::split_with_sizes(in[0], {1, 3}, 0)[0]; }},
  }, {x, v});
}

TEST_CASE("split outputs share one node, told apart by output_nr", "[functions][join]") {
  auto x = tg::ones({5, 2}, tg::requires_grad());
  auto parts = x.split(2);
  REQUIRE(parts.size() == 3);
  CHECK(parts[2].sizes() == std::vector<std::int64_t>{1, 2});
  CHECK(parts[0].grad_fn() == parts[2].grad_fn());
  CHECK(parts[2].output_nr() == 2);
  (parts[2] * 3.0).sum().backward();  // the other outputs got no gradient: zeros there
  CHECK(x.grad().select(0, 4).select(0, 0).item<float>() == 3.0f);
  CHECK(x.grad().select(0, 0).select(0, 0).item<float>() == 0.0f);
  CHECK_THROWS_WITH(tg::split_with_sizes(x, {1, 1}, 0),
                    "split_with_sizes expects split_sizes to sum exactly to 5 (input tensor's size at dimension 0), but "
                    "got split_sizes=[1, 1]");
}
