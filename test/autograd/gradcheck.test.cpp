// tg::autograd::gradcheck / gradgradcheck (torch.autograd.gradcheck): passing checks in double
// and complex double, and every failure text against PyTorch 1.13
// (make_functional_reference.py -> gradcheck_reference.inc). Wrong backward functions are
// made by node hooks that change a node's result, the same way in both languages.
#include <catch2/catch.hpp>

#include <algorithm>
#include <complex>
#include <functional>
#include <iostream>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <typegrad/autograd/gradcheck.hpp>
#include <typegrad/dynamic.hpp>

#include "support/tensor_values.hpp"

namespace tg = typegrad;
using tg::autograd::gradcheck;
using tg::autograd::GradcheckError;
using tg::autograd::gradgradcheck;

namespace {

const std::map<std::string, std::string> reference = {
#include "autograd/gradcheck_reference.inc"
};

using hook_result = std::optional<tg::tensor_list>;
using node_hook = std::function<hook_result(const tg::tensor_list& grad_inputs, const tg::tensor_list& grad_outputs)>;

using test_support::leaf;
tg::Tensor complex_leaf(std::vector<std::complex<double>> v) { return tg::tensor(v, tg::requires_grad()); }

/// y = a * a with `hook` registered on its node (MulBackward0, two gradients: self and other).
tg::Tensor square_with_hook(const tg::Tensor& a, node_hook hook) {
  tg::Tensor y = a * a;
  y.grad_fn()->register_hook(std::move(hook));
  return y;
}
/// Every gradient the node returns, times `scale` (a backward off by that factor).
node_hook scale_by(double scale) {
  return [scale](const tg::tensor_list& gi, const tg::tensor_list& go) -> hook_result {
    if (!go[0].defined()) return std::nullopt;
    tg::tensor_list r;
    for (const auto& g : gi) r.push_back(g * scale);
    return r;
  };
}
/// Every gradient the node returns, plus shift * grad_output.
node_hook shift_by(double shift) {
  return [shift](const tg::tensor_list& gi, const tg::tensor_list& go) -> hook_result {
    if (!go[0].defined()) return std::nullopt;
    tg::tensor_list r;
    for (const auto& g : gi) r.push_back(g + shift * go[0]);
    return r;
  };
}
auto scaled(double scale) {
  return [scale](const tg::tensor_list& in) { return square_with_hook(in[0], scale_by(scale)); };
}

bool all_zero(const tg::Tensor& t) {
  tg::Tensor c = t.detach().contiguous().to(tg::kComplexDouble);
  const auto* p = c.data_ptr<std::complex<double>>();
  for (std::int64_t k = 0; k < c.numel(); ++k)
    if (p[k] != std::complex<double>(0)) return false;
  return true;
}

/// The text of the error `f` throws ("" when it throws nothing); `kind` says which type.
template <class F> std::string error_text(F&& f, std::string* kind = nullptr) {
  try {
    f();
  } catch (const GradcheckError& e) {
    if (kind) *kind = "GradcheckError";
    return e.what();
  } catch (const tg::Error& e) {
    if (kind) *kind = "Error";
    return e.what();
  }
  return "";
}

/// Captures what is written to std::cerr while alive.
class capture_cerr {
 public:
  capture_cerr() : old_(std::cerr.rdbuf(buffer_.rdbuf())) {}
  ~capture_cerr() { std::cerr.rdbuf(old_); }
  capture_cerr(const capture_cerr&) = delete;
  capture_cerr& operator=(const capture_cerr&) = delete;
  std::string text() const { return buffer_.str(); }

 private:
  std::ostringstream buffer_;
  std::streambuf* old_;
};

}  // namespace

TEST_CASE("gradcheck passes on correct backward formulas", "[gradcheck]") {
  const auto x = leaf({0.5, -1.25, 2.0});
  const auto w = leaf({1.5, 0.25, -0.75});
  auto fn = [](const tg::tensor_list& in) { return in[0] * in[1] + sin(in[0]); };
  CHECK(gradcheck(fn, {x, w}));
  CHECK(gradcheck(fn, {x, w}, {.fast_mode = true}));
  // several outputs, one without grad; the function may return a tensor_list
  auto several = [](const tg::tensor_list& in) { return tg::tensor_list{exp(in[0]), in[0].detach() * 0.0, in[0] / in[1]}; };
  CHECK(gradcheck(several, {x, w}));
  // inputs that do not require grad are constants
  CHECK(gradcheck(fn, {x, w.detach()}));
  // reductions and views
  const auto m = tg::tensor({{0.5, 1.0, -0.25}, {2.0, -1.5, 0.75}}, tg::requires_grad());
  CHECK(gradcheck([](const tg::tensor_list& in) { return in[0].t().sum({0}) * in[0].select(0, 1).mean(); }, {m}));
  // a non-contiguous input
  const auto mt = m.detach().t().requires_grad_(true);
  CHECK(gradcheck([](const tg::tensor_list& in) { return tanh(in[0]) * in[0]; }, {mt}));
}

TEST_CASE("gradcheck and gradgradcheck pass on pointwise functions in double and complex double", "[gradcheck]") {
  using unary = std::function<tg::Tensor(const tg::Tensor&)>;
  const std::vector<std::pair<const char*, unary>> functions = {
      {"sin", [](const tg::Tensor& a) { return sin(a); }},
      {"exp", [](const tg::Tensor& a) { return exp(a); }},
      {"tanh", [](const tg::Tensor& a) { return tanh(a); }},
      {"sigmoid", [](const tg::Tensor& a) { return sigmoid(a); }},
      {"pow", [](const tg::Tensor& a) { return a.pow(3); }},
      {"mul", [](const tg::Tensor& a) { return a * a; }},
      {"div", [](const tg::Tensor& a) { return 1.0 / a; }},
  };
  const std::vector<tg::Tensor> inputs = {leaf({0.5, -1.25}),
                                          complex_leaf({{0.5, 0.25}, {-1.25, 0.5}})};
  for (const auto& entry : functions) {
    const unary& f = entry.second;  // a named variable: clang 14 cannot capture structured bindings
    for (const auto& x : inputs) {
      INFO(entry.first << " on " << x);
      auto fn = [&f](const tg::tensor_list& in) { return f(in[0]); };
      CHECK(gradcheck(fn, {x}));
      CHECK(gradcheck(fn, {x}, {.fast_mode = true}));
      CHECK(gradgradcheck(fn, {x}));
      CHECK(gradgradcheck(fn, {x}, {.fast_mode = true}));
    }
  }
  // binary functions of two inputs, grad_outputs given or random and non-contiguous
  const auto a = complex_leaf({{0.5, 0.25}, {-1.25, 0.5}});
  const auto b = complex_leaf({{1.5, -0.5}, {0.75, 1.0}});
  auto quotient = [](const tg::tensor_list& in) { return in[0] * in[1] / (in[0] + in[1]); };
  CHECK(gradcheck(quotient, {a, b}));
  CHECK(gradgradcheck(quotient, {a, b}, tg::tensor_list{complex_leaf({{1.0, -1.0}, {0.5, 2.0}})}));
  CHECK(gradgradcheck(quotient, {a, b}, {.gen_non_contig_grad_outputs = true}));
  const auto x = leaf({0.5, -1.25, 2.0});
  CHECK(gradgradcheck([](const tg::tensor_list& in) { return tg::tensor_list{sin(in[0]) * in[0], in[0].sum()}; }, {x},
                      {.gen_non_contig_grad_outputs = true}));
}

TEST_CASE("gradcheck leaves its inputs as they were", "[gradcheck]") {
  const auto x = leaf({0.5, -1.25, 2.0});
  const auto version = x._version();
  CHECK(gradcheck([](const tg::tensor_list& in) { return exp(in[0]); }, {x}));
  CHECK(x._version() == version);
  CHECK_FALSE(x.grad().defined());
  const auto* p = x.data_ptr<double>();
  CHECK(std::vector<double>(p, p + 3) == std::vector<double>{0.5, -1.25, 2.0});
  // also when the function throws while an element is perturbed
  int calls = 0;
  auto throws_later = [&calls](const tg::tensor_list& in) -> tg::Tensor {
    if (++calls > 1) throw tg::Error("from the function");
    return exp(in[0]);
  };
  CHECK(error_text([&] { gradcheck(throws_later, {x}, {.raise_exception = false}); }) == "from the function");
  CHECK(std::vector<double>(p, p + 3) == std::vector<double>{0.5, -1.25, 2.0});
}

TEST_CASE("gradcheck failure texts match PyTorch", "[gradcheck]") {
  const auto X = leaf({1.0, 2.0});
  const auto W = leaf({0.5, -1.5});
  const auto Z = complex_leaf({{1.0, 2.0}, {3.0, -1.0}});
  const auto X10 = leaf({1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0});
  const auto XC = leaf({2.0, -0.509728});
  const auto XF = tg::tensor({1.0, 2.0}, tg::TensorOptions().dtype(tg::kFloat).requires_grad(true));
  const auto G = leaf({0.5, -0.25});
  using check = std::function<void()>;
  using tg::tensor_list;
  const std::vector<std::pair<std::string, check>> cases = {
      {"mismatch", [&] { gradcheck(scaled(1.5), {X}); }},
      {"mismatch of the second input",
       [&] {
         gradcheck(
             [](const tensor_list& in) {
               tg::Tensor y = in[0] * in[1];
               y.grad_fn()->register_hook([](const tensor_list& gi, const tensor_list&) -> hook_result {
                 return tensor_list{gi[0], gi[1] * 1.5};
               });
               return y;
             },
             {X, W});
       }},
      {"mismatch of the second output",
       [&] { gradcheck([](const tensor_list& in) { return tensor_list{in[0] * 2.0, scaled(1.5)(in)}; }, {X}); }},
      {"mismatch with a complex input", [&] { gradcheck([](const tensor_list& in) { return real(scaled(1.5)(in)); }, {Z}); }},
      {"mismatch with a complex output", [&] { gradcheck(scaled(1.5), {Z}); }},
      {"mismatch with a real input and a complex output",
       [&] {
         gradcheck([](const tensor_list& in) { return scaled(1.5)({in[0] * std::complex<double>(1, 2)}); }, {X});
       }},
      {"mismatch with a float input",
       [&] {
         gradcheck([](const tensor_list& in) { return in[0] + in[1] * 3.0; }, {X, XF}, {.atol = 1e-2, .rtol = 1e-2});
       }},
      {"nondeterministic backward",
       [&] {
         gradcheck(
             [](const tensor_list& in) {
               auto calls = std::make_shared<int>(0);
               return square_with_hook(in[0], [calls](const tensor_list& gi, const tensor_list& go) -> hook_result {
                 if (!go[0].defined()) return std::nullopt;
                 ++*calls;
                 tensor_list r;
                 for (const auto& g : gi) r.push_back(g * (1 + 1e-9 * *calls));
                 return r;
               });
             },
             {X}, {.nondet_tol = 1e-12});
       }},
      {"fast mode mismatch", [&] { gradcheck(scaled(1.5), {X}, {.fast_mode = true}); }},
      {"fast mode mismatch of a larger input",
       [&] { gradcheck(scaled(1.00001), {X10}, {.atol = 0, .rtol = 1e-7, .fast_mode = true}); }},
      {"fast mode mismatch that slow mode passes",
       [&] {
         gradcheck([](const tensor_list& in) { return square_with_hook(in[0], shift_by(5e-4)); }, {XC},
                   {.atol = 0, .fast_mode = true});
       }},
      {"fast mode mismatch with a complex input", [&] { gradcheck(scaled(1.5), {Z}, {.fast_mode = true}); }},
      {"backward not multiplied by grad_output",
       [&] {
         gradcheck(
             [](const tensor_list& in) {
               return square_with_hook(in[0], [](const tensor_list& gi, const tensor_list& go) -> hook_result {
                 if (!go[0].defined() || !all_zero(go[0])) return std::nullopt;
                 tensor_list r;
                 for (const auto& g : gi) r.push_back(g + 1.0);
                 return r;
               });
             },
             {X});
       }},
      {"undefined output grads refused",
       [&] {
         gradcheck(
             [](const tensor_list& in) {
               tg::Tensor y = in[0] * in[0];
               y.grad_fn()->register_prehook([](const tensor_list& go) -> hook_result {
                 if (!go[0].defined()) throw tg::Error("undefined gradient");
                 return std::nullopt;
               });
               return y;
             },
             {X});
       }},
      {"undefined output grads give non-zero grads",
       [&] {
         gradcheck(
             [](const tensor_list& in) {
               const tg::Tensor a = in[0];
               return square_with_hook(a, [a](const tensor_list& gi, const tensor_list& go) -> hook_result {
                 if (go[0].defined()) return std::nullopt;
                 return tensor_list(gi.size(), tg::ones_like(a));
               });
             },
             {X});
       }},
      {"no differentiable outputs", [&] { gradcheck([](const tensor_list& in) { return in[0].detach() * 2.0; }, {X}); }},
      {"no input requires grad", [&] { gradcheck([](const tensor_list& in) { return in[0] * 2.0; }, {X.detach()}); }},
      {"input with stride 0", [&] { gradcheck([](const tensor_list& in) { return in[0] * 2.0; }, {X.expand({3, 2})}); }},
      {"neither backward nor forward checks",
       [&] { gradcheck([](const tensor_list& in) { return in[0] * 2.0; }, {X}, {.check_backward_ad = false}); }},
      {"gradgradcheck: wrong second derivative",
       [&] {
         gradgradcheck(
             [](const tensor_list& in) {
               const tg::Tensor a = in[0];
               return square_with_hook(a, [a](const tensor_list& gi, const tensor_list& go) -> hook_result {
                 return tensor_list(gi.size(), a.detach() * go[0]);
               });
             },
             {X}, tensor_list{G});
       }},
      {"gradgradcheck: first derivative without graph",
       [&] {
         gradgradcheck(
             [](const tensor_list& in) {
               return square_with_hook(in[0], [](const tensor_list& gi, const tensor_list&) -> hook_result {
                 tensor_list r;
                 for (const auto& g : gi) r.push_back(g.detach());
                 return r;
               });
             },
             {X}, tensor_list{G});
       }},
      {"gradgradcheck: undefined grad check without rev over rev",
       [&] {
         gradgradcheck([](const tensor_list& in) { return in[0] * in[0]; }, {X},
                       {.check_fwd_over_rev = true, .check_rev_over_rev = false});
       }},
      {"gradgradcheck: neither",
       [&] {
         gradgradcheck([](const tensor_list& in) { return in[0] * in[0]; }, {X},
                       {.check_undefined_grad = false, .check_rev_over_rev = false});
       }},
  };
  // GradcheckError where torch raises GradcheckError; the others are torch's ValueError,
  // RuntimeError and AssertionError
  const std::vector<std::string> not_gradcheck_errors = {
      "no input requires grad", "input with stride 0", "neither backward nor forward checks",
      "gradgradcheck: undefined grad check without rev over rev", "gradgradcheck: neither"};
  REQUIRE(cases.size() == reference.size());
  for (const auto& [name, run] : cases) {
    INFO(name);
    capture_cerr quiet;  // the undefined-gradient checks warn before raising
    std::string kind;
    CHECK(error_text(run, &kind) == reference.at(name));
    const bool plain_error = std::find(not_gradcheck_errors.begin(), not_gradcheck_errors.end(), name) != not_gradcheck_errors.end();
    CHECK(kind == (plain_error ? "Error" : "GradcheckError"));
  }
}

TEST_CASE("gradcheck with raise_exception = false returns false, only for failed checks", "[gradcheck]") {
  const auto x = leaf({1.0, 2.0});
  CHECK_FALSE(gradcheck(scaled(1.5), {x}, {.raise_exception = false}));
  CHECK_FALSE(gradcheck(scaled(1.5), {x}, {.raise_exception = false, .fast_mode = true}));
  CHECK_FALSE(gradgradcheck(
      [](const tg::tensor_list& in) {
        return square_with_hook(in[0], [](const tg::tensor_list& gi, const tg::tensor_list&) -> hook_result {
          tg::tensor_list r;
          for (const auto& g : gi) r.push_back(g.detach());
          return r;
        });
      },
      {x}, {.raise_exception = false}));
  CHECK(gradcheck(scaled(1.0), {x}, {.raise_exception = false}));
  // bad arguments still throw
  CHECK_THROWS_AS(gradcheck(scaled(1.5), {x.detach()}, {.raise_exception = false}), tg::Error);
}

TEST_CASE("gradcheck tolerances and switches", "[gradcheck]") {
  const auto x = leaf({1.0, 2.0});
  // a backward off by 0.1 % passes with rtol = 1e-2, not with the default 1e-3 ... 
  CHECK_FALSE(gradcheck(scaled(1.002), {x}, {.raise_exception = false}));
  CHECK(gradcheck(scaled(1.002), {x}, {.rtol = 1e-2}));
  // ... or with atol large enough
  CHECK(gradcheck(scaled(1.002), {x}, {.atol = 1e-2}));
  // nondet_tol admits a slightly nondeterministic backward
  auto nondeterministic = [](const tg::tensor_list& in) {
    auto calls = std::make_shared<int>(0);
    return square_with_hook(in[0], [calls](const tg::tensor_list& gi, const tg::tensor_list& go) -> hook_result {
      if (!go[0].defined()) return std::nullopt;
      ++*calls;
      tg::tensor_list r;
      for (const auto& g : gi) r.push_back(g * (1 + 1e-9 * *calls));
      return r;
    });
  };
  CHECK_FALSE(gradcheck(nondeterministic, {x}, {.raise_exception = false}));
  CHECK(gradcheck(nondeterministic, {x}, {.nondet_tol = 1e-6}));
  // check_undefined_grad = false skips the undefined-gradient checks
  auto refuses_undefined = [](const tg::tensor_list& in) {
    tg::Tensor y = in[0] * in[0];
    y.grad_fn()->register_prehook([](const tg::tensor_list& go) -> hook_result {
      if (!go[0].defined()) throw tg::Error("undefined gradient");
      return std::nullopt;
    });
    return y;
  };
  CHECK(gradcheck(refuses_undefined, {x}, {.check_undefined_grad = false}));
  // a larger eps still checks a polynomial to rounding error
  CHECK(gradcheck([](const tg::tensor_list& in) { return in[0] * in[0]; }, {x}, {.eps = 1e-3}));
}

namespace {
/// y = 3 x with a right backward and a jvp of `jvp_scale` x's tangent: a wrong forward mode
/// that only check_forward_ad can see.
template <int JvpScale> struct TripleWithJvp : tg::autograd::Function<TripleWithJvp<JvpScale>> {
  static tg::Tensor forward(tg::autograd::AutogradContext*, const tg::Tensor& x) { return x * 3.0; }
  static tg::tensor_list backward(tg::autograd::AutogradContext*, tg::tensor_list g) { return {g[0] * 3.0}; }
  static tg::tensor_list jvp(tg::autograd::AutogradContext*, tg::tensor_list t) {
    return {t[0] * static_cast<double>(JvpScale)};
  }
};
}  // namespace

TEST_CASE("gradcheck with check_forward_ad: forward-mode Jacobians against numerical ones", "[gradcheck][forward_ad]") {
  const auto x = leaf({0.5, -1.25, 2.0});
  const auto y = leaf({0.25, 1.5, -0.75});
  const auto z = complex_leaf({{0.5, 1.0}, {-1.0, 0.25}});
  const auto real_fn = [](const tg::tensor_list& in) { return tg::sin(in[0]) * tg::exp(in[0]) + tg::pow(in[0], 3.0); };
  CHECK(gradcheck(real_fn, {x}, {.check_forward_ad = true}));
  CHECK(gradcheck(real_fn, {x}, {.check_forward_ad = true, .check_backward_ad = false}));
  CHECK(gradcheck(real_fn, {x}, {.check_forward_ad = true, .fast_mode = true}));
  // complex inputs (as real and imaginary parts), complex outputs of real inputs, several inputs
  CHECK(gradcheck([](const tg::tensor_list& in) { return in[0] * in[0] + tg::conj(in[0]) * 2.0; }, {z},
                  {.check_forward_ad = true}));
  CHECK(gradcheck([](const tg::tensor_list& in) { return tg::abs(in[0]); }, {z}, {.check_forward_ad = true}));
  CHECK(gradcheck([](const tg::tensor_list& in) { return tg::polar(in[0], in[1]); }, {x, y},
                  {.check_forward_ad = true}));
  CHECK(gradcheck([](const tg::tensor_list& in) { return tg::tensor_list{in[0] * in[1], tg::tanh(in[1])}; }, {x, y},
                  {.check_forward_ad = true}));

  // A wrong jvp with a right backward: only the forward check fails, with torch's text.
  const auto wrong = [](const tg::tensor_list& in) { return TripleWithJvp<4>::apply(in[0]); };
  const auto right = [](const tg::tensor_list& in) { return TripleWithJvp<3>::apply(in[0]); };
  CHECK(gradcheck(wrong, {x}));
  CHECK(gradcheck(right, {x}, {.check_forward_ad = true}));
  std::string kind;
  const std::string text = error_text([&] { gradcheck(wrong, {x}, {.check_forward_ad = true}); }, &kind);
  CHECK(kind == "GradcheckError");
  CHECK_THAT(text, Catch::StartsWith("Jacobian computed with forward mode mismatch for output 0 with respect to input "
                                     "0,\nnumerical:tensor([[3."));
  CHECK_THAT(text, Catch::Contains("\nanalytical:tensor([[4., 0., 0.],"));
  CHECK_FALSE(gradcheck(wrong, {x}, {.raise_exception = false, .check_forward_ad = true}));
  // A complex input is checked through its imaginary part first.
  CHECK_THAT(error_text([&] { gradcheck(wrong, {z}, {.check_forward_ad = true}); }),
             Catch::StartsWith("While considering the imaginary part of complex inputs only, Jacobian computed with "
                               "forward mode mismatch for output 0 with respect to input 0,"));

  // gradgradcheck's forward-over-reverse: forward mode through the backward formulas.
  CHECK(gradgradcheck([](const tg::tensor_list& in) { return tg::sin(in[0]) * in[0]; }, {x},
                      {.check_fwd_over_rev = true}));
  CHECK(gradgradcheck([](const tg::tensor_list& in) { return in[0] * tg::conj(in[0]) * in[0]; }, {z},
                      {.check_fwd_over_rev = true}));
}

TEST_CASE("gradcheck warns about inputs that are not double precision", "[gradcheck]") {
  const auto xf = tg::tensor({1.0, 2.0}, tg::TensorOptions().dtype(tg::kFloat).requires_grad(true));
  const auto xd = leaf({1.0, 2.0});
  capture_cerr captured;
  CHECK(gradcheck([](const tg::tensor_list& in) { return in[0] + in[1] * 3.0; }, {xd, xf}, {.eps = 1e-3}));
  CHECK(captured.text().find("Warning: Input #1 requires gradient and is not a double precision floating point or "
                             "complex. This check will likely fail if all the inputs are not of double precision "
                             "floating point or complex. \n") != std::string::npos);
  CHECK(captured.text().find("Input #0") == std::string::npos);
}

TEST_CASE("gradcheck reports wrong gradient dtypes and sizes as torch does", "[gradcheck]") {
  // Tensor hooks on an input run before grad() captures its gradient (current PyTorch; 1.13
  // skipped them), so they can hand gradcheck a gradient of another dtype or shape. torch
  // unpacks its (sizes_ok, dtypes_ok) flags swapped: a wrong dtype reads "incorrect size", and
  // a wrong shape "dtype mismatch" under check_grad_dtypes.
  auto square = [](const tg::tensor_list& in) { return in[0] * in[0]; };
  const auto x = leaf({1.0, 2.0});
  auto to_float = x.register_hook([](const tg::Tensor& g) { return g.to(tg::kFloat); });
  CHECK(error_text([&] { gradcheck(square, {x}); }) == "Analytical gradient has incorrect size");
  to_float.remove();
  const auto m = tg::tensor({{1.0, 2.0}, {3.0, 4.0}}, tg::requires_grad());
  auto flatten = m.register_hook([](const tg::Tensor& g) { return g.reshape({4}); });
  CHECK(error_text([&] { gradcheck(square, {m}, {.check_grad_dtypes = true}); }) == "Gradient has dtype mismatch");
  CHECK(error_text([&] { gradcheck(square, {m}); }) == "grad is incorrect size");
  flatten.remove();
  CHECK(gradcheck(square, {m}));
}

TEST_CASE("gradgradcheck's random grad_outputs are torch.testing.make_tensor's", "[gradcheck]") {
  using tg::autograd::gradcheck_detail::random_grad_output;
  const auto like = tg::zeros({3, 4}, tg::dtype(tg::kComplexDouble));
  const tg::Tensor g = random_grad_output(like, /*noncontiguous=*/true);
  CHECK(g.requires_grad());
  CHECK(g.is_leaf());
  CHECK(g.dtype() == tg::kComplexDouble);
  CHECK(g.sizes() == std::vector<std::int64_t>{3, 4});
  CHECK_FALSE(g.is_contiguous());
  const tg::Tensor c = g.detach().contiguous();
  const auto* p = c.data_ptr<std::complex<double>>();
  bool negative_imaginary = false;
  for (std::int64_t k = 0; k < c.numel(); ++k) {
    CHECK(p[k].real() >= -1.0);
    CHECK(p[k].real() < 1.0);
    CHECK(p[k].imag() >= -1.0);
    CHECK(p[k].imag() < 1.0);
    negative_imaginary = negative_imaginary || p[k].imag() < 0;
  }
  CHECK(negative_imaginary);  // both parts in [-1, 1)
  // an integer output gets double grad_outputs; a single element stays contiguous
  CHECK(random_grad_output(tg::zeros({2}, tg::dtype(tg::kLong)), false).dtype() == tg::kDouble);
  CHECK(random_grad_output(tg::zeros({1}, tg::dtype(tg::kFloat)), true).is_contiguous());
}

TEST_CASE("python_float_repr is Python's repr of a float", "[gradcheck]") {
  using tg::autograd::gradcheck_detail::python_float_repr;
  CHECK(python_float_repr(0.0) == "0.0");
  CHECK(python_float_repr(1e-6) == "1e-06");
  CHECK(python_float_repr(1e-5) == "1e-05");
  CHECK(python_float_repr(0.001) == "0.001");
  CHECK(python_float_repr(0.0001) == "0.0001");
  CHECK(python_float_repr(1e-12) == "1e-12");
  CHECK(python_float_repr(2.0000000000004405) == "2.0000000000004405");
  CHECK(python_float_repr(100.0) == "100.0");
  CHECK(python_float_repr(123.456) == "123.456");
  CHECK(python_float_repr(1e16) == "1e+16");
  CHECK(python_float_repr(1234567890123456.0) == "1234567890123456.0");
  CHECK(python_float_repr(-0.5) == "-0.5");
  CHECK(python_float_repr(0.1 + 0.2) == "0.30000000000000004");
  CHECK(python_float_repr(std::numeric_limits<double>::infinity()) == "inf");
}
