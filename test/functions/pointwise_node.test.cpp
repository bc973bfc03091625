// What the nodes of binary elementwise operations save: only what the partials of the operands
// that need a gradient read (torch's rule). Checked two ways: the gradient of one operand alone
// equals its gradient when both require grad (fused kernel and create_graph path, real and
// complex), and changing an operand in place after the forward fails the backward exactly when
// that operand was saved. Expectations are torch 1.13's for the same programs, except the two
// marked: there typegrad's partial reads the result where torch's formula reads an operand, so
// typegrad runs (with the right gradient) where torch refuses.
#include <catch2/catch.hpp>

#include <functional>
#include <string>
#include <vector>

#include <typegrad/typegrad.hpp>

#include "support/tensor_values.hpp"

namespace {
namespace pointwise_node_test {
namespace tg = typegrad;
using binary_fn = std::function<tg::Tensor(const tg::Tensor&, const tg::Tensor&)>;

struct saving_case {
  const char* name;
  binary_fn f;
  bool complex;  // also checked in complex double
  // per operand K needing a gradient: is self / other saved?
  bool k0_saves_self, k0_saves_other, k1_saves_self, k1_saves_other;
};

const std::vector<saving_case>& cases() {
  static const std::vector<saving_case> all = {
      {"mul", [](const tg::Tensor& a, const tg::Tensor& b) { return a * b; }, true, false, true, true, false},
      // K1: torch reads self (fails), typegrad reads the result
      {"div", [](const tg::Tensor& a, const tg::Tensor& b) { return a / b; }, true, false, true, false, true},
      // K1: torch reads the exponent (fails), typegrad reads the result
      {"pow", [](const tg::Tensor& a, const tg::Tensor& b) { return tg::pow(a, b); }, true, true, true, true, false},
      {"atan2", [](const tg::Tensor& a, const tg::Tensor& b) { return tg::atan2(a, b); }, false, true, true, true, true},
      {"hypot", [](const tg::Tensor& a, const tg::Tensor& b) { return tg::hypot(a, b); }, false, true, false, false, true},
      {"maximum", [](const tg::Tensor& a, const tg::Tensor& b) { return tg::maximum(a, b); }, false, true, true, true, true},
      {"minimum", [](const tg::Tensor& a, const tg::Tensor& b) { return tg::minimum(a, b); }, false, true, true, true, true},
      {"fmax", [](const tg::Tensor& a, const tg::Tensor& b) { return tg::fmax(a, b); }, false, true, true, true, true},
      {"fmin", [](const tg::Tensor& a, const tg::Tensor& b) { return tg::fmin(a, b); }, false, true, true, true, true},
  };
  return all;
}

tg::Tensor operand(int k, tg::ScalarType dtype) {
  const std::vector<double> v = k == 0 ? std::vector<double>{0.7, 1.3, 0.4} : std::vector<double>{0.9, 0.8, 1.6};
  tg::Tensor t = tg::tensor(v, tg::dtype(tg::kDouble));
  if (tg::is_complex(dtype)) t = t.to(dtype) + t.to(dtype) * tg::Scalar(std::complex<double>(0.0, 0.3));
  return t.to(dtype);
}

/// The real parts then the imaginary parts (just the values of a real tensor).
std::vector<double> parts(const tg::Tensor& t) {
  if (!t.is_complex()) return test_support::values(t);
  std::vector<double> out = test_support::values(tg::real(t));
  const std::vector<double> im = test_support::values(tg::imag(t));
  out.insert(out.end(), im.begin(), im.end());
  return out;
}

const char* const modified_text = "one of the variables needed for gradient computation has been modified by an inplace";
}  // namespace pointwise_node_test
}  // namespace

using namespace pointwise_node_test;

TEST_CASE("binary elementwise nodes: one operand's gradient alone equals its gradient beside the other's",
          "[functions][pointwise_node]") {
  for (const auto& c : cases()) {
    for (const auto dtype : {tg::kDouble, tg::kComplexDouble}) {
      if (tg::is_complex(dtype) && !c.complex) continue;
      for (const bool create_graph : {false, true}) {  // fused kernel / tensor operations
        INFO(c.name << " " << tg::torch_name(dtype) << " create_graph=" << create_graph);
        const tg::Tensor a = operand(0, dtype).requires_grad_();
        const tg::Tensor b = operand(1, dtype).requires_grad_();
        const auto both = tg::autograd::grad({c.f(a, b).abs().sum()}, {a, b}, {}, std::nullopt, create_graph);
        const auto only_a = tg::autograd::grad({c.f(a, operand(1, dtype)).abs().sum()}, {a}, {}, std::nullopt, create_graph);
        const auto only_b = tg::autograd::grad({c.f(operand(0, dtype), b).abs().sum()}, {b}, {}, std::nullopt, create_graph);
        CHECK(parts(only_a[0]) == parts(both[0]));
        CHECK(parts(only_b[0]) == parts(both[1]));
      }
    }
  }
}

TEST_CASE("binary elementwise nodes: an operand changed in place fails the backward only when it was saved",
          "[functions][pointwise_node]") {
  for (const auto& c : cases()) {
    for (int k = 0; k < 2; ++k) {
      for (int modified = 0; modified < 2; ++modified) {
        const bool saved = k == 0 ? (modified == 0 ? c.k0_saves_self : c.k0_saves_other)
                                  : (modified == 0 ? c.k1_saves_self : c.k1_saves_other);
        INFO(c.name << ": operand " << k << " needs a gradient, operand " << modified << " changes; saved: " << saved);
        const tg::Tensor x = operand(k, tg::kDouble).requires_grad_();
        tg::Tensor ops[2] = {operand(0, tg::kDouble), operand(1, tg::kDouble)};
        ops[k] = x * 1.0;
        const tg::Tensor z = c.f(ops[0], ops[1]).sum();
        const tg::Tensor expected = tg::autograd::grad({z}, {x}, {}, true)[0];
        ops[modified].add_(1.0);
        if (saved) {
          CHECK_THROWS_WITH(z.backward(), Catch::StartsWith(modified_text));
        } else {
          z.backward();
          CHECK(test_support::values(x.grad()) == test_support::values(expected));
        }
      }
    }
  }
}

TEST_CASE("in-place mul_ and div_ save what the needed gradients read", "[functions][pointwise_node]") {
  const auto run = [](bool self_needs_grad, bool div, bool change_other) {
    const tg::Tensor x = tg::tensor({0.7, 1.3}, tg::requires_grad());
    const tg::Tensor plain = tg::tensor({2.0, 3.0});
    tg::Tensor self = self_needs_grad ? x * 1.0 : plain.clone();
    tg::Tensor other = self_needs_grad ? plain.clone() : x * 1.0;
    if (div) self.div_(other);
    else self.mul_(other);
    (change_other ? other : plain).add_(1.0);
    self.sum().backward();
    return test_support::values(x.grad());
  };
  // torch 1.13: c.mul_(h) keeps a copy of c, not h, so h may change: h's gradient is c's old value
  CHECK(run(false, false, true) == std::vector<double>{2.0, 3.0});
  CHECK_THROWS_WITH(run(true, false, true), Catch::StartsWith(modified_text));   // h.mul_(c) keeps c
  CHECK_THROWS_WITH(run(true, true, true), Catch::StartsWith(modified_text));    // h.div_(c) keeps c
  CHECK_THROWS_WITH(run(false, true, true), Catch::StartsWith(modified_text));   // c.div_(h) keeps h
  CHECK(run(true, false, false) == std::vector<double>{2.0, 3.0});                // nothing changed
}

TEST_CASE("matrix products save what the needed gradients read", "[functions][pointwise_node][linalg]") {
  using product = std::function<tg::Tensor(const tg::Tensor&, const tg::Tensor&)>;
  struct product_case {
    const char* name;
    product f;
    std::vector<std::int64_t> a_sizes, b_sizes;
  };
  const std::vector<product_case> products = {
      {"mm", [](const tg::Tensor& a, const tg::Tensor& b) { return tg::mm(a, b); }, {2, 3}, {3, 2}},
      {"bmm", [](const tg::Tensor& a, const tg::Tensor& b) { return tg::bmm(a, b); }, {2, 2, 3}, {2, 3, 2}},
      {"mv", [](const tg::Tensor& a, const tg::Tensor& b) { return tg::mv(a, b); }, {2, 3}, {3}},
      {"dot", [](const tg::Tensor& a, const tg::Tensor& b) { return tg::dot(a, b); }, {3}, {3}},
  };
  for (const auto& p : products) {
    for (int k = 0; k < 2; ++k) {
      for (int modified = 0; modified < 2; ++modified) {
        INFO(p.name << ": operand " << k << " needs a gradient, operand " << modified << " changes");
        const auto& sizes = k == 0 ? p.a_sizes : p.b_sizes;
        const tg::Tensor x = tg::rand(sizes, tg::dtype(tg::kDouble)).requires_grad_();
        tg::Tensor ops[2] = {tg::rand(p.a_sizes, tg::dtype(tg::kDouble)), tg::rand(p.b_sizes, tg::dtype(tg::kDouble))};
        ops[k] = x * 1.0;
        const tg::Tensor z = p.f(ops[0], ops[1]).sum();
        const tg::Tensor expected = tg::autograd::grad({z}, {x}, {}, true)[0];
        ops[modified].add_(1.0);
        if (modified != k) {  // the other operand is what operand k's gradient reads
          CHECK_THROWS_WITH(z.backward(), Catch::StartsWith(modified_text));
        } else {  // torch 1.13 runs these: the operand needing the gradient is not saved
          z.backward();
          CHECK(test_support::values(x.grad()) == test_support::values(expected));
        }
      }
    }
  }
}
