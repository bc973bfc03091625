#pragma once
/// \file autograd/tensor_methods.hpp
/// The autograd members of tg::Tensor (declared in tensor/tensor.hpp): requires_grad, grad,
/// grad_fn, is_leaf, retain_grad, register_hook, backward, detach, data.
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

#include <typegrad/autograd/accumulate_grad.hpp>
#include <typegrad/autograd/autograd.hpp>
#include <typegrad/autograd/meta.hpp>
#include <typegrad/error.hpp>
#include <typegrad/tensor/raw.hpp>

namespace typegrad {

inline bool Tensor::requires_grad() const {
  impl("requires_grad");
  return autograd::detail::requires_grad(*this);
}
namespace autograd::detail {
/// requires_grad_ and set_requires_grad: the same rule, each with its own torch text for a
/// non-differentiable dtype.
inline void set_leaf_requires_grad(const Tensor& t, typegrad::detail::TensorImpl& i, bool flag,
                                   const char* dtype_error) {
  if (!t.is_leaf()) {
    if (!flag) {
      throw Error("you can only change requires_grad flags of leaf variables. If you want to use a computed variable "
                  "in a subgraph that doesn't require differentiation use var_no_grad = var.detach().");
    }
    return;
  }
  if (flag && !is_differentiable(i.dtype)) throw Error(dtype_error);
  // A leaf that requires grad gets its metadata now, on the thread that set the flag (as torch
  // does): threads that later share the leaf in their graphs only read the pointer.
  if (flag) materialize_meta(t);
  i.requires_grad = flag;
}
}  // namespace autograd::detail

inline const Tensor& Tensor::requires_grad_(bool flag) const {
  autograd::detail::set_leaf_requires_grad(*this, impl("requires_grad_"), flag,
                                           "only Tensors of floating point dtype can require gradients");
  return *this;
}
inline void Tensor::set_requires_grad(bool flag) const {
  autograd::detail::set_leaf_requires_grad(*this, impl("set_requires_grad"), flag,
                                           "only Tensors of floating point and complex dtype can require gradients");
}
inline const Tensor& Tensor::grad() const {
  static const Tensor undefined;
  auto* m = autograd::detail::meta(*this);
  return m ? m->grad : undefined;
}
inline Tensor& Tensor::mutable_grad() const { return autograd::detail::materialize_meta(*this).grad; }
inline const std::shared_ptr<autograd::Node>& Tensor::grad_fn() const {
  impl("grad_fn");
  return autograd::detail::grad_fn_of(*this);
}
inline bool Tensor::is_leaf() const { return grad_fn() == nullptr; }
inline std::uint32_t Tensor::output_nr() const {
  auto* m = autograd::detail::meta(*this);
  return m ? m->output_nr : 0;
}

namespace autograd::detail {
/// Installs the hook that keeps a non-leaf's .grad on its current grad_fn.
inline void install_retains_grad(const Tensor& t) {
  auto& m = materialize_meta(t);
  std::weak_ptr<typegrad::detail::TensorImpl> weak = t.unsafe_get_impl();
  m.grad_fn->set_retains_grad_hook(m.output_nr, [weak](const Tensor& g) {
    auto impl = weak.lock();
    if (!impl || !impl->autograd_meta) return;
    Tensor& grad = impl->autograd_meta->grad;
    grad = grad.defined() ? grad + g : g.clone();
  });
}
}  // namespace autograd::detail

inline void Tensor::retain_grad() const {
  if (!requires_grad()) throw Error("can't retain_grad on Tensor that has requires_grad=False");
  if (is_leaf()) return;
  auto& m = autograd::detail::materialize_meta(*this);
  if (m.retains_grad) return;
  m.retains_grad = true;
  autograd::detail::install_retains_grad(*this);
}
inline bool Tensor::retains_grad() const {
  auto* m = autograd::detail::meta(*this);
  return m && m->retains_grad;
}

template <class F> autograd::RemovableHandle Tensor::register_hook(F&& fn) const {
  if (!requires_grad()) throw Error("cannot register a hook on a tensor that doesn't require gradient");
  using R = std::invoke_result_t<F&, const Tensor&>;
  autograd::tensor_hook hook;
  if constexpr (std::is_void_v<R>) {
    hook = [f = std::forward<F>(fn)](const Tensor& g) mutable -> std::optional<Tensor> {
      f(g);
      return std::nullopt;
    };
  } else if constexpr (std::is_convertible_v<R, Tensor>) {
    hook = [f = std::forward<F>(fn)](const Tensor& g) mutable -> std::optional<Tensor> {
      Tensor r = f(g);
      if (!r.defined()) return std::nullopt;
      return r;
    };
  } else {
    static_assert(std::is_convertible_v<R, std::optional<Tensor>>,
                  "tg::Tensor::register_hook: the hook must return void, a Tensor or std::optional<Tensor>");
    hook = std::forward<F>(fn);
  }
  if (is_leaf()) return autograd::detail::materialize_meta(*this).leaf_hooks.add(std::move(hook));
  return grad_fn()->tensor_hooks(output_nr(), true)->add(std::move(hook));
}

template <class F> autograd::RemovableHandle Tensor::register_post_accumulate_grad_hook(F&& fn) const {
  if (!is_leaf()) throw Error("post accumulate grad hooks cannot be registered on non-leaf tensors");
  if (!requires_grad()) throw Error("cannot register a hook on a tensor that doesn't require gradient");
  using R = std::invoke_result_t<F&, const Tensor&>;
  autograd::post_accumulate_grad_hook hook;
  if constexpr (std::is_void_v<R>) {
    hook = std::forward<F>(fn);
  } else {
    // torch accepts a Python function and checks its result at run time
    hook = [f = std::forward<F>(fn)](const Tensor& p) mutable {
      auto r = f(p);
      bool is_none = true;
      if constexpr (std::is_convertible_v<decltype(r), Tensor>) is_none = !Tensor(r).defined();
      else if constexpr (requires { r.has_value(); }) is_none = !r.has_value();
      else is_none = false;
      if (!is_none) throw Error("hooks should return None.");
    };
  }
  return autograd::detail::materialize_meta(*this).post_accumulate_grad_hooks.add(std::move(hook));
}

inline void Tensor::backward(const Tensor& gradient, std::optional<bool> retain_graph, bool create_graph,
                             const tensor_list& inputs) const {
  autograd::backward({*this}, gradient.defined() ? tensor_list{gradient} : tensor_list{}, retain_graph, create_graph,
                     inputs.empty() ? std::nullopt : std::optional<tensor_list>(inputs));
}

inline Tensor Tensor::detach() const { return raw::detach(*this); }
inline const Tensor& Tensor::detach_() const {
  auto* m = autograd::detail::meta(*this);
  if (m && m->is_view) {
    throw Error("Can't detach views in-place. Use detach() instead. If you are using DistributedDataParallel (DDP) for "
                "training, and gradient_as_bucket_view is set as True, gradients are views of DDP buckets, and hence "
                "detach_() cannot be called on these gradients. To fix this error, please refer to the Optimizer.zero_grad() "
                "function in torch/optim/optimizer.py as the solution.");
  }
  if (m) {
    m->grad_fn.reset();
    m->output_nr = 0;
    m->fw_grad = Tensor();
  }
  impl("detach_").requires_grad = false;
  return *this;
}
inline Tensor Tensor::data() const {
  Tensor d = raw::detach(*this);
  d.unsafe_get_impl()->version_counter = std::make_shared<VersionCounter>();
  return d;
}
inline void Tensor::set_data(const Tensor& new_data) const {
  auto& i = impl("set_data");
  const auto& n = *new_data.unsafe_get_impl();
  i.storage = n.storage;
  i.sizes = n.sizes;
  i.strides = n.strides;
  i.storage_offset = n.storage_offset;
  i.dtype = n.dtype;
}

}  // namespace typegrad
