#pragma once
/// \file autograd/forward_ad.hpp
/// torch.autograd.forward_ad: dual tensors carry a tangent through every operation.
///
///     { tg::autograd::forward_ad::dual_level level;
///       auto d = tg::autograd::forward_ad::make_dual(x, v);
///       auto [primal, tangent] = tg::autograd::forward_ad::unpack_dual(tg::sin(d)); }  // tangent = cos(x) v
///
/// One level at a time, global to the process (torch's rule); leaving it drops every tangent.
#include <optional>
#include <string>
#include <utility>

#include <typegrad/autograd/forward_grad.hpp>
#include <typegrad/error.hpp>
#include <typegrad/functions/shape.hpp>
#include <typegrad/tensor/raw.hpp>

namespace typegrad::autograd::forward_ad {

/// Enters the (single) forward AD level and returns it (0).
inline int enter_dual_level() {
  auto& s = detail::state();
  int expected = -1;
  if (!s.level.compare_exchange_strong(expected, 0)) throw Error("Nested forward mode AD is not supported at the moment");
  return 0;
}
/// Leaves the level; every tangent made in it is dropped.
inline void exit_dual_level(std::optional<int> level = std::nullopt) {
  auto& s = detail::state();
  const int current = s.level.load();
  if (level && *level != current) {
    throw Error("Trying to exit a forward AD level that was not the last one that was created. This is not supported.");
  }
  std::lock_guard<std::mutex> lock(s.mutex);
  for (auto& weak : s.duals) {
    if (auto impl = weak.lock(); impl && impl->autograd_meta) impl->autograd_meta->fw_grad = Tensor();
  }
  s.duals.clear();
  s.level.store(-1);
}

/// The level as a scope: `{ dual_level level; ... }`; converts to the level number.
class dual_level {
 public:
  dual_level() : level_(enter_dual_level()) {}
  ~dual_level() { exit_dual_level(); }
  dual_level(const dual_level&) = delete;
  dual_level& operator=(const dual_level&) = delete;
  operator int() const noexcept { return level_; }  // NOLINT: implicit, as `with dual_level() as level`

 private:
  int level_;
};

/// A view of `tensor` whose tangent is `tangent` (backward-differentiable as a view).
inline Tensor make_dual(const Tensor& tensor, const Tensor& tangent, std::optional<int> level = std::nullopt) {
  if (detail::state().level.load() < 0) {
    throw Error("Trying to create a dual Tensor for forward AD but no level exists, make sure to enter_dual_level() "
                "first.");
  }
  if (level && *level != detail::state().level.load()) throw Error("Invalid level given to make_dual");
  if (!is_differentiable(tensor.dtype())) {
    throw Error("Expected primal to be floating point or complex, but got: " + std::string(torch_name(tensor.dtype())));
  }
  if (!is_differentiable(tangent.dtype())) {
    throw Error("Expected tangent to be floating point or complex, but got: " + std::string(torch_name(tangent.dtype())));
  }
  if (tangent.sizes() != tensor.sizes()) {
    throw Error("Trying to set a forward gradient that has a different size than that of the original Tensor, this is "
                "not supported. Tensor is of size " + typegrad::detail::format_int_list(tensor.sizes()) +
                " while the given forward gradient is of size " + typegrad::detail::format_int_list(tangent.sizes()) + ".");
  }
  Tensor dual = tensor.view(tensor.sizes());
  detail::set_tangent(dual, tangent.dtype() == tensor.dtype() ? tangent : tangent.to(tensor.dtype()));
  return dual;
}

/// (primal, tangent); the tangent is undefined for tensors without one or outside a level.
struct UnpackedDualTensor {
  Tensor primal;
  Tensor tangent;
};
inline UnpackedDualTensor unpack_dual(const Tensor& tensor, std::optional<int> = std::nullopt) {
  Tensor tangent = detail::tangent_of(tensor);
  if (!tangent.defined()) return {tensor, Tensor()};
  Tensor primal;
  {
    detail::tangent_scope values_only;
    primal = tensor.view(tensor.sizes());
  }
  return {primal, tangent};
}

}  // namespace typegrad::autograd::forward_ad
