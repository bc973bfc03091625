// typegrad against PyTorch 1.13 (float64): the real scalar formulas of make_torch_reference.py
// (as typegrad lambdas in torch_reference_real.hpp), checked against the values, gradients and
// Hessians torch computed (torch_reference.inc): tg::eval, tg::value_and_grad, tg::grad,
// tg::hessian. torch_reference_forward.test.cpp checks tg::derivative and tg::jvp on the same
// formulas, torch_reference_complex.test.cpp the complex and array formulas.
#include "torch_reference_real.hpp"

#include <array>
#include <cmath>
#include <functional>
#include <utility>
#include <vector>

namespace tg = typegrad;
using namespace torch_reference;

namespace {

struct reverse_result {
  double value = 0;
  double value_of_value_and_grad = 0;
  std::vector<double> grad, grad_of_value_and_grad;
  std::vector<std::vector<double>> hessian;
};

struct reverse_maker {
  using runner = std::function<reverse_result(const std::vector<double>&)>;
  template <std::size_t N, class F> static runner make(F f) {
    return [f](const std::vector<double>& x) {
      return [&]<std::size_t... I>(std::index_sequence<I...>) {
        reverse_result r;
        r.value = tg::eval(f, x[I]...);
        const auto [v, g] = tg::value_and_grad(f, x[I]...);
        r.value_of_value_and_grad = v;
        r.grad_of_value_and_grad.assign(g.begin(), g.end());
        const std::array<double, N> g2 = tg::grad(f, x[I]...);
        r.grad.assign(g2.begin(), g2.end());
        const std::array<std::array<double, N>, N> H = tg::hessian(f, x[I]...);
        for (const auto& row : H) r.hessian.emplace_back(row.begin(), row.end());
        return r;
      }(std::make_index_sequence<N>{});
    };
  }
};

}  // namespace

TEST_CASE("torch reference: real formula names match the data", "[reference][torch]") {
  check_names(real_cases(), real_formulas<reverse_maker>());
}

TEST_CASE("torch reference: real formulas - eval grad value_and_grad hessian", "[reference][torch]") {
  const auto& formulas = real_formulas<reverse_maker>();
  for (const auto& c : real_cases()) {
    const auto* f = formulas.find(c.name);
    if (!f) continue;  // reported by the name test
    INFO("formula " << c.name << " at " << show(c.x));
    REQUIRE(c.x.size() == f->arity);
    REQUIRE(c.grad.size() == f->arity);
    REQUIRE(c.hessian.size() == f->arity);
    const reverse_result r = f->run(c.x);
    const tolerance& tol = f->tol;
    TG_REFERENCE_CHECK("value", r.value, c.value, tol.value, tol.value_scale);
    CHECK(r.value_of_value_and_grad == r.value);
    // The same gradient up to rounding: grad and value_and_grad are inlined into different
    // callers, where g++ may contract other products and sums into FMAs.
    REQUIRE(r.grad_of_value_and_grad.size() == r.grad.size());
    for (std::size_t i = 0; i < r.grad.size(); ++i) {
      CHECK(std::abs(r.grad_of_value_and_grad[i] - r.grad[i]) <= 1e-14 * (1e-300 + std::abs(r.grad[i])));
    }
    for (std::size_t i = 0; i < f->arity; ++i) {
      INFO("d/dx" << i);
      TG_REFERENCE_CHECK("gradient", r.grad[i], c.grad[i], tol.grad, tol.grad_scale);
    }
    if (f->skip_forward && f->skip_forward(c.x)) continue;  // a known typegrad bug, see the formula
    for (std::size_t i = 0; i < f->arity; ++i)
      for (std::size_t j = 0; j < f->arity; ++j) {
        INFO("d2/dx" << i << "dx" << j);
        TG_REFERENCE_CHECK("Hessian", r.hessian[i][j], c.hessian[i][j], tol.hessian, tol.hessian_scale);
      }
  }
}
