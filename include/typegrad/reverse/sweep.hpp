#pragma once
/// \file reverse/sweep.hpp
/// The evaluator: one forward sweep storing each distinct node's value once, one reverse sweep
/// accumulating adjoints (`adj[child] += chain(adj[node], partial)`), both unrolled at compile
/// time over the layout of graph/collect.hpp: straight-line code, no tape, no heap.
///
/// The value type V is a scalar in compute type, an xsimd batch (independent points), or a dual
/// number (forward-over-reverse for Hessians). Array bodies run inside their reduction's node:
/// element loop in xsimd batches plus a scalar tail, scalar subexpressions entering as broadcast
/// values whose adjoints are summed over the loop.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <new>
#include <span>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

#include <typegrad/array/reductions.hpp>
#include <typegrad/config.hpp>
#include <typegrad/error.hpp>
#include <typegrad/forward/dual.hpp>
#include <typegrad/graph/keys.hpp>
#include <typegrad/reverse/program.hpp>
#include <typegrad/reverse/simd_groups.hpp>
#include <typegrad/reverse/tangent_masks.hpp>

namespace typegrad::detail {

/// An array argument as the sweep sees it: its elements, and where its gradient goes (or null).
template <class T> struct array_input {
  const T* data = nullptr;
  std::size_t size = 0;
  T* grad = nullptr;
};

template <class X> constexpr X conj_if_complex(const X& x) {
  if constexpr (is_complex_v<X>) return X(x.real(), -x.imag());
  else return x;
}

/// adjoint of operand J of Op, given the node's adjoint g (torch's conjugate-Wirtinger rule for
/// complex values: grad_in = conj(g) ds/dz* + g conj(ds/dz)).
template <class Op, std::size_t J, class G, class Y, class... Xs>
constexpr G chain(const G& g, const Y& y, const Xs&... xs) {
  if constexpr (is_complex_v<G>) {
    if constexpr (Op::holomorphic) {
      return g * conj_if_complex(G(Op::template partial<J>(y, xs...)));
    } else {
      const auto [dz, dzc] = Op::template wirtinger<J>(y, xs...);
      return conj_if_complex(g) * G(dzc) + g * conj_if_complex(G(dz));
    }
  } else {
    return g * Op::template partial<J>(y, xs...);
  }
}

/// Runtime data of the tree, gathered once in tree order: constants as C, indices.
template <class C, std::size_t NC, std::size_t NI> struct tree_data {
  std::array<C, NC> constants{};
  std::array<std::size_t, NI> indices{};
};

template <std::size_t K, class... Cs> constexpr std::size_t prefix_constants() {
  std::size_t counts[] = {data_count<Cs>::constants..., 0}, r = 0;
  for (std::size_t j = 0; j < K; ++j) r += counts[j];
  return r;
}
template <std::size_t K, class... Cs> constexpr std::size_t prefix_indices() {
  std::size_t counts[] = {data_count<Cs>::indices..., 0}, r = 0;
  for (std::size_t j = 0; j < K; ++j) r += counts[j];
  return r;
}

template <class C, std::size_t At, std::size_t Ai, class E, class D> constexpr void gather(const E& e, D& d) {
  if constexpr (canonical<E>::value) {
    return;
  } else if constexpr (is_constant<E>::value) {
    if constexpr (is_batch_v<C> || !is_batch_v<decltype(e.value)>) d.constants[At] = C(e.value);
    else static_assert(!is_batch_v<decltype(e.value)>, "tg: a batch constant needs batch arguments");
  } else if constexpr (is_element<E>::value) {
    d.indices[Ai] = e.position;
  } else {
    [&]<class... Cs>(type_list<Cs...>) {
      [&]<std::size_t... K>(std::index_sequence<K...>) {
        (gather<C, At + prefix_constants<K, Cs...>(), Ai + prefix_indices<K, Cs...>()>(child<K>(e), d), ...);
      }(std::index_sequence_for<Cs...>{});
    }(children_t<E>{});
  }
}

/// Gather the data of several roots (counted across roots in order).
template <class C, class... Rs> constexpr auto gather_roots(const Rs&... rs) {
  constexpr std::size_t nc = (std::size_t{0} + ... + data_count<Rs>::constants);
  constexpr std::size_t ni = (std::size_t{0} + ... + data_count<Rs>::indices);
  tree_data<C, nc, ni> d;
  [&]<std::size_t... K>(std::index_sequence<K...>) {
    (gather<C, prefix_constants<K, Rs...>(), prefix_indices<K, Rs...>()>(rs, d), ...);
  }(std::index_sequence_for<Rs...>{});
  return d;
}

/// Compute type of a stored element, and back.
template <class V, class T> constexpr V load_scalar(const T& t) {
  if constexpr (std::is_same_v<T, half> || std::is_same_v<T, bfloat16>) return V(static_cast<float>(t));
  else return V(t);
}
template <class T, class V> constexpr T store_scalar(const V& v) {
  if constexpr (std::is_same_v<T, half> || std::is_same_v<T, bfloat16>) return T(static_cast<float>(v));
  else return static_cast<T>(v);
}

[[noreturn, gnu::cold, gnu::noinline]] inline void throw_out_of_bounds(std::size_t j, std::size_t size) {
  throw Error("index " + std::to_string(j) + " is out of bounds for dimension 0 with size " + std::to_string(size));
}

/// The layout of several roots (a graph::list of root keys), merged in order.
template <class Roots> struct roots_layout;
template <class... Rs> struct roots_layout<graph::list<Rs...>> {
  template <class Acc, class... Ks> struct go { using type = Acc; };
  template <class Acc, class K, class... Ks> struct go<Acc, K, Ks...> {
    using type = typename go<typename merge_subtree<full_part, Acc, graph::node_of<K>, graph::key_info<K>::constants,
                                                    graph::key_info<K>::indices, merge_depth>::type,
                             Ks...>::type;
  };
  using type = typename go<graph::list<>, Rs...>::type;
};

// ---- running a program ---------------------------------------------------------------------------

/// What the instructions act on: inputs, tree data, and one value and (for a reverse sweep) one
/// adjoint per slot. Not zero-filled: the forward sweep writes each value before it is read, the
/// reverse sweep each adjoint (see reverse_plan), and forward-only uses (jvp, jacobian on
/// duals) have none. `part`: the partials of grouped instructions (reverse/simd_groups.hpp).
template <class V, std::size_t N, class Inputs, class Data, bool Reverse, std::size_t Partials = 0> struct machine {
  const Inputs& in;
  const Data& data;
  std::array<V, N> val;
  std::array<V, Reverse ? N : 0> adj;
  std::array<V, Partials> part;
  constexpr machine(const Inputs& i, const Data& d) : in(i), data(d) {}
};

template <class A, class Vals> TYPEGRAD_ALWAYS_INLINE constexpr decltype(auto) operand_value(const Vals& v) {
  // On dual numbers constant operands enter as plain numbers (a zero tangent times pow's NaN
  // d/dexponent at a negative base would poison the result).
  if constexpr (A::inert && is_dual_v<std::remove_cvref_t<decltype(v[0])>>) return (v[A::slot].val);
  else return (v[A::slot]);
}

/// Op::value over the operands' values. On dual numbers the node's tangent comes from the
/// policy's partials (dual_apply), not from differentiating its value formula (which would take
/// one side of max at a tie, say).
template <class X, class Op, class... A, class Vals>
TYPEGRAD_ALWAYS_INLINE constexpr X apply_value(program::apply<Op, A...>, const Vals& v) {
  if constexpr (is_dual_v<X>) return dual_apply<Op, X>(operand_value<A>(v)...);
  else return X(Op::value(v[A::slot]...));
}

/// For each adjoint an instruction writes in the reverse sweep (operand J of an apply, body
/// slot B of a reduction): is it the first write to that slot, hence an assignment? The adjoints
/// are not zero-filled: `0 + x` cannot be folded in IEEE arithmetic (0 + -0 is +0), so a zero
/// start cost one addition per slot on the critical path, and filling the array kept g++ from
/// holding the adjoints in registers. Bit J % 64 of word J / 64 (empty: every write adds).
template <std::uint64_t... Words> struct first_writes {
  template <std::size_t J> static constexpr bool at() {
    constexpr std::uint64_t w[] = {Words..., 0};
    return J / 64 < sizeof...(Words) && (w[J / 64] >> J % 64 & 1);
  }
};

/// adj[slot] = x on a first write, adj[slot] += x otherwise.
template <bool First, class A, class X> TYPEGRAD_ALWAYS_INLINE constexpr void write_adjoint(A& a, const X& x) {
  if constexpr (First) a = x;
  else a += x;
}

/// Pushes adjoint g of a node with value y to its operands' adjoints.
template <class Writes = first_writes<>, class X, class Op, class... A, class Vals, class Adj>
TYPEGRAD_ALWAYS_INLINE constexpr void apply_adjoint(program::apply<Op, A...>, const X& g, const X& y, const Vals& v,
                                                    Adj& adj) {
  [&]<std::size_t... J>(std::index_sequence<J...>) {
    (
        [&] {
          using Aj = std::tuple_element_t<J, std::tuple<A...>>;
          // (not through write_adjoint: one call fewer to inline per edge of a large program)
          if constexpr (!Op::template differentiable<J> || Aj::inert) return;
          else if constexpr (Writes::template at<J>()) adj[Aj::slot] = chain<Op, J>(g, y, operand_value<A>(v)...);
          else adj[Aj::slot] += chain<Op, J>(g, y, operand_value<A>(v)...);
        }(),
        ...);
  }(std::index_sequence_for<A...>{});
}

// ---- the reverse plan ----------------------------------------------------------------------------
// Which adjoints are ever written, and which write to a slot comes first in the reverse sweep
// (an assignment, the others add): one constexpr pass over the program, last instruction first.
// Its results are plain arrays, read by the fold that runs the sweep (run_backward): building a
// type per instruction from them (a class nested in the plan, whose template arguments include
// the whole program) cost g++ more time and memory than the rest of the gradient's front end.

/// The slots of the roots (a graph::list of keys) in list Outer.
template <class Outer, class Roots> struct root_slots_of;
template <class Outer, class... Rk> struct root_slots_of<Outer, graph::list<Rk...>> {
  using type = std::index_sequence<graph::slot<Outer, Rk>::value...>;
};
/// Is root R the first of the roots with its slot (two roots can be one node)?
template <std::size_t R, std::size_t... S> constexpr bool first_root() {
  constexpr std::size_t slots[] = {S...};
  for (std::size_t r = 0; r < R; ++r)
    if (slots[r] == slots[R]) return false;
  return true;
}

template <class Code, class RootSlots> struct reverse_plan;
template <class... Is, std::size_t... R> struct reverse_plan<program::list<Is...>, std::index_sequence<R...>> {
  static constexpr std::size_t n = sizeof...(Is);
  /// Words of first-write bits per instruction: enough for the instruction with most edges.
  static constexpr std::size_t words = std::max({adjoint_edges<Is>::slots.size()..., std::size_t{0}}) / 64 + 1;
  struct plan_t {
    std::array<bool, n + 1> live{};                  // is the adjoint of slot s ever written?
    std::array<std::uint64_t, n * words + 1> first{};  // instruction k's first_writes words at k * words
  };
  static constexpr plan_t make_plan() {
    plan_t p{};
    // (pointers into each instruction's array: no function instantiated per instruction)
    constexpr std::size_t count[] = {adjoint_edges<Is>::slots.size()..., 0};
    constexpr const std::size_t* slot[] = {adjoint_edges<Is>::slots.data()..., nullptr};
    ((p.live[R] = true), ...);  // seeded by backward()
    for (std::size_t i = n; i-- > 0;) {
      if (!p.live[i]) continue;
      for (std::size_t j = 0; j < count[i]; ++j) {
        const std::size_t t = slot[i][j];
        if (t == graph::no_slot) continue;
        if (!p.live[t]) p.first[i * words + j / 64] |= std::uint64_t{1} << j % 64;
        p.live[t] = true;
      }
    }
    return p;
  }
  static constexpr plan_t plan = make_plan();
};

/// The first_writes of instruction K of Plan. (Not nested in the plan: a class nested in a class
/// template has all the enclosing template's arguments, here the whole program.)
template <class Plan, std::size_t K, class W = std::make_index_sequence<Plan::words>> struct writes_of;
template <class Plan, std::size_t K, std::size_t... W> struct writes_of<Plan, K, std::index_sequence<W...>> {
  using type = first_writes<Plan::plan.first[K * Plan::words + W]...>;
};

template <class M, std::size_t I> TYPEGRAD_ALWAYS_INLINE constexpr std::size_t checked_position(const M& m, std::size_t j) {
  const auto& a = std::get<I>(m.in);
  if (j >= a.size) throw_out_of_bounds(j, a.size);
  return j;
}

template <class Instr> struct step;

template <std::size_t S> struct step<program::at<S, program::skip>> {
  template <class M> static constexpr void forward(M&) {}
  template <class Writes, class M> static constexpr void backward(M&) {}
};
template <std::size_t S, std::size_t I> struct step<program::at<S, program::input<I>>> {
  template <class M> TYPEGRAD_ALWAYS_INLINE static constexpr void forward(M& m) { m.val[S] = std::get<I>(m.in); }
  template <class Writes, class M> static constexpr void backward(M&) {}
};
template <std::size_t S, class Leaf> struct step<program::at<S, program::leaf<Leaf>>> {
  template <class M> TYPEGRAD_ALWAYS_INLINE static constexpr void forward(M& m) {
    using V = typename decltype(m.val)::value_type;
    m.val[S] = leaf_value<V>(Leaf{});
  }
  template <class Writes, class M> static constexpr void backward(M&) {}
};
template <std::size_t S, std::size_t C> struct step<program::at<S, program::constant<C>>> {
  template <class M> TYPEGRAD_ALWAYS_INLINE static constexpr void forward(M& m) {
    using V = typename decltype(m.val)::value_type;
    m.val[S] = V(m.data.constants[C]);
  }
  template <class Writes, class M> static constexpr void backward(M&) {}
};
/// x[j]: the value, and the adjoint added to x's gradient at j.
template <std::size_t S, std::size_t I, class Position> struct element_step {
  template <class M> TYPEGRAD_ALWAYS_INLINE static constexpr void forward(M& m) {
    using V = typename decltype(m.val)::value_type;
    const std::size_t j = checked_position<M, I>(m, Position::get(m));
    m.val[S] = load_scalar<V>(std::get<I>(m.in).data[j]);
  }
  template <class Writes, class M> TYPEGRAD_ALWAYS_INLINE static constexpr void backward(M& m) {
    using V = typename decltype(m.val)::value_type;
    const auto& a = std::get<I>(m.in);
    if (a.grad) {
      const std::size_t j = Position::get(m);
      a.grad[j] = store_scalar<std::remove_cvref_t<decltype(*a.grad)>>(load_scalar<V>(a.grad[j]) + m.adj[S]);
    }
  }
};
template <std::size_t J> struct fixed_position {
  template <class M> static constexpr std::size_t get(const M&) { return J; }
};
template <std::size_t Ix> struct tree_position {
  template <class M> static constexpr std::size_t get(const M& m) { return m.data.indices[Ix]; }
};
template <std::size_t S, std::size_t I, std::size_t J>
struct step<program::at<S, program::element_at<I, J>>> : element_step<S, I, fixed_position<J>> {};
template <std::size_t S, std::size_t I, std::size_t Ix>
struct step<program::at<S, program::element_indexed<I, Ix>>> : element_step<S, I, tree_position<Ix>> {};

template <std::size_t S, class Op, class... A> struct step<program::at<S, program::apply<Op, A...>>> {
  template <class M> TYPEGRAD_ALWAYS_INLINE static constexpr void forward(M& m) {
    using V = typename decltype(m.val)::value_type;
    if constexpr (is_dual_v<V> && std::is_trivially_destructible_v<V>) {
      if (!std::is_constant_evaluated()) {
        // Constructed in place from the returned value (guaranteed elision): assigning it
        // copied each dual number (136 bytes for 16 directions) through memcpy.
        ::new (static_cast<void*>(&m.val[S])) V(apply_value<V>(program::apply<Op, A...>{}, m.val));
        return;
      }
    }
    m.val[S] = apply_value<V>(program::apply<Op, A...>{}, m.val);
  }
  template <class Writes, class M> TYPEGRAD_ALWAYS_INLINE static constexpr void backward(M& m) {
    apply_adjoint<Writes>(program::apply<Op, A...>{}, m.adj[S], m.val[S], m.val, m.adj);
  }
};

/// Element type of array loops: an xsimd batch of V when V is float or double.
template <class V>
using loop_batch_t = std::conditional_t<TYPEGRAD_USE_SIMD && (std::is_same_v<V, float> || std::is_same_v<V, double>),
                                        xsimd::batch<std::conditional_t<std::is_same_v<V, float>, float, double>>, V>;

// The batch loop never runs past `extent`, but after inlining a short std::array argument,
// g++ 12 -O2 warns about the never-taken batch load (-Warray-bounds, a false positive).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Warray-bounds"
#endif
template <class X, class T> X load_elements(const T* p) {
  if constexpr (is_batch_v<X> && std::is_same_v<T, element_t<X>>) return X::load_unaligned(p);
  else if constexpr (is_batch_v<X>) {
    alignas(X::arch_type::alignment()) std::array<element_t<X>, X::size> t;
    for (std::size_t l = 0; l < X::size; ++l) t[l] = load_scalar<element_t<X>>(p[l]);
    return X::load_aligned(t.data());
  } else {
    return load_scalar<X>(*p);
  }
}
template <class X, class T> void add_to_elements(T* p, const X& x) {
  if constexpr (is_batch_v<X> && std::is_same_v<T, element_t<X>>) (X::load_unaligned(p) + x).store_unaligned(p);
  else if constexpr (is_batch_v<X>) {
    alignas(X::arch_type::alignment()) std::array<element_t<X>, X::size> t;
    x.store_aligned(t.data());
    for (std::size_t l = 0; l < X::size; ++l) p[l] = store_scalar<T>(load_scalar<element_t<X>>(p[l]) + t[l]);
  } else {
    *p = store_scalar<T>(load_scalar<X>(*p) + x);
  }
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

/// One body instruction at element(s) i, element type X.
template <class Instr> struct body_step;
template <std::size_t B> struct body_step<program::at<B, program::skip>> {  // a dead instruction
  template <class X, class Writes, class M, class BV, class BA>
  static void backward(const M&, std::size_t, const BV&, BA&, BA&) {}
};
template <std::size_t B, std::size_t O, bool Inert> struct body_step<program::at<B, program::outer<O, Inert>>> {
  // Loaded once before the element loop, not per element: the loop stores gradients through
  // T*, which might alias m.val, so per-element loads (and whatever was computed from them,
  // 1/sigma say) could not be hoisted out of the loop.
  template <class X, class M, class BV> TYPEGRAD_ALWAYS_INLINE static void load_outer(const M& m, BV& bv) {
    bv[B] = X(m.val[O]);
  }
  template <class X, class M, class BV> TYPEGRAD_ALWAYS_INLINE static void forward(const M&, std::size_t, BV&) {}
  template <class Ext> TYPEGRAD_ALWAYS_INLINE static void zero_external(Ext& ext) {
    if constexpr (!Inert) ext[B] = typename Ext::value_type(0);
  }
  template <class X, class Writes, class M, class BV, class BA>
  TYPEGRAD_ALWAYS_INLINE static void backward(const M&, std::size_t, const BV&, BA& ba, BA& ext) {
    if constexpr (!Inert) ext[B] += ba[B];
  }
  template <class Writes, class M, class Ext> TYPEGRAD_ALWAYS_INLINE static void add_external(M& m, const Ext& ext) {
    using V = typename decltype(m.val)::value_type;
    if constexpr (!Inert) write_adjoint<Writes::template at<B>()>(m.adj[O], V(lanes_sum(ext[B])));
  }
};
template <std::size_t B, std::size_t I> struct body_step<program::at<B, program::array_input<I>>> {
  template <class X, class M, class BV> static void load_outer(const M&, BV&) {}
  template <class Ext> static void zero_external(Ext&) {}
  template <class X, class M, class BV> TYPEGRAD_ALWAYS_INLINE static void forward(const M& m, std::size_t i, BV& bv) {
    bv[B] = load_elements<X>(std::get<I>(m.in).data + i);
  }
  template <class X, class Writes, class M, class BV, class BA>
  TYPEGRAD_ALWAYS_INLINE static void backward(const M& m, std::size_t i, const BV&, BA& ba, BA&) {
    const auto& a = std::get<I>(m.in);
    if (a.grad) add_to_elements(a.grad + i, ba[B]);
  }
  template <class Writes, class M, class Ext> static void add_external(M&, const Ext&) {}
  template <class M> static std::size_t extent(const M& m) { return std::get<I>(m.in).size; }
};
template <std::size_t B, class Op, class... A> struct body_step<program::at<B, program::apply<Op, A...>>> {
  template <class X, class M, class BV> static void load_outer(const M&, BV&) {}
  template <class Ext> static void zero_external(Ext&) {}
  template <class X, class M, class BV> TYPEGRAD_ALWAYS_INLINE static void forward(const M&, std::size_t, BV& bv) {
    bv[B] = apply_value<X>(program::apply<Op, A...>{}, bv);
  }
  template <class X, class Writes, class M, class BV, class BA>
  TYPEGRAD_ALWAYS_INLINE static void backward(const M&, std::size_t, const BV& bv, BA& ba, BA&) {
    apply_adjoint<Writes>(program::apply<Op, A...>{}, ba[B], bv[B], bv, ba);
  }
  template <class Writes, class M, class Ext> static void add_external(M&, const Ext&) {}
};

template <class Body> struct body_program;
template <class... Is> struct body_program<program::list<Is...>> {
  static constexpr std::size_t size = sizeof...(Is);
  static constexpr std::size_t no_extent = static_cast<std::size_t>(-1);

  /// The reverse sweep of the body: the root (last slot) is seeded, adjoints first assigned.
  using plan = reverse_plan<program::list<Is...>, std::index_sequence<size - 1>>;

  template <class I, class M> static void check_extent(const M& m, std::size_t& extent) {
    if constexpr (requires { body_step<I>::extent(m); }) {
      const std::size_t n = body_step<I>::extent(m);
      if (extent == no_extent) extent = n;
      else if (n != extent)
        throw Error("tg: the array arguments of one elementwise expression must have the same size (got " +
                    std::to_string(extent) + " and " + std::to_string(n) + ")");
    }
  }
  /// The common size of the array arguments the body reads (a fold over the array inputs only:
  /// an array of sizes with a loop over it stayed a loop over every body slot).
  template <class M> static std::size_t extent(const M& m) {
    std::size_t extent = no_extent;
    (check_extent<Is>(m, extent), ...);
    return extent == no_extent ? 0 : extent;
  }
  /// The outer (scalar) values of the body, once before an element loop.
  template <class X, class M> TYPEGRAD_ALWAYS_INLINE static void load_outer(const M& m, std::array<X, size>& bv) {
    (body_step<Is>::template load_outer<X>(m, bv), ...);
  }
  /// Zeroes the loop's sums of the outer values' adjoints (only those: the whole array was a
  /// `rep stos` costing more than a 16-element loop).
  template <class X> TYPEGRAD_ALWAYS_INLINE static void zero_externals(std::array<X, size>& ext) {
    (body_step<Is>::zero_external(ext), ...);
  }
  /// The body at element(s) i (after load_outer).
  template <class X, class M> TYPEGRAD_ALWAYS_INLINE static void forward(const M& m, std::size_t i, std::array<X, size>& bv) {
    (body_step<Is>::template forward<X>(m, i, bv), ...);
  }
  /// The body's reverse sweep, dead instructions skipped (see run_backward).
  template <class X, std::size_t... K, class M>
  TYPEGRAD_ALWAYS_INLINE static void run_reverse_body(std::index_sequence<K...>, const M& m, std::size_t i,
                                                      const std::array<X, size>& bv, std::array<X, size>& ba,
                                                      std::array<X, size>& ext) {
    int order = 0;  // a right fold over `=` runs its operands right to left: reverse order
    ((body_step<std::conditional_t<plan::plan.live[K], Is, program::at<K, program::skip>>>::template backward<
          X, typename writes_of<plan, K>::type>(m, i, bv, ba, ext),
      order) = ... = 0);
  }
  /// Reverse sweep of the body at element(s) i with root adjoint `seed`; adjoints of outer
  /// values are summed into `ext` over the loop, array gradients written in place.
  template <class X, class M>
  TYPEGRAD_ALWAYS_INLINE static void backward(const M& m, std::size_t i, const std::array<X, size>& bv, const X& seed,
                                              std::array<X, size>& ext) {
    std::array<X, size> ba;  // not zero-filled: see reverse_plan
    ba[size - 1] = seed;
    run_reverse_body(std::index_sequence_for<Is...>{}, m, i, bv, ba, ext);
  }
  template <class Writes, class M, class Ext> static void add_externals(M& m, const Ext& ext) {
    (body_step<Is>::template add_external<Writes>(m, ext), ...);
  }
};

template <std::size_t S, class R, class Body> struct step<program::at<S, program::reduction<R, Body>>> {
  using P = body_program<Body>;
  static constexpr std::size_t last = P::size - 1;

  template <class M, class St> static void accumulate(const M& m, St& st, std::size_t extent) {
    using V = typename decltype(m.val)::value_type;
    using B = loop_batch_t<V>;
    for (int pass = 0; pass < R::passes; ++pass) {
      std::size_t i = 0;
      if constexpr (!std::is_same_v<B, V>) {
        std::array<B, P::size> bv;
        P::load_outer(m, bv);
        for (; i + B::size <= extent; i += B::size) {
          P::forward(m, i, bv);
          st.add(bv[last], pass);
        }
      }
      std::array<V, P::size> sv;
      P::load_outer(m, sv);
      for (; i < extent; ++i) {
        P::forward(m, i, sv);
        st.add(sv[last], pass);
      }
      if constexpr (requires { st.end_pass(pass); }) st.end_pass(pass);
    }
  }

  template <class M> static void forward(M& m) {
    using V = typename decltype(m.val)::value_type;
    const std::size_t extent = P::extent(m);
    typename R::template state<V, loop_batch_t<V>> st;
    accumulate(m, st, extent);
    m.val[S] = st.result(extent);
  }

  template <class Writes, class M> static void backward(M& m) {
    using V = typename decltype(m.val)::value_type;
    using B = loop_batch_t<V>;
    const std::size_t extent = P::extent(m);
    const V g = m.adj[S], y = m.val[S];
    // Nothing is cached between the sweeps (no heap): the body is recomputed here, and so is the
    // accumulator state where the partials need it (prod, log_sum_exp).
    typename R::template state<V, B> st;
    if constexpr (!std::is_same_v<R, reductions::sum> && !std::is_same_v<R, reductions::mean>) accumulate(m, st, extent);
    std::size_t i = 0;
    if constexpr (!std::is_same_v<B, V>) {
      std::array<B, P::size> bv, ext;
      P::zero_externals(ext);
      P::load_outer(m, bv);
      const B gb(g);
      for (; i + B::size <= extent; i += B::size) {
        P::forward(m, i, bv);
        P::backward(m, i, bv, B(gb * st.partial(bv[last], y, extent)), ext);
      }
      P::template add_externals<Writes>(m, ext);
    }
    std::array<V, P::size> sv, sext;
    P::zero_externals(sext);
    P::load_outer(m, sv);
    for (; i < extent; ++i) {
      P::forward(m, i, sv);
      const V p = st.partial(sv[last], y, extent);
      P::backward(m, i, sv, V(g * conj_if_complex(p)), sext);
    }
    // after the batch loop's externals (above), the tail's add to them
    P::template add_externals<std::conditional_t<std::is_same_v<B, V>, Writes, first_writes<>>>(m, sext);
  }
};

template <class... Is, class M> TYPEGRAD_ALWAYS_INLINE constexpr void run_forward(program::list<Is...>, M& m) {
  (step<Is>::forward(m), ...);
}

/// Instruction I of the forward sweep with tangent masks T (reverse/tangent_masks.hpp).
template <class T, class I> struct masked_step {
  template <class M> TYPEGRAD_ALWAYS_INLINE static void forward(M& m) { step<I>::forward(m); }
};
template <class T, std::size_t S, class Op, class... A> struct masked_step<T, program::at<S, program::apply<Op, A...>>> {
  template <class M> TYPEGRAD_ALWAYS_INLINE static void forward(M& m) {
    masked_apply<T, S, Op, A...>(m, operand_value<A>(m.val)...);
  }
};

/// Instruction K (I) of a forward sweep with group plan G (reverse/simd_groups.hpp) and tangent
/// masks T, each void when unused: a group's leader runs the group, its other members' values
/// are computed by then.
template <class G, class T, std::size_t K, class I, class M> TYPEGRAD_ALWAYS_INLINE void forward_step(M& m) {
  if constexpr (!std::is_void_v<G>) {
    if constexpr (G::plan.leads[K] != 0) {
      run_group<typename applied_op<I>::type, G, G::plan.leads[K] - 1, T>(m);
      return;
    } else if constexpr (G::plan.member_of[K] != 0) {
      return;
    }
  }
  if constexpr (!std::is_void_v<T>) masked_step<T, I>::forward(m);
  else step<I>::forward(m);
}
template <class G, class T, class... Is, std::size_t... K, class M>
TYPEGRAD_ALWAYS_INLINE void run_forward_planned(program::list<Is...>, std::index_sequence<K...>, M& m) {
  (forward_step<G, T, K, Is>(m), ...);
}

// ---- the forward sweep of tg::jacobian, in pieces --------------------------------------------------
// On duals with SIMD tangents (tg::jacobian) each instruction's chain rule is forced inline
// (dual_apply), and g++'s inliner takes time quadratic in the size of the function it forces
// them into: 7.8 s of a 300-operation function's compile (0.75 s with tg::jvp's duals). Programs
// over forward_piece_limit instructions therefore run as equal pieces of at most that many, one
// function each (noinline: its values pass through the slot array, in memory anyway). Smaller
// programs, as the 16x16 Jacobian's 207, stay one function: pieces of 64 made it 40% slower.
inline constexpr std::size_t forward_piece_limit = 256;

/// Instruction K (I) when it belongs to the piece being compiled, nothing otherwise (G, T: as
/// for forward_step).
template <bool Run, class G, class T, std::size_t K, class I> struct piece_step {
  template <class M> TYPEGRAD_ALWAYS_INLINE static constexpr void forward(M& m) {
    if constexpr (Run) forward_step<G, T, K, I>(m);
  }
};
/// Instructions [P * Size, (P + 1) * Size) of the program (K: their indices).
template <std::size_t P, std::size_t Size, class G, class T, class... Is, std::size_t... K, class M>
[[gnu::noinline]] void run_forward_piece(program::list<Is...>, std::index_sequence<K...>, M& m) {
  (piece_step<K / Size == P, G, T, K, Is>::forward(m), ...);
}
template <std::size_t Size, class G, class T, class... Is, std::size_t... P, class M>
TYPEGRAD_ALWAYS_INLINE void run_forward_pieces(program::list<Is...>, std::index_sequence<P...>, M& m) {
  (run_forward_piece<P, Size, G, T>(program::list<Is...>{}, std::index_sequence_for<Is...>{}, m), ...);
}
/// The reverse sweep of plan Plan over instructions Is (K: their indices); an instruction whose
/// adjoint is never written (a subtree feeding only non-differentiable operands, as a
/// comparison's) runs as a skip.
template <class Plan, class... Is, std::size_t... K, class M>
TYPEGRAD_ALWAYS_INLINE constexpr void run_backward(program::list<Is...>, std::index_sequence<K...>, M& m) {
  int order = 0;  // a right fold over `=` runs its operands right to left: reverse order
  ((step<std::conditional_t<Plan::plan.live[K], Is, program::at<K, program::skip>>>::template backward<
        typename writes_of<Plan, K>::type>(m),
    order) = ... = 0);
}
/// The same with groups (P: their plan): a grouped instruction reads its group's partial.
template <class Plan, class P, std::size_t K, class I, class M> TYPEGRAD_ALWAYS_INLINE void grouped_backward_step(M& m) {
  if constexpr (!Plan::plan.live[K]) return;
  else if constexpr (P::plan.member_of[K] != 0) grouped_backward<P, K, typename writes_of<Plan, K>::type>(m);
  else step<I>::template backward<typename writes_of<Plan, K>::type>(m);
}
template <class Plan, class P, class... Is, std::size_t... K, class M>
TYPEGRAD_ALWAYS_INLINE void run_backward_grouped(program::list<Is...>, std::index_sequence<K...>, M& m) {
  int order = 0;  // reverse order, as in run_backward
  ((grouped_backward_step<Plan, P, K, Is>(m), order) = ... = 0);
}

/// The sweep over the roots Roots (a graph::list of root keys) with value type V.
/// Inputs: a tuple with V for each scalar argument, array_input<T> for each array argument.
/// (Only this façade is named after the expression; it has a handful of members.)
template <class V, class Roots, class Inputs, class Data, bool Reverse = true> struct sweep {
  /// Every node of the graph, children first. Array-valued nodes are evaluated inside their
  /// reduction's element loop and leave their slot here unused.
  using outer = typename roots_layout<Roots>::type;
  using code = typename compile<outer>::type;
  static constexpr std::size_t n = outer::size;
  using root_slots = typename root_slots_of<outer, Roots>::type;
  using plan = reverse_plan<code, root_slots>;
  /// Independent calls of one costly function run as SIMD batches (reverse/simd_groups.hpp).
  static constexpr bool grouped = uses_groups<V, Reverse, code>();
  using groups = std::conditional_t<grouped, group_plan<code>, void>;
  /// Tangent blocks zero by structure are skipped (reverse/tangent_masks.hpp; tg::jacobian).
  using masks = typename masks_for<V, Reverse, code>::type;

  machine<V, n, Inputs, Data, Reverse, group_partials<V, Reverse, code>()> m;

  /// Does forward() run in pieces (see forward_piece_limit)?
  static constexpr bool split_forward() {
    if constexpr (is_dual_v<V>) return is_batch_tangents<typename dual_parts<V>::store>::value && n > forward_piece_limit;
    else return false;
  }

  constexpr sweep(const Inputs& i, const Data& d) : m{i, d} {}

  /// The adjoint of key P after backward() (zero when f does not use it).
  template <class P> constexpr V adjoint_of() const {
    constexpr std::size_t s = graph::find_slot<outer, P>::value;
    if constexpr (s != graph::no_slot && plan::plan.live[s]) return m.adj[s];
    else return V(0);
  }
  /// The value of root R after forward().
  template <std::size_t R> constexpr const V& root_value() const { return m.val[graph::slot<outer, graph::at_t<R, Roots>>::value]; }

  TYPEGRAD_ALWAYS_INLINE constexpr void forward() {
    if constexpr (split_forward()) {
      constexpr std::size_t pieces = (n + forward_piece_limit - 1) / forward_piece_limit;
      run_forward_pieces<(n + pieces - 1) / pieces, groups, masks>(code{}, std::make_index_sequence<pieces>{}, m);
    } else if constexpr (grouped || !std::is_void_v<masks>) {
      // (xsimd is not constexpr: constant evaluation runs each instruction on its own, and so
      // does its backward())
      if (std::is_constant_evaluated()) run_forward(code{}, m);
      else run_forward_planned<groups, masks>(code{}, std::make_index_sequence<n>{}, m);
    } else {
      run_forward(code{}, m);
    }
    if constexpr (!std::is_void_v<masks>) {
      // the roots are read whole: their blocks outside the mask are zero
      [&]<std::size_t... S>(std::index_sequence<S...>) {
        (m.val[S].tan.template clear_outside<masks::mask[S]>(), ...);
      }(root_slots{});
    }
  }

  /// Seeds the roots' adjoints with `seeds` (one per root) and runs the reverse sweep.
  template <class Seeds> TYPEGRAD_ALWAYS_INLINE constexpr void backward(const Seeds& seeds) {
    static_assert(Reverse, "typegrad internal error: backward() on a forward-only sweep");
    // No zero fill: each adjoint's first write assigns (see reverse_plan).
    [&]<std::size_t... S, std::size_t... R>(std::index_sequence<S...>, std::index_sequence<R...>) {
      (write_adjoint<first_root<R, S...>()>(m.adj[S], V(seeds[R])), ...);
    }(root_slots{}, std::make_index_sequence<Roots::size>{});
    if constexpr (grouped) {
      if (std::is_constant_evaluated()) run_backward<plan>(code{}, std::make_index_sequence<n>{}, m);
      else run_backward_grouped<plan, groups>(code{}, std::make_index_sequence<n>{}, m);
    } else {
      run_backward<plan>(code{}, std::make_index_sequence<n>{}, m);
    }
  }
};

}  // namespace typegrad::detail
