// tg::fuse's derivatives beyond one reverse pass: gradcheck/gradgradcheck, create_graph (the
// fused second order, and f's traced expression evaluated with tensor operations for every
// other case: fuse/on_tensors.hpp), forward-mode tangents, one tensor in several slots, and
// fuse_sum with its gradients.
#include <catch2/catch.hpp>

#include <array>
#include <complex>
#include <string>
#include <utility>
#include <vector>

#include <typegrad/typegrad.hpp>

#include "fuse/support.hpp"

using namespace fuse_test;

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

