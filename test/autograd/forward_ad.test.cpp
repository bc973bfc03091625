// Forward-mode AD: dual levels, make_dual/unpack_dual and tangents through operations
// (spec/autograd.md §5, acceptance test 43).
#include <catch2/catch.hpp>

#include <cmath>
#include <complex>
#include <vector>

#include <typegrad/dynamic.hpp>

#include "support/tensor_values.hpp"

namespace tg = typegrad;
namespace fwd = tg::autograd::forward_ad;

namespace {
using test_support::values;
}  // namespace

TEST_CASE("dual levels: one at a time, tangents dropped on exit", "[autograd][forward_ad]") {
  auto x = tg::tensor({1.0, 2.0});
  tg::Tensor d;
  {
    fwd::dual_level level;
    CHECK(static_cast<int>(level) == 0);
    CHECK_THROWS_WITH(fwd::dual_level(), "Nested forward mode AD is not supported at the moment");
    d = fwd::make_dual(x, tg::tensor({1.0, 0.0}));
    CHECK(fwd::unpack_dual(d).tangent.defined());
    CHECK_FALSE(fwd::unpack_dual(x).tangent.defined());
  }
  CHECK_FALSE(fwd::unpack_dual(d).tangent.defined());
  CHECK_THROWS_WITH(fwd::make_dual(x, x), "Trying to create a dual Tensor for forward AD but no level exists, make sure "
                                          "to enter_dual_level() first.");
  CHECK(fwd::enter_dual_level() == 0);
  CHECK_THROWS_WITH(fwd::exit_dual_level(3), "Trying to exit a forward AD level that was not the last one that was "
                                             "created. This is not supported.");
  fwd::exit_dual_level();
}

TEST_CASE("make_dual checks dtypes and sizes", "[autograd][forward_ad][errors]") {
  fwd::dual_level level;
  auto x = tg::tensor({1.0, 2.0});
  CHECK_THROWS_WITH(fwd::make_dual(tg::tensor({1, 2}), tg::tensor({1, 2})),
                    "Expected primal to be floating point or complex, but got: torch.int64");
  CHECK_THROWS_WITH(fwd::make_dual(x, tg::tensor({1, 2})), "Expected tangent to be floating point or complex, but got: torch.int64");
  CHECK_THROWS_WITH(fwd::make_dual(x, tg::tensor({1.0, 2.0, 3.0})),
                    "Trying to set a forward gradient that has a different size than that of the original Tensor, this "
                    "is not supported. Tensor is of size [2] while the given forward gradient is of size [3].");
}

TEST_CASE("tangents through operations match the derivative", "[autograd][forward_ad]") {
  fwd::dual_level level;
  auto x = tg::tensor({0.3, 0.7, 1.5});
  auto v = tg::tensor({1.0, -2.0, 0.5});
  auto d = fwd::make_dual(x, v);
  auto y = tg::sin(d) * d + tg::exp(d) / 2.0 - tg::pow(d, 3.0) + d.sum() * tg::tanh(d);
  auto [primal, tangent] = fwd::unpack_dual(y);
  REQUIRE(tangent.defined());
  const auto xs = values(x);
  const auto vs = values(v);
  double vsum = 0.0, xsum = 0.0;
  for (std::size_t i = 0; i < 3; ++i) {
    vsum += vs[i];
    xsum += xs[i];
  }
  const auto ts = values(tangent);
  for (std::size_t i = 0; i < 3; ++i) {
    const double xi = xs[i], th = std::tanh(xi);
    const double dy = (std::cos(xi) * xi + std::sin(xi) + std::exp(xi) / 2 - 3 * xi * xi) * vs[i] + vsum * th +
                      xsum * (1 - th * th) * vs[i];
    CHECK(ts[i] == Approx(dy));
  }
  CHECK(values(primal) == values(y));
  CHECK_FALSE(fwd::unpack_dual(primal).tangent.defined());
  auto detached = d.detach();
  CHECK_FALSE(fwd::unpack_dual(detached).tangent.defined());
}

TEST_CASE("tangents through views, reductions, in-place and complex operations", "[autograd][forward_ad]") {
  fwd::dual_level level;
  auto x = tg::tensor({1.0, 2.0, 3.0, 4.0});
  auto d = fwd::make_dual(x, tg::tensor({1.0, 0.0, 0.0, 2.0}));
  auto m = d.view({2, 2}).t().mean({0});
  CHECK(values(fwd::unpack_dual(m).tangent) == std::vector<double>{0.5, 1.0});
  auto c = d.clone();
  c.mul_(2.0);
  CHECK(values(fwd::unpack_dual(c).tangent) == std::vector<double>{2.0, 0.0, 0.0, 4.0});
  auto z = fwd::make_dual(tg::tensor({std::complex<double>(1.0, 2.0)}), tg::tensor({std::complex<double>(0.5, -1.0)}));
  auto w = z * z;  // holomorphic: dw = 2 z dz
  auto tw = fwd::unpack_dual(w).tangent.item<std::complex<double>>();
  CHECK(tw.real() == Approx((2.0 * std::complex<double>(1, 2) * std::complex<double>(0.5, -1)).real()));
  CHECK(tw.imag() == Approx((2.0 * std::complex<double>(1, 2) * std::complex<double>(0.5, -1)).imag()));
  auto a = tg::abs(z);  // d|z| = Re(conj(z) dz) / |z|
  CHECK(fwd::unpack_dual(a).tangent.item<double>() == Approx((1.0 * 0.5 + 2.0 * -1.0) / std::sqrt(5.0)));
}

TEST_CASE("forward tangents are backward-differentiable (forward over reverse)", "[autograd][forward_ad]") {
  fwd::dual_level level;
  auto x = tg::tensor({0.5, 1.0}, tg::requires_grad());
  auto d = fwd::make_dual(x, tg::tensor({1.0, 1.0}));
  CHECK(d.grad_fn()->name() == "ViewBackward0");
  auto y = tg::sin(d);
  auto t = fwd::unpack_dual(y).tangent;  // cos(x) * v
  auto g = tg::autograd::grad({t.sum()}, {x});
  CHECK(values(g[0])[0] == Approx(-std::sin(0.5)));
  CHECK(values(g[0])[1] == Approx(-std::sin(1.0)));
}
