#!/usr/bin/env python3
"""Generates the Hana-vs-flat-pack microbenchmark: N key types k<id> (each id twice, in a
scrambled order) are deduplicated, in first-occurrence order, and every input's index in the
deduplicated list is found; static_asserts check the count and the last index.

  gen_dedupe.py hana N   Boost.Hana: hana::fold_left over hana::type_c with hana::insert into
                         a hana::set, then hana::index_if for each input
  gen_dedupe.py KIND 0   the header alone (its fixed cost)
  gen_dedupe.py flat N   typegrad's approach (include/typegrad/graph/collect.hpp): the list
                         grows one key at a time with graph::merge_t (a flat pack expansion
                         against an inheritance-based set), each step its own shallow type (as
                         each expression node's layout is made from its children's), then
                         graph::slot (a constexpr hash-table look-up) for each input
"""
import sys


def ids(n):
    m = max(1, n // 2)
    return [(i * 37 + 11) % m for i in range(n)]


def expected(xs):
    uniq = []
    for x in xs:
        if x not in uniq:
            uniq.append(x)
    return uniq, uniq.index(xs[-1])


def hana(n):
    xs = ids(n)
    uniq, last = expected(xs)
    out = ["#include <boost/hana.hpp>", "#include <cstddef>", "namespace hana = boost::hana;",
           "template <int I> struct k {};",
           "constexpr auto input = hana::make_tuple(" + ", ".join(f"hana::type_c<k<{x}>>" for x in xs) + ");",
           "constexpr auto uniq = hana::to_tuple(hana::fold_left(input, hana::make_set(), hana::insert));",
           "constexpr auto indices = hana::transform(input, [](auto t) { return hana::index_if(uniq, hana::equal.to(t)).value(); });",
           f"static_assert(hana::length(uniq) == hana::size_c<{len(uniq)}>);",
           f"static_assert(hana::at_c<{n - 1}>(indices) == hana::size_c<{last}>);",
           "int main() { return 0; }"]
    return "\n".join(out) + "\n"


def flat(n):
    xs = ids(n)
    uniq, last = expected(xs)
    out = ["#include <array>", "#include <cstddef>", "#include <typegrad/graph/collect.hpp>",
           "namespace g = typegrad::detail::graph;", "template <int I> struct k {};",
           "template <int I> struct typegrad::detail::graph::key_hash<k<I>> {",
           "  enum : std::uint64_t { value = g::hash_combine(0, static_cast<std::uint64_t>(I)) };",
           "};",
           "template <std::size_t I> struct step;",
           f"template <> struct step<0> {{ using acc = g::list<k<{xs[0]}>>; }};"]
    for i in range(1, n):
        out.append(f"template <> struct step<{i}> {{ using acc = g::merge_t<step<{i - 1}>::acc, g::list<k<{xs[i]}>>>; }};")
        out.append(f"static_assert(step<{i}>::acc::size > 0);")  # instantiate in order: shallow
    out += [f"using uniq = step<{n - 1}>::acc;",
            "template <class... Ks> constexpr std::array<std::size_t, sizeof...(Ks)> indices(g::list<Ks...>) { return {g::slot<uniq, Ks>::value...}; }",
            "constexpr auto idx = indices(g::list<" + ", ".join(f"k<{x}>" for x in xs) + ">{});",
            f"static_assert(uniq::size == {len(uniq)});",
            f"static_assert(idx[{n - 1}] == {last});",
            "int main() { return 0; }"]
    return "\n".join(out) + "\n"


def header_only(kind):
    inc = "#include <boost/hana.hpp>" if kind == "hana" else "#include <typegrad/graph/collect.hpp>"
    return inc + "\nint main() { return 0; }\n"


if __name__ == "__main__":
    kind, n = sys.argv[1], int(sys.argv[2])
    # N = 0: the header alone (the fixed cost)
    print(header_only(kind) if n == 0 else {"hana": hana, "flat": flat}[kind](n), end="")
