#pragma once
// Random expression trees generated at compile time from seeds.
//
// prop::tree<T> (0 <= T < tree_count) is a generic callable of 2 or 3 arguments whose body is
// a random expression of depth <= 4 (in the operations below; each may be a few typegrad
// nodes) over the arguments, compile-time literals (tg::literal: 2, 1/2, -3, 3/2), numbers
// (1.0, 0.5, 2.0: runtime constants of the graph) and runtime constants captured in the
// functor (k[i]), through smooth operations whose domains are kept safe (log(1 + square(u)),
// u / (2 + sin(v)), acos(sin(u) / 2), ...) and whose values stay bounded (value_limit), so
// that central differences are meaningful everywhere in the sampled box |x_i| <= 1.5. Some
// operations use a subexpression several times (shared subexpressions).
//
// The shape is decided by a constexpr function of (seed, node path), `plan` (splitmix64 over
// the seed, hashed along the path), without template instantiation; gen<Seed, Depth, NV>
// turns a plan into an expression. Tree T is the T-th *distinct* one (`trees`, a table built
// at compile time), and the structure of every tree (hash, size, operations) is available at
// run time without instantiating it, for the distinctness and coverage test.
#include <array>
#include <cstddef>
#include <cstdint>

#include <typegrad/static.hpp>

namespace prop {

namespace tg = typegrad;

// ---- PRNG --------------------------------------------------------------------------------
constexpr std::uint64_t mix(std::uint64_t z) {  // splitmix64 finalizer
  z += 0x9e3779b97f4a7c15ull;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}
/// The seed of child k of the node with seed s (the node path hashed along the way down).
constexpr std::uint64_t child_seed(std::uint64_t s, unsigned k) { return mix(s ^ (0xa0761d6478bd642full * (k + 1))); }

/// A runtime splitmix64 stream (evaluation points, constants).
struct rng {
  std::uint64_t state;
  std::uint64_t next() { return mix(state++); }
  double uniform(double lo, double hi) { return lo + (hi - lo) * static_cast<double>(next() >> 11) * 0x1.0p-53; }
};

// ---- operations ----------------------------------------------------------------------------
enum class kind : unsigned char { var, literal, unary, binary, with_constant, shared };

// Unary operations on one child u.
enum unary_op : unsigned char {
  u_neg, u_sin, u_cos, u_exp, u_tanh, u_sigmoid, u_atan, u_square, u_pow2, u_log1sq, u_sqrt1sq, u_softplus,
  u_erf, u_log1p_sq, u_expm1, u_asinh, u_sinh, u_cosh, u_cbrt, u_tan, u_asin, u_acos, u_atanh, u_erfc,
  u_exp2, u_log2, u_log10, u_lgamma, u_tgamma, u_pow3, u_sqrt_shift,
  unary_count
};
// Binary operations on children a, b.
enum binary_op : unsigned char {
  b_add, b_sub, b_mul, b_div_sq, b_div_sin, b_hypot, b_atan2, b_pow, b_gauss, b_log_sq, b_sincos, b_lit_mix,
  binary_count
};
// Operations mixing one child a with a runtime constant k (captured in the functor) or a number.
enum constant_op : unsigned char {
  c_mul, c_rsub, c_div, c_over, c_pow, c_affine, c_add_lit,
  constant_count
};
// Operations using one child s several times (a shared subexpression).
enum shared_op : unsigned char {
  s_sin, s_poly, s_ratio, s_gauss, s_tanh, s_nested,
  shared_count
};

inline constexpr int max_depth = 4;
/// The chance (in percent) that a node below the root is a leaf: it sets the trees' sizes, and
/// so the compile time (about linear in the number of operations of all trees).
#ifndef PROP_LEAF_PERCENT
#define PROP_LEAF_PERCENT 65
#endif
inline constexpr unsigned leaf_percent = PROP_LEAF_PERCENT;
inline constexpr int constant_slots = 4;
inline constexpr double point_bound = 1.5;   // |x_i| <= point_bound
inline constexpr double constant_bound = 2;  // 0.5 <= |k_i| <= constant_bound
inline constexpr double value_limit = 12;    // no node's |value| may exceed this

/// What a node is. `bound` bounds |value| over the sampled box; `hash` identifies the subtree's
/// structure; `nodes` counts the generator's nodes in it.
struct info {
  kind k;
  unsigned char op;
  unsigned char arg;  // variable index, literal index or constant slot
  double bound;
  std::uint64_t hash;
  int nodes;
  bool vars = true;  // does the subtree use an argument?
};

constexpr double cexp(double x) {  // an upper bound of exp(x) for 0 <= x <= 2.2 (convexity)
  return 1 + 3.66 * x;
}
constexpr double clog1p(double x) {  // an upper bound of log(1 + x), x >= 0
  double r = 0;
  while (x > 1) { x = (x - 1) / 2; r += 0.7; }  // 1 + x = 2 (1 + (x - 1) / 2), ln 2 < 0.7
  return r + x;
}

inline constexpr double literal_values[] = {2.0, 0.5, -3.0, 1.5};

constexpr double unary_bound(unsigned op, double b) {
  switch (op) {
    case u_neg: return b;
    case u_sin: case u_cos: case u_tanh: case u_sigmoid: case u_erf: return 1;
    case u_exp: case u_expm1: return b <= 2.2 ? cexp(b) : 1e300;
    case u_sinh: case u_cosh: return b <= 2.2 ? cexp(b) : 1e300;
    case u_atan: return 1.6;
    case u_square: return b * b;
    case u_pow2: return b * b;
    case u_log1sq: case u_log1p_sq: case u_log2: return 1.5 * clog1p(b * b);
    case u_sqrt1sq: return 1 + b;
    case u_softplus: return b + 0.7;
    case u_asinh: return b;
    case u_cbrt: return 1.5;
    case u_tan: return 1.6;
    case u_asin: return 1.2;
    case u_acos: return 3.2;
    case u_atanh: return 0.6;
    case u_erfc: return 2;
    case u_exp2: return 2;
    case u_log10: return 0.5;
    case u_lgamma: return 1;
    case u_tgamma: return 2;
    case u_pow3: return b * b * b;
    case u_sqrt_shift: return 1 + b;
    default: return 1e300;
  }
}
constexpr double binary_bound(unsigned op, double a, double b) {
  switch (op) {
    case b_add: case b_sub: return a + b;
    case b_mul: return a * b;
    case b_div_sq: case b_div_sin: return a;
    case b_hypot: return a + 1 + b * b;
    case b_atan2: return 1.6;
    case b_pow: return 1 + a * a;  // pow(1 + a^2, tanh(b))
    case b_gauss: return a;
    case b_log_sq: return 1.5 * clog1p(a * a + b * b);
    case b_sincos: return 1;
    case b_lit_mix: return 2 * a + 0.5 * b;
    default: return 1e300;
  }
}
constexpr double constant_bound_of(unsigned op, double a) {
  switch (op) {
    case c_mul: return constant_bound * a;
    case c_rsub: return constant_bound + a;
    case c_div: return 2 * a;
    case c_over: return constant_bound;
    case c_pow: return (1 + a * a) * (1 + a * a);
    case c_affine: return 0.5 * a + 1;
    case c_add_lit: return a + 1.5;
    default: return 1e300;
  }
}
constexpr double shared_bound(unsigned op, double s) {
  switch (op) {
    case s_sin: return s;
    case s_poly: return s * s + s;
    case s_ratio: return 0.5;
    case s_gauss: return s;
    case s_tanh: return 1 + s * s;
    case s_nested: return s * (1 + s);
    default: return 1e300;
  }
}

/// The first operation at or after `start` (cyclically) whose bound stays within value_limit.
template <class Bound> constexpr unsigned pick(unsigned start, unsigned count, Bound bound) {
  for (unsigned i = 0; i < count; ++i) {
    const unsigned op = (start + i) % count;
    if (bound(op) <= value_limit) return op;
  }
  return count;  // none fits
}

constexpr info plan(std::uint64_t s, int d, unsigned nv);

/// A literal leaf.
constexpr info literal_leaf(unsigned i) {
  return info{kind::literal, 0, static_cast<unsigned char>(i), literal_values[i] < 0 ? -literal_values[i] : literal_values[i],
              mix(0x1000 + i), 1, false};
}

/// The plan of the node with seed s at remaining depth d, before the clean-up in plan().
constexpr info plan_node(std::uint64_t s, int d, unsigned nv) {
  const std::uint64_t r = mix(s);
  const unsigned roll = static_cast<unsigned>(r % 100);
  const unsigned sub = static_cast<unsigned>((r >> 8) % 1000003);
  auto leaf = [&] {
    if ((r >> 40) % 5 == 0) return literal_leaf(static_cast<unsigned>((r >> 44) % 4));
    const unsigned char v = static_cast<unsigned char>((r >> 44) % nv);
    return info{kind::var, 0, v, point_bound, mix(0x2000 + v), 1, true};
  };
  // Leaves at depth 0; above, a leaf with probability leaf_percent (the root is no leaf).
  if (d == 0 || (d < max_depth && roll < leaf_percent)) return leaf();
  // unary 7/16, binary 5/16, with a constant 2/16, shared subexpression 2/16
  const unsigned category = (r >> 20) % 16;
  if (category < 7) {
    const info a = plan(child_seed(s, 0), d - 1, nv);
    const unsigned op = pick(sub % unary_count, unary_count, [&](unsigned o) { return unary_bound(o, a.bound); });
    return info{kind::unary, static_cast<unsigned char>(op), 0, unary_bound(op, a.bound),
                mix(a.hash * 31 + 0x3000 + op), a.nodes + 1, a.vars};
  }
  if (category < 12) {
    const info a = plan(child_seed(s, 0), d - 1, nv);
    const info b = plan(child_seed(s, 1), d - 1, nv);
    const unsigned op =
        pick(sub % binary_count, binary_count, [&](unsigned o) { return binary_bound(o, a.bound, b.bound); });
    if (op == binary_count) {  // nothing fits: sin(a) * cos(b)
      return info{kind::binary, b_sincos, 0, 1, mix(mix(a.hash * 31 + b.hash) + 0x4000 + b_sincos),
                  a.nodes + b.nodes + 1, a.vars || b.vars};
    }
    return info{kind::binary, static_cast<unsigned char>(op), 0, binary_bound(op, a.bound, b.bound),
                mix(mix(a.hash * 31 + b.hash) + 0x4000 + op), a.nodes + b.nodes + 1, a.vars || b.vars};
  }
  const info a = plan(child_seed(s, 0), d - 1, nv);
  const unsigned char slot = static_cast<unsigned char>((r >> 50) % constant_slots);
  if (category < 14) {
    unsigned op = pick(sub % constant_count, constant_count, [&](unsigned o) { return constant_bound_of(o, a.bound); });
    if (op == constant_count) op = c_over;
    return info{kind::with_constant, static_cast<unsigned char>(op), slot, constant_bound_of(op, a.bound),
                mix(a.hash * 31 + 0x5000 + op * 8 + slot), a.nodes + 1, a.vars};
  }
  unsigned op = pick(sub % shared_count, shared_count, [&](unsigned o) { return shared_bound(o, a.bound); });
  if (op == shared_count) op = s_ratio;
  return info{kind::shared, static_cast<unsigned char>(op), 0, shared_bound(op, a.bound),
              mix(a.hash * 31 + 0x6000 + op), a.nodes + 1, a.vars};
}

/// The plan of the node with seed s at remaining depth d, in a tree of nv variables. A subtree
/// without arguments below the root is a literal leaf (larger ones would only fold to rationals
/// with huge terms at compile time).
constexpr info plan(std::uint64_t s, int d, unsigned nv) {
  const info me = plan_node(s, d, nv);
  if (me.vars || me.k == kind::literal || d == max_depth) return me;
  return literal_leaf(static_cast<unsigned>(mix(s ^ 0x1175) % 4));
}

// ---- the trees ----------------------------------------------------------------------------

/// The number of trees: tree t (0 <= t < tree_count) is the t-th distinct one.
inline constexpr std::size_t tree_count = 1024;
/// Trees come in blocks of arity_block of one arity (2 or 3 arguments, alternating).
#ifndef PROP_ARITY_BLOCK
#define PROP_ARITY_BLOCK 8
#endif
inline constexpr std::uint64_t arity_block = PROP_ARITY_BLOCK;
constexpr unsigned arity_of(std::uint64_t t) { return 2 + static_cast<unsigned>((t / arity_block) % 2); }

/// Root seeds of the trees: for each t, the first candidate seed whose tree uses an argument and
/// has a structure (`info::hash`, literal values and argument indices included, the runtime
/// constants' values not) that no earlier tree has.
struct tree_table {
  std::array<std::uint64_t, tree_count> root{};
  std::array<std::uint64_t, tree_count> hash{};
};
constexpr tree_table make_tree_table() {
  tree_table t{};
  std::array<std::uint64_t, 4 * tree_count> seen{};  // open addressing; 0 = empty
  for (std::size_t i = 0; i < tree_count; ++i) {
    for (std::uint64_t attempt = 0;; ++attempt) {
      const std::uint64_t s = mix(mix(i) + attempt);
      const info me = plan(s, max_depth, arity_of(i));
      if (!me.vars) continue;
      const std::uint64_t h = me.hash | 1;
      std::size_t slot = static_cast<std::size_t>(h % seen.size());
      while (seen[slot] != 0 && seen[slot] != h) slot = (slot + 1) % seen.size();
      if (seen[slot] == h) continue;  // a duplicate
      seen[slot] = h;
      t.root[i] = s;
      t.hash[i] = me.hash;
      break;
    }
  }
  return t;
}
inline constexpr tree_table trees = make_tree_table();

/// The root seed of tree t, and its plan.
constexpr std::uint64_t root_seed(std::uint64_t t) { return trees.root[t]; }
constexpr info tree_plan(std::uint64_t t) { return plan(root_seed(t), max_depth, arity_of(t)); }

// ---- building ------------------------------------------------------------------------------

/// A compile-time literal N/D for expressions, the number N/D for anything else (duals).
template <std::intmax_t N, std::intmax_t D, class X> constexpr auto lit(const X&) {
  if constexpr (tg::expression<X>) return tg::literal<N, D>{};
  else return X(static_cast<double>(N) / static_cast<double>(D));
}

/// The exponent 3 of pow: the literal 3 for expressions, the number 3.0 for duals (not a dual:
/// pow(dual, dual) is NaN at a negative base even when the exponent's tangent is zero, because
/// d/db pow(a, b) = pow(a, b) log(a) is NaN there and NaN * 0 = NaN).
template <std::intmax_t N, class X> constexpr auto exponent(const X& x) {
  if constexpr (tg::expression<X>) return lit<N, 1>(x);
  else return static_cast<double>(N);
}

template <std::uint64_t S, int D, unsigned NV> struct gen {
  static constexpr info me = plan(S, D, NV);
  using A = gen<child_seed(S, 0), D - 1, NV>;
  using B = gen<child_seed(S, 1), D - 1, NV>;

  /// x, y, z: the arguments (z == y for two-argument trees); k: the runtime constants.
  template <class X, class Y, class Z>
  static constexpr auto build(const X& x, const Y& y, const Z& z, const std::array<double, constant_slots>& k) {
    if constexpr (me.k == kind::var) {
      if constexpr (me.arg == 0) return x;
      else if constexpr (me.arg == 1) return y;
      else return z;
    } else if constexpr (me.k == kind::literal) {
      if constexpr (me.arg == 0) return lit<2, 1>(x);
      else if constexpr (me.arg == 1) return lit<1, 2>(x);
      else if constexpr (me.arg == 2) return lit<-3, 1>(x);
      else return lit<3, 2>(x);
    } else if constexpr (me.k == kind::unary) {
      const auto u = A::build(x, y, z, k);
      constexpr unsigned op = me.op;
      if constexpr (op == u_neg) return -u;
      else if constexpr (op == u_sin) return sin(u);
      else if constexpr (op == u_cos) return cos(u);
      else if constexpr (op == u_exp) return exp(u);
      else if constexpr (op == u_tanh) return tanh(u);
      else if constexpr (op == u_sigmoid) return sigmoid(u);
      else if constexpr (op == u_atan) return atan(u);
      else if constexpr (op == u_square) return square(u);
      else if constexpr (op == u_pow2) return pow(u, 2.0);  // a runtime constant exponent
      else if constexpr (op == u_log1sq) return log(lit<1, 1>(x) + square(u));
      else if constexpr (op == u_sqrt1sq) return sqrt(1.0 + square(u));
      else if constexpr (op == u_softplus) return softplus(u);
      else if constexpr (op == u_erf) return erf(u);
      else if constexpr (op == u_log1p_sq) return log1p(square(u));
      else if constexpr (op == u_expm1) return expm1(u);
      else if constexpr (op == u_asinh) return asinh(u);
      else if constexpr (op == u_sinh) return sinh(u);
      else if constexpr (op == u_cosh) return cosh(u);
      else if constexpr (op == u_cbrt) return cbrt(lit<2, 1>(x) + sin(u));
      else if constexpr (op == u_tan) return tan(tanh(u));
      else if constexpr (op == u_asin) return asin(lit<9, 10>(x) * tanh(u));
      else if constexpr (op == u_acos) return acos(sin(u) / lit<2, 1>(x));
      else if constexpr (op == u_atanh) return atanh(tanh(u) * 0.5);
      else if constexpr (op == u_erfc) return erfc(u);
      else if constexpr (op == u_exp2) return exp2(sin(u));
      else if constexpr (op == u_log2) return log2(lit<1, 1>(x) + square(u));
      else if constexpr (op == u_log10) return log10(lit<2, 1>(x) + cos(u));
      else if constexpr (op == u_lgamma) return lgamma(lit<3, 2>(x) + sin(u));
      else if constexpr (op == u_tgamma) return tgamma(lit<2, 1>(x) + sin(u));
      else if constexpr (op == u_pow3) return pow(u, exponent<3>(x));  // a literal exponent
      else return sqrt(square(u) + lit<1, 4>(x));  // u_sqrt_shift
    } else if constexpr (me.k == kind::binary) {
      const auto a = A::build(x, y, z, k);
      const auto b = B::build(x, y, z, k);
      constexpr unsigned op = me.op;
      if constexpr (op == b_add) return a + b;
      else if constexpr (op == b_sub) return a - b;
      else if constexpr (op == b_mul) return a * b;
      else if constexpr (op == b_div_sq) return a / (lit<1, 1>(x) + square(b));
      else if constexpr (op == b_div_sin) return a / (2.0 + sin(b));
      else if constexpr (op == b_hypot) return hypot(a, lit<1, 1>(x) + square(b));
      else if constexpr (op == b_atan2) return atan2(a, lit<1, 1>(x) + square(b));
      else if constexpr (op == b_pow) return pow(lit<1, 1>(x) + square(a), tanh(b));
      else if constexpr (op == b_gauss) return a * exp(-square(b));
      else if constexpr (op == b_log_sq) return log(lit<1, 1>(x) + square(a) + square(b));
      else if constexpr (op == b_sincos) return sin(a) * cos(b);
      else return lit<2, 1>(x) * a - b / lit<2, 1>(x);  // b_lit_mix
    } else if constexpr (me.k == kind::with_constant) {
      const auto a = A::build(x, y, z, k);
      const double c = k[me.arg];
      constexpr unsigned op = me.op;
      if constexpr (op == c_mul) return a * c;
      else if constexpr (op == c_rsub) return c - a;
      else if constexpr (op == c_div) return a / c;
      else if constexpr (op == c_over) return c / (1.0 + square(a));
      else if constexpr (op == c_pow) return pow(1.0 + square(a), c);
      else if constexpr (op == c_affine) return 0.5 * a + 1.0;
      else return a + lit<3, 2>(x);  // c_add_lit
    } else {
      const auto s = A::build(x, y, z, k);
      constexpr unsigned op = me.op;
      if constexpr (op == s_sin) return s * sin(s);
      else if constexpr (op == s_poly) return square(s) - s;
      else if constexpr (op == s_ratio) return s / (lit<1, 1>(x) + square(s));
      else if constexpr (op == s_gauss) return exp(-square(s)) * s;
      else if constexpr (op == s_tanh) return tanh(s) + s * s;
      else {  // s_nested: s used at two depths
        const auto t = s * s;
        return t / (lit<1, 1>(x) + t) + s * t / (lit<2, 1>(x) + t);
      }
    }
  }
};

/// The runtime constants of tree `seed`: 0.5 <= |k_i| <= constant_bound, random signs.
inline std::array<double, constant_slots> constants_of(std::uint64_t seed) {
  std::array<double, constant_slots> k{};
  rng g{mix(seed ^ 0xc0ffee)};
  for (auto& c : k) c = (g.next() & 1 ? 1 : -1) * g.uniform(0.5, constant_bound);
  return k;
}

/// Tree number Seed: a generic callable of NV = arity_of(Seed) arguments. `k` are its runtime
/// constants (0.5 <= |k_i| <= 2), drawn from the seed at run time.
template <std::uint64_t Seed, unsigned NV = arity_of(Seed)> struct tree {
  static_assert(Seed < tree_count && NV == arity_of(Seed));
  static constexpr std::uint64_t seed = Seed;
  static constexpr unsigned arity = NV;
  using root = gen<root_seed(Seed), max_depth, NV>;
  std::array<double, constant_slots> k{};

  static tree make() { return tree{constants_of(Seed)}; }

  template <class X, class Y>
    requires(arity == 2)
  constexpr auto operator()(const X& x, const Y& y) const {
    return root::build(x, y, y, k);
  }
  template <class X, class Y, class Z>
    requires(arity == 3)
  constexpr auto operator()(const X& x, const Y& y, const Z& z) const {
    return root::build(x, y, z, k);
  }
};

}  // namespace prop
