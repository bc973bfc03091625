// tg::fuse: one pass, one node. Values and gradients against the unfused dynamic layer (the same
// callable run with tensors), every dtype, broadcasting and promotion, gradcheck/gradgradcheck,
// the node's place in the graph (name, formula, next_functions, hooks, retain_graph, version
// checks), forward mode, threads.
#include <catch2/catch.hpp>

#include <array>
#include <atomic>
#include <complex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <typegrad/typegrad.hpp>

#include "functions/support.hpp"
#include "support/tensor_values.hpp"

namespace {
using test_support::input;
using test_support::values;
using cd = std::complex<double>;

/// Relative tolerance of a comparison between fused and unfused results in `dtype`.
double tolerance(tg::ScalarType dtype) {
  switch (dtype) {
    case tg::kHalf: return 2e-2;
    case tg::kBFloat16: return 1e-1;
    case tg::kFloat:
    case tg::kComplexFloat: return 2e-5;
    default: return 1e-12;
  }
}

/// |a - b| <= tol * (1 + |b|) elementwise (complex parts compared one by one).
void check_close(const tg::Tensor& a, const tg::Tensor& b, double tol) {
  REQUIRE(a.sizes() == b.sizes());
  const bool complex = tg::is_complex(a.dtype()) || tg::is_complex(b.dtype());
  const auto parts = [&](const tg::Tensor& t) {
    if (!complex) return std::vector<std::vector<double>>{values(t)};
    const auto c = t.to(tg::kComplexDouble);
    return std::vector<std::vector<double>>{values(tg::real(c)), values(tg::imag(c))};
  };
  const auto pa = parts(a), pb = parts(b);
  for (std::size_t p = 0; p < pa.size(); ++p) {
    for (std::size_t i = 0; i < pa[p].size(); ++i) {
      INFO("element " << i << (p ? " (imaginary part)" : ""));
      CHECK(std::abs(pa[p][i] - pb[p][i]) <= tol * (1 + std::abs(pb[p][i])));
    }
  }
}

/// Fused and unfused f on `inputs`: the same values, and the same gradients for a random output
/// gradient (both computed by backward).
template <class F, class... T> void check_against_unfused(const F& f, double tol, const T&... inputs) {
  const std::array<tg::Tensor, sizeof...(T)> x{inputs.detach().requires_grad_(tg::is_differentiable(inputs.dtype()))...};
  const auto [fused, plain] = [&]<std::size_t... I>(std::index_sequence<I...>) {
    return std::pair{tg::fuse(f, x[I]...), tg::Tensor(f(x[I]...))};
  }(std::index_sequence_for<T...>{});
  CHECK(fused.dtype() == plain.dtype());
  CHECK(fused.grad_fn()->name() == "FusedBackward0");
  check_close(fused, plain, tol);
  const auto g = tg::randn(plain.sizes(), tg::dtype(plain.dtype()));
  tg::tensor_list wrt;
  for (const auto& t : x)
    if (t.requires_grad()) wrt.push_back(t);
  const auto gf = tg::autograd::grad({fused}, wrt, {g});
  const auto gp = tg::autograd::grad({plain}, wrt, {g});
  for (std::size_t i = 0; i < wrt.size(); ++i) {
    INFO("gradient of input " << i);
    CHECK(gf[i].dtype() == wrt[i].dtype());
    check_close(gf[i], gp[i], tol);
  }
}

const std::vector<tg::ScalarType> real_dtypes{tg::kDouble, tg::kFloat, tg::kHalf, tg::kBFloat16};
const std::vector<tg::ScalarType> all_dtypes{tg::kDouble,   tg::kFloat,        tg::kHalf,
                                             tg::kBFloat16, tg::kComplexFloat, tg::kComplexDouble};

}  // namespace

TEST_CASE("fuse: values and gradients equal the unfused operations, every dtype", "[fuse]") {
  // 37 elements: four full AVX batches of double plus a tail, and strided/broadcast cases below.
  for (auto dtype : all_dtypes) {
    INFO(tg::scalar_type_name(dtype));
    const double tol = tolerance(dtype);
    const auto a = input({37}, dtype, 0.2, 0.9);
    const auto b = input({37}, dtype, 0.3, 0.8);
    check_against_unfused([](auto x, auto y) { return x * y + x / y - y; }, tol, a, b);
    check_against_unfused([](auto x, auto y) { return tg::exp(x) * tg::sin(y) + tg::cos(x * y); }, tol, a, b);
    check_against_unfused([](auto x) { return tg::log(x) + tg::sqrt(x) * tg::tanh(x) - tg::square(x); }, tol, a);
    check_against_unfused([](auto x, auto y) { return tg::pow(x, y) + tg::sinh(x) / tg::cosh(y); }, tol, a, b);
    check_against_unfused([](auto x) { return tg::asin(x) + tg::acos(x) * tg::atan(x) + tg::asinh(x) + tg::atanh(x); }, tol, a);
    check_against_unfused([](auto x) { return tg::exp2(x) + tg::expm1(x) + tg::log2(x) + tg::log10(x) + tg::log1p(x); }, tol, a);
    check_against_unfused([](auto x) { return tg::tan(x) * tg::sigmoid(x) - tg::acosh(x + 1.5); }, tol, a);
  }
  for (auto dtype : real_dtypes) {
    INFO(tg::scalar_type_name(dtype));
    const double tol = tolerance(dtype);
    const auto a = input({37}, dtype, -0.9, 0.9);
    const auto b = input({37}, dtype, -0.8, 0.8);
    check_against_unfused([](auto x, auto y) { return tg::atan2(x, y) + tg::hypot(x, y) + tg::fmax(x, y) * tg::fmin(x, y); }, tol, a, b);
    check_against_unfused([](auto x) { return tg::relu(x) + tg::softplus(x) * tg::abs(x) + tg::erf(x) - tg::erfc(x); }, tol, a);
    check_against_unfused([](auto x) { return tg::lgamma(x + 2.0) + tg::digamma(x + 2.0); }, tol, a);
  }
  for (auto dtype : {tg::kComplexFloat, tg::kComplexDouble}) {
    INFO(tg::scalar_type_name(dtype));
    const auto a = input({37}, dtype, 0.2, 0.9);
    const auto b = input({37}, dtype, 0.3, 0.8);
    // real-valued functions of complex inputs: a real output, complex gradients (torch's convention)
    check_against_unfused([](auto x, auto y) { return tg::abs(x * y) + tg::real(x) * tg::imag(y); }, tolerance(dtype), a, b);
    check_against_unfused([](auto x) { return tg::conj(x) * x + tg::abs(x); }, tolerance(dtype), a);
  }
}

TEST_CASE("fuse: broadcasting, strided operands and type promotion as torch", "[fuse]") {
  const auto a = input({3, 1}, tg::kDouble);
  const auto b = input({4}, tg::kDouble);
  const auto c = input({}, tg::kDouble);
  const auto f = [](auto x, auto y, auto z) { return x * tg::exp(y) + z * y; };
  check_against_unfused(f, 1e-12, a, b, c);
  CHECK(tg::fuse(f, a, b, c).sizes() == std::vector<std::int64_t>{3, 4});
  // a transposed (strided) operand
  const auto m = input({4, 3}, tg::kFloat).t();
  check_against_unfused([](auto x, auto y) { return x * y + tg::sin(x); }, 2e-5, m, input({3, 4}, tg::kFloat));
  // float with double: double; half with bfloat16: float; long computes in float (no gradient)
  CHECK(tg::fuse([](auto x, auto y) { return x + y; }, input({2}, tg::kFloat), input({2}, tg::kDouble)).dtype() ==
        tg::kDouble);
  CHECK(tg::fuse([](auto x, auto y) { return x * y; }, input({2}, tg::kHalf), input({2}, tg::kBFloat16)).dtype() ==
        tg::kFloat);
  const auto n = tg::tensor({1, 2, 3});
  const auto w = input({3}, tg::kFloat);
  auto y = tg::fuse([](auto k, auto v) { return k * v + tg::sqrt(k); }, n, w);
  CHECK(y.dtype() == tg::kFloat);
  y.sum().backward();
  CHECK(values(w.grad()) == values(n.to(tg::kFloat)));
  // a 0-dim double with a float vector: float (torch's priority of dimensioned tensors)
  CHECK(tg::fuse([](auto x, auto s) { return x * s; }, input({2}, tg::kFloat), input({}, tg::kDouble)).dtype() ==
        tg::kFloat);
  CHECK_THROWS_WITH(tg::fuse([](auto x, auto y) { return x + y; }, input({2}, tg::kDouble), input({3}, tg::kDouble)),
                    Catch::Contains("must match the size of tensor b"));
}

TEST_CASE("fuse: gradcheck and gradgradcheck in double and complex double", "[fuse][gradcheck]") {
  for (auto dtype : {tg::kDouble, tg::kComplexDouble}) {
    INFO(tg::scalar_type_name(dtype));
    const auto a = input({2, 3}, dtype);
    const auto b = input({3}, dtype);
    const test_support::fn holomorphic = [](const tg::tensor_list& in) {
      return tg::fuse([](auto x, auto y) { return tg::exp(x) * y + tg::log(x + y) / (y * y); }, in[0], in[1]);
    };
    CHECK(test_support::gradchecks(holomorphic, {a, b}));
    CHECK(test_support::gradgradchecks(holomorphic, {a, b}));
    const test_support::fn real_valued = [](const tg::tensor_list& in) {
      return tg::fuse([](auto x, auto y) { return tg::abs(x * y) + tg::real(tg::sin(x)); }, in[0], in[1]);
    };
    CHECK(test_support::gradchecks(real_valued, {a, b}));
    CHECK(test_support::gradgradchecks(real_valued, {a, b}));
  }
}

TEST_CASE("fuse: every static-layer name fuses, differentiated through its traced expression", "[fuse][create_graph]") {
  // Inside f, tg::norm is |z|^2 and tg::max(x, y) the elementwise maximum: the create_graph
  // backward and complex tangents evaluate f's traced expression, not f on tensors (where
  // tg::norm is the 2-norm reduction).
  const auto z = input({5}, tg::kComplexDouble, 0.3, 0.9);
  const test_support::fn complex_body = [](const tg::tensor_list& in) {
    return tg::fuse([](auto x) { return tg::norm(x) + tg::arg(x) * tg::real(x); }, in[0]);
  };
  const auto zr = values(tg::real(z)), zi = values(tg::imag(z));
  const auto got = values(complex_body({z}));
  REQUIRE(got.size() == zr.size());
  for (std::size_t i = 0; i < zr.size(); ++i) {
    CHECK(got[i] == Approx(zr[i] * zr[i] + zi[i] * zi[i] + std::atan2(zi[i], zr[i]) * zr[i]).epsilon(1e-12));
  }
  CHECK(test_support::gradchecks(complex_body, {z}));
  CHECK(test_support::gradgradchecks(complex_body, {z}));

  const auto a = input({6}, tg::kDouble, 0.3, 1.4);
  const auto b = input({6}, tg::kDouble, 0.5, 1.5);
  const auto body = [](auto x, auto y) {
    return tg::cbrt(x) * tg::tgamma(y) + tg::max(x, y) - tg::min(x, y) * tg::polygamma<1>(y) + tg::fabs(x - y) +
           tg::where(x > y, x * y, x - y) + tg::pow(x, 3) - tg::norm(y);
  };
  const test_support::fn real_body = [&](const tg::tensor_list& in) { return tg::fuse(body, in[0], in[1]); };
  const auto fused = values(real_body({a, b}));
  const auto x = values(a), y = values(b);
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double trigamma = [&] {  // psi_1(y) = sum 1 / (y + k)^2, tail by its asymptotic expansion
      double t = 0, v = y[i];
      for (; v < 20; v += 1) t += 1 / (v * v);
      return t + 1 / v + 1 / (2 * v * v) + 1 / (6 * v * v * v);
    }();
    const double expected = std::cbrt(x[i]) * std::tgamma(y[i]) + std::max(x[i], y[i]) -
                            std::min(x[i], y[i]) * trigamma + std::fabs(x[i] - y[i]) +
                            (x[i] > y[i] ? x[i] * y[i] : x[i] - y[i]) + x[i] * x[i] * x[i] - y[i] * y[i];
    CHECK(fused[i] == Approx(expected).epsilon(1e-6));
  }
  CHECK(test_support::gradchecks(real_body, {a, b}));
  CHECK(test_support::gradgradchecks(real_body, {a, b}));
  test_support::check_forward_matches_backward(real_body, {a, b});
  test_support::check_forward_matches_backward(
      [](const tg::tensor_list& in) { return tg::fuse_sum([](auto x) { return tg::norm(x) * tg::cbrt(x); }, in[0]); }, {a});
  // the same names on tensors, recorded with their nodes
  CHECK(tg::cbrt(a).grad_fn()->name() == "CbrtBackward0");
  CHECK(tg::tgamma(a).grad_fn()->name() == "TgammaBackward0");
  CHECK(tg::max(a, b).grad_fn()->name() == "MaximumBackward0");
  CHECK(values(tg::polygamma<1>(b)) == values(tg::polygamma(1, b)));
}

TEST_CASE("fuse: one node with torch's graph API", "[fuse][graph]") {
  const auto a = tg::tensor({0.5, 1.5}, tg::requires_grad());
  const auto b = tg::tensor({2.0, 3.0});           // no grad: an invalid edge
  const auto c = tg::tensor({1.0, -1.0}, tg::requires_grad()) * 2.0;  // a non-leaf
  auto z = tg::fuse([](auto x, auto y, auto w) { return x * y + tg::sin(w); }, a, b, c);
  const auto& node = z.grad_fn();
  CHECK(node->name() == "FusedBackward0");
  CHECK(std::any_cast<std::string>(node->metadata().at("formula")) == "x0 * x1 + sin(x2)");
  const auto next = node->next_functions();
  REQUIRE(next.size() == 3);
  CHECK(next[0].first->name() == "torch::autograd::AccumulateGrad");
  CHECK(next[1].first == nullptr);
  CHECK(next[2].first->name() == "MulBackward0");

  // hooks on the node: the pre-hook sees the output gradient, the post-hook the inputs' gradients
  int pre = 0, post = 0;
  node->register_prehook([&](const tg::tensor_list& g) -> std::optional<tg::tensor_list> {
    ++pre;
    CHECK(values(g[0]) == std::vector<double>{1.0, 1.0});
    return tg::tensor_list{g[0] * 2.0};
  });
  node->register_hook([&](const tg::tensor_list& grad_inputs, const tg::tensor_list&) -> std::optional<tg::tensor_list> {
    ++post;
    CHECK(!grad_inputs[1].defined());  // b needs no gradient
    return std::nullopt;
  });
  auto loss = z.sum();
  loss.backward({}, /*retain_graph=*/true);
  CHECK(pre == 1);
  CHECK(post == 1);
  CHECK(values(a.grad()) == std::vector<double>{4.0, 6.0});  // doubled by the pre-hook
  loss.backward();
  CHECK(values(a.grad()) == std::vector<double>{8.0, 12.0});
  CHECK_THROWS_WITH(loss.backward(), Catch::Contains("Trying to backward through the graph a second time"));
}

TEST_CASE("fuse: saved operands are version-checked", "[fuse][version][errors]") {
  const auto a = tg::tensor({1.0f, 2.0f}, tg::requires_grad());
  auto h = a * 1.0;
  auto z = tg::fuse([](auto x) { return x * x; }, h);
  h.add_(1.0);
  CHECK_THROWS_WITH(z.sum().backward(),
                    "one of the variables needed for gradient computation has been modified by an inplace operation: "
                    "[torch.FloatTensor [2]], which is output 0 of MulBackward0, is at version 1; expected version 0 "
                    "instead. Hint: enable anomaly detection to find the operation that failed to compute its "
                    "gradient, with torch.autograd.set_detect_anomaly(True).");
}

TEST_CASE("fuse: create_graph gives differentiable gradients (double and triple backward)", "[fuse][create_graph]") {
  const auto x = tg::tensor({0.3, 0.7, 1.1}, tg::requires_grad());
  const auto f = [](auto v) { return tg::sin(v) * v; };
  auto y = tg::fuse(f, x).sum();
  auto g1 = tg::autograd::grad({y}, {x}, {}, std::nullopt, true)[0];
  auto g2 = tg::autograd::grad({g1.sum()}, {x}, {}, std::nullopt, true)[0];
  auto g3 = tg::autograd::grad({g2.sum()}, {x})[0];
  const auto v = values(x);
  for (std::size_t i = 0; i < v.size(); ++i) {
    CHECK(values(g1)[i] == Approx(std::cos(v[i]) * v[i] + std::sin(v[i])));
    CHECK(values(g2)[i] == Approx(2 * std::cos(v[i]) - v[i] * std::sin(v[i])));
    CHECK(values(g3)[i] == Approx(-3 * std::sin(v[i]) - v[i] * std::cos(v[i])));
  }
}

TEST_CASE("fuse: create_graph records the gradients as one fused node, whose backward is fused too", "[fuse][create_graph]") {
  const auto f = [](auto x, auto y) { return tg::sin(x) * y + tg::exp(x * y) / (1 + y * y); };
  for (auto dtype : {tg::kDouble, tg::kFloat}) {
    INFO(tg::scalar_type_name(dtype));
    const double tol = dtype == tg::kDouble ? 1e-10 : 2e-4;
    const auto a = input({3, 4}, dtype);
    const auto b = input({4}, dtype);  // broadcast
    const auto fused = tg::fuse(f, a, b);
    const auto plain = f(a, b);
    const auto g = tg::randn(plain.sizes(), tg::dtype(dtype)).requires_grad_();
    const auto gf = tg::autograd::grad({fused}, {a, b}, {g}, std::nullopt, true);
    const auto gp = tg::autograd::grad({plain}, {a, b}, {g}, std::nullopt, true);
    REQUIRE(gf[0].grad_fn());
    CHECK(gf[0].grad_fn()->name() == "FusedBackwardBackward0");
    CHECK(gf[0].grad_fn()->next_functions().size() == 3);  // a, b and g
    // second order: through a, b and the output gradient g, against the unfused operations
    const auto w0 = tg::randn({3, 4}, tg::dtype(dtype));
    const auto w1 = tg::randn({4}, tg::dtype(dtype));
    const auto sf = (gf[0] * w0).sum() + (gf[1] * w1).sum();
    const auto sp = (gp[0] * w0).sum() + (gp[1] * w1).sum();
    const auto hf = tg::autograd::grad({sf}, {a, b, g}, {}, std::nullopt, true);
    const auto hp = tg::autograd::grad({sp}, {a, b, g}, {}, std::nullopt, true);
    for (std::size_t i = 0; i < 3; ++i) {
      INFO("second-order gradient " << i);
      check_close(hf[i], hp[i], tol);
    }
    // third order through the traced expression
    const auto tf = tg::autograd::grad({hf[0].sum() + hf[2].sum()}, {a, b})[0];
    const auto tp = tg::autograd::grad({hp[0].sum() + hp[2].sum()}, {a, b})[0];
    check_close(tf, tp, 10 * tol);
  }
  // fuse_sum: its gradients' node and gradgradcheck with broadcasting
  const auto x = input({2, 3}, tg::kDouble);
  const auto y = input({3}, tg::kDouble);
  const auto s = tg::fuse_sum(f, x, y);
  const auto gs = tg::autograd::grad({s}, {x}, {}, std::nullopt, true)[0];
  CHECK(gs.grad_fn()->name() == "FusedSumBackwardBackward0");
  const test_support::fn summed = [&](const tg::tensor_list& in) { return tg::fuse_sum(f, in[0], in[1]); };
  CHECK(test_support::gradgradchecks(summed, {x, y}));
  const test_support::fn broadcast = [&](const tg::tensor_list& in) { return tg::fuse(f, in[0], in[1]); };
  CHECK(test_support::gradgradchecks(broadcast, {x, y}));
}

TEST_CASE("fuse: forward-mode tangents", "[fuse][forward_ad]") {
  for (auto dtype : {tg::kDouble, tg::kComplexDouble}) {
    const test_support::fn f = [](const tg::tensor_list& in) {
      return tg::fuse([](auto x, auto y) { return tg::exp(x) * y + x / y; }, in[0], in[1]);
    };
    const auto a = input({4}, dtype);
    const auto b = input({4}, dtype);
    if (dtype == tg::kDouble) test_support::check_forward_matches_backward(f, {a, b});
    namespace fwd = tg::autograd::forward_ad;
    fwd::dual_level level;
    const auto ta = tg::randn({4}, tg::dtype(dtype));
    const auto fused = fwd::unpack_dual(f({fwd::make_dual(a.detach(), ta), b.detach()})).tangent;
    const auto plain = fwd::unpack_dual(tg::exp(fwd::make_dual(a.detach(), ta)) * b.detach() +
                                        fwd::make_dual(a.detach(), ta) / b.detach())
                           .tangent;
    check_close(fused, plain, 1e-12);
  }
}

TEST_CASE("fuse: forward-mode tangents in one pass for every real dtype, broadcast, and of fuse_sum", "[fuse][forward_ad]") {
  namespace fwd = tg::autograd::forward_ad;
  const auto f = [](auto x, auto y) { return tg::sigmoid(x) * tg::log1p(y * y) - x / (1 + y * y); };
  for (auto dtype : real_dtypes) {
    INFO(tg::scalar_type_name(dtype));
    const auto a = input({3, 4}, dtype).detach();
    const auto b = input({4}, dtype).detach();
    const auto ta = tg::randn({3, 4}, tg::dtype(dtype));
    const auto tb = tg::randn({4}, tg::dtype(dtype));
    fwd::dual_level level;
    // tangents on both operands, on one of them, and a tangent of another dtype (converted)
    for (int which = 0; which < 3; ++which) {
      const auto da = which == 1 ? a : fwd::make_dual(a, ta);
      const auto db = which == 2 ? b : fwd::make_dual(b, which == 0 ? tb.to(tg::kDouble) : tb);
      const auto fused = fwd::unpack_dual(tg::fuse(f, da, db)).tangent;
      const auto plain = fwd::unpack_dual(f(da, db)).tangent;
      REQUIRE(fused.defined());
      CHECK(fused.dtype() == dtype);
      check_close(fused, plain, tolerance(dtype));
      const auto fused_sum = fwd::unpack_dual(tg::fuse_sum(f, da, db)).tangent;
      CHECK(fused_sum.dim() == 0);
      check_close(fused_sum.to(tg::kDouble), plain.to(tg::kDouble).sum(), 12 * tolerance(dtype));
    }
  }
}

TEST_CASE("fuse: concurrent use from threads", "[fuse][threads]") {
  const auto shared = tg::tensor({0.5, 1.0, 1.5}, tg::requires_grad());
  std::atomic<int> failures{0};
  std::vector<std::thread> pool;
  std::vector<tg::Tensor> own(4);
  for (int k = 0; k < 4; ++k) {
    own[static_cast<std::size_t>(k)] = tg::tensor({1.0 * k, 2.0, 3.0}, tg::requires_grad());
    pool.emplace_back([&, k] {
      try {
        for (int r = 0; r < 10; ++r) {
          auto z = tg::fuse([](auto x, auto s) { return x * x + s; }, own[static_cast<std::size_t>(k)], shared);
          z.sum().backward();
        }
      } catch (...) {
        ++failures;
      }
    });
  }
  for (auto& t : pool) t.join();
  CHECK(failures == 0);
  for (int k = 0; k < 4; ++k) CHECK(values(own[static_cast<std::size_t>(k)].grad())[0] == 10 * 2.0 * k);
  CHECK(values(shared.grad()) == std::vector<double>{40.0, 40.0, 40.0});
}

TEST_CASE("fuse: no history without grad mode or operands requiring grad, and bad operands", "[fuse][grad_mode][errors]") {
  const auto a = tg::tensor({1.0, 2.0}, tg::requires_grad());
  {
    tg::NoGradGuard no_grad;
    CHECK(tg::fuse([](auto x) { return x * 2.0; }, a).grad_fn() == nullptr);
  }
  const auto z = tg::fuse([](auto x) { return x * 2.0; }, a.detach());
  CHECK_FALSE(z.requires_grad());
  CHECK(values(z) == std::vector<double>{2.0, 4.0});
  CHECK_THROWS_WITH(tg::fuse([](auto x) { return x; }, tg::Tensor()), "tg::fuse: operand 0 is an undefined tensor");
  // a real-only function is not instantiated for complex elements: complex tensors are refused
  CHECK_THROWS_WITH(tg::fuse([](auto x) { return tg::relu(x); }, input({2}, tg::kComplexDouble)),
                    Catch::Contains("f uses a function defined for real values only") &&
                        Catch::Contains("so it cannot run on ComplexDouble tensors"));
}

TEST_CASE("fuse_sum: the sum of the fused body without storing it, and its gradients", "[fuse][fuse_sum]") {
  for (auto dtype : all_dtypes) {
    INFO(tg::scalar_type_name(dtype));
    const double tol = tolerance(dtype);
    const auto a = input({5, 37}, dtype, 0.2, 0.9);  // rows of a full batch or more and a tail
    const auto b = input({37}, dtype, 0.3, 0.8);     // broadcast along the rows
    const auto f = [](auto x, auto y) { return x * tg::log(y) + tg::exp(x) / y; };
    const auto s = tg::fuse_sum(f, a, b);
    const auto plain = f(a, b).sum();
    CHECK(s.dim() == 0);
    CHECK(s.dtype() == plain.dtype());
    CHECK(s.grad_fn()->name() == "FusedSumBackward0");
    check_close(s, plain, tol);
    const auto one = tg::ones({}, tg::dtype(s.dtype()));  // complex sums need an explicit output gradient
    const auto gs = tg::autograd::grad({s}, {a, b}, {one});
    const auto gp = tg::autograd::grad({plain}, {a, b}, {one});
    check_close(gs[0], gp[0], tol);
    check_close(gs[1], gp[1], tol * 40);  // summed over 5 rows in another order
  }
  // a real-valued body of complex inputs sums to a real number
  const auto z = input({9}, tg::kComplexDouble);
  const auto r = tg::fuse_sum([](auto v) { return tg::abs(v) * tg::real(v); }, z);
  CHECK(r.dtype() == tg::kDouble);
  check_close(r, (tg::abs(z) * tg::real(z)).sum(), 1e-12);
  // the formula, gradcheck and gradgradcheck, create_graph to second order
  CHECK(std::any_cast<std::string>(r.grad_fn()->metadata().at("formula")) == "sum(abs(x0) * real(x0))");
  const test_support::fn loss = [](const tg::tensor_list& in) {
    return tg::fuse_sum([](auto x, auto y) { return tg::sin(x) * y + x * x; }, in[0], in[1]);
  };
  CHECK(test_support::gradchecks(loss, {input({3, 2}, tg::kDouble), input({2}, tg::kDouble)}));
  CHECK(test_support::gradgradchecks(loss, {input({3, 2}, tg::kDouble), input({2}, tg::kDouble)}));
  CHECK(test_support::gradchecks(loss, {input({3, 2}, tg::kComplexDouble), input({2}, tg::kComplexDouble)}));
  // 10^5 floats: accumulated in double, close to the double-precision sum
  const auto big = input({100000}, tg::kFloat);
  const double exact = tg::sin(big.to(tg::kDouble)).sum().item<double>();
  CHECK(tg::fuse_sum([](auto x) { return tg::sin(x); }, big).item<double>() == Approx(exact).epsilon(1e-6));
}

TEST_CASE("fuse: one tensor in several slots, also under create_graph", "[fuse][create_graph]") {
  const auto a = tg::tensor({0.3, 0.7, 1.1}, tg::requires_grad());
  const auto f = [](auto x, auto y) { return x * y + tg::sin(x); };  // f(a, a) = a^2 + sin(a)
  for (bool create_graph : {false, true}) {
    INFO("create_graph " << create_graph);
    const auto g = tg::autograd::grad({tg::fuse(f, a, a).sum()}, {a}, {}, std::nullopt, create_graph)[0];
    const auto gv = values(g);
    for (std::size_t i = 0; i < gv.size(); ++i) {
      const double v = values(a)[i];
      CHECK(gv[i] == Approx(2 * v + std::cos(v)));
    }
    if (create_graph) {
      const auto h = values(tg::autograd::grad({g.sum()}, {a})[0]);
      for (std::size_t i = 0; i < h.size(); ++i) CHECK(h[i] == Approx(2 - std::sin(values(a)[i])));
    }
  }
  // a view of the operand in the other slot
  const auto b = a * 1.0;
  const auto g2 = tg::autograd::grad({tg::fuse(f, b, b.view({3})).sum()}, {a}, {}, std::nullopt, true)[0];
  for (std::size_t i = 0; i < 3; ++i) CHECK(values(g2)[i] == Approx(2 * values(a)[i] + std::cos(values(a)[i])));
}
