// typegrad against PyTorch 1.13 (torch_reference.inc, see torch_reference.test.cpp for the real
// scalar formulas): the array formulas, 1-D float64 tensors in torch and std::vector<double>
// arguments (mixed with scalars) here; tg::eval and tg::value_and_grad.
//
// Left out under clang <= 14: clang 14.0.6 crashes (segfault in
// Sema::collectUnexpandedParameterPacks) compiling any typegrad array reduction, even
// `tg::eval([](auto x) { return tg::sum(x); }, std::vector<double>{1, 2, 3})`: the crash is in
// the instantiation of sweep::body_extent (include/typegrad/reverse/sweep.hpp), an immediately
// invoked lambda in a fold over the pack of a template lambda. Remove the #if once typegrad
// works around it.
#include <typegrad/static.hpp>

#include "torch_reference.hpp"

#if !(defined(__clang__) && __clang_major__ <= 14)

#include <cstddef>
#include <functional>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace tg = typegrad;
using namespace torch_reference;

namespace {

struct vec {};     // a std::vector<double> argument
struct scalar {};  // a double argument (a one-element list in the data)

struct array_result {
  double value, value_of_value_and_grad;
  std::vector<std::vector<double>> grad;  // a scalar's gradient as a one-element list
};
struct array_formula {
  std::size_t arity;
  std::function<array_result(const std::vector<std::vector<double>>&)> run;
};

template <class Kind> auto argument(const std::vector<double>& a) {
  if constexpr (std::is_same_v<Kind, vec>) {
    return a;
  } else {
    REQUIRE(a.size() == 1);
    return a[0];
  }
}
inline std::vector<double> as_list(const std::vector<double>& g) { return g; }
inline std::vector<double> as_list(double g) { return {g}; }

template <class... Kinds, class F> array_formula arrays(F f) {
  return {sizeof...(Kinds), [f](const std::vector<std::vector<double>>& a) {
            return [&]<std::size_t... I>(std::index_sequence<I...>) {
              array_result r;
              const auto args = std::tuple{argument<Kinds>(a[I])...};
              r.value = std::apply([&](const auto&... xs) { return tg::eval(f, xs...); }, args);
              const auto [v, g] = std::apply([&](const auto&... xs) { return tg::value_and_grad(f, xs...); }, args);
              r.value_of_value_and_grad = v;
              r.grad = {as_list(std::get<I>(g))...};
              return r;
            }(std::index_sequence_for<Kinds...>{});
          }};
}

constexpr double log_sqrt_2pi = 0.9189385332046727417803297364056176398614;

// Keep in sync with ARRAY in make_torch_reference.py.
const table<array_formula> array_formulas = {
    {"a_normal_nll", arrays<vec, scalar, scalar>([](auto x, auto mu, auto sigma) {
       return tg::sum(log(sigma) + log_sqrt_2pi + 0.5 * square((x - mu) / sigma));
     })},
    {"a_log_sum_exp", arrays<vec>([](auto x) { return tg::log_sum_exp(x); })},
    {"a_softmax_xent", arrays<vec>([](auto x) { return tg::log_sum_exp(x) - x[2]; })},
    // a zero element: its gradient is the product of the others; two zeros: all gradients 0
    {"a_prod", arrays<vec>([](auto x) { return tg::prod(x); })},
    {"a_dot", arrays<vec, vec>([](auto x, auto y) { return tg::dot(x, y); })},
    {"a_mean", arrays<vec>([](auto x) { return tg::mean(square(x) + sin(x)); })},
    {"a_norm", arrays<vec>([](auto x) { return tg::norm2(x); })},
    {"a_mixed", arrays<vec, vec, scalar>([](auto x, auto w, auto s) {
       return tg::sum(w * exp(x * s)) + tg::dot(x, x) * s - x[std::integral_constant<std::size_t, 0>{}] * x[4];
     })},
};

constexpr double array_rtol = 1e-12;

}  // namespace

TEST_CASE("torch reference: array formula names match the data", "[reference][torch][array]") {
  check_names(array_cases(), array_formulas);
}

TEST_CASE("torch reference: array formulas", "[reference][torch][array]") {
  for (const auto& c : array_cases()) {
    const array_formula* f = array_formulas.find(c.name);
    if (!f) continue;
    INFO("formula " << c.name << " at " << show(c.args.front()));
    REQUIRE(c.args.size() == f->arity);
    REQUIRE(c.grad.size() == f->arity);
    const array_result r = f->run(c.args);
    TG_REFERENCE_CHECK("value", r.value, c.value, array_rtol, 0.0);
    CHECK(r.value_of_value_and_grad == r.value);
    for (std::size_t i = 0; i < f->arity; ++i) {
      REQUIRE(r.grad[i].size() == c.grad[i].size());
      for (std::size_t j = 0; j < c.grad[i].size(); ++j) {
        INFO("argument " << i << ", element " << j);
        TG_REFERENCE_CHECK("gradient", r.grad[i][j], c.grad[i][j], array_rtol, 0.0);
      }
    }
  }
}

#endif  // clang <= 14
