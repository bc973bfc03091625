// result_type and can_cast (tensor/kernels/result_type.hpp) against torch 1.13: every pair of
// operands of every dtype as a 1-d tensor, a 0-d tensor or a wrapped number.
#include "tensor/kernels/elementwise_support.hpp"

using namespace kernels_test;
namespace k = tg::kernels;

namespace {

enum class kind { dim, zero_dim, wrapped };

/// An operand of `dtype` with the priority `k` (a wrapped number of a dtype of its kind).
tg::Tensor operand(tg::ScalarType dtype, kind k) {
  switch (k) {
    case kind::dim: return tg::ones({2}, tg::dtype(dtype));
    case kind::zero_dim: return tg::ones({}, tg::dtype(dtype));
    case kind::wrapped: break;
  }
  switch (dtype) {
    case tg::kBool: return tg::wrapped_scalar_tensor(true);
    case tg::kLong: return tg::wrapped_scalar_tensor(1);
    case tg::kDouble: return tg::wrapped_scalar_tensor(1.0);
    default: return tg::wrapped_scalar_tensor(std::complex<double>(1.0, 0.0));
  }
}

}  // namespace

TEST_CASE("result_type matches torch.result_type for every pair of operands", "[tensor][kernels][result_type]") {
  struct row {
    const char* name;
    tg::ScalarType a;
    kind ka;
    tg::ScalarType b;
    kind kb;
    tg::ScalarType expected;
  };
  const row rows[] = {
#define TG_RESULT_TYPE(a, ka, b, kb, expected) {#a " (" #ka ") with " #b " (" #kb ")", a, kind::ka, b, kind::kb, expected},
#include "tensor/kernels/elementwise_reference.inc"
  };
  for (const row& r : rows) {
    INFO(r.name);
    CHECK(k::result_type(operand(r.a, r.ka), operand(r.b, r.kb)) == r.expected);
  }
  CHECK(std::size(rows) == 20 * 20 - 16);  // 8 dtypes x (1-d, 0-d) + 4 wrapped numbers, without number-number pairs
}

TEST_CASE("result_type: the documented examples", "[tensor][kernels][result_type]") {
  const auto dim = [](tg::ScalarType t) { return tg::ones({3}, tg::dtype(t)); };
  const auto zero_dim = [](tg::ScalarType t) { return tg::ones({}, tg::dtype(t)); };
  CHECK(k::result_type(dim(tg::kFloat), tg::wrapped_scalar_tensor(2.0)) == tg::kFloat);
  CHECK(k::result_type(dim(tg::kLong), tg::wrapped_scalar_tensor(2.0)) == tg::kFloat);
  CHECK(k::result_type(dim(tg::kFloat), tg::wrapped_scalar_tensor(std::complex<double>(0, 1))) == tg::kComplexFloat);
  CHECK(k::result_type(dim(tg::kDouble), tg::wrapped_scalar_tensor(std::complex<double>(0, 1))) == tg::kComplexDouble);
  CHECK(k::result_type(zero_dim(tg::kDouble), dim(tg::kFloat)) == tg::kFloat);
  CHECK(k::result_type(zero_dim(tg::kDouble), dim(tg::kLong)) == tg::kDouble);
  CHECK(k::result_type(dim(tg::kBool), tg::wrapped_scalar_tensor(2)) == tg::kLong);
  CHECK(k::result_type(dim(tg::kHalf), tg::wrapped_scalar_tensor(2.5)) == tg::kHalf);
  CHECK(k::result_type(dim(tg::kHalf), tg::wrapped_scalar_tensor(std::complex<double>(0, 1))) == tg::kComplexFloat);  // torch: ComplexHalf
  // A 0-d tensor that is not a wrapped number keeps its own dtype against numbers.
  CHECK(k::result_type(zero_dim(tg::kDouble), tg::wrapped_scalar_tensor(2.0)) == tg::kDouble);
}

TEST_CASE("can_cast matches torch.can_cast", "[tensor][kernels][result_type]") {
  struct row {
    const char* name;
    tg::ScalarType from, to;
    bool expected;
  };
  const row rows[] = {
#define TG_CAN_CAST(from, to, expected) {#from " -> " #to, from, to, expected},
#include "tensor/kernels/elementwise_reference.inc"
  };
  for (const row& r : rows) {
    INFO(r.name);
    CHECK(k::can_cast(r.from, r.to) == r.expected);
  }
  CHECK(std::size(rows) == 64);
}
