#pragma once
/// \file autograd/meta.hpp
/// AutogradMeta: the gradient state a tensor carries once autograd touches it (torch's
/// AutogradMeta): `.grad`, `grad_fn` and `output_nr`, the leaf's gradient accumulator (held
/// weakly: the graph owns it), tensor hooks of leaves, retain_grad, the view base, and the
/// forward-mode tangent.
///
/// A view's grad_fn follows torch: once its memory changed in place (through the view, its base
/// or another view; the shared version counter tells), its grad_fn becomes AsStridedBackward0
/// of the base's current history the next time anybody asks for it (grad_fn_of).
#include <cstdint>
#include <memory>
#include <mutex>

#include <typegrad/autograd/hooks.hpp>
#include <typegrad/autograd/node.hpp>
#include <typegrad/tensor/tensor.hpp>

namespace typegrad::autograd {

/// How a view was made (torch's CreationMeta): the views of a multi-view function (split,
/// chunk, unbind) and views made without grad mode must not be changed in place with history.
enum class view_creation : std::uint8_t { in_grad_mode, in_no_grad_mode, by_multi_view_function };

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
  view_creation creation = view_creation::in_grad_mode;
  /// The version of the view's memory when its grad_fn was last set (torch's attr_version).
  std::uint32_t attr_version = 0;
  /// Guards the view's grad_fn while it is brought up to date.
  std::mutex view_mutex;
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

/// Marks `out` as a view of `in` (of in's base when `in` is a view itself).
inline void mark_view(const Tensor& in, const Tensor& out, view_creation how) {
  auto* m = meta(in);
  auto& om = materialize_meta(out);
  om.is_view = true;
  om.base = m && m->is_view ? m->base : in;
  om.creation = how;
  om.attr_version = out.unsafe_get_impl()->version_counter->version();
}

/// Makes a view's grad_fn AsStridedBackward0 of its base's history after an in-place change of
/// its memory (defined in functions/view_inplace.hpp).
void refresh_view_history(const Tensor& view, AutogradMeta& m);

/// The tensor's grad_fn (null for leaves), brought up to date first if it is a changed view.
inline const std::shared_ptr<Node>& grad_fn_of(const Tensor& t) {
  static const std::shared_ptr<Node> none;
  auto* m = meta(t);
  if (!m) return none;
  if (m->is_view && m->attr_version != t.unsafe_get_impl()->version_counter->version()) refresh_view_history(t, *m);
  return m->grad_fn;
}

/// Does the tensor take part in autograd (leaf flag or history)? A view also does when its
/// base does, as in torch: a view made without grad mode (`no_grad`, or before its base was
/// made to require grad) has no history of its own, yet reports true; its gradient edge is
/// empty, so operations on it record nodes that send it nothing. (A changed view's history
/// comes from its base's, so this needs no grad_fn_of: asking never throws the view errors.)
inline bool requires_grad(const Tensor& t) {
  if (!t.defined()) return false;
  if (t.unsafe_get_impl()->requires_grad) return true;
  const AutogradMeta* m = meta(t);
  if (m == nullptr) return false;
  return m->grad_fn != nullptr || (m->is_view && requires_grad(m->base));  // a base is never a view
}

/// Makes `fn` the tensor's history: output `output_nr` of fn.
inline void set_history(const Tensor& t, const std::shared_ptr<Node>& fn) {
  auto& m = materialize_meta(t);
  m.grad_fn = fn;
  m.output_nr = fn->add_input_metadata(t);
}

}  // namespace detail
}  // namespace typegrad::autograd
