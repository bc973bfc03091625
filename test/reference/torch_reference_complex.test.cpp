// typegrad against PyTorch 1.13 (torch_reference.inc, see torch_reference.test.cpp for the real
// scalar formulas): the complex formulas (complex128).
//  - holomorphic f(z...): tg::eval, the complex derivative tg::derivative<I>(f)(z...) and
//    tg::jvp, against torch's value and f'(z) = conj(torch's grad of real(f)).
//  - real-valued L(z...) of complex z: tg::eval and tg::grad / tg::value_and_grad against
//    torch's z.grad, i.e. dL/dx + i dL/dy (autograd.md section 7; api.md section 1).
#include <typegrad/static.hpp>

#include "torch_reference.hpp"

#include <array>
#include <cmath>
#include <complex>
#include <cstddef>
#include <functional>
#include <type_traits>
#include <utility>
#include <vector>

namespace tg = typegrad;
using namespace torch_reference;

namespace {

// ---- holomorphic -----------------------------------------------------------------------------
struct holomorphic_result {
  cplx value;
  std::vector<cplx> derivative;      // tg::derivative<I>(f)(z...)
  std::vector<cplx> jvp_value, jvp;  // tg::jvp(f, z, e_I)
};
struct holomorphic_formula {
  std::size_t arity;
  std::function<holomorphic_result(const std::vector<cplx>&)> run;
};

template <std::size_t N, class F> holomorphic_formula holomorphic(F f) {
  return {N, [f](const std::vector<cplx>& z) {
            return [&]<std::size_t... I>(std::index_sequence<I...>) {
              holomorphic_result r;
              const auto at_z = [&](const auto& g) { return cplx(g(z[I]...)); };
              r.value = tg::eval(f, z[I]...);
              r.derivative = {at_z(tg::derivative<I>(f))...};
              const std::array<cplx, N> zs{z[I]...};
              for (std::size_t k = 0; k < N; ++k) {
                std::array<cplx, N> e{};
                e[k] = 1;
                const auto [v, d] = tg::jvp(f, zs, e);
                r.jvp_value.push_back(v);
                r.jvp.push_back(d);
              }
              return r;
            }(std::make_index_sequence<N>{});
          }};
}

// Keep in sync with HOLOMORPHIC in make_torch_reference.py.
const table<holomorphic_formula> holomorphic_formulas = {
    {"c_poly", holomorphic<1>([](auto z) { return z * z * z - 2 * z + cplx(1, -3); })},
    {"c_rational", holomorphic<1>([](auto z) { return (z + 1) / (z * z + 2); })},
    {"c_exp_sin", holomorphic<1>([](auto z) { return exp(z) * sin(z); })},
    {"c_log", holomorphic<1>([](auto z) { return log(z) * z; })},
    {"c_sqrt", holomorphic<1>([](auto z) { return sqrt(z) + 1 / z; })},
    {"c_pow", holomorphic<1>([](auto z) { return pow(z, 2.5) + pow(z, 3.0); })},
    {"c_tanh", holomorphic<1>([](auto z) { return tanh(z) * cosh(z); })},
    {"c_inverse_trig", holomorphic<1>([](auto z) { return atan(z) + asinh(z) * acos(z); })},
    {"c_two_args", holomorphic<2>([](auto z, auto w) { return z * w + exp(z - w) / w; })},
};

// ---- real-valued functions of complex arguments -------------------------------------------
struct complex_loss_result {
  double value, value_of_value_and_grad;
  std::vector<cplx> grad, grad_of_value_and_grad;
};
struct complex_loss_formula {
  std::size_t arity;
  std::function<complex_loss_result(const std::vector<cplx>&)> run;
};

/// A real-valued result, whether typegrad hands it back as a double or as a complex number with a
/// zero imaginary part.
template <class V> double real_value(const V& v) {
  if constexpr (std::is_same_v<V, cplx>) {
    CHECK(v.imag() == 0);
    return v.real();
  } else {
    return static_cast<double>(v);
  }
}

template <std::size_t N, class F> complex_loss_formula complex_loss(F f) {
  return {N, [f](const std::vector<cplx>& z) {
            return [&]<std::size_t... I>(std::index_sequence<I...>) {
              complex_loss_result r;
              r.value = real_value(tg::eval(f, z[I]...));
              const auto [v, g] = tg::value_and_grad(f, z[I]...);
              r.value_of_value_and_grad = real_value(v);
              r.grad_of_value_and_grad.assign(g.begin(), g.end());
              const std::array<cplx, N> g2 = tg::grad(f, z[I]...);
              r.grad.assign(g2.begin(), g2.end());
              return r;
            }(std::make_index_sequence<N>{});
          }};
}

// Keep in sync with COMPLEX_LOSS in make_torch_reference.py.
const table<complex_loss_formula> complex_loss_formulas = {
    {"cl_norm", complex_loss<1>([](auto z) { return real(z * conj(z)); })},
    {"cl_real_square", complex_loss<1>([](auto z) { return real(z * z); })},
    // torch: z.imag * 3. typegrad bug: `imag(z) * 3` (or `3.0 * abs(z)`, `real(z) + 1.0`) does not
    // compile with complex z, tg::grad's static_assert says f is not real-valued: the number is
    // lifted to a complex constant and real_valued<constant<std::complex<double>>> is false. So
    // the constant goes inside imag() here (same function).
    {"cl_imag", complex_loss<1>([](auto z) { return imag(z * 3); })},
    {"cl_abs", complex_loss<1>([](auto z) { return abs(z); })},
    {"cl_angle", complex_loss<1>([](auto z) { return arg(z); })},
    {"cl_abs_exp", complex_loss<1>([](auto z) { return abs(exp(z) * z); })},
    // norm is |w|^2 like std::norm; torch spells it (w * w.conj()).real
    {"cl_std_norm", complex_loss<1>([](auto z) { return norm(sin(z) + z * z); })},
    {"cl_log_abs", complex_loss<1>([](auto z) { return real(log(z)) + imag(log(z)); })},
    {"cl_mixed", complex_loss<1>([](auto z) { return imag(sin(z)) * real(z) + real(conj(z) * exp(z)); })},
    {"cl_two_args", complex_loss<2>([](auto z, auto w) { return abs(z - w) + real(z * conj(w)); })},
};

constexpr double complex_rtol = 1e-12;

}  // namespace

TEST_CASE("torch reference: complex formula names match the data", "[reference][torch]") {
  check_names(holomorphic_cases(), holomorphic_formulas);
  check_names(complex_loss_cases(), complex_loss_formulas);
}

TEST_CASE("torch reference: holomorphic complex formulas", "[reference][torch][complex]") {
  for (const auto& c : holomorphic_cases()) {
    const holomorphic_formula* f = holomorphic_formulas.find(c.name);
    if (!f) continue;  // reported by the name test
    INFO("formula " << c.name << " at " << show(c.z));
    REQUIRE(c.z.size() == f->arity);
    REQUIRE(c.derivative.size() == f->arity);
    const holomorphic_result r = f->run(c.z);
    TG_REFERENCE_CHECK("value", r.value, c.value, complex_rtol, 0.0);
    for (std::size_t i = 0; i < f->arity; ++i) {
      INFO("d/dz" << i);
      TG_REFERENCE_CHECK("tg::derivative", r.derivative[i], c.derivative[i], complex_rtol, 0.0);
      TG_REFERENCE_CHECK("tg::jvp value", r.jvp_value[i], c.value, complex_rtol, 0.0);
      TG_REFERENCE_CHECK("tg::jvp", r.jvp[i], c.derivative[i], complex_rtol, 0.0);
    }
  }
}

TEST_CASE("torch reference: real-valued functions of complex arguments", "[reference][torch][complex]") {
  for (const auto& c : complex_loss_cases()) {
    const complex_loss_formula* f = complex_loss_formulas.find(c.name);
    if (!f) continue;
    INFO("formula " << c.name << " at " << show(c.z));
    REQUIRE(c.z.size() == f->arity);
    REQUIRE(c.grad.size() == f->arity);
    const complex_loss_result r = f->run(c.z);
    TG_REFERENCE_CHECK("value", r.value, c.value, complex_rtol, 0.0);
    CHECK(r.value_of_value_and_grad == r.value);
    // The same gradient up to rounding: grad and value_and_grad are inlined into different
    // callers, where g++ may contract other products and sums into FMAs.
    REQUIRE(r.grad_of_value_and_grad.size() == r.grad.size());
    for (std::size_t i = 0; i < r.grad.size(); ++i) {
      CHECK(std::abs(r.grad_of_value_and_grad[i] - r.grad[i]) <= 1e-14 * (1e-300 + std::abs(r.grad[i])));
    }
    for (std::size_t i = 0; i < f->arity; ++i) {
      INFO("dL/dx" << i << " + i dL/dy" << i);
      TG_REFERENCE_CHECK("gradient", r.grad[i], c.grad[i], complex_rtol, 0.0);
    }
  }
}
