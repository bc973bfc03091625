#pragma once
/// \file autograd/engine.hpp
/// The backward engine (torch's Engine::execute), one graph task per call:
///
/// 1. Count, for every node reachable from the roots, how many edges lead to it.
/// 2. With `outputs` (the `inputs=` of backward/grad), mark what must run: the nodes on a path
///    to an output. For grad() the outputs' gradients are *captured* where they enter the
///    output's node, which itself runs only if some other output needs it.
/// 3. Run ready nodes (all dependencies in) newest first (highest sequence_nr; AccumulateGrad
///    as soon as it is ready), each as: tensor hooks, retain_grad, capture, pre-hooks, apply,
///    post-hooks; check the results against what the children expect (sum to their shape,
///    cast to their dtype) and add them into the children's input buffers.
///
/// Grad mode inside backward is `create_graph`, so backward formulas (written in
/// differentiable tensor operations) record a graph exactly when a double backward needs it.
/// Without keep_graph every executed node frees its saved tensors and its hooks (a hook that
/// captures the node's own output would otherwise keep the graph alive: C++ has no cycle
/// collector; torch keeps the hooks, so a save-free graph backwarded twice without
/// retain_graph calls them only the first time here). A node may call
/// backward itself (reentrant backward): that runs to completion on the same thread.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <functional>
#include <iostream>
#include <memory>
#include <mutex>
#include <queue>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include <typegrad/autograd/grad_mode.hpp>
#include <typegrad/autograd/meta.hpp>
#include <typegrad/autograd/node.hpp>
#include <typegrad/autograd/node_table.hpp>
#include <typegrad/error.hpp>
#include <typegrad/functions/fwd.hpp>
#include <typegrad/tensor/geometry.hpp>

namespace typegrad::autograd {

namespace detail {

inline std::atomic<std::int64_t>& graph_task_counter() {
  static std::atomic<std::int64_t> counter{0};
  return counter;
}
class graph_task;
/// The backward passes running in this thread, innermost last (reentrant backward nests them).
struct running_task {
  std::int64_t id;
  graph_task* task;
};
inline std::vector<running_task>& graph_task_stack() {
  thread_local std::vector<running_task> stack;
  return stack;
}

/// Does the tensor hold a NaN (anomaly mode's check)?
inline bool has_nan(const Tensor& t) {
  bool found = false;
  const auto& i = *t.unsafe_get_impl();
  visit(i.dtype, [&](auto tag) {
    using T = typename decltype(tag)::type;
    const T* p = reinterpret_cast<const T*>(i.storage->data()) + i.storage_offset;
    typegrad::detail::for_each_offset(i.sizes, i.strides, [&](std::int64_t o) {
      if constexpr (requires { p[o].imag(); }) {
        if (std::isnan(static_cast<double>(p[o].real())) || std::isnan(static_cast<double>(p[o].imag()))) found = true;
      } else if constexpr (std::is_floating_point_v<T>) {
        if (std::isnan(p[o])) found = true;
      } else if constexpr (!std::is_integral_v<T>) {
        if (std::isnan(static_cast<float>(p[o]))) found = true;
      }
    });
  });
  return found;
}

/// Can a gradient of shape `grad` be summed down to `target` (target broadcasts to grad)?
inline bool sums_to(const std::vector<std::int64_t>& target, const std::vector<std::int64_t>& grad) {
  if (target.size() > grad.size()) return false;
  const std::size_t lead = grad.size() - target.size();
  for (std::size_t k = 0; k < target.size(); ++k) {
    if (target[k] != grad[lead + k] && target[k] != 1) return false;
  }
  return true;
}

inline std::string ordinal_output(std::size_t i) { return std::to_string(i) + "th output"; }

class graph_task {
 public:
  graph_task(bool keep_graph, bool create_graph) : keep_graph_(keep_graph), create_graph_(create_graph) {}

  tensor_list run(const edge_list& roots, tensor_list root_grads, bool accumulate_grad, const edge_list& outputs) {
    count_dependencies(roots);
    if (!outputs.empty()) mark_execution(roots, outputs, accumulate_grad);
    captured_.resize(outputs.size());
    AutoGradMode mode(create_graph_);
    graph_task_stack().push_back({++graph_task_counter(), this});
    struct pop_id {
      ~pop_id() { graph_task_stack().pop_back(); }
    } pop;

    // The roots act as the outputs of one virtual root node.
    for (std::size_t i = 0; i < roots.size(); ++i) deliver(roots[i], std::move(root_grads[i]));
    while (!ready_.empty()) {
      Node* node = ready_.top().node;
      ready_.pop();
      evaluate(*node);
    }
    // By index: a callback may queue another one.
    for (std::size_t i = 0; i < final_callbacks_.size(); ++i) final_callbacks_[i]();
    return std::move(captured_);
  }

  /// Runs `f` once this pass has executed its last node (torch's queue_callback); not after an error.
  void queue_callback(std::function<void()> f) { final_callbacks_.push_back(std::move(f)); }

  /// Will this pass run `n` (torch's _will_engine_execute_node): every node reachable from the
  /// roots for backward() without inputs, else the nodes that lead to an input or capture it.
  bool will_execute(const Node* n) const {
    Node* key = const_cast<Node*>(n);  // the maps are keyed by mutable pointers; nothing is modified
    if (exec_.empty()) return nodes_.contains(key);
    return should_execute(key);
  }

 private:
  struct exec_info {
    bool needed = false;
    std::vector<std::pair<std::uint32_t, std::size_t>> captures;  // (input_nr, output index)
    bool should_execute() const noexcept { return needed || !captures.empty(); }
  };
  struct ready_entry {
    Node* node;
    bool operator<(const ready_entry& o) const noexcept { return node->sequence_nr() < o.node->sequence_nr(); }
  };

  void count_dependencies(const edge_list& roots) {
    std::vector<Node*> stack;
    for (const auto& r : roots) {
      if (!r.function) continue;
      if (nodes_[r.function.get()].dependencies++ == 0) stack.push_back(r.function.get());  // first time seen
    }
    while (!stack.empty()) {
      Node* n = stack.back();
      stack.pop_back();
      for (const auto& e : n->next_edges()) {
        if (!e.function) continue;
        if (nodes_[e.function.get()].dependencies++ == 0) stack.push_back(e.function.get());
      }
    }
  }

  void mark_execution(const edge_list& roots, const edge_list& outputs, bool accumulate_grad) {
    for (std::size_t i = 0; i < outputs.size(); ++i) {
      auto& info = exec_[outputs[i].function.get()];
      if (accumulate_grad) info.needed = true;
      else info.captures.emplace_back(outputs[i].input_nr, i);
    }
    // Post-order: a node is needed when one of its children should execute.
    std::unordered_set<Node*> done;
    std::vector<std::pair<Node*, std::size_t>> stack;
    for (const auto& r : roots) {
      if (!r.function || !done.insert(r.function.get()).second) continue;
      stack.emplace_back(r.function.get(), 0);
      while (!stack.empty()) {
        auto& [n, next] = stack.back();
        if (next < n->next_edges().size()) {
          Node* child = n->next_edges()[next++].function.get();
          if (child && done.insert(child).second) stack.emplace_back(child, 0);
          continue;
        }
        bool needed = false;
        for (const auto& e : n->next_edges()) {
          if (!e.function) continue;
          auto it = exec_.find(e.function.get());
          if (it != exec_.end() && it->second.should_execute()) needed = true;
        }
        if (needed) exec_[n].needed = true;
        stack.pop_back();
      }
    }
  }

  bool should_execute(Node* n) const {
    if (exec_.empty()) return true;
    auto it = exec_.find(n);
    return it != exec_.end() && it->second.should_execute();
  }

  /// Sends one gradient along an edge; schedules the child when its last dependency arrived.
  void deliver(const Edge& edge, Tensor grad) {
    Node* child = edge.function.get();
    if (!child) return;
    node_table::entry& state = nodes_[child];
    const bool ready = --state.dependencies == 0;
    if (!should_execute(child)) return;
    auto& buffer = state.buffer;
    if (buffer.size() < child->num_inputs()) buffer.resize(child->num_inputs());
    if (grad.defined()) {
      auto& slot = buffer.at(edge.input_nr);
      slot = slot.defined() ? slot + grad : std::move(grad);
    }
    if (ready) {
      holders_.push_back(edge.function);  // keeps the child alive while it waits in the queue
      ready_.push({child});
    }
  }

  void evaluate(Node& node) {
    tensor_list inputs = std::move(nodes_[&node].buffer);
    inputs.resize(node.num_inputs());

    // Tensor hooks of the tensors whose gradients these are, then retain_grad.
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      if (auto* hooks = node.tensor_hooks(i, false)) {
        for (const auto& h : hooks->snapshot()) {
          if (h->removed || !inputs[i].defined()) continue;
          if (auto r = h->fn(inputs[i])) inputs[i] = std::move(*r);
        }
      }
      if (const auto* retain = node.retains_grad_hook_for(i); retain && inputs[i].defined()) (*retain)(inputs[i]);
    }
    if (!exec_.empty()) {
      const auto& info = exec_.at(&node);
      for (const auto& [input_nr, out] : info.captures) captured_[out] = inputs.at(input_nr);
      if (!info.needed) return;
    }

    for (const auto& h : node.pre_hooks().snapshot()) {
      if (h->removed) continue;
      if (auto r = h->fn(inputs)) inputs = std::move(*r);
    }
    const bool has_post_hooks = !node.post_hooks().empty();
    tensor_list grad_outputs_copy;
    if (has_post_hooks) grad_outputs_copy = inputs;

    tensor_list outputs;
    try {
      std::lock_guard<std::mutex> lock(node.mutex());
      outputs = node.apply(std::move(inputs));
      if (!keep_graph_) node.release_variables();
    } catch (...) {
      if (AnomalyMode::is_enabled()) {
        std::cerr << "Warning: Error detected in " << node.name() << ". Traceback of forward call that caused the error:\n";
        if (auto it = node.metadata().find("traceback_"); it != node.metadata().end()) {
          if (const auto* s = std::any_cast<std::string>(&it->second)) std::cerr << *s << "\n";
        }
      }
      throw;
    }
    if (AnomalyMode::is_enabled() && AnomalyMode::should_check_nan()) {
      for (std::size_t i = 0; i < outputs.size(); ++i) {
        if (outputs[i].defined() && has_nan(outputs[i])) {
          throw Error("Function '" + node.name() + "' returned nan values in its " + ordinal_output(i) + ".");
        }
      }
    }
    if (has_post_hooks) {
      for (const auto& h : node.post_hooks().snapshot()) {
        if (h->removed) continue;
        if (auto r = h->fn(outputs, grad_outputs_copy)) outputs = std::move(*r);
      }
    }
    if (!keep_graph_ && !node.is_accumulate_grad()) node.release_hooks();
    if (node.is_accumulate_grad()) return;
    validate(node, outputs);
    for (std::size_t i = 0; i < outputs.size(); ++i) deliver(node.next_edge(i), std::move(outputs[i]));
  }

  /// torch's validate_outputs: the right number of gradients, shapes the children accept
  /// (broadcast ones are summed down), the children's dtypes.
  static void validate(const Node& node, tensor_list& grads) {
    if (grads.size() != node.num_outputs()) {
      throw Error("invalid number of gradients - expected " + std::to_string(node.num_outputs()) + ", but got " +
                  std::to_string(grads.size()));
    }
    for (std::size_t i = 0; i < grads.size(); ++i) {
      const Edge& e = node.next_edge(i);
      if (!e.function || !grads[i].defined()) continue;
      const auto& meta = e.function->input_metadata(e.input_nr);
      const auto& sizes = grads[i].unsafe_get_impl()->sizes;  // no copy: this runs for every gradient
      if (sizes != meta.sizes) {
        if (!sums_to(meta.sizes, sizes)) {
          throw Error("Function " + node.name() + " returned an invalid gradient at index " + std::to_string(i) +
                      " - got " + typegrad::detail::format_int_list(sizes) + " but expected shape compatible with " +
                      typegrad::detail::format_int_list(meta.sizes));
        }
        grads[i] = sum_to(grads[i], meta.sizes);
      }
      if (grads[i].dtype() != meta.dtype) grads[i] = grads[i].to(meta.dtype);
    }
  }

  bool keep_graph_;
  bool create_graph_;
  node_table nodes_;
  std::unordered_map<Node*, exec_info> exec_;
  std::priority_queue<ready_entry> ready_;
  std::vector<std::shared_ptr<Node>> holders_;
  tensor_list captured_;
  std::vector<std::function<void()>> final_callbacks_;
};

}  // namespace detail

/// Runs a backward pass from `roots` (with their gradients). `outputs` non-empty: only what
/// leads to them runs; with accumulate_grad their nodes run (backward(inputs=...)), without it
/// their gradients are returned in order (grad()).
inline tensor_list run_engine(const edge_list& roots, tensor_list root_grads, bool keep_graph, bool create_graph,
                              bool accumulate_grad, const edge_list& outputs) {
  detail::graph_task task(keep_graph, create_graph);
  return task.run(roots, std::move(root_grads), accumulate_grad, outputs);
}

/// The id of the backward pass running in this thread, -1 outside backward (ids increase).
inline std::int64_t current_graph_task_id() {
  const auto& s = detail::graph_task_stack();
  return s.empty() ? -1 : s.back().id;
}

/// Will the backward pass running in this thread execute `node`? Only callable during backward
/// (from a hook); what register_multi_grad_hook counts on.
inline bool will_engine_execute_node(const std::shared_ptr<Node>& node) {
  const auto& s = detail::graph_task_stack();
  if (s.empty()) throw Error("_will_engine_execute_node should only be called during the backward pass");
  return node && s.back().task->will_execute(node.get());
}

/// Runs `callback` when the backward pass running in this thread has executed its last node
/// (torch's Variable._execution_engine.queue_callback). Only callable during backward.
inline void queue_callback(std::function<void()> callback) {
  const auto& s = detail::graph_task_stack();
  if (s.empty()) throw Error("Final callbacks can only be installed during backward pass.");
  s.back().task->queue_callback(std::move(callback));
}

}  // namespace typegrad::autograd
