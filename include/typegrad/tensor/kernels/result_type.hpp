#pragma once
/// \file tensor/kernels/result_type.hpp
/// torch.result_type for two operands and torch's can_cast: the dtype an elementwise
/// operation computes in, and whether a result may be written into an output of some dtype.
///
/// Operands have three priorities: tensors with dims, 0-d tensors, wrapped numbers (the
/// `2.0` of `t * 2.0`, see wrapped_scalar_tensor). A lower-priority operand only matters when
/// its category (bool < integral < floating < complex) is higher than the higher-priority
/// result; wrapped floating and complex numbers count as the default dtypes (kFloat,
/// kComplexFloat), not as double:
///
///     float tensor * 2.0        -> kFloat        long tensor * 2.0    -> kFloat
///     float tensor * 1i         -> kComplexFloat double tensor * 1i   -> kComplexDouble
///     0-d double + float tensor -> kFloat        0-d double + long tensor -> kDouble
#include <string>

#include <typegrad/error.hpp>
#include <typegrad/tensor/dtype.hpp>
#include <typegrad/tensor/tensor.hpp>

namespace typegrad::kernels {

namespace detail {

/// A dtype or nothing yet (c10's ScalarType::Undefined). Not std::optional: g++ 12 -O2 reports
/// false -Wmaybe-uninitialized on copies of one (see tensor/options.hpp).
struct maybe_dtype {
  ScalarType type = kFloat;
  bool defined = false;
};

inline maybe_dtype promote_skip_undefined(maybe_dtype a, maybe_dtype b) noexcept {
  if (!a.defined) return b;
  if (!b.defined) return a;
  return {promote_types(a.type, b.type), true};
}

/// The complex dtype whose real part is `t`. c10 maps Half to ComplexHalf, which typegrad
/// does not have: ComplexFloat, as for BFloat16.
constexpr ScalarType to_complex_type(ScalarType t) noexcept { return t == kDouble ? kComplexDouble : kComplexFloat; }

/// c10's combine_categories: the higher-priority result, unless the lower one is of a higher
/// category (a complex lower one keeps a floating higher one's precision).
inline maybe_dtype combine_categories(maybe_dtype higher, maybe_dtype lower) noexcept {
  if (higher.defined && is_complex(higher.type)) return higher;
  if (lower.defined && is_complex(lower.type)) {
    if (higher.defined && is_floating_point(higher.type)) return {to_complex_type(higher.type), true};
    return lower;
  }
  if (higher.defined && is_floating_point(higher.type)) return higher;
  if ((higher.defined && higher.type == kBool) || (lower.defined && is_floating_point(lower.type))) {
    return promote_skip_undefined(higher, lower);
  }
  return higher.defined ? higher : lower;
}

/// ATen's ResultTypeState: the promoted dtype of each priority class seen so far.
struct result_type_state {
  maybe_dtype dimensioned, zero_dim, wrapped;

  void update(const Tensor& t) {
    ScalarType current = t.dtype();
    const bool is_wrapped = t.unsafe_get_impl()->wrapped_number;
    if (is_wrapped) {  // a Python number counts as the default dtype of its category
      if (is_complex(current)) current = kComplexFloat;
      else if (is_floating_point(current)) current = default_dtype;
    }
    const maybe_dtype seen{current, true};
    if (t.dim() > 0) dimensioned = promote_skip_undefined(dimensioned, seen);
    else if (is_wrapped) wrapped = promote_skip_undefined(wrapped, seen);
    else zero_dim = promote_skip_undefined(zero_dim, seen);
  }
  ScalarType result() const noexcept {
    return combine_categories(dimensioned, combine_categories(zero_dim, wrapped)).type;
  }
};

}  // namespace detail

/// torch.result_type(a, b): the dtype a binary elementwise operation on `a` and `b` computes in.
inline ScalarType result_type(const Tensor& a, const Tensor& b) {
  detail::result_type_state state;
  state.update(a);
  state.update(b);
  return state.result();
}

/// torch.can_cast(from, to): false when the cast would lose a category (complex to real,
/// floating to integral, anything but bool to bool).
constexpr bool can_cast(ScalarType from, ScalarType to) noexcept {
  if (is_complex(from) && !is_complex(to)) return false;
  if (is_floating_point(from) && (to == kLong || to == kBool)) return false;
  if (from != kBool && to == kBool) return false;
  return true;
}

namespace detail {
/// torch's message when an operation's result dtype cannot be written to its `out`.
inline void check_can_cast(ScalarType result, ScalarType out) {
  if (!can_cast(result, out)) {
    throw Error("result type " + std::string(scalar_type_name(result)) + " can't be cast to the desired output type " +
                std::string(scalar_type_name(out)));
  }
}
}  // namespace detail

}  // namespace typegrad::kernels
