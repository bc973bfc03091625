#pragma once
/// \file reverse/simd_groups.hpp
/// Independent calls of one costly function (sin, exp, erf, ...: policies with `simd_gather`)
/// run together in xsimd batches. Instructions of a program that apply the same such policy to
/// operands ready at the first of them form a group (see group_plan): there their operands are
/// gathered, the values (and the partials the sweeps will read) computed a batch at a time, and
/// the members' own instructions only read them back.
/// No compiler vectorizes libm calls across independent statements: 16 sin and 16 cos of
/// doubles take 166 ns from glibc, 23 ns as 4 AVX2 batches (measured on our machine).
///
/// Used for scalar sweeps on float and double (grad, value_and_grad, vjp, eval) and forward-only
/// sweeps on duals of them (jacobian, jvp); not in constant evaluation, not on batch values (their
/// lanes are SIMD already), complex or long double values, nor forward-over-reverse duals.
#include <array>
#include <cstddef>
#include <cstdint>
#include <new>
#include <tuple>
#include <type_traits>
#include <utility>

#include <typegrad/config.hpp>
#include <typegrad/forward/dual.hpp>
#include <typegrad/reverse/program.hpp>

namespace typegrad::detail {

/// Can instruction I join a group: a `simd_gather` policy over one operand that is a node (calls
/// on constants are folded when traced)?
template <class I> struct group_candidate : std::false_type {};
template <std::size_t S, class Op, class A>
struct group_candidate<program::at<S, program::apply<Op, A>>> : std::bool_constant<Op::simd_gather && !A::inert> {};

/// What the plan reads of instruction I: for a candidate, its policy's identity (the hash of
/// its spelling, 0 for none: addresses of per-type variables would be exact, but g++ does not
/// compare them at compile time under -fsanitize=undefined) and its operand.
template <class I> struct group_traits {
  static constexpr std::uint64_t op = 0;
  static constexpr std::size_t operand = 0;
};
template <std::size_t S, class Op, class A> struct group_traits<program::at<S, program::apply<Op, A>>> {
  static constexpr std::uint64_t op =
      group_candidate<program::at<S, program::apply<Op, A>>>::value ? graph::name_hash<Op>() | 1 : 0;
  static constexpr std::size_t operand = A::slot;
};
/// The groups of a program. The first candidate not yet in a group leads one: the later
/// candidates of its policy whose operand is ready at the leader (computed before it, or an
/// argument) join, and the group runs in place of the leader's instruction. Members cannot read
/// each other (their operands come before the leader), and every reader of a member comes after
/// that member, hence after the leader.
template <class Code> struct group_plan;
template <class... Is> struct group_plan<program::list<Is...>> {
  static constexpr std::size_t n = sizeof...(Is);
  static constexpr std::size_t candidates = (std::size_t{0} + ... + std::size_t{group_candidate<Is>::value});
  struct plan_t {
    std::size_t groups = 0;
    std::size_t members = 0;
    std::array<std::size_t, n + 1> member_of{};         // 1 + index into the arrays below; 0: none
    std::array<std::size_t, n + 1> leads{};             // 1 + the group instruction k leads; 0: none
    std::array<std::size_t, candidates + 1> member{};   // members' instruction indices, group by group
    std::array<std::size_t, candidates + 1> operand{};  // their operand slots
    std::array<std::size_t, candidates + 1> input{};    // the argument that operand is, or no_slot
    std::array<std::size_t, candidates / 2 + 1> begin{}, end{};
  };
  static constexpr plan_t make_plan() {
    plan_t p{};
    if constexpr (candidates >= 2) {
      constexpr std::uint64_t op[] = {group_traits<Is>::op..., 0};
      constexpr std::size_t operand[] = {group_traits<Is>::operand..., 0};
      constexpr std::size_t input[] = {input_index<Is>::value..., graph::no_slot};
      std::array<bool, n + 1> taken{};
      for (std::size_t i = 0; i < n; ++i) {
        if (op[i] == 0 || taken[i]) continue;
        const auto joins = [&](std::size_t j) {
          return !taken[j] && op[j] == op[i] && (operand[j] < i || input[operand[j]] != graph::no_slot);
        };
        std::size_t size = 0;
        for (std::size_t j = i; j < n; ++j) size += joins(j) ? 1 : 0;
        if (size < 2) continue;
        const std::size_t g = p.groups++;
        p.begin[g] = p.members;
        p.leads[i] = g + 1;
        for (std::size_t j = i; j < n; ++j) {
          if (!joins(j)) continue;
          taken[j] = true;
          p.member[p.members] = j;
          p.operand[p.members] = operand[j];
          p.input[p.members] = input[operand[j]];
          p.member_of[j] = ++p.members;
        }
        p.end[g] = p.members;
      }
    }
    return p;
  }
  static constexpr plan_t plan = make_plan();
};

/// Is grouping used for sweeps with value type V (Reverse: with a reverse sweep)?
template <class V, bool Reverse> constexpr bool groups_apply() {
  if constexpr (!TYPEGRAD_SIMD_GROUPS) return false;
  else if constexpr (std::is_same_v<V, float> || std::is_same_v<V, double>) return true;
  else if constexpr (is_dual_v<V> && !Reverse) {
    using C = typename dual_parts<V>::value;
    return std::is_same_v<C, float> || std::is_same_v<C, double>;
  } else {
    return false;
  }
}

/// Does the sweep over program Code with value type V run groups?
template <class V, bool Reverse, class Code> constexpr bool uses_groups() {
  if constexpr (groups_apply<V, Reverse>()) return group_plan<Code>::plan.groups > 0;
  else return false;
}

/// The number of partials a reverse sweep keeps for its grouped instructions.
template <class V, bool Reverse, class Code> constexpr std::size_t group_partials() {
  if constexpr (Reverse && uses_groups<V, Reverse, Code>()) return group_plan<Code>::plan.members;
  else return 0;
}

/// A value type's numbers: V itself, or a dual's value type.
template <class V> struct primal { using type = V; };
template <class T, int N, class S> struct primal<dual<T, N, S>> { using type = T; };

template <class I> struct applied_op;
template <std::size_t S, class Op, class... A> struct applied_op<program::at<S, program::apply<Op, A...>>> {
  using type = Op;
};

/// The operand of member At of plan P: from the slots, or from the inputs for an argument
/// whose instruction may not have run yet.
template <class P, std::size_t At, class M> TYPEGRAD_ALWAYS_INLINE const auto& group_operand(const M& m) {
  if constexpr (P::plan.input[At] != graph::no_slot) return std::get<P::plan.input[At]>(m.in);
  else return m.val[P::plan.operand[At]];
}

/// Runs group G of plan P (policy Op) on machine m (Masks: the sweep's tangent masks, or void).
template <class Op, class P, std::size_t G, class Masks, class M> TYPEGRAD_ALWAYS_INLINE void run_group(M& m) {
  using V = typename decltype(m.val)::value_type;
  constexpr bool on_duals = is_dual_v<V>;
  using C = typename primal<V>::type;
  using B = xsimd::batch<C>;
  constexpr std::size_t begin = P::plan.begin[G], size = P::plan.end[G] - begin;
  constexpr std::size_t padded = (size + B::size - 1) / B::size * B::size;
  constexpr bool partials = on_duals || std::tuple_size_v<decltype(M::part)> > 0;
  alignas(B::arch_type::alignment()) std::array<C, padded> x, y, d;
  [&]<std::size_t... K>(std::index_sequence<K...>) {
    if constexpr (on_duals) ((x[K] = group_operand<P, begin + K>(m).val), ...);
    else ((x[K] = group_operand<P, begin + K>(m)), ...);
  }(std::make_index_sequence<size>{});
  for (std::size_t k = size; k < padded; ++k) x[k] = x[0];  // spare lanes: an argument in the domain
  for (std::size_t k = 0; k < padded; k += B::size) {
    const B xb = B::load_aligned(x.data() + k);
    const B yb = B(Op::value(xb));
    yb.store_aligned(y.data() + k);
    if constexpr (partials) B(Op::template partial<0>(yb, xb)).store_aligned(d.data() + k);
  }
  [&]<std::size_t... K>(std::index_sequence<K...>) {
    (
        [&] {
          constexpr std::size_t at = begin + K, s = P::plan.member[at];
          if constexpr (!on_duals) {
            m.val[s] = y[K];
            if constexpr (partials) m.part[at] = d[K];
          } else {
            using S = typename dual_parts<V>::store;
            const auto scaled = [&] {
              if constexpr (std::is_void_v<Masks>) return S::scale(d[K], group_operand<P, at>(m).tan);
              else return S::template scale_masked<Masks::mask[s]>(d[K], group_operand<P, at>(m).tan);
            };
            ::new (static_cast<void*>(&m.val[s])) V(y[K], tangents_from<decltype(scaled)>{scaled});
          }
        }(),
        ...);
  }(std::make_index_sequence<size>{});
}

/// The reverse step of a grouped instruction at slot S: its operand's adjoint from the partial
/// its group computed.
template <class P, std::size_t S, class Writes, class M> TYPEGRAD_ALWAYS_INLINE void grouped_backward(M& m) {
  constexpr std::size_t at = P::plan.member_of[S] - 1, o = P::plan.operand[at];
  if constexpr (Writes::template at<0>()) m.adj[o] = m.adj[S] * m.part[at];
  else m.adj[o] += m.adj[S] * m.part[at];
}

}  // namespace typegrad::detail
