#pragma once
// The property checks. The templates here only call typegrad and store numbers; comparisons,
// finite differences and Catch assertions are plain functions compiled once (checks.test.cpp),
// so that a tree costs the compiler nothing but typegrad's own instantiations.
//
// Compile time is what limits this suite: every typegrad entry point instantiated for a tree
// costs g++ -O1 roughly 10 ms per operation of the tree (a symbolic derivative more: its
// expression is larger and building it is itself a template computation), while calling the
// tree with tg::dual numbers costs almost nothing. So the work is split:
//
//   every tree, in bundles of `bundle_size` trees of one arity made one tuple-valued function,
//   so that one instantiation serves them all:
//     forward   f(tg::dual<double, N>...)             value and the whole gradient
//     reverse   tg::vjp(bundle, x, e_r)               the gradient of tree r
//     symbolic  tg::eval of tg::derivative<I>(tree)   for one I = symbolic_variable(seed)
//     and 4th-order central differences of the values; all at points_per_tree points.
//   one tree in each block of `single_every`, on its own: tg::eval, tg::value_and_grad,
//     tg::grad, tg::jvp, tg::jacobian, tg::derivative<I>(f)(x...) for every I, tg::to_string
//     of f and of a derivative; and one in each block of `second_every` also to second order:
//     tg::hessian, tg::hvp, every tg::derivative<J>(tg::derivative<I>(f)), tg::jacobian of the
//     symbolic gradient (forward over symbolic), central differences of tg::grad. (Not f called
//     with tg::dual<tg::dual<double, N>, N>: a plain number mixed with such a nested dual, as in
//     `0.5 * u`, does not compile yet.)
//
// Measured (2 cores shared, user time, all 9 files): g++ -O1 ~215 s, clang++ -O0 ~165 s,
// g++ -O1 -g -fsanitize=address,undefined ~175 s (with bundle_stride 8, below).
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

#include "random_tree.hpp"

namespace prop {

// ---- the suite's shape ----------------------------------------------------------------------
// Trees 0 .. tree_count - 1 (random_tree.hpp) are checked by the *.test.cpp files, in ranges
// (PROP_TREES below).
/// Trees per bundle (consecutive trees, of one arity).
inline constexpr std::uint64_t bundle_size = 8;
static_assert(arity_block % bundle_size == 0);
#ifndef PROP_SINGLE_EVERY
#define PROP_SINGLE_EVERY 64
#endif
#ifndef PROP_SECOND_EVERY
#define PROP_SECOND_EVERY 128
#endif
/// Every single_every-th tree also goes through every first-order entry point on its own, and
/// every second_every-th through the second-order ones.
inline constexpr std::uint64_t single_every = PROP_SINGLE_EVERY;
inline constexpr std::uint64_t second_every = PROP_SECOND_EVERY;
// Under sanitizers, compiling costs about five times as much (g++ -O1 -g -fsanitize=address,
// undefined: ~140 s instead of ~28 s per file of 128 trees) while the code checked is plain
// arithmetic; there only every bundle_stride-th bundle is checked (the singles all are).
#if defined(__SANITIZE_ADDRESS__)
#define PROP_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(undefined_behavior_sanitizer)
#define PROP_SANITIZED 1
#endif
#endif
#ifndef PROP_BUNDLE_STRIDE
#ifdef PROP_SANITIZED
#define PROP_BUNDLE_STRIDE 8
#else
#define PROP_BUNDLE_STRIDE 1
#endif
#endif
inline constexpr std::uint64_t bundle_stride = PROP_BUNDLE_STRIDE;
#ifndef PROP_SINGLE_MAX_NODES
#define PROP_SINGLE_MAX_NODES 6
#endif
inline constexpr int single_max_nodes = PROP_SINGLE_MAX_NODES;
/// The argument whose symbolic derivative is checked for tree `seed` in its bundle.
constexpr unsigned symbolic_variable(std::uint64_t seed, unsigned nv) {
  return static_cast<unsigned>(mix(seed ^ 0x5e1ec7) % nv);
}
inline constexpr unsigned points_per_tree = 2;

// ---- results ------------------------------------------------------------------------------
using vec = std::array<double, 3>;
using mat = std::array<vec, 3>;

/// Everything computed for one tree at one point.
struct first_order {
  std::uint64_t seed = 0;
  unsigned n = 0;              // number of arguments
  vec x{};                     // the point
  vec dir{};                   // a random direction
  double value = 0;            // f(x), from the dual numbers
  vec grad_forward{};          // f called with tg::dual<double, n>
  vec grad_reverse{};          // tg::vjp of the bundle, this tree's output seeded
  vec grad_symbolic{};         // tg::derivative<I>(f) for I = symbolic_variable (or all I)
  int symbolic_variable = -1;  // the one I in grad_symbolic, -1 for all
};
/// The extra results of a tree checked on its own.
struct single_results {
  bool second = false;  // second order computed?
  double value_eval = 0, value_vg = 0, value_jvp = 0;
  vec grad_vg{};          // tg::value_and_grad
  vec jvp{};              // tg::jvp along the unit vectors
  double jvp_dir = 0;     // tg::jvp along dir
  vec jacobian{};         // tg::jacobian (one output)
  mat hessian{};          // tg::hessian
  mat hvp{};              // hvp[j] = tg::hvp(f, x, e_j), column j
  vec hvp_dir{};          // tg::hvp along dir
  mat symbolic{};         // tg::derivative<J>(tg::derivative<I>(f))
  mat forward_symbolic{}; // tg::jacobian of the symbolic gradient
};

inline constexpr std::size_t max_outputs = bundle_size;
/// Values of the trees of a bundle at a point, type-erased for the finite-difference code.
struct values_fn {
  const void* self;
  std::array<double, max_outputs> (*call)(const void*, const vec&);
  std::array<double, max_outputs> operator()(const vec& x) const { return call(self, x); }
};
/// The gradient of one tree at a point, type-erased.
struct gradient_fn {
  const void* self;
  vec (*call)(const void*, const vec&);
  vec operator()(const vec& x) const { return call(self, x); }
};
template <class R, class F> R erase(const F& f) {
  return R{&f, [](const void* self, const vec& p) { return (*static_cast<const F*>(self))(p); }};
}

// ---- checks.test.cpp ------------------------------------------------------------------------
/// The formula of tree `seed` over `nv` arguments, from its plan (no instantiation needed).
std::string describe(std::uint64_t seed, unsigned nv);
/// The evaluation points of tree `seed` (fixed seed, |x_i| <= point_bound) and a direction.
vec point(std::uint64_t seed, unsigned which, unsigned n);
vec direction(std::uint64_t seed, unsigned which, unsigned n);
/// Checks r (output `index` of `values`, which are used for central differences).
void verify_first(const first_order& r, std::size_t index, const values_fn& values);
/// Checks a tree on its own; g is its gradient (for central differences of the Hessian).
void verify_single(const first_order& r, const single_results& s, const std::string& text,
                   const std::string& derivative_text, const gradient_fn& g);

// ---- helpers --------------------------------------------------------------------------------
template <std::size_t N, class F> auto call(const F& f, const vec& x) {
  return [&]<std::size_t... I>(std::index_sequence<I...>) { return f(x[I]...); }(std::make_index_sequence<N>{});
}
template <std::size_t N> std::array<double, N> head(const vec& x) {
  std::array<double, N> r{};
  for (std::size_t i = 0; i < N; ++i) r[i] = x[i];
  return r;
}
template <std::size_t N> std::array<double, N> unit(std::size_t i) {
  std::array<double, N> r{};
  r[i] = 1;
  return r;
}
/// f at x with every argument a tg::dual<double, N> seeding its own direction.
template <std::size_t N, class F> auto call_dual(const F& f, const vec& x) {
  using D = tg::dual<double, static_cast<int>(N)>;
  return [&]<std::size_t... I>(std::index_sequence<I...>) {
    return f(D(x[I], static_cast<int>(I))...);
  }(std::make_index_sequence<N>{});
}

/// The symbolic gradient of f: (d f / d x_0, ..., d f / d x_{N-1}), as expressions.
template <std::size_t N, class F, class... A> auto symbolic_gradient_of(const F& f, const A&... a) {
  return [&]<std::size_t... I>(std::index_sequence<I...>) {
    return std::tuple{tg::derivative<I>(f)(a...)...};
  }(std::make_index_sequence<N>{});
}

// ---- bundles: every tree --------------------------------------------------------------------
/// Trees Seeds... over NV arguments as one function returning the tuple of their values.
template <unsigned NV, std::uint64_t... Seeds> struct bundle {
  std::tuple<tree<Seeds, NV>...> trees{tree<Seeds, NV>::make()...};
  template <class... A>
    requires(sizeof...(A) == NV)
  auto operator()(const A&... a) const {
    return std::apply([&](const auto&... t) { return std::tuple{t(a...)...}; }, trees);
  }
};
/// d tree / d x_I for I = symbolic_variable(seed), for every tree of a bundle.
template <unsigned NV, std::uint64_t... Seeds> struct bundle_symbolic {
  std::tuple<tree<Seeds, NV>...> trees{tree<Seeds, NV>::make()...};
  template <class... A>
    requires(sizeof...(A) == NV)
  auto operator()(const A&... a) const {
    return std::apply(
        [&](const auto&... t) {
          return std::tuple{tg::derivative<symbolic_variable(std::remove_cvref_t<decltype(t)>::seed, NV)>(t)(a...)...};
        },
        trees);
  }
};

/// The symbolic derivatives of a bundle are evaluated in groups of this many trees (one
/// tg::eval each): a graph of more than 256 distinct nodes does not compile with clang (the
/// layout code folds a pack of that size in one fold expression; clang's nesting limit is 256).
inline constexpr std::uint64_t symbolic_group = 4;
static_assert(bundle_size % symbolic_group == 0);

template <unsigned NV, std::uint64_t First, std::size_t... J>
auto eval_symbolic(const vec& p, std::index_sequence<J...>) {
  const bundle_symbolic<NV, (First + J)...> df;
  return call<NV>([&](auto... a) { return tg::eval(df, a...); }, p);
}

/// Trees First .. First + bundle_size - 1 (one arity).
template <std::uint64_t First, std::size_t... I> void check_bundle(std::index_sequence<I...>) {
  constexpr unsigned NV = arity_of(First);
  constexpr std::size_t N = NV, B = sizeof...(I);
  static_assert(B <= max_outputs && B % symbolic_group == 0);
  const bundle<NV, (First + I)...> f;
  // forward mode: every tree's value and gradient from one call with dual numbers
  const auto forward = [&](const vec& p) {
    std::array<std::pair<double, vec>, B> r{};
    std::apply([&](const auto&... y) {
      std::size_t k = 0;
      ((r[k].first = y.value(), [&] {
          for (std::size_t i = 0; i < N; ++i) r[k].second[i] = y.tangent(static_cast<int>(i));
        }(), ++k), ...);
    }, call_dual<N>(f, p));
    return r;
  };
  const auto values = [&](const vec& p) {
    std::array<double, max_outputs> v{};
    const auto r = forward(p);
    for (std::size_t k = 0; k < B; ++k) v[k] = r[k].first;
    return v;
  };
  const auto values_erased = erase<values_fn>(values);

  for (unsigned w = 0; w < points_per_tree; ++w) {
    // one point per bundle and point index, shared by its trees
    const vec p = point(First, w, N), dir = direction(First, w, N);
    const auto x = head<N>(p);
    std::array<first_order, B> rs{};
    const auto fw = forward(p);
    for (std::size_t k = 0; k < B; ++k) {
      rs[k].seed = First + k;
      rs[k].n = N;
      rs[k].x = p;
      rs[k].dir = dir;
      rs[k].value = fw[k].first;
      rs[k].grad_forward = fw[k].second;
      std::array<double, B> e{};
      e[k] = 1;
      const auto g = tg::vjp(f, x, e);
      for (std::size_t i = 0; i < N; ++i) rs[k].grad_reverse[i] = g[i];
    }
    std::array<double, B> s{};
    [&]<std::size_t... G>(std::index_sequence<G...>) {
      ([&] {
        const auto sg = eval_symbolic<NV, First + G * symbolic_group>(p, std::make_index_sequence<symbolic_group>{});
        for (std::size_t j = 0; j < symbolic_group; ++j) s[G * symbolic_group + j] = sg[j];
      }(), ...);
    }(std::make_index_sequence<B / symbolic_group>{});
    for (std::size_t k = 0; k < B; ++k) {
      rs[k].symbolic_variable = static_cast<int>(symbolic_variable(First + k, NV));
      rs[k].grad_symbolic[static_cast<std::size_t>(rs[k].symbolic_variable)] = s[k];
      verify_first(rs[k], k, values_erased);
    }
  }
}

// ---- single trees ---------------------------------------------------------------------------
/// tg::jacobian of this is the Hessian of f: forward mode over the symbolic gradient.
template <class F, std::size_t N> struct symbolic_gradient {
  F f;
  template <class... A>
    requires(sizeof...(A) == N)
  auto operator()(const A&... a) const { return symbolic_gradient_of<N>(f, a...); }
};
/// All N * N symbolic second derivatives d/dx_J d/dx_I f, row-major (both orders of mixed ones).
template <class F, std::size_t N> struct symbolic_hessian {
  F f;
  template <class... A>
    requires(sizeof...(A) == N)
  auto operator()(const A&... a) const {
    return [&]<std::size_t... I>(std::index_sequence<I...>) {
      return std::tuple_cat(symbolic_gradient_of<N>(tg::derivative<I>(f), a...)...);
    }(std::make_index_sequence<N>{});
  }
};

/// Tree Seed on its own through every entry point (Second: and to second order).
template <std::uint64_t Seed, unsigned NV, bool Second> void check_single() {
  constexpr std::size_t N = NV;
  using Tree = tree<Seed, NV>;
  const Tree f = Tree::make();
  const std::string text = tg::to_string(f);
  const std::string derivative_text = tg::to_string(tg::derivative<N - 1>(f));
  const auto grad = [&](const vec& p) {
    const auto g = call<N>([&](auto... a) { return tg::grad(f, a...); }, p);
    vec r{};
    for (std::size_t i = 0; i < N; ++i) r[i] = g[i];
    return r;
  };
  const auto values = [&](const vec& p) {
    std::array<double, max_outputs> v{};
    v[0] = call<N>([&](auto... a) { return tg::eval(f, a...); }, p);
    return v;
  };
  const auto grad_erased = erase<gradient_fn>(grad);
  const auto values_erased = erase<values_fn>(values);
  for (unsigned w = 0; w < points_per_tree; ++w) {
    first_order r;
    single_results s;
    r.seed = Seed;
    r.n = N;
    r.x = point(Seed ^ 0x5151, w, N);
    r.dir = direction(Seed ^ 0x5151, w, N);
    const auto x = head<N>(r.x);
    {
      const auto y = call_dual<N>(f, r.x);
      r.value = y.value();
      for (std::size_t i = 0; i < N; ++i) r.grad_forward[i] = y.tangent(static_cast<int>(i));
    }
    r.grad_reverse = grad(r.x);
    r.grad_symbolic = [&]<std::size_t... I>(std::index_sequence<I...>) {
      return vec{call<N>(tg::derivative<I>(f), r.x)...};
    }(std::make_index_sequence<N>{});
    s.value_eval = values(r.x)[0];
    {
      const auto [v, g] = call<N>([&](auto... a) { return tg::value_and_grad(f, a...); }, r.x);
      s.value_vg = v;
      for (std::size_t i = 0; i < N; ++i) s.grad_vg[i] = g[i];
    }
    for (std::size_t i = 0; i < N; ++i) {
      const auto [v, d] = tg::jvp(f, x, unit<N>(i));
      s.value_jvp = v;
      s.jvp[i] = d;
    }
    s.jvp_dir = tg::jvp(f, x, head<N>(r.dir)).second;
    {
      const auto J = call<N>([&](auto... a) { return tg::jacobian(f, a...); }, r.x);
      for (std::size_t i = 0; i < N; ++i) s.jacobian[i] = J[0][i];
    }
    if constexpr (Second) {
      s.second = true;
      const auto H = call<N>([&](auto... a) { return tg::hessian(f, a...); }, r.x);
      const auto S = call<N>([&](auto... a) { return tg::eval(symbolic_hessian<Tree, N>{f}, a...); }, r.x);
      const auto J = call<N>([&](auto... a) { return tg::jacobian(symbolic_gradient<Tree, N>{f}, a...); }, r.x);
      for (std::size_t i = 0; i < N; ++i)
        for (std::size_t j = 0; j < N; ++j) {
          s.hessian[i][j] = H[i][j];
          s.symbolic[i][j] = S[i * N + j];
          s.forward_symbolic[i][j] = J[i][j];
        }
      for (std::size_t j = 0; j < N; ++j) {
        const auto c = tg::hvp(f, x, unit<N>(j));
        for (std::size_t i = 0; i < N; ++i) s.hvp[j][i] = c[i];
      }
      const auto hv = tg::hvp(f, x, head<N>(r.dir));
      for (std::size_t i = 0; i < N; ++i) s.hvp_dir[i] = hv[i];
    }
    verify_first(r, 0, values_erased);
    verify_single(r, s, text, derivative_text, grad_erased);
  }
}

// ---- ranges ---------------------------------------------------------------------------------
/// The tree checked on its own in each block of `every` trees: the first with at most
/// single_max_nodes operations (the cost of second-order symbolic derivatives grows fast with
/// the size), or the block's first tree.
constexpr std::uint64_t chosen_in_block(std::uint64_t t, std::uint64_t every) {
  const std::uint64_t first = t - t % every;
  for (std::uint64_t u = first; u < first + every && u < tree_count; ++u)
    if (tree_plan(u).nodes <= single_max_nodes) return u;
  return first;
}
constexpr bool is_second(std::uint64_t t) { return chosen_in_block(t, second_every) == t; }
constexpr bool is_single(std::uint64_t t) { return chosen_in_block(t, single_every) == t || is_second(t); }

/// Trees First .. First + Count - 1: in bundles, and every single_every-th on its own.
template <std::uint64_t First, std::uint64_t Count> void check_range() {
  static_assert(First % bundle_size == 0 && Count % bundle_size == 0 && First + Count <= tree_count);
  [&]<std::size_t... K>(std::index_sequence<K...>) {
    ([&] {
      constexpr std::uint64_t first = First + K * bundle_size;
      if constexpr ((first / bundle_size) % bundle_stride == 0)
        check_bundle<first>(std::make_index_sequence<bundle_size>{});
    }(), ...);
  }(std::make_index_sequence<Count / bundle_size>{});
  [&]<std::size_t... K>(std::index_sequence<K...>) {
    ([&] {
      constexpr std::uint64_t t = First + K;
      if constexpr (is_single(t)) check_single<t, arity_of(t), is_second(t)>();
    }(), ...);
  }(std::make_index_sequence<Count>{});
}

}  // namespace prop

/// A TEST_CASE checking trees First .. Last. (No ',' '[' ';' in its name: ctest passes it to
/// Catch as a test spec.)
#define PROP_TREES(First, Last)                                       \
  TEST_CASE("random trees " #First " to " #Last, "[property]") {     \
    prop::check_range<First, Last - First + 1>();                     \
  }
