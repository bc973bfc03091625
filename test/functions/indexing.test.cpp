// index_select, index_add, gather, scatter_add, repeat (functions/indexing.hpp).
#include "functions/support.hpp"

#include <cmath>
#include <tuple>

using test_support::check_all;
using test_support::doubles;

TEST_CASE("indexing: gradcheck, gradgradcheck, forward mode, node names", "[functions][indexing]") {
  tg::manual_seed(5);
  auto x = tg::randn({4, 3}, doubles());
  auto src = tg::randn({2, 3}, doubles());
  auto rows = tg::tensor({0, 2});
  auto cols = tg::tensor({{0}, {1}, {2}, {0}});
  check_all({
      {"index_select", "IndexSelectBackward0", [&](const tg::tensor_list& in) { return tg::index_select(in[0], 0, rows); }},
      {"index_select repeated", "IndexSelectBackward0", [&](const tg::tensor_list& in) { return in[0].index_select(1, tg::tensor({2, 2, 0})); }},
      {"index_add", "IndexAddBackward0", [&](const tg::tensor_list& in) { return tg::index_add(in[0], 0, rows, in[1]); }},
      {"gather", "GatherBackward0", [&](const tg::tensor_list& in) { return tg::gather(in[0], 1, cols); }},
      {"scatter_add", "ScatterAddBackward0", [&](const tg::tensor_list& in) { return tg::scatter_add(in[0], 1, cols, in[0].narrow(1, 0, 1) * 2.0); }},
      {"repeat", "RepeatBackward0", [](const tg::tensor_list& in) { return tg::repeat(in[0], {2, 1, 3}); }},
  }, {x, src});
}

TEST_CASE("repeat values", "[functions][indexing]") {
  auto x = tg::tensor({1.0, 2.0});
  auto r = x.repeat({2, 2});
  CHECK(r.sizes() == std::vector<std::int64_t>{2, 4});
  CHECK(r.select(0, 1).select(0, 2).item<double>() == 1.0);
  CHECK(r.select(0, 1).select(0, 3).item<double>() == 2.0);
  CHECK_THROWS_WITH(tg::ones({2, 2}).repeat({2}), "Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor");
}
