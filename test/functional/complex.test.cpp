// Complex arguments: torch's convention for real-valued outputs (grad = dL/dx + i dL/dy,
// spec/autograd.md §7), complex derivatives of holomorphic functions.
#include <catch2/catch.hpp>

#include <complex>

#include <typegrad/static.hpp>

namespace tg = typegrad;
using cd = std::complex<double>;

namespace {
/// dL/dx + i dL/dy by central differences.
template <class L> cd torch_gradient(L loss, cd z) {
  const double h = 1e-6;
  const double dx = (loss(z + cd(h, 0)) - loss(z - cd(h, 0))) / (2 * h);
  const double dy = (loss(z + cd(0, h)) - loss(z - cd(0, h))) / (2 * h);
  return {dx, dy};
}
void check_close(cd a, cd b, double tol = 1e-8) {
  CHECK(a.real() == Approx(b.real()).margin(tol));
  CHECK(a.imag() == Approx(b.imag()).margin(tol));
}
}  // namespace

TEST_CASE("the table of spec/autograd.md §7 at z = 1+2i") {
  const cd z(1, 2);
  check_close(tg::grad([](auto z) { return real(z * conj(z)); }, z)[0], cd(2, 4), 1e-15);
  check_close(tg::grad([](auto z) { return real(z * z); }, z)[0], cd(2, -4), 1e-15);
  check_close(tg::grad([](auto z) { return imag(z); }, z)[0], cd(0, 1), 1e-15);
  check_close(tg::grad([](auto z) { return abs(z); }, z)[0], z / std::abs(z), 1e-15);
}

TEST_CASE("real-valued losses of complex variables against finite differences") {
  const cd z(0.7, -1.3), w(-0.4, 0.9);
  check_close(tg::grad([](auto z) { return norm(z); }, z)[0], torch_gradient([](cd z) { return std::norm(z); }, z));
  check_close(tg::grad([](auto z) { return arg(z); }, z)[0], torch_gradient([](cd z) { return std::arg(z); }, z));
  check_close(tg::grad([](auto z) { return abs(exp(z) * z); }, z)[0],
              torch_gradient([](cd z) { return std::abs(std::exp(z) * z); }, z));
  check_close(tg::grad([](auto z) { return real(sin(z) * conj(z)) + imag(log(z)); }, z)[0],
              torch_gradient([](cd z) { return (std::sin(z) * std::conj(z)).real() + std::log(z).imag(); }, z));
  const auto g2 = tg::grad([](auto z, auto w) { return norm(z - w) + real(z * w); }, z, w);
  check_close(g2[0], torch_gradient([w](cd z) { return std::norm(z - w) + (z * w).real(); }, z));
  check_close(g2[1], torch_gradient([z](cd w) { return std::norm(z - w) + (z * w).real(); }, w));
  // value comes back real for a real-valued output
  auto [v, g] = tg::value_and_grad([](auto z) { return norm(z); }, z);
  static_assert(std::is_same_v<decltype(v), double>);
  CHECK(v == Approx(std::norm(z)));
  (void)g;
}

TEST_CASE("holomorphic functions: derivative<0> and jvp give f'(z)") {
  const cd z(0.3, 0.8);
  const auto f = [](auto z) { return sin(z) * exp(z) / (z + 2.0); };
  const auto fp = [](cd z) {
    return (std::cos(z) * std::exp(z) + std::sin(z) * std::exp(z)) / (z + 2.0) -
           std::sin(z) * std::exp(z) / ((z + 2.0) * (z + 2.0));
  };
  check_close(tg::derivative<0>(f)(z), fp(z), 1e-14);
  auto [v, t] = tg::jvp(f, std::array{z}, std::array{cd(1, 0)});
  check_close(v, std::sin(z) * std::exp(z) / (z + 2.0), 1e-15);
  check_close(t, fp(z), 1e-14);
  // a direction v gives f'(z) v
  auto [v2, t2] = tg::jvp(f, std::array{z}, std::array{cd(0, 1)});
  check_close(t2, fp(z) * cd(0, 1), 1e-14);
  (void)v2;
  const auto g = [](auto z) { return pow(z, 3.0) + sqrt(z) + log10(z); };
  check_close(tg::derivative<0>(g)(z), 3.0 * z * z + 0.5 / std::sqrt(z) + 1.0 / (z * std::log(10.0)), 1e-13);
}

TEST_CASE("complex<float> follows the same convention") {
  using cf = std::complex<float>;
  const auto g = tg::grad([](auto z) { return real(z * conj(z)); }, cf(1, 2));
  CHECK(g[0] == cf(2, 4));
}
