// The comparisons of the property tests (compiled once), and tests of the tree generator
// itself: the trees are distinct and cover every operation.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>
#include <utility>

#include "check.hpp"

namespace prop {
namespace {

// AD results must agree with each other to rounding, with finite differences to the stencil's
// accuracy; both relative to max(1, |a|, |b|).
constexpr double ad_tolerance = 1e-10;
constexpr double fd_tolerance = 1e-6;
constexpr double fd_step = 1e-3;  // 4th-order central stencil: error ~ h^4 |f^(5)| / 30 + 2 eps |f| / h

bool close(double a, double b, double tol) {
  const double scale = std::max({1.0, std::abs(a), std::abs(b)});
  return std::abs(a - b) <= tol * scale;  // false for NaN
}

std::string show(const vec& v, unsigned n) {
  std::ostringstream s;
  s.precision(17);
  s << "(";
  for (unsigned i = 0; i < n; ++i) s << (i ? ", " : "") << v[i];
  s << ")";
  return s.str();
}

/// d/dx_i of output `index` of f at x: 4th-order central differences.
double fd(const values_fn& f, std::size_t index, const vec& x, unsigned i) {
  auto at = [&](double t) {
    vec p = x;
    p[i] += t;
    return f(p)[index];
  };
  const double h = fd_step;
  return (-at(2 * h) + 8 * at(h) - 8 * at(-h) + at(-2 * h)) / (12 * h);
}
/// d/dx_j of the gradient g at x.
vec fd(const gradient_fn& g, const vec& x, unsigned j) {
  auto at = [&](double t) {
    vec p = x;
    p[j] += t;
    return g(p);
  };
  const double h = fd_step;
  const vec a = at(2 * h), b = at(h), c = at(-h), d = at(-2 * h);
  vec r{};
  for (unsigned i = 0; i < 3; ++i) r[i] = (-a[i] + 8 * b[i] - 8 * c[i] + d[i]) / (12 * h);
  return r;
}

#define PROP_CLOSE(what, a, b, tol)                                                                   \
  do {                                                                                               \
    const double prop_a = (a), prop_b = (b);                                                         \
    INFO(what << ": " << prop_a << " vs " << prop_b << " (difference " << (prop_a - prop_b) << ")"); \
    CHECK(close(prop_a, prop_b, tol));                                                               \
  } while (false)

// ---- describing a plan ----------------------------------------------------------------------
const char* const literal_text[] = {"2", "1/2", "-3", "3/2"};

std::string describe(std::uint64_t s, int d, unsigned nv, const std::array<double, constant_slots>& k) {
  const info me = plan(s, d, nv);
  const auto sub = [&](unsigned c) {  // a child, in parentheses unless a leaf
    const info ci = plan(child_seed(s, c), d - 1, nv);
    const std::string t = describe(child_seed(s, c), d - 1, nv, k);
    return ci.k == kind::var || (ci.k == kind::literal && literal_values[ci.arg] > 0) ? t : "(" + t + ")";
  };
  const auto a = [&] { return sub(0); };
  const auto b = [&] { return sub(1); };
  std::ostringstream c;
  c.precision(17);
  c << k[me.arg];
  switch (me.k) {
    case kind::var: return "x" + std::to_string(me.arg);
    case kind::literal: return literal_text[me.arg];
    case kind::unary: {
      static const char* const f[] = {
          "-U", "sin(U)", "cos(U)", "exp(U)", "tanh(U)", "sigmoid(U)", "atan(U)", "square(U)",
          "pow(U, 2.0)", "log(1 + square(U))",
          "sqrt(1.0 + square(U))", "softplus(U)", "erf(U)", "log1p(square(U))", "expm1(U)", "asinh(U)", "sinh(U)",
          "cosh(U)", "cbrt(2 + sin(U))", "tan(tanh(U))", "asin(9/10 * tanh(U))", "acos(sin(U) / 2)",
          "atanh(tanh(U) * 0.5)", "erfc(U)", "exp2(sin(U))", "log2(1 + square(U))", "log10(2 + cos(U))",
          "lgamma(3/2 + sin(U))", "tgamma(2 + sin(U))", "pow(U, 3)",
          "sqrt(square(U) + 1/4)"};
      std::string t = f[me.op];
      const std::string u = a();
      for (std::size_t p; (p = t.find('U')) != std::string::npos;) t.replace(p, 1, u);
      return t;
    }
    case kind::binary: {
      static const char* const f[] = {"A + B", "A - B", "A * B", "A / (1 + square(B))", "A / (2.0 + sin(B))",
                                      "hypot(A, 1 + square(B))", "atan2(A, 1 + square(B))",
                                      "pow(1 + square(A), tanh(B))", "A * exp(-square(B))",
                                      "log(1 + square(A) + square(B))", "sin(A) * cos(B)", "2 * A - B / 2"};
      std::string t = f[me.op];
      const std::string u = a(), v = b();
      for (std::size_t p; (p = t.find('A')) != std::string::npos;) t.replace(p, 1, u);
      for (std::size_t p; (p = t.find('B')) != std::string::npos;) t.replace(p, 1, v);
      return t;
    }
    case kind::with_constant: {
      static const char* const f[] = {"A * K", "K - A", "A / K", "K / (1.0 + square(A))", "pow(1.0 + square(A), K)",
                                      "0.5 * A + 1.0", "A + 3/2"};
      std::string t = f[me.op];
      const std::string u = a(), v = "(" + c.str() + ")";
      for (std::size_t p; (p = t.find('A')) != std::string::npos;) t.replace(p, 1, u);
      for (std::size_t p; (p = t.find('K')) != std::string::npos;) t.replace(p, 1, v);
      return t;
    }
    case kind::shared: {
      static const char* const f[] = {"S * sin(S)", "square(S) - S", "S / (1 + square(S))", "exp(-square(S)) * S",
                                      "tanh(S) + S * S", "T / (1 + T) + S * T / (2 + T) where T = S * S"};
      std::string t = f[me.op];
      const std::string u = a();
      for (std::size_t p; (p = t.find('S')) != std::string::npos;) t.replace(p, 1, u);
      return t;
    }
  }
  return "?";
}

}  // namespace

std::string describe(std::uint64_t seed, unsigned nv) {
  return describe(root_seed(seed), max_depth, nv, constants_of(seed));
}

vec point(std::uint64_t seed, unsigned which, unsigned n) {
  rng g{mix(seed * 1000 + which)};
  vec x{};
  for (unsigned i = 0; i < n; ++i) x[i] = g.uniform(-point_bound, point_bound);
  return x;
}
vec direction(std::uint64_t seed, unsigned which, unsigned n) {
  rng g{mix(~seed * 1000 + which)};
  vec v{};
  for (unsigned i = 0; i < n; ++i) v[i] = g.uniform(-1, 1);
  return v;
}

void verify_first(const first_order& r, std::size_t index, const values_fn& values) {
  INFO("tree " << r.seed << " (" << r.n << " arguments): f = " << describe(r.seed, r.n));
  INFO("at x = " << show(r.x, r.n));
  CHECK(std::isfinite(r.value));
  for (unsigned i = 0; i < r.n; ++i) {
    INFO("d/dx" << i);
    CHECK(std::isfinite(r.grad_reverse[i]));
    PROP_CLOSE("dual<double, N> (forward) vs vjp (reverse)", r.grad_forward[i], r.grad_reverse[i], ad_tolerance);
    if (r.symbolic_variable < 0 || static_cast<unsigned>(r.symbolic_variable) == i)
      PROP_CLOSE("derivative<I> (symbolic) vs vjp (reverse)", r.grad_symbolic[i], r.grad_reverse[i], ad_tolerance);
    PROP_CLOSE("central differences vs vjp (reverse)", fd(values, index, r.x, i), r.grad_reverse[i], fd_tolerance);
  }
}

void verify_single(const first_order& r, const single_results& s, const std::string& text,
                   const std::string& derivative_text, const gradient_fn& g) {
  INFO("tree " << r.seed << " on its own: f = " << text);
  INFO("at x = " << show(r.x, r.n) << ", direction v = " << show(r.dir, r.n));
  CHECK_FALSE(text.empty());
  CHECK_FALSE(derivative_text.empty());
  PROP_CLOSE("eval vs dual value", s.value_eval, r.value, ad_tolerance);
  PROP_CLOSE("value_and_grad value vs eval", s.value_vg, s.value_eval, ad_tolerance);
  PROP_CLOSE("jvp value vs eval", s.value_jvp, s.value_eval, ad_tolerance);
  double dot = 0;
  for (unsigned i = 0; i < r.n; ++i) {
    INFO("d/dx" << i);
    PROP_CLOSE("value_and_grad vs grad", s.grad_vg[i], r.grad_reverse[i], ad_tolerance);
    PROP_CLOSE("jvp(e_i) vs grad", s.jvp[i], r.grad_reverse[i], ad_tolerance);
    PROP_CLOSE("jacobian vs grad", s.jacobian[i], r.grad_reverse[i], ad_tolerance);
    dot += r.grad_reverse[i] * r.dir[i];
  }
  PROP_CLOSE("jvp(v) vs grad . v", s.jvp_dir, dot, ad_tolerance);
  if (!s.second) return;
  for (unsigned j = 0; j < r.n; ++j) {
    const vec column = fd(g, r.x, j);
    for (unsigned i = 0; i < r.n; ++i) {
      INFO("d2/dx" << i << "dx" << j);
      const double h = s.hessian[i][j];
      CHECK(std::isfinite(h));
      PROP_CLOSE("hessian symmetric", s.hessian[j][i], h, ad_tolerance);
      PROP_CLOSE("hvp(e_j)[i] vs hessian", s.hvp[j][i], h, ad_tolerance);
      PROP_CLOSE("derivative<j>(derivative<i>) vs hessian", s.symbolic[i][j], h, ad_tolerance);
      PROP_CLOSE("jacobian(symbolic gradient) vs hessian", s.forward_symbolic[i][j], h, ad_tolerance);
      PROP_CLOSE("central differences of grad vs hessian", column[i], h, fd_tolerance);
    }
  }
  for (unsigned i = 0; i < r.n; ++i) {
    double hv = 0;
    for (unsigned j = 0; j < r.n; ++j) hv += s.hessian[i][j] * r.dir[j];
    PROP_CLOSE("hvp(v) vs hessian v", s.hvp_dir[i], hv, ad_tolerance);
  }
}

}  // namespace prop

// ---- the generator --------------------------------------------------------------------------

TEST_CASE("random trees are distinct and cover every operation", "[property]") {
  using namespace prop;
  std::set<std::uint64_t> shapes;  // structures (the constants' values aside)
  std::array<int, unary_count> unary{};
  std::array<int, binary_count> binary{};
  std::array<int, constant_count> constant{};
  std::array<int, shared_count> shared{};
  int leaves = 0, literals = 0, largest = 0;
  std::array<int, max_depth + 1> depths{};  // trees by depth (in generator operations)
  // walk every node of every tree; returns the depth
  struct walker {
    decltype(unary)& u;
    decltype(binary)& b;
    decltype(constant)& c;
    decltype(shared)& s;
    int& leaves;
    int& literals;
    int operator()(std::uint64_t seed, int d, unsigned nv) {
      const info me = plan(seed, d, nv);
      int depth = 0;
      switch (me.k) {
        case kind::var: ++leaves; return 0;
        case kind::literal: ++literals; return 0;
        case kind::unary: ++u[me.op]; break;
        case kind::binary:
          ++b[me.op];
          depth = (*this)(child_seed(seed, 1), d - 1, nv);
          break;
        case kind::with_constant: ++c[me.op]; break;
        case kind::shared: ++s[me.op]; break;
      }
      return 1 + std::max(depth, (*this)(child_seed(seed, 0), d - 1, nv));
    }
  } walk{unary, binary, constant, shared, leaves, literals};
  for (std::uint64_t seed = 0; seed < tree_count; ++seed) {
    const unsigned nv = arity_of(seed);
    const info root = tree_plan(seed);
    shapes.insert(root.hash);
    largest = std::max(largest, root.nodes);
    CHECK(root.vars);
    CHECK(root.bound <= value_limit);
    ++depths[static_cast<std::size_t>(walk(root_seed(seed), max_depth, nv))];
  }
  INFO("trees by depth: 1: " << depths[1] << ", 2: " << depths[2] << ", 3: " << depths[3] << ", 4: " << depths[4]);
  CHECK(depths[max_depth] >= 100);
  INFO(shapes.size() << " distinct trees of " << tree_count << ", up to " << largest << " operations");
  CHECK(shapes.size() >= 1000);
  CHECK(leaves > 0);
  CHECK(literals > 0);
  for (unsigned i = 0; i < unary_count; ++i) {
    INFO("unary operation " << i);
    CHECK(unary[i] > 0);
  }
  for (unsigned i = 0; i < binary_count; ++i) {
    INFO("binary operation " << i);
    CHECK(binary[i] > 0);
  }
  for (unsigned i = 0; i < constant_count; ++i) {
    INFO("operation with a constant " << i);
    CHECK(constant[i] > 0);
  }
  for (unsigned i = 0; i < shared_count; ++i) {
    INFO("shared subexpression " << i);
    CHECK(shared[i] > 0);
  }
  CHECK_FALSE(describe(0, arity_of(0)).empty());
}
