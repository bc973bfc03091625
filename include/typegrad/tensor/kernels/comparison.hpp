#pragma once
/// \file tensor/kernels/comparison.hpp
/// What the tensor kernels need to know about the comparison policies of ops/selection.hpp
/// (ops::less ... ops::not_equal_to): which ones order their operands (complex numbers cannot
/// be ordered) and torch's kernel name for each, used in its "not implemented" text.
#include <string_view>
#include <type_traits>

#include <typegrad/ops/selection.hpp>

namespace typegrad::kernels::detail {

/// <, <=, >, >=: undefined on complex numbers (== and != are not).
template <class Cmp>
inline constexpr bool is_ordering = std::is_same_v<Cmp, ops::less> || std::is_same_v<Cmp, ops::less_equal> ||
                                    std::is_same_v<Cmp, ops::greater> || std::is_same_v<Cmp, ops::greater_equal>;

/// torch's CPU kernel name of a comparison ("lt_cpu" for ops::less ...).
template <class Cmp>
inline constexpr std::string_view comparison_kernel_name = std::is_same_v<Cmp, ops::less>            ? "lt_cpu"
                                                           : std::is_same_v<Cmp, ops::less_equal>    ? "le_cpu"
                                                           : std::is_same_v<Cmp, ops::greater>       ? "gt_cpu"
                                                           : std::is_same_v<Cmp, ops::greater_equal> ? "ge_cpu"
                                                           : std::is_same_v<Cmp, ops::equal_to>      ? "eq_cpu"
                                                                                                     : "ne_cpu";

}  // namespace typegrad::kernels::detail
