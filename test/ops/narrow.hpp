#pragma once
/// \file test/ops/narrow.hpp
/// Checks of the cases (cases.hpp) for tg::half and tg::bfloat16, which compute in float and
/// store narrow: tg::eval, tg::grad and tg::hessian give exactly the float computation at the
/// same (exactly widened) point rounded once to the narrow type, and agree with the analytic
/// values (tg::jvp too) within the narrow type's rounding (half: 2^-11 relative, bfloat16:
/// 2^-8) plus the float computation's own error (support.hpp's model). Results beyond the
/// narrow range are infinities. Points the narrow type cannot represent closely (1 - 2^-20 in
/// half) are skipped.
#include "ops/cases.hpp"

namespace ops_test {

/// The narrow results equal the float computation rounded once (NaN matches NaN, zeros of
/// either sign match).
template <class T> void expect_rounded_float(const std::string& what, const T& got, float f) {
  const T expected = T(f);
  INFO(what << ": got " << show(to_ld(got)) << ", float computation " << show(f) << " rounds to " << show(to_ld(expected)));
  CHECK(((std::isnan(to_ld(got)) && std::isnan(f)) || to_ld(got) == to_ld(expected)));
}

/// Allowed error against the analytic value: the final rounding to T, the float computation's
/// error (support.hpp's model), and T's smallest normal for results in T's subnormal range.
template <class T> ld narrow_allowed(ld c, ld g, ld x_dg, ld floor) {
  return traits<T>::eps * (std::fabs(g) + floor) + allowed<float>(c, g, x_dg, floor) + traits<T>::min_normal;
}

template <class T, class... Ts> void check_narrow(const unary_case<Ts...>& c) {
  for (const point& p : c.points) {
    T xt;
    if (!representable(p, xt)) continue;
    const float xf = static_cast<float>(xt);
    const ld x = xf, h = 1e-3L * p.scale;
    const ld f0 = c.f(x), f1 = c.df(x), f2 = c.d2f(x), f3 = central_difference(c.d2f, x, h);
    const std::string at = c.name + " <" + traits<T>::name + "> at x = " + show(x);

    const T v = tg::eval(c.op, xt);
    const T g = tg::grad(c.op, xt)[0];
    const T hh = tg::hessian(c.op, xt)[0][0];
    const auto [jv, jt] = tg::jvp(c.op, std::array<T, 1>{xt}, std::array<T, 1>{T(1)});
    expect_rounded_float("tg::eval, " + at, v, tg::eval(c.op, xf));
    expect_rounded_float("tg::grad, " + at, g, tg::grad(c.op, xf)[0]);
    expect_rounded_float("tg::hessian, " + at, hh, tg::hessian(c.op, xf)[0][0]);

    const ld tv = narrow_allowed<T>(c.c.v, f0, x * f1, c.floor.v);
    const ld t1 = narrow_allowed<T>(c.c.d1, f1, x * f2, c.floor.d1);
    const ld t2 = narrow_allowed<T>(c.c.d2, f2, x * f3, c.floor.d2);
    expect_near_in<T>("tg::eval vs analytic, " + at, to_ld(v), f0, tv);
    expect_near_in<T>("tg::grad vs analytic, " + at, to_ld(g), f1, t1);
    expect_near_in<T>("tg::jvp value vs analytic, " + at, to_ld(jv), f0, tv);
    expect_near_in<T>("tg::hessian vs analytic, " + at, to_ld(hh), f2, t2);
    expect_near_in<T>("tg::jvp tangent vs analytic, " + at, to_ld(jt), f1, t1);
  }
  report_worst(c.name);
}

template <class T, class... Ts> void check_narrow(const binary_case<Ts...>& c) {
  for (const point2& p : c.points) {
    T xt, yt;
    if (!representable(point{p.x, p.scale}, xt) || !representable(point{p.y, p.scale}, yt)) continue;
    const float xf = static_cast<float>(xt), yf = static_cast<float>(yt);
    const ld x = xf, y = yf;
    const std::string at = c.name + " <" + traits<T>::name + "> at (" + show(x) + ", " + show(y) + ")";

    const T v = tg::eval(c.op, xt, yt);
    const auto g = tg::grad(c.op, xt, yt);
    const auto H = tg::hessian(c.op, xt, yt);
    const auto [jv, jt] = tg::jvp(c.op, std::array<T, 2>{xt, yt}, std::array<T, 2>{T(1), T(-0.5)});
    expect_rounded_float("tg::eval, " + at, v, tg::eval(c.op, xf, yf));
    const auto fg = tg::grad(c.op, xf, yf);
    expect_rounded_float("tg::grad d/dx, " + at, g[0], fg[0]);
    expect_rounded_float("tg::grad d/dy, " + at, g[1], fg[1]);
    const auto fH = tg::hessian(c.op, xf, yf);
    expect_rounded_float("tg::hessian xx, " + at, H[0][0], fH[0][0]);
    expect_rounded_float("tg::hessian xy, " + at, H[0][1], fH[0][1]);
    expect_rounded_float("tg::hessian yy, " + at, H[1][1], fH[1][1]);

    // against the analytic values (the error model of support.hpp in two variables)
    const ld f0 = c.f(x, y), fx = c.fx(x, y), fy = c.fy(x, y);
    const ld tv = narrow_allowed<T>(c.c.v, f0, std::fabs(x * fx) + std::fabs(y * fy), c.floor.v);
    const ld tx = narrow_allowed<T>(c.c.d1, fx, std::fabs(x * c.fxx(x, y)) + std::fabs(y * c.fxy(x, y)), c.floor.d1);
    const ld ty = narrow_allowed<T>(c.c.d1, fy, std::fabs(x * c.fxy(x, y)) + std::fabs(y * c.fyy(x, y)), c.floor.d1);
    expect_near_in<T>("tg::eval vs analytic, " + at, to_ld(v), f0, tv);
    expect_near_in<T>("tg::grad d/dx vs analytic, " + at, to_ld(g[0]), fx, tx);
    expect_near_in<T>("tg::grad d/dy vs analytic, " + at, to_ld(g[1]), fy, ty);
    expect_near_in<T>("tg::jvp value vs analytic, " + at, to_ld(jv), f0, tv);
    expect_near_in<T>("tg::jvp tangent vs analytic, " + at, to_ld(jt), fx - 0.5L * fy, tx + 0.5L * ty);
  }
  report_worst(c.name);
}

template <class Tuple> void check_both_narrow(const Tuple& cases) {
  for_each_case(cases, [](const auto& c) {
    check_narrow<tg::half>(c);
    check_narrow<tg::bfloat16>(c);
  });
}

}  // namespace ops_test
