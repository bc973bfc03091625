#pragma once
/// \file test/ops/batch.hpp
/// Checks of the cases (cases.hpp) for xsimd::batch<float> and xsimd::batch<double>: every lane
/// is an independent point. The points of a case are spread over the lanes (lane i of round r
/// holds point r * L + i, wrapping), and every lane of tg::eval, tg::grad, tg::derivative<0>,
/// tg::hessian and tg::jvp is checked against the scalar library result at that lane's point
/// and against the analytic values. Batches compute with xsimd's math functions, a few ulps
/// from <cmath>'s: the error model of support.hpp with twice the slack.
#include <xsimd/xsimd.hpp>

#include "ops/cases.hpp"

namespace ops_test {

inline constexpr ld batch_slack_factor = 2;

/// Known inaccuracy of xsimd's own functions beyond the error model, as a relative error:
/// xsimd's erfc<double> is good to about 1e-11 relative at x = 3..9 and 6e-9 at x = 26 (its
/// lane values depend on the other lanes: xsimd issue #936); erf<double> to a few 1e-16.
/// xsimd's lgamma<float> is NOT excused: it returns wrong values (19.0 for lgamma(3.7)) when the
/// lanes of a batch mix argument ranges (xsimd 8.1), so typegrad's lgamma policy evaluates
/// batch<float> lanes one by one (ops/special.hpp); these checks guard that.
template <class E> ld xsimd_relative_error(const std::string& name) {
  if constexpr (std::is_same_v<E, double>) {
    if (name == "erfc") return 1e-8L;
    if (name == "erf") return 1e-14L;
  }
  return 0;
}

template <class E, class... Ts> void check_batch(const unary_case<Ts...>& c) {
  using B = xsimd::batch<E>;
  constexpr std::size_t L = B::size;
  std::vector<E> xs;
  std::vector<ld> scales;
  for (const point& p : c.points) {
    E xe;
    if (representable(p, xe)) xs.push_back(xe), scales.push_back(p.scale);
  }
  const ld k = batch_slack_factor;
  for (std::size_t round = 0; round < xs.size(); round += L) {
    std::array<E, L> lanes{};
    std::array<ld, L> lane_scale{};
    for (std::size_t i = 0; i < L; ++i) {
      lanes[i] = xs[(round + i) % xs.size()];
      lane_scale[i] = scales[(round + i) % xs.size()];
    }
    const B x = B::load_unaligned(lanes.data());
    const B v = tg::eval(c.op, x);
    const B g = tg::grad(c.op, x)[0];
    const B d = tg::derivative<0>(c.op)(x);
    const B hh = tg::hessian(c.op, x)[0][0];
    const auto [jv, jt] = tg::jvp(c.op, std::array<B, 1>{x}, std::array<B, 1>{B(E(0.75))});
    for (std::size_t i = 0; i < L; ++i) {
      const E xe = lanes[i];
      const ld xl = xe, h = 1e-3L * lane_scale[i];
      const ld f0 = c.f(xl), f1 = c.df(xl), f2 = c.d2f(xl), f3 = central_difference(c.d2f, xl, h);
      const ld rel = xsimd_relative_error<E>(c.name);
      const ld tv = allowed<E>(k * c.c.v, f0, xl * f1, c.floor.v) + rel * std::fabs(f0);
      const ld t1 = allowed<E>(k * c.c.d1, f1, xl * f2, c.floor.d1) + rel * std::fabs(f1);
      const ld t2 = allowed<E>(k * c.c.d2, f2, xl * f3, c.floor.d2) + rel * std::fabs(f2);
      const std::string at = c.name + " <batch<" + traits<E>::name + ">> lane " + std::to_string(i) + " of " +
                             std::to_string(L) + ", x = " + show(xl);
      // against the scalar library result at the lane's point
      expect_near_in<E>("tg::eval vs scalar, " + at, v.get(i), tg::eval(c.op, xe), tv);
      expect_near_in<E>("tg::grad vs scalar, " + at, g.get(i), tg::grad(c.op, xe)[0], t1);
      expect_near_in<E>("tg::hessian vs scalar, " + at, hh.get(i), tg::hessian(c.op, xe)[0][0], t2);
      // against the analytic values
      expect_near_in<E>("tg::eval, " + at, v.get(i), f0, tv);
      expect_near_in<E>("tg::grad, " + at, g.get(i), f1, t1);
      expect_near_in<E>("tg::derivative<0>, " + at, d.get(i), f1, t1);
      expect_near_in<E>("tg::hessian, " + at, hh.get(i), f2, t2);
      expect_near_in<E>("tg::jvp value, " + at, jv.get(i), f0, tv);
      expect_near_in<E>("tg::jvp tangent (v = 0.75), " + at, jt.get(i), 0.75L * f1, 0.75L * t1);
    }
  }
  report_worst(c.name);
}

template <class E, class... Ts> void check_batch(const binary_case<Ts...>& c) {
  using B = xsimd::batch<E>;
  constexpr std::size_t L = B::size;
  std::vector<std::array<E, 2>> xs;
  for (const point2& p : c.points) {
    E xe, ye;
    if (representable(point{p.x, p.scale}, xe) && representable(point{p.y, p.scale}, ye)) xs.push_back({xe, ye});
  }
  const ld k = batch_slack_factor;
  for (std::size_t round = 0; round < xs.size(); round += L) {
    std::array<E, L> xl{}, yl{};
    for (std::size_t i = 0; i < L; ++i) {
      xl[i] = xs[(round + i) % xs.size()][0];
      yl[i] = xs[(round + i) % xs.size()][1];
    }
    const B x = B::load_unaligned(xl.data()), y = B::load_unaligned(yl.data());
    const B v = tg::eval(c.op, x, y);
    const auto g = tg::grad(c.op, x, y);
    const auto H = tg::hessian(c.op, x, y);
    const auto [jv, jt] = tg::jvp(c.op, std::array<B, 2>{x, y}, std::array<B, 2>{B(E(0.75)), B(E(-0.5))});
    for (std::size_t i = 0; i < L; ++i) {
      const E xe = xl[i], ye = yl[i];
      const ld a = xe, b = ye;
      const ld f0 = c.f(a, b), fx = c.fx(a, b), fy = c.fy(a, b);
      const ld fxx = c.fxx(a, b), fxy = c.fxy(a, b), fyy = c.fyy(a, b);
      const ld tv = allowed<E>(k * c.c.v, f0, std::fabs(a * fx) + std::fabs(b * fy), c.floor.v);
      const ld tx = allowed<E>(k * c.c.d1, fx, std::fabs(a * fxx) + std::fabs(b * fxy), c.floor.d1);
      const ld ty = allowed<E>(k * c.c.d1, fy, std::fabs(a * fxy) + std::fabs(b * fyy), c.floor.d1);
      // second derivatives: the magnitude of the terms, without third derivatives
      const ld t2 = allowed<E>(k * c.c.d2 * 4, std::fabs(fxx) + std::fabs(fxy) + std::fabs(fyy), 0, c.floor.d2);
      const std::string at = c.name + " <batch<" + traits<E>::name + ">> lane " + std::to_string(i) + " of " +
                             std::to_string(L) + ", (x, y) = (" + show(a) + ", " + show(b) + ")";
      const auto sg = tg::grad(c.op, xe, ye);
      const auto sH = tg::hessian(c.op, xe, ye);
      expect_near_in<E>("tg::eval vs scalar, " + at, v.get(i), tg::eval(c.op, xe, ye), tv);
      expect_near_in<E>("tg::grad d/dx vs scalar, " + at, g[0].get(i), sg[0], tx);
      expect_near_in<E>("tg::grad d/dy vs scalar, " + at, g[1].get(i), sg[1], ty);
      expect_near_in<E>("tg::hessian xy vs scalar, " + at, H[0][1].get(i), sH[0][1], t2);
      expect_near_in<E>("tg::eval, " + at, v.get(i), f0, tv);
      expect_near_in<E>("tg::grad d/dx, " + at, g[0].get(i), fx, tx);
      expect_near_in<E>("tg::grad d/dy, " + at, g[1].get(i), fy, ty);
      expect_near_in<E>("tg::hessian xx, " + at, H[0][0].get(i), fxx, t2);
      expect_near_in<E>("tg::hessian xy, " + at, H[0][1].get(i), fxy, t2);
      expect_near_in<E>("tg::hessian yx, " + at, H[1][0].get(i), fxy, t2);
      expect_near_in<E>("tg::hessian yy, " + at, H[1][1].get(i), fyy, t2);
      expect_near_in<E>("tg::jvp value, " + at, jv.get(i), f0, tv);
      expect_near_in<E>("tg::jvp tangent (v = (0.75, -0.5)), " + at, jt.get(i), 0.75L * fx - 0.5L * fy,
                        0.75L * tx + 0.5L * ty);
    }
  }
  report_worst(c.name);
}

template <class Tuple> void check_both_batches(const Tuple& cases) {
  for_each_case(cases, [](const auto& c) {
    check_batch<float>(c);
    check_batch<double>(c);
  });
}

}  // namespace ops_test
