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
#include <array>
#include <cstddef>
#include <span>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

#include <typegrad/array/reductions.hpp>
#include <typegrad/config.hpp>
#include <typegrad/error.hpp>
#include <typegrad/graph/keys.hpp>

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

/// Leaves whose adjoint nobody reads.
template <class E> inline constexpr bool inert_v = is_literal_v<E> || is_constant_v<E> || is_named_v<E>;

template <class E> inline constexpr bool is_placeholder_v = false;
template <std::size_t I, class T> inline constexpr bool is_placeholder_v<placeholder<I, T>> = true;
template <class E> inline constexpr bool is_array_placeholder_v = false;
template <std::size_t I, class T> inline constexpr bool is_array_placeholder_v<array_placeholder<I, T>> = true;
template <class E> inline constexpr bool is_element_v = false;
template <class A> inline constexpr bool is_element_v<element<A>> = true;
template <class E> inline constexpr bool is_element_c_v = false;
template <class A, std::size_t J> inline constexpr bool is_element_c_v<element_c<A, J>> = true;
template <class E> inline constexpr bool is_reduce_v = false;
template <class R, class B> inline constexpr bool is_reduce_v<reduce<R, B>> = true;
template <class E> inline constexpr bool is_node_v = false;
template <class Op, class... Cs> inline constexpr bool is_node_v<node<Op, Cs...>> = true;

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
  } else if constexpr (is_constant_v<E>) {
    if constexpr (is_batch_v<C> || !is_batch_v<decltype(e.value)>) d.constants[At] = C(e.value);
    else static_assert(!is_batch_v<decltype(e.value)>, "tg: a batch constant needs batch arguments");
  } else if constexpr (is_element_v<E>) {
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
    using type = typename go<graph::merge_t<Acc, graph::shift_t<typename layout_of<graph::node_of<K>>::full,
                                                                 graph::key_info<K>::constants, graph::key_info<K>::indices>>,
                             Ks...>::type;
  };
  using type = typename go<graph::list<>, Rs...>::type;
};

/// The sweep over the roots Roots (a graph::list of root keys) with value type V.
/// Inputs: a tuple with V for each scalar argument, array_input<T> for each array argument.
template <class V, class Roots, class Inputs, class Data> struct sweep {
  using all = typename roots_layout<Roots>::type;
  using outer = typename graph::filter<graph::scalar_valued, all>::type;
  static constexpr std::size_t n = outer::size;

  const Inputs& in;
  const Data& data;
  std::array<V, n> val{};
  std::array<V, n> adj{};

  constexpr sweep(const Inputs& i, const Data& d) : in(i), data(d) {}

  template <class K> static constexpr std::size_t slot = graph::slot_v<outer, K>;

  /// The adjoint of key P after backward() (zero when f does not use it).
  template <class P> constexpr V adjoint_of() const {
    if constexpr (graph::has_slot_v<outer, P>) return adj[slot<P>];
    else return V(0);
  }
  /// The value of root R after forward().
  template <std::size_t R> constexpr const V& root_value() const { return val[slot<graph::at_t<R, Roots>>]; }
  // (Callers reach these members instead of naming the sweep type in template arguments: g++ 12
  // spends time exponential in the depth of a shared expression on a pack expansion whose pattern
  // names a template argument built from the expression types.)

  // ---- forward -----------------------------------------------------------------------------
  TYPEGRAD_ALWAYS_INLINE constexpr void forward() {
    [&]<std::size_t... S>(std::index_sequence<S...>) { (forward_step<S>(), ...); }(std::make_index_sequence<n>{});
  }

  template <std::size_t S> TYPEGRAD_ALWAYS_INLINE constexpr void forward_step() {
    using K = graph::at_t<S, outer>;
    using E = graph::node_of<K>;
    if constexpr (is_placeholder_v<E>) {
      val[S] = std::get<E::index>(in);
    } else if constexpr (is_literal_v<E> || is_named_v<E>) {
      val[S] = leaf_value<V>(E{});
    } else if constexpr (is_constant_v<E>) {
      val[S] = V(data.constants[graph::key_info<K>::constants]);
    } else if constexpr (is_element_c_v<E> || is_element_v<E>) {
      const auto& a = std::get<E::array::index>(in);
      const std::size_t j = element_position<K>();
      val[S] = load_scalar<V>(a.data[j]);
    } else if constexpr (is_node_v<E>) {
      val[S] = node_value<K, V>(val, [&]<class CK>() -> const V& { return val[slot<CK>]; });
    } else {
      static_assert(is_reduce_v<E>);
      val[S] = reduce_forward<K>();
    }
  }

  template <class K> constexpr std::size_t element_position() const {
    using E = graph::node_of<K>;
    const auto& a = std::get<E::array::index>(in);
    std::size_t j;
    if constexpr (is_element_c_v<E>) j = E::position;
    else j = data.indices[graph::key_info<K>::indices];
    if (j >= a.size) throw_out_of_bounds(j, a.size);
    return j;
  }

  /// Op::value over the children's values, looked up by `get`.
  /// On dual numbers the node's tangent comes from the policy's partials (dual_apply), not from
  /// differentiating its value formula (which would take one side of max at a tie, say), and
  /// constant operands enter as plain numbers (a zero tangent times pow's NaN d/dexponent at a
  /// negative base would poison the result).
  template <class K, class X, class Slots, class Get>
  TYPEGRAD_ALWAYS_INLINE static constexpr X node_value(const Slots&, Get get) {
    using E = graph::node_of<K>;
    return [&]<std::size_t... J>(std::index_sequence<J...>) {
      if constexpr (is_dual_v<X>)
        return dual_apply<typename E::op, X>(dual_operand<graph::child_key_t<K, J>>(get)...);
      else
        return X(E::op::value(get.template operator()<graph::child_key_t<K, J>>()...));
    }(std::make_index_sequence<E::arity>{});
  }
  template <class CK, class Get> static constexpr decltype(auto) dual_operand(Get& get) {
    if constexpr (inert_v<graph::node_of<CK>>) return get.template operator()<CK>().val;
    else return get.template operator()<CK>();
  }

  // ---- reverse -----------------------------------------------------------------------------
  /// Seeds the roots' adjoints with `seeds` (one per root) and runs the reverse sweep.
  template <class Seeds> TYPEGRAD_ALWAYS_INLINE constexpr void backward(const Seeds& seeds) {
    adj.fill(V(0));
    [&]<class... Rk, std::size_t... R>(graph::list<Rk...>, std::index_sequence<R...>) {
      ((adj[slot<Rk>] += V(seeds[R])), ...);
    }(Roots{}, std::make_index_sequence<Roots::size>{});
    [&]<std::size_t... S>(std::index_sequence<S...>) { (backward_step<n - 1 - S>(), ...); }(std::make_index_sequence<n>{});
  }

  template <std::size_t S> TYPEGRAD_ALWAYS_INLINE constexpr void backward_step() {
    using K = graph::at_t<S, outer>;
    using E = graph::node_of<K>;
    if constexpr (is_node_v<E>) {
      push_node<K>(adj[S], val[S], [&]<class CK>() -> const V& { return val[slot<CK>]; },
                   [&]<class CK>(const V& contribution) { adj[slot<CK>] += contribution; });
    } else if constexpr (is_element_c_v<E> || is_element_v<E>) {
      const auto& a = std::get<E::array::index>(in);
      if (a.grad) {
        const std::size_t j = element_position<K>();
        a.grad[j] = store_scalar<std::remove_cvref_t<decltype(*a.grad)>>(load_scalar<V>(a.grad[j]) + adj[S]);
      }
    } else if constexpr (is_reduce_v<E>) {
      reduce_backward<K>(adj[S]);
    }
  }

  /// Pushes adjoint g of node K to its children (skipping inert leaves).
  template <class K, class X, class Get, class Add>
  TYPEGRAD_ALWAYS_INLINE static constexpr void push_node(const X& g, const X& y, Get get, Add add) {
    using E = graph::node_of<K>;
    [&]<std::size_t... J>(std::index_sequence<J...>) {
      (
          [&] {
            using CK = graph::child_key_t<K, J>;
            if constexpr (E::op::template differentiable<J> && !inert_v<graph::node_of<CK>>) {
              if constexpr (is_dual_v<X>)  // constants as plain numbers (see node_value)
                add.template operator()<CK>(chain<typename E::op, J>(g, y, dual_operand<graph::child_key_t<K, J>>(get)...));
              else
                add.template operator()<CK>(
                    chain<typename E::op, J>(g, y, get.template operator()<graph::child_key_t<K, J>>()...));
            }
          }(),
          ...);
    }(std::make_index_sequence<E::arity>{});
  }

  // ---- array bodies --------------------------------------------------------------------------
  template <class K>
  using body_list = graph::shift_t<typename layout_of<graph::node_of<K>>::inner, graph::key_info<K>::constants,
                                   graph::key_info<K>::indices>;

  /// Element type of the loop: an xsimd batch of V when V is float or double.
  using batch_type = std::conditional_t<TYPEGRAD_USE_SIMD && (std::is_same_v<V, float> || std::is_same_v<V, double>),
                                        xsimd::batch<std::conditional_t<std::is_same_v<V, float>, float, double>>, V>;
  static constexpr bool batched = !std::is_same_v<batch_type, V>;
  static constexpr std::size_t width = [] {
    if constexpr (batched) return batch_type::size;
    else return std::size_t{1};
  }();

  static constexpr std::size_t no_extent = static_cast<std::size_t>(-1);
  template <class K> constexpr std::size_t extent_of_key() const {
    using E = graph::node_of<K>;
    if constexpr (is_array_placeholder_v<E>) return std::get<E::index>(in).size;
    else return no_extent;
  }
  /// The common size of the array arguments a body reads (written without generic lambdas:
  /// clang 14 crashes on a fold inside a templated lambda here).
  template <class... Ks> std::size_t body_extent(graph::list<Ks...>) const {
    const std::size_t sizes[] = {extent_of_key<Ks>()..., no_extent};
    std::size_t extent = no_extent;
    for (std::size_t m : sizes) {
      if (m == no_extent) continue;
      if (extent == no_extent) extent = m;
      else if (m != extent)
        throw Error("tg: the array arguments of one elementwise expression must have the same size (got " +
                    std::to_string(extent) + " and " + std::to_string(m) + ")");
    }
    return extent == no_extent ? 0 : extent;
  }

  // The batch loop never runs past `extent`, but after inlining a short std::array argument,
  // g++ 12 -O2 warns about the never-taken batch load (-Warray-bounds, a false positive).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Warray-bounds"
#endif
  template <class X, class T> static X load(const T* p) {
    if constexpr (is_batch_v<X> && std::is_same_v<T, element_t<X>>) return X::load_unaligned(p);
    else if constexpr (is_batch_v<X>) {
      alignas(X::arch_type::alignment()) std::array<element_t<X>, X::size> t;
      for (std::size_t l = 0; l < X::size; ++l) t[l] = load_scalar<element_t<X>>(p[l]);
      return X::load_aligned(t.data());
    } else {
      return load_scalar<X>(*p);
    }
  }
  template <class X, class T> static void add_to(T* p, const X& x) {
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

  /// Values of the body's nodes at element(s) i, element type X.
  template <class L, class X> void body_forward(std::size_t i, std::array<X, L::size>& bv) const {
    [&]<std::size_t... S>(std::index_sequence<S...>) {
      (
          [&] {
            using K = graph::at_t<S, L>;
            using E = graph::node_of<K>;
            if constexpr (!array_valued<E>::value) bv[S] = X(val[slot<K>]);
            else if constexpr (is_array_placeholder_v<E>) bv[S] = load<X>(std::get<E::index>(in).data + i);
            else bv[S] = node_value<K, X>(bv, [&]<class CK>() -> const X& { return bv[graph::slot_v<L, CK>]; });
          }(),
          ...);
    }(std::make_index_sequence<L::size>{});
  }

  /// Reverse sweep of the body at element(s) i with root adjoint `seed`; externals' adjoints
  /// are added to `ext` (summed over the loop), array gradients written in place.
  template <class L, class X>
  void body_backward(std::size_t i, const std::array<X, L::size>& bv, const X& seed, std::array<X, L::size>& ext) const {
    std::array<X, L::size> ba;
    ba.fill(X(V(0)));
    ba[L::size - 1] = seed;
    [&]<std::size_t... R>(std::index_sequence<R...>) {
      (
          [&] {
            constexpr std::size_t S = L::size - 1 - R;
            using K = graph::at_t<S, L>;
            using E = graph::node_of<K>;
            if constexpr (!array_valued<E>::value) {
              if constexpr (!inert_v<E>) ext[S] += ba[S];
            } else if constexpr (is_array_placeholder_v<E>) {
              const auto& a = std::get<E::index>(in);
              if (a.grad) add_to(a.grad + i, ba[S]);
            } else {
              push_node<K>(ba[S], bv[S], [&]<class CK>() -> const X& { return bv[graph::slot_v<L, CK>]; },
                           [&]<class CK>(const X& c) { ba[graph::slot_v<L, CK>] += c; });
            }
          }(),
          ...);
    }(std::make_index_sequence<L::size>{});
  }

  template <class K> using reduction_state =
      typename graph::node_of<K>::policy::template state<V, batch_type>;

  template <class K> V reduce_forward() {
    using L = body_list<K>;
    const std::size_t extent = body_extent(L{});
    reduction_state<K> st;
    for (int pass = 0; pass < graph::node_of<K>::policy::passes; ++pass) {
      std::size_t i = 0;
      if constexpr (batched) {
        std::array<batch_type, L::size> bv;
        for (; i + width <= extent; i += width) {
          body_forward<L>(i, bv);
          st.add(bv[L::size - 1], pass);
        }
      }
      std::array<V, L::size> sv;
      for (; i < extent; ++i) {
        body_forward<L>(i, sv);
        st.add(sv[L::size - 1], pass);
      }
      if constexpr (requires { st.end_pass(pass); }) st.end_pass(pass);
    }
    return st.result(extent);
  }

  template <class K> void reduce_backward(const V& g) {
    using L = body_list<K>;
    using R = typename graph::node_of<K>::policy;
    const std::size_t extent = body_extent(L{});
    // Nothing is cached between the sweeps (no heap): the body is recomputed here, and so is the
    // accumulator state where the partials need it (prod, log_sum_exp).
    reduction_state<K> st;
    if constexpr (!std::is_same_v<R, reductions::sum> && !std::is_same_v<R, reductions::mean>) {
      for (int pass = 0; pass < R::passes; ++pass) {
        std::size_t i = 0;
        if constexpr (batched) {
          std::array<batch_type, L::size> bv;
          for (; i + width <= extent; i += width) {
            body_forward<L>(i, bv);
            st.add(bv[L::size - 1], pass);
          }
        }
        std::array<V, L::size> sv;
        for (; i < extent; ++i) {
          body_forward<L>(i, sv);
          st.add(sv[L::size - 1], pass);
        }
        if constexpr (requires { st.end_pass(pass); }) st.end_pass(pass);
      }
    }
    const V y = val[slot<K>];
    std::size_t i = 0;
    if constexpr (batched) {
      std::array<batch_type, L::size> bv, ext;
      ext.fill(batch_type(V(0)));
      const batch_type gb(g);
      for (; i + width <= extent; i += width) {
        body_forward<L>(i, bv);
        body_backward<L>(i, bv, batch_type(gb * st.partial(bv[L::size - 1], y, extent)), ext);
      }
      add_externals<L>(ext);
    }
    std::array<V, L::size> sv, sext;
    sext.fill(V(0));
    for (; i < extent; ++i) {
      body_forward<L>(i, sv);
      const V p = st.partial(sv[L::size - 1], y, extent);
      body_backward<L>(i, sv, V(g * conj_if_complex(p)), sext);
    }
    add_externals<L>(sext);
  }

  template <class L, class X> void add_externals(const std::array<X, L::size>& ext) {
    [&]<std::size_t... S>(std::index_sequence<S...>) {
      (
          [&] {
            using K = graph::at_t<S, L>;
            if constexpr (!array_valued<graph::node_of<K>>::value && !inert_v<graph::node_of<K>>)
              adj[slot<K>] += V(lanes_sum(ext[S]));
          }(),
          ...);
    }(std::make_index_sequence<L::size>{});
  }
};

}  // namespace typegrad::detail
