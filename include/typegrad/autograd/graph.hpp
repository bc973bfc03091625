#pragma once
/// \file autograd/graph.hpp
/// torch.autograd.graph: increment_version, GradientEdge / get_gradient_edge (a point of the
/// graph usable as an output or input of grad() and backward()), and the saved-tensor hooks
/// (graph::saved_tensors_hooks, defined in saved_variable.hpp), register_multi_grad_hook.
///
///     auto e = tg::autograd::graph::get_gradient_edge(h);          // (h.grad_fn(), h.output_nr())
///     auto g = tg::autograd::grad({loss}, std::vector{e});         // dloss/dh without retaining h
///     auto h = tg::autograd::graph::register_multi_grad_hook({a, b}, [](const tg::tensor_list& gs) {
///       ...  // once per backward pass, after a's and b's gradients (undefined: not computed)
///     });
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include <typegrad/autograd/accumulate_grad.hpp>
#include <typegrad/autograd/autograd.hpp>
#include <typegrad/autograd/engine.hpp>
#include <typegrad/autograd/hooks.hpp>
#include <typegrad/autograd/meta.hpp>
#include <typegrad/autograd/saved_variable.hpp>
#include <typegrad/autograd/tensor_methods.hpp>
#include <typegrad/error.hpp>
#include <typegrad/tensor/factories.hpp>

namespace typegrad::autograd::graph {

/// Bumps the tensor's version counter (also for integer tensors and under inference mode).
inline void increment_version(const Tensor& t) { t.version_counter()->bump(); }

/// A gradient edge: input `output_nr` of `node` (torch.autograd.graph.GradientEdge).
struct GradientEdge {
  std::shared_ptr<Node> node;
  std::uint32_t output_nr = 0;
};

/// Where t's gradient enters the graph: (grad_fn, output_nr), or (AccumulateGrad, 0) for a leaf.
inline GradientEdge get_gradient_edge(const Tensor& t) {
  if (!t.requires_grad()) {
    throw Error("It is not possible to get the gradient edge for a Tensor that does not require gradients");
  }
  Edge e = detail::gradient_edge(t);
  return {e.function, e.input_nr};
}

namespace detail {

/// Where one tensor of a multi-grad hook receives its gradient, held weakly (the hooks live on
/// these nodes and tensors: strong references would keep a graph alive through its own hooks).
/// A leaf's AccumulateGrad is made anew for each graph, so a leaf is found through its meta.
struct gradient_site {
  bool is_leaf = false;
  std::weak_ptr<Node> grad_fn;
  std::weak_ptr<AutogradMeta> leaf;

  explicit gradient_site(const Tensor& t) : is_leaf(t.is_leaf()) {
    if (is_leaf) {
      autograd::detail::materialize_meta(t);
      leaf = t.unsafe_get_impl()->autograd_meta;
    } else {
      grad_fn = t.grad_fn();
    }
  }
  std::shared_ptr<Node> node() const {
    if (!is_leaf) return grad_fn.lock();
    auto m = leaf.lock();
    if (!m) return nullptr;
    std::lock_guard<std::mutex> lock(m->mutex);
    return m->grad_accumulator.lock();
  }
};

inline void check_multi_grad_mode(std::string_view mode) {
  if (mode != "all" && mode != "any") {
    throw Error("Expects mode to be one of ('all', 'any') but got " + std::string(mode));
  }
}

}  // namespace detail

/// torch.autograd.graph.register_multi_grad_hook, mode "all": `fn(grads)` once per backward pass,
/// after the gradient of each of `tensors` has been computed; tensors the pass does not reach
/// (not in its graph, or not needed for its `inputs`) are not waited for and give an undefined
/// gradient. The hook must not modify the gradients. Every tensor must require grad. The
/// handle removes the hook from all of them.
inline RemovableHandle register_multi_grad_hook(const tensor_list& tensors,
                                                std::function<void(const tensor_list&)> fn,
                                                std::string_view mode = "all") {
  detail::check_multi_grad_mode(mode);
  if (mode != "all") {
    throw Error("register_multi_grad_hook: mode \"any\" calls its hook with the first gradient only: pass a "
                "function of one const Tensor&");
  }
  for (const auto& t : tensors) {
    if (!t.requires_grad()) throw Error("cannot register a hook on a tensor that doesn't require gradient");
  }
  struct state {
    struct pass {
      std::size_t seen = 0, expected = 0;
      tensor_list grads;
    };
    std::function<void(const tensor_list&)> fn;
    std::vector<detail::gradient_site> sites;
    std::mutex mutex;
    std::unordered_map<std::int64_t, pass> passes;  // by graph task id (threads, reentrant passes)
  };
  auto s = std::make_shared<state>();
  s->fn = std::move(fn);
  for (const auto& t : tensors) s->sites.emplace_back(t);
  std::vector<RemovableHandle> handles;
  for (std::size_t i = 0; i < tensors.size(); ++i) {
    handles.push_back(tensors[i].register_hook([s, i](const Tensor& grad) {
      const std::int64_t id = current_graph_task_id();
      tensor_list ready;
      {
        std::lock_guard<std::mutex> lock(s->mutex);
        auto [it, first] = s->passes.try_emplace(id);
        auto& p = it->second;
        if (first) {
          // How many of the tensors this pass reaches: known only once it runs.
          p.grads.resize(s->sites.size());
          for (const auto& site : s->sites) p.expected += will_engine_execute_node(site.node()) ? 1 : 0;
          // A pass that skips one of them (an undefined gradient runs no hook) ends without
          // calling fn: forget it then.
          queue_callback([s, id] {
            std::lock_guard<std::mutex> lock(s->mutex);
            s->passes.erase(id);
          });
        }
        p.grads[i] = grad;
        if (++p.seen != p.expected) return;
        ready = std::move(p.grads);
        s->passes.erase(it);
      }
      s->fn(ready);
    }));
  }
  return RemovableHandle(std::move(handles));
}

/// register_multi_grad_hook, mode "any": `fn(grad)` once per backward pass, with the first
/// gradient computed of any of `tensors` (those that do not require grad are skipped).
inline RemovableHandle register_multi_grad_hook(const tensor_list& tensors, std::function<void(const Tensor&)> fn,
                                                std::string_view mode) {
  detail::check_multi_grad_mode(mode);
  if (mode != "any") {
    throw Error("register_multi_grad_hook: mode \"all\" calls its hook with every gradient: pass a function of "
                "const tensor_list&");
  }
  struct state {
    std::function<void(const Tensor&)> fn;
    std::mutex mutex;
    std::unordered_set<std::int64_t> ran;  // graph task ids of the passes running that called fn
  };
  auto s = std::make_shared<state>();
  s->fn = std::move(fn);
  std::vector<RemovableHandle> handles;
  for (const auto& t : tensors) {
    if (!t.requires_grad()) continue;
    handles.push_back(t.register_hook([s](const Tensor& grad) {
      const std::int64_t id = current_graph_task_id();
      {
        std::lock_guard<std::mutex> lock(s->mutex);
        if (!s->ran.insert(id).second) return;
      }
      queue_callback([s, id] {
        std::lock_guard<std::mutex> lock(s->mutex);
        s->ran.erase(id);
      });
      s->fn(grad);
    }));
  }
  return RemovableHandle(std::move(handles));
}

}  // namespace typegrad::autograd::graph

namespace typegrad::autograd {

/// grad() with gradient edges as inputs: the gradients flowing into those edges.
inline tensor_list grad(const tensor_list& outputs, const std::vector<graph::GradientEdge>& inputs,
                        const tensor_list& grad_outputs = {}, std::optional<bool> retain_graph = std::nullopt,
                        bool create_graph = false, std::optional<bool> allow_unused = std::nullopt,
                        bool materialize_grads = false) {
  if (materialize_grads) throw Error("materialize_grads cannot be used when the given input is a GradientEdge");
  if (inputs.empty()) throw Error("grad requires non-empty inputs.");
  tensor_list grads = detail::make_grads(outputs, grad_outputs);
  edge_list roots = detail::root_edges(outputs);
  edge_list edges;
  for (const auto& e : inputs) edges.push_back({e.node, e.output_nr});
  tensor_list result = run_engine(roots, std::move(grads), retain_graph.value_or(create_graph), create_graph,
                                  /*accumulate_grad=*/false, edges);
  if (!allow_unused.value_or(false)) {
    for (const auto& r : result) {
      if (!r.defined()) {
        throw Error("One of the differentiated Tensors appears to not have been used in the graph. Set "
                    "allow_unused=True if this is the desired behavior.");
      }
    }
  }
  return result;
}

/// backward() from gradient edges (with their gradients given explicitly).
inline void backward(const std::vector<graph::GradientEdge>& roots, const tensor_list& grad_tensors,
                     std::optional<bool> retain_graph = std::nullopt, bool create_graph = false) {
  if (roots.size() != grad_tensors.size()) {
    throw Error("backward from gradient edges needs one gradient per edge (got " + std::to_string(roots.size()) +
                " edges and " + std::to_string(grad_tensors.size()) + " gradients)");
  }
  edge_list edges;
  for (const auto& e : roots) edges.push_back({e.node, e.output_nr});
  run_engine(edges, grad_tensors, retain_graph.value_or(create_graph), create_graph, /*accumulate_grad=*/true, {});
}

}  // namespace typegrad::autograd
