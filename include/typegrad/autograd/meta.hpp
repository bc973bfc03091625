#pragma once
/// \file autograd/meta.hpp
/// AutogradMeta: the gradient state a tensor carries once autograd touches it (torch's
/// AutogradMeta): `.grad`, `grad_fn` and `output_nr`, the leaf's gradient accumulator (held
/// weakly: the graph owns it), tensor hooks of leaves, retain_grad, the view base, and the
/// forward-mode tangent.
#include <cstdint>
#include <memory>
#include <mutex>

#include <typegrad/autograd/hooks.hpp>
#include <typegrad/autograd/node.hpp>
#include <typegrad/tensor/tensor.hpp>

namespace typegrad::autograd {

struct AutogradMeta {
  Tensor grad;
  std::shared_ptr<Node> grad_fn;
  std::weak_ptr<Node> grad_accumulator;
  std::uint32_t output_nr = 0;
  bool retains_grad = false;
  /// Tensor.register_hook on a leaf (a non-leaf's hooks live on its grad_fn).
  hook_list<tensor_hook> leaf_hooks;
  hook_list<post_accumulate_grad_hook> post_accumulate_grad_hooks;
  /// A view's base (the tensor it views, itself never a view): in-place checks look at it.
  bool is_view = false;
  Tensor base;
  /// Forward-mode tangent at the (single) dual level; undefined when none.
  Tensor fw_grad;
  /// Guards grad accumulation and the lazily created accumulator (backward from many threads).
  std::mutex mutex;
};

namespace detail {

/// The tensor's AutogradMeta, or null.
inline AutogradMeta* meta(const Tensor& t) noexcept {
  return t.defined() ? t.unsafe_get_impl()->autograd_meta.get() : nullptr;
}
/// The tensor's AutogradMeta, created if missing.
inline AutogradMeta& materialize_meta(const Tensor& t) {
  auto& impl = *t.unsafe_get_impl();
  if (!impl.autograd_meta) impl.autograd_meta = std::make_shared<AutogradMeta>();
  return *impl.autograd_meta;
}

inline const std::shared_ptr<Node>& grad_fn_of(const Tensor& t) noexcept {
  static const std::shared_ptr<Node> none;
  auto* m = meta(t);
  return m ? m->grad_fn : none;
}

/// Does the tensor take part in autograd (leaf flag or history)?
inline bool requires_grad(const Tensor& t) noexcept {
  if (!t.defined()) return false;
  return t.unsafe_get_impl()->requires_grad || grad_fn_of(t) != nullptr;
}

/// Makes `fn` the tensor's history: output `output_nr` of fn.
inline void set_history(const Tensor& t, const std::shared_ptr<Node>& fn) {
  auto& m = materialize_meta(t);
  m.grad_fn = fn;
  m.output_nr = fn->add_input_metadata(t);
}

}  // namespace detail
}  // namespace typegrad::autograd
