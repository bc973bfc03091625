// tg::Scalar (tensor/scalar.hpp): kinds, conversions with c10's overflow checks, and the
// wrapped 0-d tensor an operation takes in place of a number. (Kept beside the kernel tests
// that use it.)
#include "tensor/kernels/elementwise_support.hpp"

#include <limits>

using namespace kernels_test;

TEST_CASE("Scalar remembers the kind of number it was made from", "[tensor][scalar]") {
  const auto kind_of = [](const tg::Scalar& s) {
    return std::string(s.is_bool() ? "bool" : "") + (s.is_integral() ? "integral" : "") +
           (s.is_floating_point() ? "floating" : "") + (s.is_complex() ? "complex" : "");
  };
  CHECK(kind_of(true) == "bool");
  CHECK(kind_of(3) == "integral");
  CHECK(kind_of(3u) == "integral");
  CHECK(kind_of(std::int64_t{-3}) == "integral");
  CHECK(kind_of(short{2}) == "integral");
  CHECK(kind_of(2.5f) == "floating");
  CHECK(kind_of(2.5) == "floating");
  CHECK(kind_of(2.5L) == "floating");
  CHECK(kind_of(tg::half(1.5f)) == "floating");
  CHECK(kind_of(tg::bfloat16(1.5f)) == "floating");
  CHECK(kind_of(std::complex<float>(1, 2)) == "complex");
  CHECK(kind_of(std::complex<double>(1, 2)) == "complex");
  CHECK(kind_of(tg::Scalar()) == "integral");
  CHECK(tg::Scalar(true).is_integral(true));
  CHECK_FALSE(tg::Scalar(true).is_integral());

  CHECK(tg::Scalar(true).type() == tg::kBool);
  CHECK(tg::Scalar(7).type() == tg::kLong);
  CHECK(tg::Scalar(7.0f).type() == tg::kDouble);
  CHECK(tg::Scalar(tg::half(1.0f)).type() == tg::kDouble);
  CHECK(tg::Scalar(std::complex<float>(1, 0)).type() == tg::kComplexDouble);
}

TEST_CASE("Scalar::to converts as c10::Scalar, with its overflow checks", "[tensor][scalar]") {
  CHECK(tg::Scalar(2.7).to<std::int64_t>() == 2);
  CHECK(tg::Scalar(-2.7).to<std::int64_t>() == -2);
  CHECK(tg::Scalar(2.5).to<bool>());
  CHECK_FALSE(tg::Scalar(0.0).to<bool>());
  CHECK(tg::Scalar(3).to<double>() == 3.0);
  CHECK(tg::Scalar(true).to<float>() == 1.0f);
  CHECK(tg::Scalar(0.1f).to<double>() == static_cast<double>(0.1f));  // a float keeps its value
  CHECK(tg::Scalar(std::numeric_limits<std::int64_t>::max()).to<std::int64_t>() == std::numeric_limits<std::int64_t>::max());
  CHECK(static_cast<float>(tg::Scalar(0.1).to<tg::half>()) == static_cast<float>(tg::half(0.1)));
  CHECK(tg::Scalar(std::complex<double>(1.5, 0)).to<double>() == 1.5);
  CHECK(tg::Scalar(std::complex<double>(1.5, -2)).to<std::complex<float>>() == std::complex<float>(1.5f, -2.0f));
  CHECK(tg::Scalar(2).to<std::complex<double>>() == std::complex<double>(2, 0));

  CHECK(error_of([] { (void)tg::Scalar(1e30).to<std::int64_t>(); }) ==
        "value cannot be converted to type int64_t without overflow");
  CHECK(error_of([] { (void)tg::Scalar(1e30).to<tg::half>(); }) ==
        "value cannot be converted to type at::Half without overflow");
  CHECK(error_of([] { (void)tg::Scalar(1e300).to<float>(); }) == "value cannot be converted to type float without overflow");
  CHECK(error_of([] { (void)tg::Scalar(std::complex<double>(1, 1)).to<double>(); }) ==
        "value cannot be converted to type double without overflow");
  CHECK(tg::Scalar(std::numeric_limits<double>::infinity()).to<float>() == std::numeric_limits<float>::infinity());
}

TEST_CASE("wrapped_scalar_tensor is a 0-d tensor of the Scalar's kind, flagged as a number", "[tensor][scalar]") {
  const tg::Scalar values[] = {true, 3, 2.5f, std::complex<float>(1, -1)};
  const tg::ScalarType dtypes[] = {tg::kBool, tg::kLong, tg::kDouble, tg::kComplexDouble};
  for (int k = 0; k < 4; ++k) {
    const tg::Tensor t = tg::wrapped_scalar_tensor(values[k]);
    CHECK(t.dim() == 0);
    CHECK(t.dtype() == dtypes[k]);
    CHECK(t.unsafe_get_impl()->wrapped_number);
  }
  CHECK(tg::wrapped_scalar_tensor(3).item<std::int64_t>() == 3);
  CHECK(tg::wrapped_scalar_tensor(2.5f).item<double>() == 2.5);
  CHECK(tg::wrapped_scalar_tensor(std::complex<float>(1, -1)).item<std::complex<double>>() == std::complex<double>(1, -1));
  CHECK(tg::wrapped_scalar_tensor(true).item<bool>());
}
