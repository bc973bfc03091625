#pragma once
/// \file autograd/node.hpp
/// tg::autograd::Node: one backward function of the graph (torch::autograd::Node), and Edge.
///
/// A node is created by the operation that produced a tensor (`y.grad_fn()`). It maps the
/// gradients of that operation's outputs (its *inputs* in the backward direction, one per
/// forward output) to the gradients of the operation's differentiable inputs (its *outputs*,
/// one per `next_edges()` entry). Nodes are shared: every output of a multi-output operation
/// points at the same node and is told apart by `output_nr`.
#include <any>
#include <atomic>
#include <cstdint>
#include <limits>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <typegrad/autograd/hooks.hpp>
#include <typegrad/tensor/tensor.hpp>

namespace typegrad::autograd {

class Node;

/// Where a gradient goes: input `input_nr` of `function` (null function: nowhere, the forward
/// input did not require grad).
struct Edge {
  std::shared_ptr<Node> function;
  std::uint32_t input_nr = 0;
  bool is_valid() const noexcept { return function != nullptr; }
  bool operator==(const Edge& o) const noexcept { return function == o.function && input_nr == o.input_nr; }
};
using edge_list = std::vector<Edge>;

/// Shape and dtype of one gradient a node receives: the engine checks (and sums / casts) what
/// a node's parent returns against it (torch's validate_outputs).
struct InputMetadata {
  std::vector<std::int64_t> sizes;
  ScalarType dtype = default_dtype;
};

namespace detail {
inline std::uint64_t next_sequence_nr() noexcept {
  static std::atomic<std::uint64_t> counter{0};
  return counter.fetch_add(1, std::memory_order_relaxed);
}
}  // namespace detail

class Node : public std::enable_shared_from_this<Node> {
 public:
  explicit Node(edge_list next_edges = {}) : sequence_nr_(detail::next_sequence_nr()), next_edges_(std::move(next_edges)) {}
  Node(std::uint64_t sequence_nr, edge_list next_edges) : sequence_nr_(sequence_nr), next_edges_(std::move(next_edges)) {}
  virtual ~Node() = default;
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  /// torch's class name of the node: "MulBackward0", "torch::autograd::AccumulateGrad", ...
  virtual std::string name() const = 0;

  /// The backward computation. `grads[i]` is the gradient of forward output i (undefined when
  /// nothing flowed there and the node does not materialize); returns one gradient per next edge.
  virtual tensor_list apply(tensor_list&& grads) = 0;

  /// Frees what the node saved for backward (after a backward without retain_graph).
  virtual void release_variables() {}

  // ---- graph ---------------------------------------------------------------------------
  const edge_list& next_edges() const noexcept { return next_edges_; }
  const Edge& next_edge(std::size_t i) const { return next_edges_.at(i); }
  /// Set once by the operation that records the node (its inputs' gradient edges).
  void set_next_edges(edge_list edges) { next_edges_ = std::move(edges); }
  /// Does forward input i require its gradient? (torch's should_compute_output / needs_input_grad)
  bool should_compute_output(std::size_t i) const { return i < next_edges_.size() && next_edges_[i].is_valid(); }
  std::size_t num_outputs() const noexcept { return next_edges_.size(); }
  std::size_t num_inputs() const noexcept { return num_inputs_; }
  /// One (node, input_nr) pair per differentiable forward input; (nullptr, 0) for inputs that
  /// did not require grad.
  std::vector<std::pair<std::shared_ptr<Node>, int>> next_functions() const {
    std::vector<std::pair<std::shared_ptr<Node>, int>> r;
    r.reserve(next_edges_.size());
    for (const auto& e : next_edges_) r.emplace_back(e.function, static_cast<int>(e.input_nr));
    return r;
  }
  /// Newer nodes run first in backward; AccumulateGrad nodes last.
  std::uint64_t sequence_nr() const noexcept { return sequence_nr_; }

  /// Registers the shape and dtype of a new forward output; returns its output_nr.
  std::uint32_t add_input_metadata(const Tensor& t) {
    InputMetadata m{t.sizes(), t.dtype()};
    if (num_inputs_ == 0) first_input_ = std::move(m);
    else more_inputs_.push_back(std::move(m));
    return static_cast<std::uint32_t>(num_inputs_++);
  }
  const InputMetadata& input_metadata(std::size_t i) const {
    if (i >= num_inputs_) throw std::out_of_range("Node::input_metadata: no forward output " + std::to_string(i));
    return i == 0 ? first_input_ : more_inputs_[i - 1];
  }

  /// A mutable dictionary for users (torch's Node.metadata), initially empty.
  std::unordered_map<std::string, std::any>& metadata() noexcept { return metadata_; }

  // ---- hooks ---------------------------------------------------------------------------
  /// fn(grad_inputs, grad_outputs) after the node ran; returning a list replaces grad_inputs.
  template <class F> RemovableHandle register_hook(F&& fn) { return post_hooks_.add(node_post_hook(std::forward<F>(fn))); }
  /// fn(grad_outputs) before the node runs; returning a list replaces grad_outputs.
  template <class F> RemovableHandle register_prehook(F&& fn) { return pre_hooks_.add(node_pre_hook(std::forward<F>(fn))); }
  const hook_list<node_post_hook>& post_hooks() const noexcept { return post_hooks_; }
  const hook_list<node_pre_hook>& pre_hooks() const noexcept { return pre_hooks_; }

  /// Hooks of the tensor that is forward output `output_nr` (Tensor.register_hook on a non-leaf).
  virtual hook_list<tensor_hook>* tensor_hooks(std::size_t output_nr, bool create) {
    if (output_nr >= tensor_hooks_.size()) {
      if (!create) return nullptr;
      tensor_hooks_.resize(output_nr + 1);
    }
    return &tensor_hooks_[output_nr];
  }
  /// retain_grad() of forward output `output_nr`: called with its gradient after its tensor hooks.
  using retains_grad_hook = std::function<void(const Tensor& grad)>;
  void set_retains_grad_hook(std::size_t output_nr, retains_grad_hook fn) {
    if (output_nr >= retains_grad_hooks_.size()) retains_grad_hooks_.resize(output_nr + 1);
    retains_grad_hooks_[output_nr] = std::move(fn);
  }
  const retains_grad_hook* retains_grad_hook_for(std::size_t output_nr) const {
    if (output_nr >= retains_grad_hooks_.size() || !retains_grad_hooks_[output_nr]) return nullptr;
    return &retains_grad_hooks_[output_nr];
  }

  /// Drops the node's hooks (after a backward that did not retain the graph): hooks often
  /// capture the tensors whose history this node is, and that cycle would keep the graph alive.
  void release_hooks() {
    pre_hooks_.clear();
    post_hooks_.clear();
    tensor_hooks_.clear();
    retains_grad_hooks_.clear();
  }

  /// Held while the engine runs the node, so two threads cannot apply and free it at once.
  std::mutex& mutex() noexcept { return mutex_; }

  /// Called by the engine when this node's forward output `output_nr` is an input of
  /// `backward(inputs=...)`; AccumulateGrad ignores it.
  virtual bool is_accumulate_grad() const noexcept { return false; }

 private:
  std::uint64_t sequence_nr_;
  edge_list next_edges_;
  // Most nodes have one forward output: its metadata is kept inline (no allocation per node).
  InputMetadata first_input_;
  std::vector<InputMetadata> more_inputs_;
  std::size_t num_inputs_ = 0;
  std::unordered_map<std::string, std::any> metadata_;
  hook_list<node_pre_hook> pre_hooks_;
  hook_list<node_post_hook> post_hooks_;
  std::vector<hook_list<tensor_hook>> tensor_hooks_;
  std::vector<retains_grad_hook> retains_grad_hooks_;
  std::mutex mutex_;
};

}  // namespace typegrad::autograd
