#pragma once
/// \file tensor/options.hpp
/// tg::TensorOptions, as libtorch's (dtype and requires_grad; there is only the CPU device):
///
///     tg::zeros({2}, tg::TensorOptions().dtype(tg::kDouble).requires_grad(true));
///     tg::ones({2}, tg::dtype(tg::kLong));     tg::rand({2}, tg::requires_grad());
#include <optional>

#include <typegrad/tensor/dtype.hpp>

namespace typegrad {

/// Options of a tensor factory. Each setter returns a modified copy, so calls chain.
class TensorOptions {
 public:
  constexpr TensorOptions() noexcept = default;

  constexpr TensorOptions dtype(ScalarType t) const noexcept {
    TensorOptions r = *this;
    r.dtype_ = t;
    r.has_dtype_ = true;
    return r;
  }
  template <tensor_element T> constexpr TensorOptions dtype() const noexcept { return dtype(dtype_of<T>); }
  constexpr TensorOptions requires_grad(bool r) const noexcept {
    TensorOptions o = *this;
    o.requires_grad_ = r;
    return o;
  }

  /// The dtype set, or torch's default (kFloat) when none was.
  constexpr ScalarType dtype() const noexcept { return dtype_; }
  constexpr bool has_dtype() const noexcept { return has_dtype_; }
  constexpr std::optional<ScalarType> dtype_opt() const noexcept {
    return has_dtype_ ? std::optional<ScalarType>(dtype_) : std::nullopt;
  }
  constexpr bool requires_grad() const noexcept { return requires_grad_; }

 private:
  // Not a std::optional: g++ 12 -O2 reports a false -Wmaybe-uninitialized on copies of one.
  ScalarType dtype_ = default_dtype;
  bool has_dtype_ = false;
  bool requires_grad_ = false;
};

/// `TensorOptions().dtype(t)`.
constexpr TensorOptions dtype(ScalarType t) noexcept { return TensorOptions().dtype(t); }
template <tensor_element T> constexpr TensorOptions dtype() noexcept { return TensorOptions().dtype(dtype_of<T>); }
/// `TensorOptions().requires_grad(r)`.
constexpr TensorOptions requires_grad(bool r = true) noexcept { return TensorOptions().requires_grad(r); }

}  // namespace typegrad
