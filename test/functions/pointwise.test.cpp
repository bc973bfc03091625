// Every elementwise function: gradcheck and gradgradcheck in double and complex double,
// forward-mode tangents against backward, and smoke tests in float, half and bfloat16.
#include "functions/support.hpp"

#include <cmath>

using test_support::fn;
using test_support::input;

namespace {

struct unary_case {
  const char* name;
  tg::Tensor (*f)(const tg::Tensor&);
  double lo, hi;
  bool complex;  // defined (and holomorphic or Wirtinger-correct) on complex inputs
};

const std::vector<unary_case>& unary_cases() {
  static const std::vector<unary_case> cases{
      {"exp", tg::exp, -1.0, 1.0, true},         {"exp2", tg::exp2, -1.0, 1.0, true},
      {"expm1", tg::expm1, -1.0, 1.0, true},     {"log", tg::log, 0.2, 2.0, true},
      {"log2", tg::log2, 0.2, 2.0, true},        {"log10", tg::log10, 0.2, 2.0, true},
      {"log1p", tg::log1p, 0.2, 2.0, true},      {"sqrt", tg::sqrt, 0.2, 2.0, true},
      {"rsqrt", tg::rsqrt, 0.2, 2.0, true},      {"sin", tg::sin, -2.0, 2.0, true},
      {"cos", tg::cos, -2.0, 2.0, true},         {"tan", tg::tan, -1.0, 1.0, true},
      {"asin", tg::asin, -0.8, 0.8, true},       {"acos", tg::acos, -0.8, 0.8, true},
      {"atan", tg::atan, -2.0, 2.0, true},       {"sinh", tg::sinh, -2.0, 2.0, true},
      {"cosh", tg::cosh, -2.0, 2.0, true},       {"tanh", tg::tanh, -2.0, 2.0, true},
      {"asinh", tg::asinh, -2.0, 2.0, true},     {"acosh", tg::acosh, 1.2, 3.0, true},
      {"atanh", tg::atanh, -0.8, 0.8, true},     {"erf", tg::erf, -2.0, 2.0, false},
      {"erfc", tg::erfc, -2.0, 2.0, false},      {"lgamma", tg::lgamma, 0.5, 3.0, false},
      {"digamma", tg::digamma, 0.5, 3.0, false}, {"sigmoid", tg::sigmoid, -3.0, 3.0, true},
      {"relu", tg::relu, -2.0, 2.0, false},      {"softplus", tg::softplus, -3.0, 3.0, false},
      {"square", tg::square, -2.0, 2.0, true},   {"abs", tg::abs, 0.1, 2.0, true},
      {"neg", tg::neg, -2.0, 2.0, true},         {"reciprocal", tg::reciprocal, 0.5, 2.0, true},
      {"sgn", tg::sgn, 0.2, 2.0, true},          {"sign", tg::sign, 0.2, 2.0, false},
      {"real", tg::real, -1.0, 1.0, true},       {"conj", tg::conj, -1.0, 1.0, true},
      {"angle", tg::angle, 0.2, 1.0, true},
  };
  return cases;
}

}  // namespace

TEST_CASE("unary functions: gradcheck and gradgradcheck in double", "[functions][pointwise]") {
  for (const auto& c : unary_cases()) {
    INFO(c.name);
    auto x = input({3, 2}, tg::kDouble, c.lo, c.hi);
    fn f = [&](const tg::tensor_list& in) { return c.f(in[0]); };
    CHECK(test_support::gradchecks(f, {x}));
    CHECK(test_support::gradgradchecks(f, {x}));
  }
}

TEST_CASE("unary functions: gradcheck and gradgradcheck in complex double", "[functions][pointwise][complex]") {
  for (const auto& c : unary_cases()) {
    if (!c.complex) continue;
    INFO(c.name);
    auto z = input({3}, tg::kComplexDouble, std::max(c.lo, 0.2) * 0.5, c.hi * 0.5);
    fn f = [&](const tg::tensor_list& in) { return c.f(in[0]); };
    CHECK(test_support::gradchecks(f, {z}));
    CHECK(test_support::gradgradchecks(f, {z}));
  }
}

TEST_CASE("unary functions: forward-mode tangents agree with backward", "[functions][pointwise][forward_ad]") {
  for (const auto& c : unary_cases()) {
    INFO(c.name);
    auto x = input({4}, tg::kDouble, c.lo, c.hi);
    test_support::check_forward_matches_backward([&](const tg::tensor_list& in) { return c.f(in[0]); }, {x});
  }
}

TEST_CASE("unary functions in float, half and bfloat16 follow double", "[functions][pointwise][dtypes]") {
  for (const auto& c : unary_cases()) {
    INFO(c.name);
    auto x = input({5}, tg::kDouble, c.lo, c.hi).detach();
    c.f(x.requires_grad_()).sum().backward();
    const auto reference = x.grad();
    for (auto [dtype, tol] : {std::pair{tg::kFloat, 1e-5}, std::pair{tg::kHalf, 2e-2}, std::pair{tg::kBFloat16, 8e-2}}) {
      INFO(tg::torch_name(dtype));
      auto xl = x.detach().to(dtype).requires_grad_();
      auto y = c.f(xl);
      CHECK(y.dtype() == dtype);
      y.sum().backward();
      REQUIRE(xl.grad().defined());
      CHECK(xl.grad().dtype() == dtype);
      auto diff = tg::abs(xl.grad().to(tg::kDouble) - reference);
      auto scale = tg::abs(reference) + 1.0;
      CHECK(tg::kernels::amax(diff / scale, {}, false).item<double>() < tol);
    }
  }
}

TEST_CASE("binary functions with broadcasting: gradcheck, gradgradcheck, forward mode", "[functions][pointwise]") {
  struct binary_case {
    const char* name;
    std::function<tg::Tensor(const tg::Tensor&, const tg::Tensor&)> f;
    bool complex;
  };
  const std::vector<binary_case> cases{
      {"add", [](const auto& a, const auto& b) { return a + b; }, true},
      {"add alpha", [](const auto& a, const auto& b) { return tg::add(a, b, 2.5); }, true},
      {"sub", [](const auto& a, const auto& b) { return a - b; }, true},
      {"mul", [](const auto& a, const auto& b) { return a * b; }, true},
      {"div", [](const auto& a, const auto& b) { return a / b; }, true},
      {"pow", [](const auto& a, const auto& b) { return tg::pow(a, b); }, true},
      {"atan2", [](const auto& a, const auto& b) { return tg::atan2(a, b); }, false},
      {"hypot", [](const auto& a, const auto& b) { return tg::hypot(a, b); }, false},
      {"maximum", [](const auto& a, const auto& b) { return tg::maximum(a, b); }, false},
      {"minimum", [](const auto& a, const auto& b) { return tg::minimum(a, b); }, false},
      {"fmax", [](const auto& a, const auto& b) { return tg::fmax(a, b); }, false},
      {"fmin", [](const auto& a, const auto& b) { return tg::fmin(a, b); }, false},
      {"where", [](const auto& a, const auto& b) { return tg::where(a > 0.5, a, b); }, false},
      {"number ops", [](const auto& a, const auto& b) { return 2.0 - a * 3.0 + 1.0 / b + tg::pow(a, 2.5) + tg::pow(1.5, b); }, true},
      {"clamp", [](const auto& a, const auto& b) { return tg::clamp(a, 0.3, 0.7) * b; }, false},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    auto a = input({3, 1}, tg::kDouble);
    auto b = input({4}, tg::kDouble);
    fn f = [&](const tg::tensor_list& in) { return c.f(in[0], in[1]); };
    CHECK(test_support::gradchecks(f, {a, b}));
    CHECK(test_support::gradgradchecks(f, {a, b}));
    test_support::check_forward_matches_backward(f, {a, b});
    if (c.complex) {
      auto za = input({2, 1}, tg::kComplexDouble);
      auto zb = input({3}, tg::kComplexDouble);
      CHECK(test_support::gradchecks(f, {za, zb}));
      CHECK(test_support::gradgradchecks(f, {za, zb}));
    }
  }
}

TEST_CASE("complex convention: torch's values at z = 1+2j", "[functions][complex]") {
  const std::complex<double> z0(1.0, 2.0);
  auto grad_of = [&](const std::function<tg::Tensor(const tg::Tensor&)>& loss) {
    auto z = tg::tensor({z0}, tg::requires_grad());
    loss(z).sum().backward();
    return z.grad().item<std::complex<double>>();
  };
  CHECK(grad_of([](const tg::Tensor& z) { return tg::real(z * tg::conj(z)); }) == std::complex<double>(2, 4));
  CHECK(grad_of([](const tg::Tensor& z) { return tg::real(z * z); }) == std::complex<double>(2, -4));
  CHECK(grad_of([](const tg::Tensor& z) { return tg::imag(z); }) == std::complex<double>(0, 1));
  const auto g = grad_of([](const tg::Tensor& z) { return tg::abs(z); });
  CHECK(g.real() == Approx(1.0 / std::sqrt(5.0)));
  CHECK(g.imag() == Approx(2.0 / std::sqrt(5.0)));
}
