#pragma once
/// \file autograd/saved_variable.hpp
/// SavedVariable: a tensor a node keeps for its backward (torch's SavedVariable), and the
/// thread-local saved-tensor hooks (torch.autograd.graph.saved_tensors_hooks).
///
/// It records the tensor's version when saved and refuses to unpack a tensor modified in
/// place since, and it refuses to unpack after the graph was freed (backward without
/// retain_graph). A node's own output is stored without its history (the output's history is
/// the node itself: keeping it would be a reference cycle) and gets it back on unpack.
#include <any>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <typegrad/autograd/grad_mode.hpp>
#include <typegrad/autograd/meta.hpp>
#include <typegrad/error.hpp>
#include <typegrad/tensor/raw.hpp>

namespace typegrad::autograd {

namespace detail {
inline const char* const backward_twice_message =
    "Trying to backward through the graph a second time (or directly access saved tensors after they have already "
    "been freed). Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). "
    "Specify retain_graph=True if you need to backward through the graph a second time or if you need to access "
    "saved tensors after calling backward.";

struct saved_tensor_hook_pair {
  std::function<std::any(const Tensor&)> pack;
  std::function<Tensor(const std::any&)> unpack;
};
inline std::vector<saved_tensor_hook_pair>& saved_tensor_hook_stack() {
  thread_local std::vector<saved_tensor_hook_pair> stack;
  return stack;
}
/// Set while a disable_saved_tensors_hooks is active in this thread: the error it gives.
inline std::optional<std::string>& saved_tensor_hooks_disabled_message() {
  thread_local std::optional<std::string> message;
  return message;
}
}  // namespace detail

namespace graph {
/// Pack/unpack hooks for every tensor saved for backward in this thread while the object
/// lives; the innermost pair wins. `pack` runs once when a tensor is saved, `unpack` on every
/// access (version checks are then the hooks' business).
class saved_tensors_hooks {
 public:
  saved_tensors_hooks(std::function<std::any(const Tensor&)> pack, std::function<Tensor(const std::any&)> unpack) {
    if (const auto& message = detail::saved_tensor_hooks_disabled_message()) throw Error(*message);
    detail::saved_tensor_hook_stack().push_back({std::move(pack), std::move(unpack)});
  }
  ~saved_tensors_hooks() { detail::saved_tensor_hook_stack().pop_back(); }
  saved_tensors_hooks(const saved_tensors_hooks&) = delete;
  saved_tensors_hooks& operator=(const saved_tensors_hooks&) = delete;
};

/// torch.autograd.graph.save_on_cpu: tensors saved for backward are kept as copies in CPU
/// memory and handed back on unpack. Every tensor here lives in CPU memory already, so this
/// is a copy at save time (a later in-place change of the original does not reach backward,
/// and is not an error); `pin_memory` is accepted and has nothing to pin.
class save_on_cpu : public saved_tensors_hooks {
 public:
  explicit save_on_cpu(bool pin_memory = false)
      : saved_tensors_hooks([](const Tensor& t) -> std::any { return raw::clone(t); },
                            [](const std::any& packed) { return std::any_cast<Tensor>(packed); }) {
    (void)pin_memory;
  }
};

/// torch.autograd.graph.disable_saved_tensors_hooks: while it lives, registering saved-tensor
/// hooks in this thread throws `error_message`; so does creating it while hooks are registered.
/// Nests: the enclosing one's message is back when it ends.
class disable_saved_tensors_hooks {
 public:
  explicit disable_saved_tensors_hooks(std::string error_message)
      : previous_(detail::saved_tensor_hooks_disabled_message()) {
    if (!detail::saved_tensor_hook_stack().empty()) throw Error(std::move(error_message));
    detail::saved_tensor_hooks_disabled_message() = std::move(error_message);
  }
  ~disable_saved_tensors_hooks() { detail::saved_tensor_hooks_disabled_message() = std::move(previous_); }
  disable_saved_tensors_hooks(const disable_saved_tensors_hooks&) = delete;
  disable_saved_tensors_hooks& operator=(const disable_saved_tensors_hooks&) = delete;

 private:
  std::optional<std::string> previous_;
};
}  // namespace graph

class SavedVariable {
 public:
  SavedVariable() = default;
  /// `is_output`: the tensor is an output of the node that saves it.
  SavedVariable(const Tensor& t, bool is_output) {
    if (!t.defined()) return;
    const auto& impl = *t.unsafe_get_impl();
    if (impl.is_inference) {
      throw Error("Inference tensors cannot be saved for backward. To work around you can make a clone to get a "
                  "normal tensor and use it in autograd.");
    }
    defined_ = true;
    saved_version_ = impl.version_counter->version();
    const bool has_history = detail::grad_fn_of(t) != nullptr;  // brings a changed view's grad_fn up to date
    auto* m = detail::meta(t);
    output_nr_ = m ? m->output_nr : 0;
    // the error text's parts are made only when the error happens (saving is on every operation's path)
    if (has_history && !is_output) history_ = m->grad_fn;
    auto& hooks = detail::saved_tensor_hook_stack();
    if (!hooks.empty()) {
      unpack_ = hooks.back().unpack;
      packed_ = hooks.back().pack(t);
      if (impl.version_counter->version() != saved_version_) {
        throw Error("A saved tensor pack hook is modifying its input in place. Tensors provided as input to pack hook "
                    "can not be modified by in-place operations as this can lead to unexpected side-effects. Please "
                    "open an issue if you need to perform in-place operations on the input to a pack hook.");
      }
      return;
    }
    if (is_output && has_history) {
      data_ = raw::detach(t);
      output_of_saver_ = true;
    } else {
      data_ = t;
    }
  }

  /// The saved tensor; `saved_for` is the node that saved it (gives a saved output its history).
  Tensor unpack(const std::shared_ptr<Node>& saved_for = nullptr) const {
    if (!defined_) return Tensor();
    if (released_) throw Error(detail::backward_twice_message);
    if (unpack_) return unpack_(packed_);
    const auto current = data_.unsafe_get_impl()->version_counter->version();
    if (current != saved_version_) {
      std::string which = output_of_saver_ && saved_for ? saved_for->name() : history_ ? history_->name() : "";
      std::string msg = "one of the variables needed for gradient computation has been modified by an inplace "
                        "operation: [" + std::string(legacy_tensor_name(data_.dtype())) + " " +
                        typegrad::detail::format_int_list(data_.unsafe_get_impl()->sizes) + "]";
      if (!which.empty()) msg += ", which is output " + std::to_string(output_nr_) + " of " + which + ",";
      msg += " is at version " + std::to_string(current) + "; expected version " + std::to_string(saved_version_) +
             " instead. ";
      msg += AnomalyMode::is_enabled()
                 ? "Hint: the backtrace further above shows the operation that failed to compute its gradient. The "
                   "variable in question was changed in there or anywhere later. Good luck!"
                 : "Hint: enable anomaly detection to find the operation that failed to compute its gradient, with "
                   "torch.autograd.set_detect_anomaly(True).";
      throw Error(msg);
    }
    if (!output_of_saver_) return data_;
    Tensor r = raw::detach(data_);
    if (saved_for) {
      auto& m = detail::materialize_meta(r);
      m.grad_fn = saved_for;
      m.output_nr = output_nr_;
    }
    return r;
  }

  /// Frees the saved data; a later unpack raises torch's backward-twice error.
  void reset_data() {
    if (!defined_) return;
    released_ = true;
    data_ = Tensor();
    history_.reset();
    packed_.reset();
  }
  bool defined() const noexcept { return defined_; }

 private:
  Tensor data_;
  std::any packed_;
  std::function<Tensor(const std::any&)> unpack_;
  /// The saved input's grad_fn when it was saved (named in the version error).
  std::shared_ptr<Node> history_;
  std::uint32_t saved_version_ = 0;
  std::uint32_t output_nr_ = 0;
  bool defined_ = false;
  bool released_ = false;
  bool output_of_saver_ = false;
};

}  // namespace typegrad::autograd
