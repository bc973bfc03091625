// broadcast_shapes (tensor/kernels/broadcast.hpp): torch.broadcast_shapes and its error text.
#include "tensor/kernels/elementwise_support.hpp"

using namespace kernels_test;
namespace k = tg::kernels;
using shape = std::vector<std::int64_t>;

TEST_CASE("broadcast_shapes aligns the last dims and stretches size 1", "[tensor][kernels][broadcast]") {
  CHECK(k::broadcast_shapes({3, 1}, {4}) == shape{3, 4});
  CHECK(k::broadcast_shapes({4}, {3, 1}) == shape{3, 4});
  CHECK(k::broadcast_shapes({}, {2, 3}) == shape{2, 3});
  CHECK(k::broadcast_shapes({}, {}) == shape{});
  CHECK(k::broadcast_shapes({2, 1, 5}, {3, 1}) == shape{2, 3, 5});
  CHECK(k::broadcast_shapes({0}, {1}) == shape{0});  // size 0 wins over 1, as in torch
  CHECK(k::broadcast_shapes({1, 0}, {3, 1}) == shape{3, 0});
  CHECK(k::broadcast_shapes({5, 1, 1}, {1, 4, 1}) == shape{5, 4, 1});
}

TEST_CASE("broadcast_shapes throws torch's text", "[tensor][kernels][broadcast]") {
  CHECK(error_of([] { k::broadcast_shapes({3}, {2}); }) == torch_error("broadcast"));
  CHECK(error_of([] { k::broadcast_shapes({3, 2}, {4, 1, 3}); }) == torch_error("broadcast_inner"));
  CHECK(error_of([] { k::broadcast_shapes({2, 3}, {2}); }) ==
        "The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 1");
}
