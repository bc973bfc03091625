// Independent calls of one costly function computed together in xsimd batches
// (reverse/simd_groups.hpp): which instructions form groups, and that every entry point gives
// the values of the same calls made one at a time (a function of one call never groups).
#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <string>
#include <tuple>
#include <utility>

#include <typegrad/static.hpp>

namespace tg = typegrad;

namespace simd_groups_test {

/// The group plan of f's program at arguments of types T.
template <class F, class... T> constexpr auto plan_of(const F&, T...) {
  using Roots = decltype(tg::detail::trace(std::declval<const F&>(), std::declval<T>()...));
  using outer = typename tg::detail::roots_layout<tg::detail::roots_t<Roots>>::type;
  using code = typename tg::detail::compile<outer>::type;
  return tg::detail::group_plan<code>::plan;
}

/// One policy applied by name, on expressions (argument-dependent lookup finds typegrad's).
#define SIMD_GROUPS_OP(name) [](const auto& x) { return name(x); }

/// A function of five arguments applying `op` to each: y = sum_i w_i op(x_i) (five members: a
/// batch and a tail of padding lanes, for 2, 4 or 8 lanes).
template <class Op> struct five_calls {
  Op op;
  constexpr auto operator()(const auto& a, const auto& b, const auto& c, const auto& d, const auto& e) const {
    return op(a) + op(b) * 2.0 + op(c) * 3.0 + op(d) * 4.0 + op(e) * 5.0;
  }
};
/// The five calls as five outputs, each times the next argument (forward mode: a Jacobian).
template <class Op> struct five_outputs {
  Op op;
  constexpr auto operator()(const auto& a, const auto& b, const auto& c, const auto& d, const auto& e) const {
    return std::tuple{op(a) * b, op(b) * c, op(c) * d, op(d) * e, op(e) * a};
  }
};

template <class T> constexpr T tolerance() {
  if constexpr (std::is_same_v<T, float>) return 2e-6f;
  else return 4e-15;
}

template <class T, class Op>
void check_forward_modes(Op op, const std::array<T, 5>& x, T v, const std::array<T, 5>& g);

/// Grouped grad, value_and_grad, eval, jvp and jacobian against the same calls one at a time
/// (float: the reverse-mode entry points).
template <class T, class Op> void check_against_single_calls(const std::string& name, Op op, std::array<T, 5> x) {
  INFO(name << " <" << (std::is_same_v<T, float> ? "float" : "double") << ">");
  const five_calls<Op> f{op};
  const auto single = [&](T xi) { return tg::eval([&](const auto& u) { return op(u); }, xi); };
  const auto single_d = [&](T xi) { return tg::grad([&](const auto& u) { return op(u); }, xi)[0]; };
  const T tol = tolerance<T>();
  constexpr auto plan = plan_of(f, T{}, T{}, T{}, T{}, T{});
  STATIC_REQUIRE(plan.groups == 1);
  STATIC_REQUIRE(plan.members == 5);

  const auto [v, g] = std::apply([&](auto... xs) { return tg::value_and_grad(f, xs...); }, x);
  T want = 0;
  for (std::size_t i = 0; i < 5; ++i) {
    want += T(i + 1) * single(x[i]);
    CHECK(g[i] == Approx(T(i + 1) * single_d(x[i])).epsilon(tol).margin(tol));
  }
  CHECK(v == Approx(want).epsilon(tol).margin(tol));
  CHECK(std::apply([&](auto... xs) { return tg::eval(f, xs...); }, x) == Approx(want).epsilon(tol).margin(tol));
  const auto g2 = std::apply([&](auto... xs) { return tg::grad(f, xs...); }, x);
  for (std::size_t i = 0; i < 5; ++i) CHECK(g2[i] == Approx(g[i]).epsilon(tol).margin(tol));
  if constexpr (std::is_same_v<T, double>) check_forward_modes(op, x, v, g);  // (float: compile time)
}

/// Grouped jvp and jacobian (dual numbers) against the same calls one at a time.
template <class T, class Op>
void check_forward_modes(Op op, const std::array<T, 5>& x, T v, const std::array<T, 5>& g) {
  const five_calls<Op> f{op};
  const five_outputs<Op> F{op};
  const auto single = [&](T xi) { return tg::eval([&](const auto& u) { return op(u); }, xi); };
  const auto single_d = [&](T xi) { return tg::grad([&](const auto& u) { return op(u); }, xi)[0]; };
  const T tol = tolerance<T>();
  const std::array<T, 5> dir{T(0.5), T(-1), T(0.25), T(2), T(-0.75)};
  const auto [jv, jt] = tg::jvp(f, x, dir);
  T want_t = 0;
  for (std::size_t i = 0; i < 5; ++i) want_t += dir[i] * g[i];
  CHECK(jv == Approx(v).epsilon(tol).margin(tol));
  CHECK(jt == Approx(want_t).epsilon(tol).margin(tol));

  // five outputs of five arguments: forward mode on five-direction duals
  const auto J = std::apply([&](auto... xs) { return tg::jacobian(F, xs...); }, x);
  for (std::size_t i = 0; i < 5; ++i) {
    const std::size_t next = (i + 1) % 5;
    for (std::size_t j = 0; j < 5; ++j) {
      T want_ij = 0;
      if (j == i) want_ij += single_d(x[i]) * x[next];
      if (j == next) want_ij += single(x[i]);
      CHECK(J[i][j] == Approx(want_ij).epsilon(tol).margin(tol));
    }
  }
}

template <class T> void check_every_policy() {
  const std::array<T, 5> real{T(0.3), T(-1.2), T(2.5), T(0.7), T(-0.4)};
  const std::array<T, 5> unit{T(0.3), T(-0.6), T(0.9), T(0.1), T(-0.95)};
  const std::array<T, 5> positive{T(0.3), T(1.2), T(2.5), T(0.7), T(4.4)};
  const std::array<T, 5> above_one{T(1.3), T(2.2), T(5.0), T(1.05), T(3.7)};
  check_against_single_calls<T>("sin", SIMD_GROUPS_OP(sin), real);
  check_against_single_calls<T>("cos", SIMD_GROUPS_OP(cos), real);
  check_against_single_calls<T>("tan", SIMD_GROUPS_OP(tan), real);
  check_against_single_calls<T>("asin", SIMD_GROUPS_OP(asin), unit);
  check_against_single_calls<T>("acos", SIMD_GROUPS_OP(acos), unit);
  check_against_single_calls<T>("atan", SIMD_GROUPS_OP(atan), real);
  check_against_single_calls<T>("sinh", SIMD_GROUPS_OP(sinh), real);
  check_against_single_calls<T>("cosh", SIMD_GROUPS_OP(cosh), real);
  check_against_single_calls<T>("tanh", SIMD_GROUPS_OP(tanh), real);
  check_against_single_calls<T>("asinh", SIMD_GROUPS_OP(asinh), real);
  check_against_single_calls<T>("acosh", SIMD_GROUPS_OP(acosh), above_one);
  check_against_single_calls<T>("atanh", SIMD_GROUPS_OP(atanh), unit);
  check_against_single_calls<T>("exp", SIMD_GROUPS_OP(exp), real);
  check_against_single_calls<T>("exp2", SIMD_GROUPS_OP(exp2), real);
  check_against_single_calls<T>("expm1", SIMD_GROUPS_OP(expm1), real);
  check_against_single_calls<T>("log", SIMD_GROUPS_OP(log), positive);
  check_against_single_calls<T>("log2", SIMD_GROUPS_OP(log2), positive);
  check_against_single_calls<T>("log10", SIMD_GROUPS_OP(log10), positive);
  check_against_single_calls<T>("log1p", SIMD_GROUPS_OP(log1p), positive);
  check_against_single_calls<T>("cbrt", SIMD_GROUPS_OP(cbrt), real);
  check_against_single_calls<T>("erf", SIMD_GROUPS_OP(erf), real);
  check_against_single_calls<T>("tgamma", SIMD_GROUPS_OP(tgamma), positive);
  check_against_single_calls<T>("sigmoid", SIMD_GROUPS_OP(tg::sigmoid), real);
  check_against_single_calls<T>("softplus", SIMD_GROUPS_OP(tg::softplus), real);
}

}  // namespace simd_groups_test

using namespace simd_groups_test;

TEST_CASE("simd groups: calls of one policy whose operands are ready at the first call form one group") {
  // sin(x) and sin(y) read arguments; sin(x * y) reads a product computed after the first sin
  const auto f = [](auto x, auto y) { return sin(x) * sin(y) + sin(x * y) + exp(x) * cos(y); };
  constexpr auto plan = plan_of(f, 0.0, 0.0);
  STATIC_REQUIRE(plan.groups == 1);
  STATIC_REQUIRE(plan.members == 2);
  // different policies never share a group; cheap ones (sqrt, *, +) are not candidates
  constexpr auto mixed = plan_of([](auto x, auto y) { return exp(x) * cos(y) + sqrt(x) * sqrt(y); }, 0.0, 0.0);
  STATIC_REQUIRE(mixed.groups == 0);
  // a call whose operand reads another call of its policy waits for it: sin(sin(x)) never joins
  constexpr auto nested = plan_of([](auto x, auto y) { return sin(sin(x)) + sin(y); }, 0.0, 0.0);
  STATIC_REQUIRE(nested.groups == 1);
  STATIC_REQUIRE(nested.members == 2);
  STATIC_REQUIRE(nested.operand[0] != nested.member[1]);
  STATIC_REQUIRE(nested.operand[1] != nested.member[0]);

  const double x = 0.8, y = -1.3;
  const auto [v, g] = tg::value_and_grad(f, x, y);
  CHECK(v == Approx(std::sin(x) * std::sin(y) + std::sin(x * y) + std::exp(x) * std::cos(y)).epsilon(1e-15));
  CHECK(g[0] == Approx(std::cos(x) * std::sin(y) + std::cos(x * y) * y + std::exp(x) * std::cos(y)).epsilon(1e-14));
  CHECK(g[1] == Approx(std::sin(x) * std::cos(y) + std::cos(x * y) * x - std::exp(x) * std::sin(y)).epsilon(1e-14));
  const auto [n, gn] = tg::value_and_grad([](auto x, auto y) { return sin(sin(x)) + sin(y); }, x, y);
  CHECK(n == Approx(std::sin(std::sin(x)) + std::sin(y)).epsilon(1e-15));
  CHECK(gn[0] == Approx(std::cos(std::sin(x)) * std::cos(x)).epsilon(1e-14));
  CHECK(gn[1] == Approx(std::cos(y)).epsilon(1e-14));
}

TEST_CASE("simd groups: every grouped policy, in double and float, through every entry point") {
  check_every_policy<double>();
  check_every_policy<float>();
}

TEST_CASE("simd groups: second order (forward over reverse) and constant evaluation run call by call, with the same values") {
  const auto f = [](auto x, auto y) { return exp(x) * exp(y) + x * y; };
  const double x = 0.3, y = 0.9;
  const auto H = tg::hessian(f, x, y);
  const double e = std::exp(x + y);
  CHECK(H[0][0] == Approx(e).epsilon(1e-14));
  CHECK(H[0][1] == Approx(e + 1).epsilon(1e-14));
  CHECK(H[1][1] == Approx(e).epsilon(1e-14));
  const auto hv = tg::hvp(f, std::array{x, y}, std::array{1.0, -1.0});
  CHECK(hv[0] == Approx(e - (e + 1)).epsilon(1e-13));
  CHECK(hv[1] == Approx(e + 1 - e).epsilon(1e-13));
  // a polynomial has no group and stays constexpr; batch values are SIMD already: no groups
  static_assert(tg::grad([](auto u, auto v) { return u * u * v; }, 3.0, 2.0)[0] == 12.0);
  using B = xsimd::batch<double>;
  const auto gb = tg::grad(f, B(x), B(y));
  CHECK(gb[0].get(0) == Approx(e + y).epsilon(1e-14));
  CHECK(gb[1].get(B::size - 1) == Approx(e + x).epsilon(1e-14));
}
