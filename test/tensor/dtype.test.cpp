// ScalarType: constants, sizes, names, categories, dtype_of, torch's promotion table, visit.
#include <catch2/catch.hpp>

#include <complex>
#include <cstdint>
#include <set>
#include <sstream>
#include <string>
#include <type_traits>

#include <typegrad/tensor/dtype.hpp>

namespace tg = typegrad;

TEST_CASE("dtype constants are libtorch's enumerators", "[tensor][dtype]") {
  STATIC_REQUIRE(tg::kHalf == tg::ScalarType::Half);
  STATIC_REQUIRE(tg::kBFloat16 == tg::ScalarType::BFloat16);
  STATIC_REQUIRE(tg::kFloat == tg::ScalarType::Float);
  STATIC_REQUIRE(tg::kDouble == tg::ScalarType::Double);
  STATIC_REQUIRE(tg::kComplexFloat == tg::ScalarType::ComplexFloat);
  STATIC_REQUIRE(tg::kComplexDouble == tg::ScalarType::ComplexDouble);
  STATIC_REQUIRE(tg::kBool == tg::ScalarType::Bool);
  STATIC_REQUIRE(tg::kLong == tg::ScalarType::Long);
  std::set<tg::ScalarType> distinct(tg::all_scalar_types.begin(), tg::all_scalar_types.end());
  CHECK(distinct.size() == 8);
  CHECK(tg::default_dtype == tg::kFloat);
}

TEST_CASE("element sizes match the C++ types", "[tensor][dtype]") {
  CHECK(tg::element_size(tg::kHalf) == 2);
  CHECK(tg::element_size(tg::kBFloat16) == 2);
  CHECK(tg::element_size(tg::kFloat) == 4);
  CHECK(tg::element_size(tg::kDouble) == 8);
  CHECK(tg::element_size(tg::kComplexFloat) == 8);
  CHECK(tg::element_size(tg::kComplexDouble) == 16);
  CHECK(tg::element_size(tg::kBool) == 1);
  CHECK(tg::element_size(tg::kLong) == 8);
  for (auto t : tg::all_scalar_types) {
    CHECK(tg::visit(t, [](auto tag) { return sizeof(typename decltype(tag)::type); }) == tg::element_size(t));
  }
}

TEST_CASE("dtype names: c10's, Python's and the legacy tensor names", "[tensor][dtype]") {
  CHECK(tg::scalar_type_name(tg::kHalf) == "Half");
  CHECK(tg::scalar_type_name(tg::kBFloat16) == "BFloat16");
  CHECK(tg::scalar_type_name(tg::kFloat) == "Float");
  CHECK(tg::scalar_type_name(tg::kDouble) == "Double");
  CHECK(tg::scalar_type_name(tg::kComplexFloat) == "ComplexFloat");
  CHECK(tg::scalar_type_name(tg::kComplexDouble) == "ComplexDouble");
  CHECK(tg::scalar_type_name(tg::kBool) == "Bool");
  CHECK(tg::scalar_type_name(tg::kLong) == "Long");
  CHECK(tg::torch_name(tg::kHalf) == "torch.float16");
  CHECK(tg::torch_name(tg::kBFloat16) == "torch.bfloat16");
  CHECK(tg::torch_name(tg::kFloat) == "torch.float32");
  CHECK(tg::torch_name(tg::kDouble) == "torch.float64");
  CHECK(tg::torch_name(tg::kComplexFloat) == "torch.complex64");
  CHECK(tg::torch_name(tg::kComplexDouble) == "torch.complex128");
  CHECK(tg::torch_name(tg::kBool) == "torch.bool");
  CHECK(tg::torch_name(tg::kLong) == "torch.int64");
  CHECK(tg::legacy_tensor_name(tg::kFloat) == "torch.FloatTensor");
  CHECK(tg::legacy_tensor_name(tg::kLong) == "torch.LongTensor");
  std::ostringstream os;
  os << tg::kComplexDouble;
  CHECK(os.str() == "ComplexDouble");
}

TEST_CASE("dtype categories", "[tensor][dtype]") {
  for (auto t : tg::all_scalar_types) {
    const bool fp = t == tg::kHalf || t == tg::kBFloat16 || t == tg::kFloat || t == tg::kDouble;
    const bool cx = t == tg::kComplexFloat || t == tg::kComplexDouble;
    CHECK(tg::is_floating_point(t) == fp);
    CHECK(tg::is_complex(t) == cx);
    CHECK(tg::is_differentiable(t) == (fp || cx));
  }
  CHECK(tg::to_real_value_type(tg::kComplexFloat) == tg::kFloat);
  CHECK(tg::to_real_value_type(tg::kComplexDouble) == tg::kDouble);
  CHECK(tg::to_real_value_type(tg::kHalf) == tg::kHalf);
}

TEST_CASE("dtype_of maps the C++ element types", "[tensor][dtype]") {
  STATIC_REQUIRE(tg::dtype_of<tg::half> == tg::kHalf);
  STATIC_REQUIRE(tg::dtype_of<tg::bfloat16> == tg::kBFloat16);
  STATIC_REQUIRE(tg::dtype_of<float> == tg::kFloat);
  STATIC_REQUIRE(tg::dtype_of<double> == tg::kDouble);
  STATIC_REQUIRE(tg::dtype_of<std::complex<float>> == tg::kComplexFloat);
  STATIC_REQUIRE(tg::dtype_of<std::complex<double>> == tg::kComplexDouble);
  STATIC_REQUIRE(tg::dtype_of<bool> == tg::kBool);
  STATIC_REQUIRE(tg::dtype_of<std::int64_t> == tg::kLong);
  STATIC_REQUIRE(!tg::tensor_element<int>);
  STATIC_REQUIRE(!tg::tensor_element<long double>);
  for (auto t : tg::all_scalar_types) {
    CHECK(tg::visit(t, [](auto tag) { return tg::dtype_of<typename decltype(tag)::type>; }) == t);
  }
}

TEST_CASE("visit returns the callable's result", "[tensor][dtype]") {
  const std::string s = tg::visit(tg::kBFloat16, [](auto tag) {
    return std::is_same_v<typename decltype(tag)::type, tg::bfloat16> ? std::string("bf16") : std::string("other");
  });
  CHECK(s == "bf16");
  CHECK_THROWS_AS(tg::visit(static_cast<tg::ScalarType>(99), [](auto) { return 0; }), tg::Error);
}

TEST_CASE("promote_types equals torch.promote_types on all 64 pairs", "[tensor][dtype]") {
  int n = 0;
#define TG_PROMOTE(a, b, r)                                         \
  {                                                                 \
    INFO(tg::scalar_type_name(a) << " + " << tg::scalar_type_name(b)); \
    CHECK(tg::promote_types(a, b) == r);                            \
    ++n;                                                            \
  }
#include "tensor/promote_reference.inc"
#undef TG_PROMOTE
  CHECK(n == 64);
  STATIC_REQUIRE(tg::promote_types(tg::kHalf, tg::kBFloat16) == tg::kFloat);
  STATIC_REQUIRE(tg::promote_types(tg::kDouble, tg::kComplexFloat) == tg::kComplexDouble);
}
