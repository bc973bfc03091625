// typegrad against PyTorch 1.13 (float64), the real scalar formulas of torch_reference_real.hpp
// again: the symbolic derivative tg::derivative<I>(f) and forward mode tg::jvp (one direction
// e_I at a time) against torch's gradient (torch_reference.inc).
#include "torch_reference_real.hpp"

#include <array>
#include <functional>
#include <utility>
#include <vector>

namespace tg = typegrad;
using namespace torch_reference;

namespace {

struct forward_result {
  std::vector<double> derivative;      // tg::derivative<I>(f)(x...)
  std::vector<double> jvp_value, jvp;  // tg::jvp(f, x, e_I)
};

struct forward_maker {
  using runner = std::function<forward_result(const std::vector<double>&)>;
  template <std::size_t N, class F> static runner make(F f) {
    return [f](const std::vector<double>& x) {
      return [&]<std::size_t... I>(std::index_sequence<I...>) {
        forward_result r;
        const auto at_x = [&](const auto& d) { return static_cast<double>(d(x[I]...)); };
        r.derivative = {at_x(tg::derivative<I>(f))...};
        const std::array<double, N> xs{x[I]...};
        for (std::size_t k = 0; k < N; ++k) {
          std::array<double, N> e{};
          e[k] = 1;
          const auto [v, d] = tg::jvp(f, xs, e);
          r.jvp_value.push_back(v);
          r.jvp.push_back(d);
        }
        return r;
      }(std::make_index_sequence<N>{});
    };
  }
};

}  // namespace

TEST_CASE("torch reference: real formulas - derivative and jvp", "[reference][torch]") {
  const auto& formulas = real_formulas<forward_maker>();
  for (const auto& c : real_cases()) {
    const auto* f = formulas.find(c.name);
    if (!f) continue;  // reported by the name test in torch_reference.test.cpp
    INFO("formula " << c.name << " at " << show(c.x));
    REQUIRE(c.x.size() == f->arity);
    REQUIRE(c.grad.size() == f->arity);
    const forward_result r = f->run(c.x);
    const tolerance& tol = f->tol;
    for (std::size_t i = 0; i < f->arity; ++i) {
      INFO("d/dx" << i);
      TG_REFERENCE_CHECK("tg::derivative", r.derivative[i], c.grad[i], tol.grad, tol.grad_scale);
    }
    if (f->skip_forward && f->skip_forward(c.x)) continue;  // a known typegrad bug, see the formula
    for (std::size_t i = 0; i < f->arity; ++i) {
      INFO("direction e" << i);
      TG_REFERENCE_CHECK("tg::jvp value", r.jvp_value[i], c.value, tol.value, tol.value_scale);
      TG_REFERENCE_CHECK("tg::jvp", r.jvp[i], c.grad[i], tol.grad, tol.grad_scale);
    }
  }
}
