// tg::jacobian's forward sweep skips tangent blocks that are zero by structure
// (reverse/tangent_masks.hpp): the masks of a program, and Jacobians of banded and sparse maps
// against reverse-mode gradients of each output and analytic entries, zeros included.
#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <cstdint>
#include <tuple>
#include <utility>

#include <typegrad/static.hpp>

namespace tg = typegrad;

namespace tangent_masks_test {

/// The block masks of f's program at double arguments, for Lanes directions a block.
template <std::size_t Lanes, class F, class... T> constexpr auto masks_of(const F&, T...) {
  using Roots = decltype(tg::detail::trace(std::declval<const F&>(), std::declval<T>()...));
  using outer = typename tg::detail::roots_layout<tg::detail::roots_t<Roots>>::type;
  using code = typename tg::detail::compile<outer>::type;
  struct result {
    std::array<std::uint64_t, code::size + 1> mask;
    std::array<std::size_t, Roots::size> root;
  };
  return [&]<std::size_t... R>(std::index_sequence<R...>) {
    return result{tg::detail::tangent_masks<code, Lanes>::mask,
                  {tg::detail::graph::slot<outer, tg::detail::graph::at_t<R, tg::detail::roots_t<Roots>>>::value...}};
  }(std::make_index_sequence<Roots::size>{});
}

/// A banded map of 12 arguments: y_i = sin(x_i) x_{i+1} + x_{i+2}^2 / (1 + x_i^2) (indices
/// mod 12), plus y_12 = exp(x_0) x_1 (one block) and y_13 = sum x_j^2 (every block).
struct banded {
  template <class... X> constexpr auto operator()(const X&... xs) const {
    const auto x = std::tuple{xs...};
    return [&]<std::size_t... I>(std::index_sequence<I...>) {
      using namespace tg::literals;
      const auto all = (... + (std::get<I>(x) * std::get<I>(x)));
      return std::tuple{(sin(std::get<I>(x)) * std::get<(I + 1) % 12>(x) +
                         std::get<(I + 2) % 12>(x) * std::get<(I + 2) % 12>(x) / (1_c + std::get<I>(x) * std::get<I>(x)))...,
                        exp(std::get<0>(x)) * std::get<1>(x), all};
    }(std::make_index_sequence<12>{});
  }
};

template <class T> std::array<std::array<T, 12>, 14> banded_jacobian(const std::array<T, 12>& x) {
  std::array<std::array<T, 12>, 14> J{};
  for (std::size_t i = 0; i < 12; ++i) {
    const std::size_t i1 = (i + 1) % 12, i2 = (i + 2) % 12;
    const T q = 1 + x[i] * x[i];
    J[i][i] += std::cos(x[i]) * x[i1] - x[i2] * x[i2] * 2 * x[i] / (q * q);
    J[i][i1] += std::sin(x[i]);
    J[i][i2] += 2 * x[i2] / q;
    J[13][i] = 2 * x[i];
  }
  J[12][0] = std::exp(x[0]) * x[1];
  J[12][1] = std::exp(x[0]);
  return J;
}

template <class T> void check_banded(T tol) {
  std::array<T, 12> x;
  for (std::size_t i = 0; i < 12; ++i) x[i] = T(0.2) + T(0.15) * T(i) - T(0.5) * T(i % 3);
  const auto J = std::apply([](auto... v) { return tg::jacobian(banded{}, v...); }, x);
  const auto want = banded_jacobian(x);
  for (std::size_t i = 0; i < 14; ++i)
    for (std::size_t j = 0; j < 12; ++j) {
      INFO("J[" << i << "][" << j << "]");
      if (want[i][j] == 0) CHECK(J[i][j] == 0);  // zero by structure: exactly zero
      else CHECK(J[i][j] == Approx(want[i][j]).epsilon(tol));
    }
}

}  // namespace tangent_masks_test

using namespace tangent_masks_test;

TEST_CASE("tangent masks: argument i lies in block i / lanes, and a node has the blocks of what it is differentiated along") {
  const auto f = [](auto a, auto b, auto c, auto d, auto e) {
    using namespace tg::literals;
    return std::tuple{a * b, c + e, sin(d) * 2_c, a * b + c * e, abs(e) * 3.0};
  };
  // two directions a block: a, b in block 0; c, d in block 1; e in block 2
  constexpr auto two = masks_of<2>(f, 0.0, 0.0, 0.0, 0.0, 0.0);
  STATIC_REQUIRE(two.mask[two.root[0]] == 0b001);
  STATIC_REQUIRE(two.mask[two.root[1]] == 0b110);
  STATIC_REQUIRE(two.mask[two.root[2]] == 0b010);
  STATIC_REQUIRE(two.mask[two.root[3]] == 0b111);
  STATIC_REQUIRE(two.mask[two.root[4]] == 0b100);
  // four a block: all in block 0 but e
  constexpr auto four = masks_of<4>(f, 0.0, 0.0, 0.0, 0.0, 0.0);
  STATIC_REQUIRE(four.mask[four.root[1]] == 0b11);
  STATIC_REQUIRE(four.mask[four.root[2]] == 0b01);
  // a comparison's operands are not differentiated along: where(c < d, a, b) has a's and b's blocks
  const auto g = [](auto a, auto b, auto c, auto d, auto e) {
    return std::tuple{tg::where(c < d, a, b), a + e, b, c, d};
  };
  constexpr auto sel = masks_of<2>(g, 0.0, 0.0, 0.0, 0.0, 0.0);
  STATIC_REQUIRE(sel.mask[sel.root[0]] == 0b001);
}

TEST_CASE("tangent masks: Jacobians of a banded map, double and float, against analytic entries (structural zeros exact)") {
  check_banded<double>(1e-13);
  check_banded<float>(2e-5f);
}

TEST_CASE("tangent masks: every output's row equals its reverse-mode gradient") {
  std::array<double, 12> x;
  for (std::size_t i = 0; i < 12; ++i) x[i] = 0.4 - 0.07 * static_cast<double>(i);
  const auto J = std::apply([](auto... v) { return tg::jacobian(banded{}, v...); }, x);
  [&]<std::size_t... R>(std::index_sequence<R...>) {
    (
        [&] {
          const auto g = std::apply(
              [](auto... v) { return tg::grad([](const auto&... u) { return std::get<R>(banded{}(u...)); }, v...); }, x);
          for (std::size_t j = 0; j < 12; ++j) CHECK(J[R][j] == Approx(g[j]).epsilon(1e-14).margin(1e-300));
        }(),
        ...);
  }(std::make_index_sequence<14>{});
}
