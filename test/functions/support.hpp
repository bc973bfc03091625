// Shared helpers of the differentiable-function tests: inputs, a uniform way to run
// gradcheck / gradgradcheck, and forward-mode tangents checked against backward.
#pragma once
#include <catch2/catch.hpp>

#include <functional>
#include <string>
#include <vector>

#include <typegrad/autograd/gradcheck.hpp>
#include <typegrad/dynamic.hpp>

namespace tg = typegrad;

namespace test_support {

using fn = std::function<tg::Tensor(const tg::tensor_list&)>;

/// Inputs with values in (lo, hi), requiring grad, of the given dtype.
inline tg::Tensor input(std::vector<std::int64_t> sizes, tg::ScalarType dtype, double lo = 0.2, double hi = 0.9) {
  auto u = tg::rand(sizes, tg::dtype(tg::kDouble));
  auto v = (u * (hi - lo) + lo);
  if (tg::is_complex(dtype)) {
    auto w = tg::rand(sizes, tg::dtype(tg::kDouble)) * (hi - lo) + lo;
    v = v.to(dtype) + w.to(dtype) * tg::Scalar(std::complex<double>(0.0, 1.0));
  }
  return v.to(dtype).detach().requires_grad_();
}

inline bool gradchecks(const fn& f, const tg::tensor_list& inputs, double atol = 1e-5) {
  return tg::autograd::gradcheck(f, inputs, {.atol = atol, .raise_exception = true});
}
inline bool gradgradchecks(const fn& f, const tg::tensor_list& inputs, double atol = 1e-5) {
  return tg::autograd::gradgradcheck(f, inputs, {}, {.atol = atol, .raise_exception = true});
}

/// Forward mode agrees with backward mode: u . (J v) from tangents equals (J^H u) . v from
/// gradients (real inputs), for random u and v.
inline void check_forward_matches_backward(const fn& f, const tg::tensor_list& inputs) {
  namespace fwd = tg::autograd::forward_ad;
  tg::tensor_list tangents, duals;
  tg::Tensor jv;
  tg::Tensor out;
  {
    fwd::dual_level level;
    for (const auto& x : inputs) {
      tangents.push_back(tg::randn(x.sizes(), tg::dtype(x.dtype())));
      duals.push_back(fwd::make_dual(x.detach(), tangents.back()));
    }
    auto y = f(duals);
    jv = fwd::unpack_dual(y).tangent;
    out = fwd::unpack_dual(y).primal.detach();
  }
  REQUIRE(jv.defined());
  auto u = tg::randn(out.sizes(), tg::dtype(out.dtype()));
  auto y = f(inputs);
  auto grads = tg::autograd::grad({y}, inputs, {u}, std::nullopt, false, true);
  double lhs = (u * jv).sum().item<double>();
  double rhs = 0.0;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (grads[i].defined()) rhs += (grads[i] * tangents[i]).sum().item<double>();
  }
  CHECK(lhs == Approx(rhs).epsilon(1e-9).margin(1e-9));
}

/// A function of the inputs, with torch's grad_fn name for its result.
struct named_fn {
  const char* name;
  const char* node;
  fn f;
};
/// For each function of `inputs`: its node name, gradcheck, gradgradcheck and forward mode
/// against backward.
inline void check_all(const std::vector<named_fn>& cases, const tg::tensor_list& inputs) {
  for (const auto& c : cases) {
    INFO(c.name);
    CHECK(c.f(inputs).grad_fn()->name() == c.node);
    CHECK(gradchecks(c.f, inputs));
    CHECK(gradgradchecks(c.f, inputs));
    check_forward_matches_backward(c.f, inputs);
  }
}
/// Options of double inputs that require grad.
inline tg::TensorOptions doubles() { return tg::TensorOptions().dtype(tg::kDouble).requires_grad(true); }

}  // namespace test_support
