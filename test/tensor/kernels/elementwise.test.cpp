// The elementwise kernels (tensor/kernels/elementwise.hpp): values against <cmath>, every
// dtype, torch's dtype rules and error texts (elementwise_reference.inc, generated from torch
// 1.13), broadcasting, layouts, strided and transposed operands, aliasing of outputs.
#include "tensor/kernels/elementwise_support.hpp"

#include <cmath>
#include <functional>
#include <limits>
#include <numbers>

using namespace kernels_test;
namespace ops = tg::ops;
namespace k = tg::kernels;  // qualified: <typegrad/dynamic.hpp> has differentiable tg::where, ... too

namespace {

constexpr double qnan = std::numeric_limits<double>::quiet_NaN();
constexpr std::int64_t int64_max = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t int64_min = std::numeric_limits<std::int64_t>::min();

tg::Tensor number(const tg::Scalar& s) { return tg::wrapped_scalar_tensor(s); }

/// 0, 1, 2, ... as a kFloat tensor of this shape (torch.arange(float(n)).view(shape)).
tg::Tensor grid(std::initializer_list<std::int64_t> shape) {
  return tg::arange(0.0, static_cast<double>(tg::detail::numel_of(shape))).view(shape);
}

template <class T> T round_to(double v) { return tg::detail::convert<T>(v); }

/// k::unary<Op> over [lo, hi] in float and double against `ref` computed in the same type, and in
/// half and bfloat16 against ref in float of the narrow input, rounded to the narrow type.
template <class Op, class Ref> void check_unary(double lo, double hi, Ref ref) {
  const tg::Tensor x = spread(lo, hi, 37);  // several batches and a partial one
  {
    const tg::Tensor y = k::unary<Op>(x);
    REQUIRE(y.dtype() == tg::kDouble);
    const auto xs = elements<double>(x);
    const auto ys = elements<double>(y);
    for (std::size_t i = 0; i < xs.size(); ++i) CHECK(ys[i] == Approx(ref(xs[i])).epsilon(1e-13).margin(1e-14));
  }
  {
    const tg::Tensor xf = x.to(tg::kFloat);
    const tg::Tensor y = k::unary<Op>(xf);
    REQUIRE(y.dtype() == tg::kFloat);
    const auto xs = elements<float>(xf);
    const auto ys = elements<float>(y);
    for (std::size_t i = 0; i < xs.size(); ++i) CHECK(ys[i] == Approx(ref(xs[i])).epsilon(4e-6).margin(1e-6));
  }
  for (const auto& [dtype, tolerance] : {std::pair{tg::kHalf, 2e-3}, std::pair{tg::kBFloat16, 8e-3}}) {
    const tg::Tensor xn = x.to(dtype);
    const tg::Tensor y = k::unary<Op>(xn);
    REQUIRE(y.dtype() == dtype);
    const auto xs = elements_as<float>(xn);
    const auto ys = elements_as<float>(y);
    for (std::size_t i = 0; i < xs.size(); ++i) {
      const float expected = dtype == tg::kHalf ? static_cast<float>(tg::half(ref(xs[i])))
                                                : static_cast<float>(tg::bfloat16(ref(xs[i])));
      CHECK(ys[i] == Approx(expected).epsilon(tolerance).margin(1e-3));
    }
  }
}

template <class Op, class Ref> void check_binary(double lo, double hi, Ref ref) {
  // (7, 1) with (9,): broadcast to (7, 9)
  const tg::Tensor a = spread(lo, hi, 7).view({7, 1});
  const tg::Tensor b = spread(hi, lo, 9);
  for (const auto dtype : {tg::kDouble, tg::kFloat}) {
    const tg::Tensor y = k::binary<Op>(a.to(dtype), b.to(dtype));
    REQUIRE(y.dtype() == dtype);
    REQUIRE(y.sizes() == std::vector<std::int64_t>{7, 9});
    const auto as = elements<double>(a.to(dtype).to(tg::kDouble));
    const auto bs = elements<double>(b.to(dtype).to(tg::kDouble));
    const auto ys = elements<double>(y.to(tg::kDouble));
    for (std::size_t i = 0; i < 7; ++i) {
      for (std::size_t j = 0; j < 9; ++j) {
        const double y_ij = ys[i * 9 + j];
        if (dtype == tg::kDouble) {
          CHECK(y_ij == Approx(ref(as[i], bs[j])).epsilon(1e-13).margin(1e-14));
        } else {
          CHECK(y_ij == Approx(ref(static_cast<float>(as[i]), static_cast<float>(bs[j]))).epsilon(4e-6).margin(1e-6));
        }
      }
    }
  }
}

/// A 1-d operand of `dtype` as the reference generator builds it.
tg::Tensor reference_operand(tg::ScalarType dtype) {
  return dtype == tg::kBool ? tg::tensor({true, false}) : tg::tensor({0.5, 0.25}).to(dtype);
}

template <class Op> constexpr bool is_comparison =
    std::is_same_v<Op, ops::less> || std::is_same_v<Op, ops::less_equal> || std::is_same_v<Op, ops::greater> ||
    std::is_same_v<Op, ops::greater_equal> || std::is_same_v<Op, ops::equal_to> || std::is_same_v<Op, ops::not_equal_to>;

template <class Op> tg::Tensor apply_binary(const tg::Tensor& a, const tg::Tensor& b) {
  if constexpr (is_comparison<Op>) return k::compare<Op>(a, b);
  else return k::binary<Op>(a, b);
}

/// Our message equals torch's, or torch's with its kernel name reduced to the operation's.
bool matches_torch(const std::string& ours, const std::string& torch) {
  return !ours.empty() && (ours == torch || ours == without_kernel_suffix(torch));
}

}  // namespace

// ---- values -------------------------------------------------------------------------------------

TEST_CASE("unary policies compute <cmath>'s values in every floating dtype", "[tensor][kernels][elementwise]") {
  using std::numbers::pi;
  check_unary<ops::neg>(-5, 5, [](auto v) { return -v; });
  check_unary<ops::square>(-5, 5, [](auto v) { return v * v; });
  check_unary<ops::exp>(-5, 5, [](auto v) { return std::exp(v); });
  check_unary<ops::exp2>(-5, 5, [](auto v) { return std::exp2(v); });
  check_unary<ops::expm1>(-2, 2, [](auto v) { return std::expm1(v); });
  check_unary<ops::log>(0.1, 5, [](auto v) { return std::log(v); });
  check_unary<ops::log2>(0.1, 5, [](auto v) { return std::log2(v); });
  check_unary<ops::log10>(0.1, 5, [](auto v) { return std::log10(v); });
  check_unary<ops::log1p>(-0.5, 5, [](auto v) { return std::log1p(v); });
  check_unary<ops::sqrt>(0, 5, [](auto v) { return std::sqrt(v); });
  check_unary<ops::cbrt>(-5, 5, [](auto v) { return std::cbrt(v); });
  check_unary<ops::sin>(-3, 3, [](auto v) { return std::sin(v); });
  check_unary<ops::cos>(-3, 3, [](auto v) { return std::cos(v); });
  check_unary<ops::tan>(-1.2, 1.2, [](auto v) { return std::tan(v); });
  check_unary<ops::asin>(-0.9, 0.9, [](auto v) { return std::asin(v); });
  check_unary<ops::acos>(-0.9, 0.9, [](auto v) { return std::acos(v); });
  check_unary<ops::atan>(-5, 5, [](auto v) { return std::atan(v); });
  check_unary<ops::sinh>(-3, 3, [](auto v) { return std::sinh(v); });
  check_unary<ops::cosh>(-3, 3, [](auto v) { return std::cosh(v); });
  check_unary<ops::tanh>(-3, 3, [](auto v) { return std::tanh(v); });
  check_unary<ops::asinh>(-5, 5, [](auto v) { return std::asinh(v); });
  check_unary<ops::acosh>(1.1, 5, [](auto v) { return std::acosh(v); });
  check_unary<ops::atanh>(-0.9, 0.9, [](auto v) { return std::atanh(v); });
  check_unary<ops::abs>(-5, 5, [](auto v) { return std::abs(v); });
  check_unary<ops::fabs>(-5, 5, [](auto v) { return std::fabs(v); });
  check_unary<ops::relu>(-5, 5, [](auto v) { return v > 0 ? v : decltype(v)(0); });
  check_unary<ops::erf>(-3, 3, [](auto v) { return std::erf(v); });
  check_unary<ops::erfc>(-3, 3, [](auto v) { return std::erfc(v); });
  check_unary<ops::tgamma>(0.5, 5, [](auto v) { return std::tgamma(v); });
  check_unary<ops::lgamma>(0.5, 5, [](auto v) { return std::lgamma(v); });
  check_unary<ops::sigmoid>(-5, 5, [](auto v) { return 1 / (1 + std::exp(-v)); });
  check_unary<ops::softplus>(-5, 5, [](auto v) { return std::log1p(std::exp(v)); });
  check_unary<ops::real>(-5, 5, [](auto v) { return std::real(v); });
  check_unary<ops::conj>(-5, 5, [](auto v) { return v; });
  check_unary<ops::norm>(-5, 5, [](auto v) { return std::norm(v); });
  check_unary<ops::arg>(-5, 5, [](auto v) { return v < 0 ? static_cast<decltype(v)>(pi) : decltype(v)(0); });
  // No <cmath> digamma: the batch kernel against the policy on one number.
  check_unary<ops::polygamma<0>>(0.5, 5, [](auto v) { return ops::polygamma<0>::value(v); });
  check_unary<ops::polygamma<1>>(0.5, 5, [](auto v) { return ops::polygamma<1>::value(v); });
}

TEST_CASE("unary policies on complex numbers compute <complex>'s values", "[tensor][kernels][elementwise]") {
  const tg::Tensor z = tg::tensor({std::complex<double>(0.5, -1.25), std::complex<double>(-2, 0.75),
                                   std::complex<double>(0.1, 0), std::complex<double>(-0.3, -0.4)});
  const auto check = [&](auto op, auto ref) {
    using Op = decltype(op);
    for (const auto dtype : {tg::kComplexDouble, tg::kComplexFloat}) {
      const tg::Tensor x = z.to(dtype);
      const tg::Tensor y = k::unary<Op>(x);
      const auto xs = elements_as<std::complex<double>>(x);
      const auto ys = elements_as<std::complex<double>>(y);
      const double eps = dtype == tg::kComplexDouble ? 1e-14 : 1e-6;
      for (std::size_t i = 0; i < xs.size(); ++i) {
        const std::complex<double> expected = ref(xs[i]);
        CHECK(ys[i].real() == Approx(expected.real()).epsilon(eps).margin(eps));
        CHECK(ys[i].imag() == Approx(expected.imag()).epsilon(eps).margin(eps));
      }
    }
  };
  check(ops::sin{}, [](auto v) { return std::sin(v); });
  check(ops::exp{}, [](auto v) { return std::exp(v); });
  check(ops::log{}, [](auto v) { return std::log(v); });
  check(ops::sqrt{}, [](auto v) { return std::sqrt(v); });
  check(ops::tanh{}, [](auto v) { return std::tanh(v); });
  check(ops::asin{}, [](auto v) { return std::asin(v); });
  check(ops::neg{}, [](auto v) { return -v; });
  check(ops::square{}, [](auto v) { return v * v; });
  check(ops::conj{}, [](auto v) { return std::conj(v); });
  check(ops::sigmoid{}, [](auto v) { return 1.0 / (1.0 + std::exp(-v)); });
  check(ops::log1p{}, [](auto v) { return std::log(1.0 + v); });  // torch has no complex kernel for it
  // Real-valued policies give the real dtype.
  check(ops::abs{}, [](auto v) { return std::complex<double>(std::abs(v)); });
  check(ops::real{}, [](auto v) { return std::complex<double>(v.real()); });
  check(ops::imag{}, [](auto v) { return std::complex<double>(v.imag()); });
  check(ops::arg{}, [](auto v) { return std::complex<double>(std::arg(v)); });
  check(ops::norm{}, [](auto v) { return std::complex<double>(std::norm(v)); });
  CHECK(k::unary<ops::abs>(z).dtype() == tg::kDouble);
  CHECK(k::unary<ops::imag>(z.to(tg::kComplexFloat)).dtype() == tg::kFloat);
}

TEST_CASE("unary on integers and bools: torch's result dtypes and values", "[tensor][kernels][elementwise]") {
  const tg::Tensor l = tg::tensor({std::int64_t{-3}, std::int64_t{0}, std::int64_t{2}, std::int64_t{5}});
  const tg::Tensor s = k::unary<ops::sin>(l);
  CHECK(s.dtype() == tg::kFloat);
  CHECK(elements<float>(s) == std::vector<float>{std::sin(-3.0f), 0.0f, std::sin(2.0f), std::sin(5.0f)});
  CHECK(elements<std::int64_t>(k::unary<ops::neg>(tg::tensor({std::int64_t{-3}, std::int64_t{0}, int64_min}))) ==
        std::vector<std::int64_t>{3, 0, int64_min});  // wraps, as torch
  CHECK(elements<std::int64_t>(k::unary<ops::abs>(l)) == std::vector<std::int64_t>{3, 0, 2, 5});
  CHECK(elements<std::int64_t>(k::unary<ops::square>(tg::tensor({std::int64_t{-3}, std::int64_t{3037000499}}))) ==
        std::vector<std::int64_t>{9, 9223372030926249001});  // exact beyond 2^53
  CHECK(elements<std::int64_t>(k::unary<ops::relu>(l)) == std::vector<std::int64_t>{0, 0, 2, 5});
  CHECK(elements<std::int64_t>(k::unary<ops::square>(tg::tensor({true, false}))) == std::vector<std::int64_t>{1, 0});
  CHECK(elements<bool>(k::unary<ops::real>(tg::tensor({true, false}))) == std::vector<bool>{true, false});
  CHECK(elements<float>(k::unary<ops::arg>(l)) == std::vector<float>{std::numbers::pi_v<float>, 0, 0, 0});
  CHECK(elements<float>(k::unary<ops::exp>(tg::tensor({true, false}))) == std::vector<float>{std::exp(1.0f), 1.0f});
}

TEST_CASE("binary policies compute <cmath>'s values over broadcast shapes", "[tensor][kernels][elementwise]") {
  check_binary<ops::add>(-5, 5, [](auto a, auto b) { return a + b; });
  check_binary<ops::sub>(-5, 5, [](auto a, auto b) { return a - b; });
  check_binary<ops::mul>(-5, 5, [](auto a, auto b) { return a * b; });
  check_binary<ops::div>(0.5, 5, [](auto a, auto b) { return a / b; });
  check_binary<ops::pow>(0.5, 3, [](auto a, auto b) { return std::pow(a, b); });
  check_binary<ops::atan2>(-5, 5, [](auto a, auto b) { return std::atan2(a, b); });
  check_binary<ops::hypot>(-5, 5, [](auto a, auto b) { return std::hypot(a, b); });
  check_binary<ops::max>(-5, 5, [](auto a, auto b) { return std::max(a, b); });
  check_binary<ops::min>(-5, 5, [](auto a, auto b) { return std::min(a, b); });
  check_binary<ops::fmax>(-5, 5, [](auto a, auto b) { return std::fmax(a, b); });
  check_binary<ops::fmin>(-5, 5, [](auto a, auto b) { return std::fmin(a, b); });
}

TEST_CASE("max/min propagate NaN, fmax/fmin ignore it (torch.maximum, torch.fmax)", "[tensor][kernels][elementwise]") {
  for (const auto dtype : {tg::kFloat, tg::kDouble, tg::kHalf}) {
    const tg::Tensor a = tg::tensor({qnan, 1.0, 2.0, qnan}).to(dtype);
    const tg::Tensor b = tg::tensor({1.0, qnan, 3.0, qnan}).to(dtype);
    const auto mx = elements_as<double>(k::binary<ops::max>(a, b));
    const auto fx = elements_as<double>(k::binary<ops::fmax>(a, b));
    const auto fn = elements_as<double>(k::binary<ops::fmin>(a, b));
    CHECK((std::isnan(mx[0]) && std::isnan(mx[1]) && mx[2] == 3.0 && std::isnan(mx[3])));
    CHECK((fx[0] == 1.0 && fx[1] == 1.0 && fx[2] == 3.0 && std::isnan(fx[3])));
    CHECK((fn[0] == 1.0 && fn[1] == 1.0 && fn[2] == 2.0 && std::isnan(fn[3])));
  }
}

TEST_CASE("half and bfloat16 compute in float and round once", "[tensor][kernels][elementwise]") {
  const tg::Tensor a = spread(-3, 3, 19);
  const tg::Tensor b = spread(0.5, 2, 19);
  const auto check = [&](auto tag, tg::ScalarType dtype) {
    using N = typename decltype(tag)::type;
    const auto as = elements<N>(a.to(dtype));
    const auto bs = elements<N>(b.to(dtype));
    const auto sum = elements<N>(k::binary<ops::add>(a.to(dtype), b.to(dtype)));
    const auto quotient = elements<N>(k::binary<ops::div>(a.to(dtype), b.to(dtype)));
    for (std::size_t i = 0; i < as.size(); ++i) {
      CHECK(static_cast<float>(sum[i]) == static_cast<float>(N(static_cast<float>(as[i]) + static_cast<float>(bs[i]))));
      CHECK(static_cast<float>(quotient[i]) ==
            static_cast<float>(N(static_cast<float>(as[i]) / static_cast<float>(bs[i]))));
    }
  };
  check(tg::type_tag<tg::half>{}, tg::kHalf);
  check(tg::type_tag<tg::bfloat16>{}, tg::kBFloat16);
  // A number joins a half tensor as half (torch's promotion), converted before the addition.
  const tg::Tensor h = k::binary<ops::add>(tg::tensor({1.0}).to(tg::kHalf), number(0.1));
  CHECK(h.dtype() == tg::kHalf);
  CHECK(static_cast<float>(elements<tg::half>(h)[0]) == static_cast<float>(tg::half(1.0f + static_cast<float>(tg::half(0.1)))));
}

TEST_CASE("add and mul in every dtype", "[tensor][kernels][elementwise]") {
  for (const auto dtype : tg::all_scalar_types) {
    INFO(dtype);
    const tg::Tensor a = tg::tensor({1.0, 2.0, 0.0}).to(dtype);
    const tg::Tensor b = tg::tensor({4.0, 0.0, 0.0}).to(dtype);
    const tg::Tensor sum = k::binary<ops::add>(a, b);
    const tg::Tensor product = k::binary<ops::mul>(a, b);
    CHECK(sum.dtype() == dtype);
    CHECK(product.dtype() == dtype);
    if (dtype == tg::kBool) {  // or, and
      CHECK(elements<bool>(sum) == std::vector<bool>{true, true, false});
      CHECK(elements<bool>(product) == std::vector<bool>{true, false, false});
    } else {
      CHECK(elements_as<double>(sum) == std::vector<double>{5, 2, 0});
      CHECK(elements_as<double>(product) == std::vector<double>{4, 0, 0});
    }
  }
}

TEST_CASE("integer arithmetic stays Long, exact and wrapping as torch's", "[tensor][kernels][elementwise]") {
  const auto longs = [](std::initializer_list<std::int64_t> v) { return tg::tensor(std::vector<std::int64_t>(v)); };
  const auto values = [](const tg::Tensor& t) {
    REQUIRE(t.dtype() == tg::kLong);
    return elements<std::int64_t>(t);
  };
  using v = std::vector<std::int64_t>;
  CHECK(values(k::binary<ops::add>(longs({std::int64_t{1} << 62, -5, int64_max}), longs({(std::int64_t{1} << 62) - 1, 7, 1}))) ==
        v{int64_max, 2, int64_min});
  CHECK(values(k::binary<ops::sub>(longs({int64_min, 5}), longs({1, 7}))) == v{int64_max, -2});
  CHECK(values(k::binary<ops::mul>(longs({3037000499}), longs({3037000499}))) == v{9223372030926249001});
  CHECK(values(k::binary<ops::pow>(longs({2, 3, -2, 2, 1, -1}), longs({10, 3, 3, -1, -5, -3}))) == v{1024, 27, -8, 0, 1, -1});
  CHECK(values(k::binary<ops::max>(longs({-3, 9}), longs({2, 4}))) == v{2, 9});
  CHECK(values(k::binary<ops::min>(longs({-3, 9}), longs({2, 4}))) == v{-3, 4});
  CHECK(values(k::binary<ops::add>(longs({1, 2}), number(true))) == v{2, 3});
  CHECK(values(k::binary<ops::add>(tg::tensor({true, false}), number(2))) == v{3, 2});
  const tg::Tensor quotient = k::binary<ops::div>(longs({7, -7}), longs({2, 2}));
  CHECK(quotient.dtype() == tg::kFloat);
  CHECK(elements<float>(quotient) == std::vector<float>{3.5f, -3.5f});
  const tg::Tensor scaled = k::binary<ops::mul>(longs({1, 3}), number(2.5));
  CHECK(scaled.dtype() == tg::kFloat);
  CHECK(elements<float>(scaled) == std::vector<float>{2.5f, 7.5f});
  CHECK(elements<bool>(k::binary<ops::max>(tg::tensor({true, false, false}), tg::tensor({false, true, false}))) ==
        std::vector<bool>{true, true, false});
  CHECK(elements<bool>(k::binary<ops::min>(tg::tensor({true, false, true}), tg::tensor({false, true, true}))) ==
        std::vector<bool>{false, false, true});
}

// ---- dtype rules and messages, against torch ----------------------------------------------------

/// One row of the torch tables: an operation on operands of given dtypes, and torch's result
/// dtype or message. (Data, not code per row: the tables have ~1800 rows.)
struct reference_case {
  const char* name;
  tg::Tensor (*unary_op)(const tg::Tensor&);
  tg::Tensor (*binary_op)(const tg::Tensor&, const tg::Tensor&);
  tg::ScalarType a, b, expected;
  const char* torch_error;  // null when torch gives `expected`
};

const reference_case reference_cases[] = {
#define TG_UNARY(op, type, result) {#op "(" #type ")", &k::unary<tg::op>, nullptr, type, type, result, nullptr},
#define TG_UNARY_ERROR(op, type, text) {#op "(" #type ")", &k::unary<tg::op>, nullptr, type, type, type, text},
#define TG_BINARY(op, x, y, result) {#op "(" #x ", " #y ")", nullptr, &apply_binary<tg::op>, x, y, result, nullptr},
#define TG_BINARY_ERROR(op, x, y, text) {#op "(" #x ", " #y ")", nullptr, &apply_binary<tg::op>, x, y, x, text},
#include "tensor/kernels/elementwise_reference.inc"
};

TEST_CASE("unary, binary and comparison result dtypes and errors match torch for every dtype",
          "[tensor][kernels][elementwise]") {
  int unary_rows = 0, binary_rows = 0;
  for (const reference_case& c : reference_cases) {
    INFO(c.name);
    const auto run = [&] {
      ++(c.unary_op ? unary_rows : binary_rows);
      return c.unary_op ? c.unary_op(reference_operand(c.a)) : c.binary_op(reference_operand(c.a), reference_operand(c.b));
    };
    if (c.torch_error) CHECK(matches_torch(error_of(run), c.torch_error));
    else CHECK(run().dtype() == c.expected);
  }
  CHECK(unary_rows > 200);
  CHECK(binary_rows > 1000);
}

TEST_CASE("error texts of outputs, casts, subtraction and overlap match torch", "[tensor][kernels][elementwise]") {
  const auto ones = [](std::initializer_list<std::int64_t> shape, tg::ScalarType dtype = tg::kFloat) {
    return tg::ones(shape, tg::dtype(dtype));
  };
  CHECK(error_of([&] { k::binary<ops::add>(ones({3}), ones({2})); }) == torch_error("broadcast"));
  CHECK(error_of([&] { k::binary<ops::add>(ones({3, 2}), ones({4, 1, 3})); }) == torch_error("broadcast_inner"));
  {
    const tg::Tensor x = ones({2});
    CHECK(error_of([&] { k::binary_out<ops::add>(x, x, ones({3, 2})); }) == torch_error("out_shape"));
  }
  {
    const tg::Tensor l = ones({2}, tg::kLong), f = ones({2}), b = ones({2}, tg::kBool);
    CHECK(error_of([&] { k::binary_out<ops::add>(l, l, ones({2})); }) == torch_error("cast_float_to_long"));
    CHECK(error_of([&] { k::binary_out<ops::add>(f, f, ones({2}, tg::kComplexFloat)); }) == torch_error("cast_complex_to_float"));
    CHECK(error_of([&] { k::binary_out<ops::add>(b, b, ones({2}, tg::kLong)); }) == torch_error("cast_long_to_bool"));
    CHECK(error_of([&] { k::unary_out<ops::sin>(l, l); }) == torch_error("cast_sin_long"));
  }
  CHECK(error_of([&] { k::binary<ops::sub>(ones({2}), tg::tensor({true, false})); }) == torch_error("sub_one_bool"));
  CHECK(error_of([&] { k::binary<ops::sub>(tg::tensor({true, false}), number(true)); }) == torch_error("sub_wrapped_bool"));
  CHECK(error_of([&] { k::binary_out<ops::sub>(ones({2}), ones({2}), tg::tensor({true, false})); }) ==
        torch_error("sub_one_bool"));
  {
    const tg::Tensor x = tg::arange(4.0);
    CHECK(error_of([&] { k::binary_out<ops::add>(x.narrow(0, 1, 3), x.narrow(0, 1, 3), x.narrow(0, 0, 3)); }) ==
          torch_error("partial_overlap"));
    const tg::Tensor m = tg::arange(4.0).view({2, 2});
    CHECK(error_of([&] { k::binary_out<ops::add>(m, m, m.t()); }) == torch_error("partial_overlap_transposed"));
    CHECK(error_of([&] { k::binary_out<ops::add>(x.expand({3, 4}), x.expand({3, 4}), number(1)); }) ==
          torch_error("internal_overlap"));
    const tg::Tensor rows = ones({5, 7});  // a row of the output read by every row
    CHECK(error_of([&] { k::binary_out<ops::add>(rows, rows, rows.select(0, 0)); }) == torch_error("partial_overlap"));
  }
}

// ---- layouts ------------------------------------------------------------------------------------

TEST_CASE("results are laid out after their operands, as torch lays them out", "[tensor][kernels][elementwise]") {
  const std::map<std::string, std::function<tg::Tensor()>> cases = {
      {"sin_transposed", [] { return k::unary<ops::sin>(grid({2, 3}).t()); }},
      {"transposed_plus_contiguous", [] { return k::binary<ops::add>(grid({2, 3}).t(), grid({3, 2})); }},
      {"contiguous_plus_transposed", [] { return k::binary<ops::add>(grid({3, 2}), grid({2, 3}).t()); }},
      {"transposed_plus_row", [] { return k::binary<ops::add>(grid({2, 3}).t(), grid({2})); }},
      {"permuted_times_number", [] { return k::binary<ops::mul>(grid({2, 3, 4}).permute({2, 0, 1}), number(2)); }},
      {"expanded_plus_row", [] { return k::binary<ops::add>(grid({3, 1}).expand({3, 4}), grid({4})); }},
      {"column_plus_row", [] { return k::binary<ops::add>(grid({3, 1}), grid({1, 4})); }},
      {"every_other_column", [] { return k::binary<ops::add>(grid({3, 2, 2}).select(2, 0), number(1)); }},
      {"transposed_less_transposed", [] { return k::compare<ops::less>(grid({2, 3}).t(), grid({2, 3}).t()); }},
      {"where_transposed",
       [] { return k::where(k::compare<ops::greater>(grid({2, 3}).t(), number(2)), grid({2, 3}).t(), grid({3, 2})); }},
      {"long_to_float_transposed", [] { return k::unary<ops::sin>(tg::arange(6).view({2, 3}).t()); }},
  };
  int n = 0;
#define TG_LAYOUT(name, ...)                                                       \
  {                                                                                \
    ++n;                                                                           \
    INFO(#name);                                                                   \
    CHECK(cases.at(#name)().strides() == std::vector<std::int64_t> __VA_ARGS__); \
  }
#include "tensor/kernels/elementwise_reference.inc"
  CHECK(n == static_cast<int>(cases.size()));
}

TEST_CASE("strided, transposed and contiguous operands give bit-identical results", "[tensor][kernels][elementwise]") {
  for (const auto dtype : {tg::kFloat, tg::kDouble, tg::kHalf, tg::kBFloat16}) {
    INFO(dtype);
    const tg::Tensor base = spread(0.05, 2.9, 6 * 14).to(dtype).view({6, 14});
    const tg::Tensor every_other = base.select(1, 0);             // stride 14... then as a column
    const tg::Tensor strided = base.view({6, 7, 2}).select(2, 1);  // (6, 7), strides (14, 2)
    const tg::Tensor transposed = base.narrow(1, 0, 6).t();       // (6, 6) read in memory order
    const tg::Tensor narrowed = base.narrow(1, 3, 5);             // rows shorter than a batch
    for (const tg::Tensor& x : {every_other, strided, transposed, narrowed}) {
      const tg::Tensor c = x.contiguous();
      CHECK(same_bits(k::unary<ops::sin>(x), k::unary<ops::sin>(c)));
      CHECK(same_bits(k::unary<ops::exp>(x), k::unary<ops::exp>(c)));
      CHECK(same_bits(k::unary<ops::log>(x), k::unary<ops::log>(c)));
      CHECK(same_bits(k::unary<ops::tanh>(x), k::unary<ops::tanh>(c)));
      CHECK(same_bits(k::unary<ops::lgamma>(x), k::unary<ops::lgamma>(c)));
      CHECK(same_bits(k::unary<ops::erf>(x), k::unary<ops::erf>(c)));
      CHECK(same_bits(k::unary<ops::sigmoid>(x), k::unary<ops::sigmoid>(c)));
      CHECK(same_bits(k::binary<ops::pow>(x, c), k::binary<ops::pow>(c, c)));
      CHECK(same_bits(k::binary<ops::atan2>(c, x), k::binary<ops::atan2>(c, c)));
      CHECK(same_bits(k::binary<ops::div>(x, number(3)), k::binary<ops::div>(c, number(3))));
    }
    // A transposed result is the transpose of the result.
    CHECK(same_bits(k::unary<ops::cos>(transposed), k::unary<ops::cos>(transposed.t()).t()));
  }
}

// ---- outputs: in place, aliasing, conversion ---------------------------------------------------

TEST_CASE("binary_out writes in place, with an output that is an operand", "[tensor][kernels][elementwise]") {
  const tg::Tensor x0 = spread(-2, 2, 35).to(tg::kFloat).view({5, 7});
  const tg::Tensor y0 = spread(1, 3, 35).to(tg::kFloat).view({5, 7});
  SECTION("out is a") {
    const tg::Tensor x = x0.clone();
    k::binary_out<ops::add>(x, x, y0);
    CHECK(same_bits(x, k::binary<ops::add>(x0, y0)));
  }
  SECTION("out is b") {
    const tg::Tensor y = y0.clone();
    k::binary_out<ops::div>(y, x0, y);
    CHECK(same_bits(y, k::binary<ops::div>(x0, y0)));
  }
  SECTION("out is a and b") {
    const tg::Tensor x = x0.clone();
    k::binary_out<ops::mul>(x, x, x);
    CHECK(same_bits(x, k::binary<ops::mul>(x0, x0)));
  }
  SECTION("out is a transposed view, read through the same view") {
    const tg::Tensor x = x0.clone();
    k::binary_out<ops::sub>(x.t(), x.t(), y0.t());
    CHECK(same_bits(x, k::binary<ops::sub>(x0, y0)));
  }
  SECTION("out is a strided view (not dense), with a broadcast number") {
    const tg::Tensor x = x0.clone();
    k::binary_out<ops::atan2>(x.select(1, 2), x.select(1, 2), number(0.5));
    const auto expected = elements<float>(k::binary<ops::atan2>(x0.select(1, 2), number(0.5)));
    CHECK(elements<float>(x.select(1, 2)) == expected);
    CHECK(same_bits(x.select(1, 3), x0.select(1, 3)));  // the rest is untouched
  }
  SECTION("out and a overlap irregularly: computed as if every input were read first") {
    const tg::Tensor z = grid({2, 4});
    k::binary_out<ops::add>(z.narrow(1, 0, 3), z.narrow(1, 1, 3), z.narrow(1, 0, 3));
    CHECK(elements<float>(z) == std::vector<float>{1, 3, 5, 3, 9, 11, 13, 7});  // torch's result
  }
  SECTION("the result converts to out's dtype") {
    const tg::Tensor out = tg::zeros({5, 7}, tg::dtype(tg::kDouble));
    k::binary_out<ops::add>(out, x0, y0);  // computed in float, then widened
    CHECK(elements<double>(out) == elements_as<double>(k::binary<ops::add>(x0, y0)));
    const tg::Tensor c = tg::zeros({2}, tg::dtype(tg::kComplexFloat));
    k::binary_out<ops::mul>(c, tg::tensor({std::int64_t{2}, std::int64_t{-3}}), number(2));
    CHECK(elements<std::complex<float>>(c) == std::vector<std::complex<float>>{4.0f, -6.0f});
    const tg::Tensor l = tg::zeros({2}, tg::dtype(tg::kLong));
    k::binary_out<ops::add>(l, l, tg::tensor({true, false}));
    CHECK(elements<std::int64_t>(l) == std::vector<std::int64_t>{1, 0});
  }
  SECTION("a Long operand of a float output converts into the float kernel, out aliasing the other operand") {
    const tg::Tensor x = x0.clone();
    k::binary_out<ops::add>(x, x, tg::arange(7));
    CHECK(same_bits(x, k::binary<ops::add>(x0, tg::arange(7))));
  }
}

TEST_CASE("unary_out writes in place", "[tensor][kernels][elementwise]") {
  const tg::Tensor x0 = spread(-2, 2, 35).view({5, 7});
  const tg::Tensor x = x0.clone();
  k::unary_out<ops::sin>(x, x);
  CHECK(same_bits(x, k::unary<ops::sin>(x0)));
  const tg::Tensor t = x0.clone();
  k::unary_out<ops::abs>(t.t(), t.t());
  CHECK(same_bits(t, k::unary<ops::abs>(x0)));
  const tg::Tensor f = tg::zeros({5, 7}, tg::dtype(tg::kFloat));
  k::unary_out<ops::exp>(f, x0);  // computed in double, rounded to float
  CHECK(same_bits(f, k::unary<ops::exp>(x0).to(tg::kFloat)));
  CHECK(error_of([&] { k::unary_out<ops::exp>(f, tg::zeros({3})); }) ==
        "output with shape [5, 7] doesn't match the broadcast shape [3]");
}

// ---- comparisons and where ---------------------------------------------------------------------

TEST_CASE("compare gives kBool over broadcast shapes in the promoted dtype", "[tensor][kernels][elementwise]") {
  const tg::Tensor a = tg::tensor({1.0, 2.0, qnan, -0.0}).view({4, 1});
  const tg::Tensor b = tg::tensor({2.0, qnan, 0.0});
  const auto check = [&](auto cmp, auto ref) {
    using Cmp = decltype(cmp);
    for (const auto dtype : {tg::kDouble, tg::kFloat, tg::kHalf, tg::kBFloat16}) {
      const tg::Tensor r = k::compare<Cmp>(a.to(dtype), b.to(dtype));
      REQUIRE(r.dtype() == tg::kBool);
      REQUIRE(r.sizes() == std::vector<std::int64_t>{4, 3});
      const auto rs = elements<bool>(r);
      const auto as = elements<double>(a);
      const auto bs = elements<double>(b);
      for (std::size_t i = 0; i < 4; ++i) {
        for (std::size_t j = 0; j < 3; ++j) CHECK(rs[i * 3 + j] == ref(as[i], bs[j]));
      }
    }
  };
  check(ops::less{}, [](double p, double q) { return p < q; });
  check(ops::less_equal{}, [](double p, double q) { return p <= q; });
  check(ops::greater{}, [](double p, double q) { return p > q; });
  check(ops::greater_equal{}, [](double p, double q) { return p >= q; });
  check(ops::equal_to{}, [](double p, double q) { return p == q; });
  check(ops::not_equal_to{}, [](double p, double q) { return p != q; });
  // A Long tensor against a floating number compares in kFloat (2.5 is not truncated).
  CHECK(elements<bool>(k::compare<ops::less>(tg::arange(1, 4), number(2.5))) == std::vector<bool>{true, true, false});
  const tg::Tensor z = tg::tensor({std::complex<double>(1, 2), std::complex<double>(1, -2)});
  CHECK(elements<bool>(k::compare<ops::equal_to>(z, number(std::complex<double>(1, 2)))) == std::vector<bool>{true, false});
  CHECK(elements<bool>(k::compare<ops::not_equal_to>(z, z.to(tg::kComplexFloat))) == std::vector<bool>{false, false});
  CHECK(elements<bool>(k::compare<ops::less>(tg::tensor({true, false}), tg::tensor({true, true}))) ==
        std::vector<bool>{false, true});
}

TEST_CASE("where broadcasts three ways and promotes a and b", "[tensor][kernels][elementwise]") {
  const tg::Tensor cond = tg::tensor({true, false, true}).view({3, 1});
  const tg::Tensor a = tg::arange(4);                             // Long (4)
  const tg::Tensor b = tg::tensor({-1.5, -2.5}).to(tg::kFloat).view({2, 1, 1});  // Float (2, 1, 1)
  const tg::Tensor r = k::where(cond, a, b);
  CHECK(r.dtype() == tg::kFloat);
  CHECK(r.sizes() == std::vector<std::int64_t>{2, 3, 4});
  const auto rs = elements<float>(r);
  for (std::size_t k = 0; k < 2; ++k) {
    for (std::size_t i = 0; i < 3; ++i) {
      for (std::size_t j = 0; j < 4; ++j) {
        CHECK(rs[(k * 3 + i) * 4 + j] == (i != 1 ? static_cast<float>(j) : (k == 0 ? -1.5f : -2.5f)));
      }
    }
  }
  const tg::Tensor h = k::where(tg::tensor({true, false}), tg::tensor({1.0, 2.0}).to(tg::kHalf), number(2.5));
  CHECK(h.dtype() == tg::kHalf);
  CHECK(elements_as<double>(h) == std::vector<double>{1.0, 2.5});
  const tg::Tensor z = k::where(tg::tensor({false, true}), number(std::complex<double>(0, 1)), tg::tensor({1.0, 2.0}));
  CHECK(z.dtype() == tg::kComplexDouble);  // a 1-d double with a complex number
  CHECK(elements<std::complex<double>>(z) == std::vector<std::complex<double>>{{1, 0}, {0, 1}});
  CHECK(error_of([] { k::where(tg::ones({2}, tg::dtype(tg::kLong)), tg::ones({2}), tg::ones({2})); }) ==
        torch_error("where_condition"));
  CHECK(error_of([] { k::where(tg::ones({3}, tg::dtype(tg::kBool)), tg::ones({2, 1}), tg::ones({2})); }) ==
        torch_error("where_broadcast"));
}

// ---- copies and fills --------------------------------------------------------------------------

TEST_CASE("copy_ broadcasts and converts as torch casts", "[tensor][kernels][elementwise]") {
  const tg::Tensor dst = tg::zeros({2, 3}, tg::dtype(tg::kHalf));
  k::copy_(dst, tg::tensor({0.1, -2.7, 1e-8}));
  const float row[] = {static_cast<float>(tg::half(0.1f)), -2.69921875f, 0.0f};  // through float, as torch
  CHECK(elements_as<float>(dst) == std::vector<float>{row[0], row[1], row[2], row[0], row[1], row[2]});

  const tg::Tensor l = tg::zeros({4}, tg::dtype(tg::kLong));
  k::copy_(l, tg::tensor({-2.7, qnan, 2.9, 1e30}));
  CHECK(elements<std::int64_t>(l) == std::vector<std::int64_t>{-2, int64_min, 2, int64_min});
  const tg::Tensor f = tg::zeros({2});
  k::copy_(f, tg::tensor({std::complex<double>(1.5, 2), std::complex<double>(-1, -3)}));  // the real part
  CHECK(elements<float>(f) == std::vector<float>{1.5f, -1.0f});
  const tg::Tensor b = tg::zeros({3}, tg::dtype(tg::kBool));
  k::copy_(b, tg::tensor({0.0, -0.5, qnan}));
  CHECK(elements<bool>(b) == std::vector<bool>{false, true, true});

  const tg::Tensor t = tg::zeros({3, 2});
  k::copy_(t.t(), grid({2, 3}));  // into a transposed view
  CHECK(elements<float>(t) == std::vector<float>{0, 3, 1, 4, 2, 5});
  k::copy_(t, t);  // the same tensor: nothing to do
  k::copy_(t, t.view({3, 2}));  // the same elements through another handle
  CHECK(elements<float>(t) == std::vector<float>{0, 3, 1, 4, 2, 5});

  const tg::Tensor z = grid({2, 4});  // irregular overlap: src read before dst is written
  k::copy_(z.narrow(1, 0, 3), z.narrow(1, 1, 3));
  CHECK(elements<float>(z) == std::vector<float>{1, 2, 3, 3, 5, 6, 7, 7});

  const tg::Tensor x = tg::arange(4.0);
  CHECK(error_of([&] { k::copy_(x.narrow(0, 1, 3), x.narrow(0, 0, 3)); }) == torch_error("copy_partial_overlap"));
  CHECK(error_of([&] { k::copy_(x.expand({3, 4}), tg::ones({3, 4})); }) == torch_error("copy_internal_overlap"));
  CHECK(error_of([] { k::copy_(tg::ones({2}, tg::dtype(tg::kLong)), tg::ones({3, 2})); }) == torch_error("copy_shape"));
  CHECK(error_of([] { k::copy_(tg::ones({3}), tg::ones({2})); }) == torch_error("copy_broadcast"));
}

TEST_CASE("fill_ sets every element, converted with c10's checks", "[tensor][kernels][elementwise]") {
  for (const auto dtype : tg::all_scalar_types) {
    INFO(dtype);
    const tg::Tensor t = tg::zeros({2, 3}, tg::dtype(dtype));
    k::fill_(t, 2);
    CHECK(elements_as<double>(t) == std::vector<double>(6, dtype == tg::kBool ? 1.0 : 2.0));
  }
  const tg::Tensor l = tg::zeros({2}, tg::dtype(tg::kLong));
  k::fill_(l, 2.5);
  CHECK(elements<std::int64_t>(l) == std::vector<std::int64_t>{2, 2});
  const tg::Tensor c = tg::zeros({2}, tg::dtype(tg::kComplexFloat));
  k::fill_(c, std::complex<double>(1, -1));
  CHECK(elements<std::complex<float>>(c) == std::vector<std::complex<float>>(2, {1, -1}));
  const tg::Tensor m = tg::zeros({2, 3});
  k::fill_(m.select(1, 1), true);  // a strided view: only its elements change
  CHECK(elements<float>(m) == std::vector<float>{0, 1, 0, 0, 1, 0});
  const tg::Tensor row = tg::zeros({3});
  k::fill_(row.expand({4, 3}), 7);  // an expanded view is fine (torch's fill_ too)
  CHECK(elements<float>(row) == std::vector<float>{7, 7, 7});
  CHECK(error_of([] { k::fill_(tg::ones({2}, tg::dtype(tg::kLong)), 1e30); }) == torch_error("fill_long_overflow"));
  CHECK(error_of([] { k::fill_(tg::ones({2}, tg::dtype(tg::kHalf)), 1e30); }) == torch_error("fill_half_overflow"));
  CHECK(error_of([] { k::fill_(tg::ones({2}), std::complex<double>(0, 1)); }) == torch_error("fill_complex_into_float"));
}

TEST_CASE("full_like with a Scalar keeps the dtype and layout", "[tensor][kernels][elementwise]") {
  const tg::Tensor t = tg::kernels::full_like(grid({2, 3}).t().to(tg::kLong), 4.9);
  CHECK(t.dtype() == tg::kLong);
  CHECK(t.sizes() == std::vector<std::int64_t>{3, 2});
  CHECK(t.strides() == std::vector<std::int64_t>{1, 3});
  CHECK(elements<std::int64_t>(t) == std::vector<std::int64_t>(6, 4));
  // ones_like / zeros_like / full_like for C++ numbers are the factories' (tensor/factories.hpp).
}

// ---- shapes at the edges -----------------------------------------------------------------------

TEST_CASE("empty and 0-d operands", "[tensor][kernels][elementwise]") {
  const tg::Tensor empty = tg::zeros({0, 3});
  CHECK(k::unary<ops::exp>(empty).sizes() == std::vector<std::int64_t>{0, 3});
  CHECK(k::binary<ops::add>(tg::zeros({0}), tg::ones({1})).sizes() == std::vector<std::int64_t>{0});
  CHECK(k::binary<ops::add>(empty, number(1)).sizes() == std::vector<std::int64_t>{0, 3});
  const tg::Tensor s = k::binary<ops::mul>(tg::full({}, 3.0), number(2));
  CHECK(s.dim() == 0);
  CHECK(s.dtype() == tg::kFloat);
  CHECK(s.item<float>() == 6.0f);
  CHECK(k::unary<ops::sqrt>(tg::full({}, 4.0)).item<float>() == 2.0f);
  CHECK(k::binary<ops::add>(number(1), number(2.5)).item<float>() == 3.5f);  // numbers alone: the default dtype
  const tg::Tensor long_scalar = tg::full({}, std::int64_t{5});
  CHECK(k::binary<ops::add>(long_scalar, tg::ones({2})).dtype() == tg::kFloat);
}
