#pragma once
/// \file autograd/hooks.hpp
/// Hook lists and the handles that remove hooks (torch.utils.hooks.RemovableHandle).
///
/// A hook is kept in a shared entry with a `removed` flag: removing marks the entry (so a
/// handle can be removed twice, after its node died, or in the middle of a backward pass
/// that is iterating over a snapshot of the list) and the list drops marked entries later.
#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

namespace typegrad {
class Tensor;
using tensor_list = std::vector<Tensor>;
}  // namespace typegrad

namespace typegrad::autograd {

namespace detail {
struct hook_entry_base {
  std::atomic<bool> removed{false};
  virtual ~hook_entry_base() = default;
};
}  // namespace detail

/// Returned by every register_* call; `remove()` unregisters the hook (idempotent). A handle
/// of several hooks (register_multi_grad_hook's; torch's _MultiHandle) removes all of them.
class RemovableHandle {
 public:
  RemovableHandle() = default;
  explicit RemovableHandle(std::weak_ptr<detail::hook_entry_base> entry) : entry_(std::move(entry)) {}
  explicit RemovableHandle(std::vector<RemovableHandle> parts) : parts_(std::move(parts)) {}
  void remove() const {
    if (auto e = entry_.lock()) e->removed = true;
    for (const auto& p : parts_) p.remove();
  }

 private:
  std::weak_ptr<detail::hook_entry_base> entry_;
  std::vector<RemovableHandle> parts_;
};

/// An ordered list of hooks of one kind (registration order is call order).
template <class F> class hook_list {
 public:
  struct entry : detail::hook_entry_base {
    explicit entry(F f) : fn(std::move(f)) {}
    F fn;
  };

  RemovableHandle add(F f) {
    std::erase_if(entries_, [](const auto& e) { return e->removed.load(); });
    auto e = std::make_shared<entry>(std::move(f));
    entries_.push_back(e);
    return RemovableHandle(e);
  }
  /// The live hooks now; callers re-check `removed` before each call (a hook may remove another).
  std::vector<std::shared_ptr<entry>> snapshot() const { return entries_; }
  void clear() { entries_.clear(); }
  bool empty() const {
    for (const auto& e : entries_)
      if (!e->removed) return false;
    return true;
  }

 private:
  std::vector<std::shared_ptr<entry>> entries_;
};

/// Tensor.register_hook: sees the gradient of the tensor; a returned tensor replaces it.
using tensor_hook = std::function<std::optional<Tensor>(const Tensor& grad)>;
/// Node.register_prehook: sees the gradients flowing into the node (its forward outputs'
/// gradients); a returned list replaces them.
using node_pre_hook = std::function<std::optional<tensor_list>(const tensor_list& grad_outputs)>;
/// Node.register_hook: runs after the node with its results (`grad_inputs`, the gradients of
/// its forward inputs) and what it got (`grad_outputs`); a returned list replaces the results.
using node_post_hook =
    std::function<std::optional<tensor_list>(const tensor_list& grad_inputs, const tensor_list& grad_outputs)>;
/// Tensor.register_post_accumulate_grad_hook: runs on the leaf after its .grad was updated.
using post_accumulate_grad_hook = std::function<void(const Tensor& param)>;

}  // namespace typegrad::autograd
