// tg::autograd::functional (torch.autograd.functional): results and error texts against
// PyTorch 1.13 (make_functional_reference.py -> functional_reference.inc, functional_errors.inc),
// analytic Jacobians and Hessians, result shapes, create_graph, strict and the inputs'
// independence from the caller's graph.
#include <catch2/catch.hpp>

#include <complex>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <typegrad/autograd/functional.hpp>
#include <typegrad/dynamic.hpp>

namespace tg = typegrad;
namespace F = tg::autograd::functional;

namespace {

[[maybe_unused]] const double tg_inf = std::numeric_limits<double>::infinity();
[[maybe_unused]] const double tg_nan = std::numeric_limits<double>::quiet_NaN();

/// One tensor of a result as torch gave it: dtype, requires_grad, sizes, values (complex ones
/// as real, imaginary pairs).
struct expected_block {
  tg::ScalarType dtype;
  bool requires_grad;
  std::vector<std::int64_t> sizes;
  std::vector<double> values;
};

void flatten_into(std::vector<tg::Tensor>& out, const tg::Tensor& t) { out.push_back(t); }
void flatten_into(std::vector<tg::Tensor>& out, const tg::tensor_list& ts) { out.insert(out.end(), ts.begin(), ts.end()); }
void flatten_into(std::vector<tg::Tensor>& out, const std::vector<tg::tensor_list>& nested) {
  for (const auto& ts : nested) flatten_into(out, ts);
}
template <class A, class B> void flatten_into(std::vector<tg::Tensor>& out, const std::pair<A, B>& p) {
  flatten_into(out, p.first);
  flatten_into(out, p.second);
}
/// Every tensor of a result in torch's nesting order.
template <class R> std::vector<tg::Tensor> flatten(const R& r) {
  std::vector<tg::Tensor> out;
  flatten_into(out, r);
  return out;
}

/// Values in row-major order (complex ones as real, imaginary pairs), as doubles.
std::vector<double> flat_values(const tg::Tensor& t) {
  tg::NoGradGuard no_grad;
  std::vector<double> v;
  if (t.is_complex()) {
    const tg::Tensor c = t.detach().contiguous().to(tg::kComplexDouble);
    const auto* p = c.data_ptr<std::complex<double>>();
    for (std::int64_t k = 0; k < c.numel(); ++k) {
      v.push_back(p[k].real());
      v.push_back(p[k].imag());
    }
  } else {
    const tg::Tensor c = t.detach().contiguous().to(tg::kDouble);
    const auto* p = c.data_ptr<double>();
    v.assign(p, p + c.numel());
  }
  return v;
}

void check_close(const std::vector<double>& got, const std::vector<double>& want, double tolerance) {
  REQUIRE(got.size() == want.size());
  for (std::size_t k = 0; k < got.size(); ++k) {
    INFO("element " << k);
    CHECK(got[k] == Approx(want[k]).epsilon(tolerance).margin(tolerance));
  }
}

void check_blocks(const std::vector<tg::Tensor>& got, const std::vector<expected_block>& want) {
  REQUIRE(got.size() == want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    INFO("tensor " << i << " of the result: " << got[i]);
    CHECK(got[i].dtype() == want[i].dtype);
    CHECK(got[i].requires_grad() == want[i].requires_grad);
    CHECK(got[i].sizes() == want[i].sizes);
    check_close(flat_values(got[i]), want[i].values, want[i].dtype == tg::kFloat ? 1e-6 : 1e-12);
  }
}

tg::Tensor doubles(std::vector<double> v) { return tg::tensor(v, tg::dtype(tg::kDouble)); }

}  // namespace

TEST_CASE("functional results match PyTorch", "[functional]") {
  int n = 0;
#define TG_FUNCTIONAL_CASE(python, call, ...)                  \
  {                                                            \
    INFO(python);                                              \
    check_blocks(flatten call, std::vector<expected_block>{__VA_ARGS__}); \
    ++n;                                                       \
  }
#include "autograd/functional_reference.inc"
#undef TG_FUNCTIONAL_CASE
  CHECK(n == 48);
}

TEST_CASE("functional error texts match PyTorch", "[functional]") {
  int n = 0;
#define TG_FUNCTIONAL_ERROR(python, call, message) \
  {                                                \
    INFO(python);                                  \
    CHECK_THROWS_WITH(call, message);              \
    ++n;                                           \
  }
#include "autograd/functional_errors.inc"
#undef TG_FUNCTIONAL_ERROR
  CHECK(n == 35);
}

TEST_CASE("jacobian and hessian of x^3 against the analytic ones", "[functional]") {
  const auto x = doubles({0.5, -1.25, 2.0, 3.0});
  auto cube = [](const tg::Tensor& t) { return t * t * t; };
  const tg::Tensor J = F::jacobian(cube, x);
  const tg::Tensor H = F::hessian([&](const tg::Tensor& t) { return cube(t).sum(); }, x);
  std::vector<double> dj(16, 0.0);
  std::vector<double> dh(16, 0.0);
  const std::vector<double> xs = {0.5, -1.25, 2.0, 3.0};
  for (std::size_t i = 0; i < 4; ++i) {
    dj[i * 5] = 3 * xs[i] * xs[i];
    dh[i * 5] = 6 * xs[i];
  }
  CHECK(J.sizes() == std::vector<std::int64_t>{4, 4});
  CHECK(H.sizes() == std::vector<std::int64_t>{4, 4});
  check_close(flat_values(J), dj, 1e-14);
  check_close(flat_values(H), dh, 1e-14);
  // the same through every strategy
  check_close(flat_values(F::jacobian(cube, x, false, false, true)), dj, 1e-14);
  check_close(flat_values(F::jacobian(cube, x, false, false, true, "forward-mode")), dj, 1e-14);
  check_close(flat_values(F::hessian([&](const tg::Tensor& t) { return cube(t).sum(); }, x, false, false, true,
                                     "forward-mode")),
              dh, 1e-14);
}

TEST_CASE("jacobian of f(x, y) = (x*y + sin(x), y) against the analytic one", "[functional]") {
  const std::vector<double> xs = {0.5, -1.25, 2.0};
  const std::vector<double> ys = {1.5, 0.25, -0.75};
  auto f = [](const tg::tensor_list& a) { return tg::tensor_list{a[0] * a[1] + sin(a[0]), a[1] * 1.0}; };
  const std::vector<tg::tensor_list> Js = F::jacobian(f, {doubles(xs), doubles(ys)});
  REQUIRE(Js.size() == 2);
  REQUIRE(Js[0].size() == 2);
  std::vector<double> d00(9, 0.0), d01(9, 0.0), d11(9, 0.0);
  for (std::size_t i = 0; i < 3; ++i) {
    d00[i * 4] = ys[i] + std::cos(xs[i]);
    d01[i * 4] = xs[i];
    d11[i * 4] = 1.0;
  }
  check_close(flat_values(Js[0][0]), d00, 1e-14);
  check_close(flat_values(Js[0][1]), d01, 1e-14);
  check_close(flat_values(Js[1][0]), std::vector<double>(9, 0.0), 0);  // non-strict: zeros
  check_close(flat_values(Js[1][1]), d11, 1e-14);
}

TEST_CASE("hessian of a quadratic form is its matrix", "[functional]") {
  // q(x) = 1/2 x^T A x with A = [[2, 1, 0], [1, 3, -1], [0, -1, 4]], built from selects
  const std::vector<std::vector<double>> A = {{2, 1, 0}, {1, 3, -1}, {0, -1, 4}};
  auto q = [&A](const tg::Tensor& x) {
    tg::Tensor s = x.select(0, 0) * 0.0;
    for (std::int64_t i = 0; i < 3; ++i)
      for (std::int64_t j = 0; j < 3; ++j) s = s + 0.5 * A[i][j] * x.select(0, i) * x.select(0, j);
    return s;
  };
  const auto x = doubles({0.3, -0.7, 1.1});
  std::vector<double> flat;
  for (const auto& row : A) flat.insert(flat.end(), row.begin(), row.end());
  check_close(flat_values(F::hessian(q, x)), flat, 1e-14);
  // H v and v^T H for a symmetric H
  const auto v = doubles({1.0, 2.0, -1.0});
  const std::vector<double> Av = {2 + 2, 1 + 6 + 1, -2 - 4};
  check_close(flat_values(F::hvp(q, x, v).second), Av, 1e-14);
  check_close(flat_values(F::vhp(q, x, v).second), Av, 1e-14);
  // and the gradient A x through vjp with v = None (a single-element output)
  const std::vector<double> Ax = {2 * 0.3 - 0.7, 0.3 - 2.1 - 1.1, 0.7 + 4.4};
  check_close(flat_values(F::vjp(q, x).second), Ax, 1e-14);
}

TEST_CASE("result nesting and shapes follow torch", "[functional]") {
  const auto m = doubles({0.5, 1.0, -0.75, 0.25, 2.0, -1.0}).view({2, 3});
  const auto x = doubles({1.0, 2.0});
  // Tensor -> Tensor: out.sizes + in.sizes
  const tg::Tensor J = F::jacobian([](const tg::Tensor& t) { return t.sum({1}); }, m);
  CHECK(J.sizes() == std::vector<std::int64_t>{2, 2, 3});
  // Tensor -> tensor_list: one block per output
  const tg::tensor_list per_output = F::jacobian([](const tg::Tensor& t) { return tg::tensor_list{t.sum(), t * 2.0}; }, m);
  REQUIRE(per_output.size() == 2);
  CHECK(per_output[0].sizes() == std::vector<std::int64_t>{2, 3});
  CHECK(per_output[1].sizes() == std::vector<std::int64_t>{2, 3, 2, 3});
  // tensor_list -> Tensor: one block per input
  const tg::tensor_list per_input = F::jacobian([](const tg::tensor_list& a) { return a[0].sum({1}) * a[1].sum(); }, {m, x});
  REQUIRE(per_input.size() == 2);
  CHECK(per_input[0].sizes() == std::vector<std::int64_t>{2, 2, 3});
  CHECK(per_input[1].sizes() == std::vector<std::int64_t>{2, 2});
  // a single input in a list stays a list
  const std::vector<tg::tensor_list> nested = F::jacobian([](const tg::tensor_list& a) { return tg::tensor_list{a[0] * 2.0}; }, {x});
  CHECK(nested.size() == 1);
  CHECK(nested[0].size() == 1);
  // hessian over two inputs: Hs[i][j] with sizes in_i + in_j
  const auto Hs = F::hessian([](const tg::tensor_list& a) { return (a[0] * a[0]).sum() * a[1].sum(); }, {m, x});
  CHECK(Hs[0][0].sizes() == std::vector<std::int64_t>{2, 3, 2, 3});
  CHECK(Hs[0][1].sizes() == std::vector<std::int64_t>{2, 3, 2});
  CHECK(Hs[1][0].sizes() == std::vector<std::int64_t>{2, 2, 3});
  CHECK(Hs[1][1].sizes() == std::vector<std::int64_t>{2, 2});
  // vjp/jvp pairs: (func_output, result) shaped like torch's
  auto [out, vj] = F::vjp([](const tg::tensor_list& a) { return a[0].sum({1}) * a[1].sum(); }, {m, x}, doubles({1.0, -1.0}));
  CHECK(out.sizes() == std::vector<std::int64_t>{2});
  REQUIRE(vj.size() == 2);
  CHECK(vj[1].sizes() == std::vector<std::int64_t>{2});
  auto [outs, jv] = F::jvp([](const tg::Tensor& t) { return tg::tensor_list{t.sum(), t * 2.0}; }, m, m);
  REQUIRE(jv.size() == 2);
  CHECK(jv[0].dim() == 0);
  CHECK(jv[1].sizes() == std::vector<std::int64_t>{2, 3});
  CHECK(outs[1].sizes() == std::vector<std::int64_t>{2, 3});
}

TEST_CASE("inputs are detached unless create_graph", "[functional]") {
  const auto x = tg::tensor({0.5, -1.25, 2.0}, tg::requires_grad());
  auto cube = [](const tg::Tensor& t) { return t * t * t; };
  const tg::Tensor J = F::jacobian(cube, x);
  CHECK_FALSE(J.requires_grad());
  auto [y, vj] = F::vjp(cube, x, tg::ones_like(x));
  CHECK_FALSE(y.requires_grad());
  CHECK_FALSE(vj.requires_grad());
  CHECK_FALSE(x.grad().defined());
  // with create_graph the result is a function of the caller's x: d/dx sum(J) = 6x
  const tg::Tensor Jg = F::jacobian(cube, x, /*create_graph=*/true);
  CHECK(Jg.requires_grad());
  Jg.sum().backward();
  check_close(flat_values(x.grad()), {3.0, -7.5, 12.0}, 1e-14);
  // a function that captures the caller's tensor sees it as a constant (torch issue 32576)
  const auto c = tg::tensor({2.0, 3.0, 4.0}, tg::requires_grad());
  const tg::Tensor Jc = F::jacobian([&c](const tg::Tensor& t) { return t * c; }, x);
  check_close(flat_values(Jc), {2, 0, 0, 0, 3, 0, 0, 0, 4}, 0);
  // grad mode off outside: results still computed, without history
  tg::NoGradGuard no_grad;
  check_close(flat_values(F::jacobian(cube, x)), {0.75, 0, 0, 0, 4.6875, 0, 0, 0, 12.0}, 1e-14);
  auto [out, hv] = F::hvp([](const tg::Tensor& t) { return (t * t * t).sum(); }, x, tg::ones_like(x));
  CHECK_FALSE(hv.requires_grad());
  check_close(flat_values(hv), {3.0, -7.5, 12.0}, 1e-14);
}

TEST_CASE("v = None is std::nullopt or an undefined Tensor", "[functional]") {
  const auto s = doubles({1.5});
  auto cube = [](const tg::Tensor& t) { return t * t * t; };
  check_close(flat_values(F::jvp(cube, s).second), {6.75}, 1e-14);
  check_close(flat_values(F::jvp(cube, s, tg::Tensor()).second), {6.75}, 1e-14);
  check_close(flat_values(F::vjp(cube, s, std::nullopt).second), {6.75}, 1e-14);
  check_close(flat_values(F::hvp(cube, s).second), {9.0}, 1e-14);
  check_close(flat_values(F::vhp(cube, s).second), {9.0}, 1e-14);
}

TEST_CASE("functional handles complex inputs with torch's conjugate convention", "[functional]") {
  // f(z) = z * z is holomorphic: jvp gives f'(z) v, vjp gives conj(f'(z)) v (torch's
  // gradient convention).
  const auto z = tg::tensor({std::complex<double>(1, 2)});
  const auto v = tg::tensor({std::complex<double>(0.5, -1)});
  auto square = [](const tg::Tensor& t) { return t * t; };
  const std::complex<double> fz = 2.0 * std::complex<double>(1, 2);
  const std::complex<double> jv = fz * std::complex<double>(0.5, -1);
  const std::complex<double> vj = std::conj(fz) * std::complex<double>(0.5, -1);
  check_close(flat_values(F::jvp(square, z, v).second), {jv.real(), jv.imag()}, 1e-14);
  check_close(flat_values(F::vjp(square, z, v).second), {vj.real(), vj.imag()}, 1e-14);
  // The rows of a reverse-mode Jacobian are grad() calls without grad_outputs: current PyTorch
  // refuses them for complex outputs (1.13 returned conj(f'(z)))
  CHECK_THROWS_WITH(F::jacobian(square, z),
                    "grad can be implicitly created only for real scalar outputs but got torch.complex128");
  // a real function of a complex input is fine: d/dz (z conj(z)).real gives 2z (dL/dx + i dL/dy)
  check_close(flat_values(F::jacobian([](const tg::Tensor& t) { return real(t * conj(t)); }, z)), {2.0, 4.0}, 1e-14);
  // so is the Hessian's outer Jacobian, whose outputs are that complex gradient
  CHECK_THROWS_WITH(F::hessian([](const tg::Tensor& t) { return real(t * conj(t)).sum(); }, z),
                    "grad can be implicitly created only for real scalar outputs but got torch.complex128");
  // v^T H through vhp has grad_outputs and works: d/dz conj(grad) . v for L = |z|^2 gives 2 v
  check_close(flat_values(F::vhp([](const tg::Tensor& t) { return real(t * conj(t)).sum(); }, z, v).second), {1.0, -2.0},
              1e-14);
}

TEST_CASE("jacobian blocks take the input's dtype in reverse mode, the output's in forward mode", "[functional]") {
  const auto x = tg::tensor({0.5, -1.25}, tg::dtype(tg::kFloat));
  auto widen = [](const tg::Tensor& t) { return t.to(tg::kDouble) * 2.0; };
  const tg::Tensor reverse = F::jacobian(widen, x);
  const tg::Tensor forward = F::jacobian(widen, x, false, false, true, "forward-mode");
  CHECK(reverse.dtype() == tg::kFloat);
  CHECK(forward.dtype() == tg::kDouble);
  check_close(flat_values(reverse), {2, 0, 0, 2}, 0);
  check_close(flat_values(forward), {2, 0, 0, 2}, 0);
  // an input without elements gives empty blocks
  const auto empty = tg::zeros({0}, tg::dtype(tg::kDouble));
  CHECK(F::jacobian([](const tg::Tensor& t) { return t.sum(); }, empty, false, false, true, "forward-mode").sizes() ==
        std::vector<std::int64_t>{0});
}
