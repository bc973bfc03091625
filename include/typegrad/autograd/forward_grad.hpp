#pragma once
/// \file autograd/forward_grad.hpp
/// Forward-mode state shared by the operations: the single dual level (global, as torch's),
/// each tensor's tangent at that level, and the rule that tangent formulas do not themselves
/// propagate tangents (they run on primal values).
#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

#include <typegrad/autograd/meta.hpp>
#include <typegrad/tensor/tensor.hpp>

namespace typegrad::autograd::forward_ad::detail {

struct level_state {
  std::atomic<int> level{-1};
  std::mutex mutex;
  /// Tensors given a tangent at the current level (their tangents are dropped on exit).
  std::vector<std::weak_ptr<typegrad::detail::TensorImpl>> duals;
};
inline level_state& state() {
  static level_state s;
  return s;
}
inline bool& computing_tangent() {
  thread_local bool flag = false;
  return flag;
}

/// The tensor's tangent at the current level (undefined outside a level, inside a tangent
/// formula, or for tensors without one).
inline Tensor tangent_of(const Tensor& t) {
  if (state().level.load(std::memory_order_relaxed) < 0 || computing_tangent()) return Tensor();
  auto* m = autograd::detail::meta(t);
  return m ? m->fw_grad : Tensor();
}

/// Does any of these tensors carry a tangent? (the cheap test operations make first)
inline bool any_tangent(std::initializer_list<const Tensor*> ts) {
  if (state().level.load(std::memory_order_relaxed) < 0 || computing_tangent()) return false;
  for (const Tensor* t : ts) {
    auto* m = t ? autograd::detail::meta(*t) : nullptr;
    if (m && m->fw_grad.defined()) return true;
  }
  return false;
}

inline void set_tangent(const Tensor& t, Tensor tangent) {
  if (!tangent.defined()) return;
  autograd::detail::materialize_meta(t).fw_grad = std::move(tangent);
  auto& s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  s.duals.push_back(t.unsafe_get_impl());
}

/// While alive, operations compute values only: used around tangent formulas.
class tangent_scope {
 public:
  tangent_scope() : previous_(computing_tangent()) { computing_tangent() = true; }
  ~tangent_scope() { computing_tangent() = previous_; }
  tangent_scope(const tangent_scope&) = delete;
  tangent_scope& operator=(const tangent_scope&) = delete;

 private:
  bool previous_;
};

/// y's tangent from a's: rule(tangent of a), computed on primal values; nothing when a has none.
template <class Rule> void propagate(const Tensor& y, const Tensor& a, Rule&& rule) {
  if (!any_tangent({&a})) return;
  const Tensor ta = tangent_of(a);
  tangent_scope primal_values;
  set_tangent(y, rule(ta));
}
/// y's tangent from a's and b's: rule(ta, tb), either possibly undefined (no tangent).
template <class Rule> void propagate(const Tensor& y, const Tensor& a, const Tensor& b, Rule&& rule) {
  if (!any_tangent({&a, &b})) return;
  const Tensor ta = tangent_of(a);
  const Tensor tb = tangent_of(b);
  tangent_scope primal_values;
  set_tangent(y, rule(ta, tb));
}

}  // namespace typegrad::autograd::forward_ad::detail
