#pragma once
/// \file autograd/function.hpp
/// Custom differentiable functions, as libtorch's torch::autograd::Function:
///
///     struct Square : tg::autograd::Function<Square> {
///       static tg::Tensor forward(tg::autograd::AutogradContext* ctx, tg::Tensor x) {
///         ctx->save_for_backward({x});
///         return x * x;
///       }
///       static tg::tensor_list backward(tg::autograd::AutogradContext* ctx, tg::tensor_list g) {
///         return {2.0 * ctx->get_saved_variables()[0] * g[0]};
///       }
///     };
///     tg::Tensor y = Square::apply(x);        // y.grad_fn()->name() == "SquareBackward"
///
/// forward runs without grad mode; its Tensor arguments are the differentiable inputs (other
/// arguments get no gradient, and backward must return an undefined tensor at their
/// position; extra trailing undefined tensors are allowed). forward may return a Tensor or a
/// tensor_list. Alternatively `forward(args...)` without a context plus
/// `setup_context(ctx, inputs, output)`. `static constexpr bool once_differentiable = true;`
/// runs backward without grad mode and makes differentiating its result an error.
#include <any>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <memory>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <typeinfo>
#include <unordered_map>
#include <utility>
#include <vector>

#if __has_include(<cxxabi.h>)
#include <cxxabi.h>
#endif

#include <typegrad/autograd/accumulate_grad.hpp>
#include <typegrad/autograd/forward_grad.hpp>
#include <typegrad/autograd/grad_mode.hpp>
#include <typegrad/autograd/meta.hpp>
#include <typegrad/autograd/node.hpp>
#include <typegrad/autograd/saved_variable.hpp>
#include <typegrad/error.hpp>
#include <typegrad/functions/record.hpp>
#include <typegrad/functions/view_inplace.hpp>
#include <typegrad/tensor/factories.hpp>
#include <typegrad/tensor/raw.hpp>

namespace typegrad::autograd {

/// What forward hands to backward (libtorch's AutogradContext).
class AutogradContext {
 public:
  /// Tensors backward needs; checked for in-place changes and freed after backward.
  void save_for_backward(tensor_list to_save) { to_save_ = std::move(to_save); }
  tensor_list get_saved_variables() const {
    tensor_list r;
    r.reserve(saved_.size());
    auto self = node_.lock();
    for (const auto& s : saved_) r.push_back(s.unpack(self));
    return r;
  }
  /// Anything else backward needs.
  std::unordered_map<std::string, std::any> saved_data;
  /// Does forward argument i (counting every argument) need its gradient?
  bool needs_input_grad(std::size_t i) const { return i < needs_input_grad_.size() && needs_input_grad_[i]; }
  /// Inputs forward modified in place (they are returned with a new history and version).
  void mark_dirty(const tensor_list& inputs) { dirty_ = inputs; }
  /// Outputs that are not differentiable (they do not require grad).
  void mark_non_differentiable(const tensor_list& outputs) { non_differentiable_ = outputs; }
  /// false: gradients of outputs that got none reach backward undefined instead of as zeros.
  void set_materialize_grads(bool value) { materialize_grads_ = value; }

 private:
  template <class T> friend class CppNode;
  template <class T> friend struct Function;
  static bool contains(const tensor_list& list, const Tensor& t) {
    for (const auto& x : list)
      if (x.is_same(t)) return true;
    return false;
  }

  tensor_list to_save_;
  std::vector<SavedVariable> saved_;
  std::vector<bool> needs_input_grad_;
  tensor_list dirty_;
  tensor_list non_differentiable_;
  bool materialize_grads_ = true;
  std::weak_ptr<Node> node_;
};

namespace detail {
/// "Square" for typegrad::test::Square (the class name, as Python's node names use it).
template <class T> std::string class_name() {
  const char* mangled = typeid(T).name();
  std::string name = mangled;
#if __has_include(<cxxabi.h>)
  int status = 0;
  char* demangled = abi::__cxa_demangle(mangled, nullptr, nullptr, &status);
  if (status == 0 && demangled) name = demangled;
  std::free(demangled);
#endif
  // drop namespaces and enclosing scopes, but not "::" inside template arguments
  std::size_t depth = 0, start = 0;
  for (std::size_t i = 0; i + 1 < name.size(); ++i) {
    if (name[i] == '<') ++depth;
    else if (name[i] == '>') --depth;
    else if (depth == 0 && name[i] == ':' && name[i + 1] == ':') start = i + 2;
  }
  return name.substr(start);
}

/// What differentiating a once_differentiable function's gradient hits.
class DifferentiateTwiceError final : public Node {
 public:
  std::string name() const override { return "torch::autograd::Error"; }
  tensor_list apply(tensor_list&&) override {
    throw Error("trying to differentiate twice a function that was marked with @once_differentiable");
  }
};
}  // namespace detail

/// The node of a custom function T.
template <class T> class CppNode final : public Node {
 public:
  std::string name() const override { return detail::class_name<T>() + "Backward"; }

  tensor_list apply(tensor_list&& grads) override {
    for (std::size_t i = 0; i < grads.size(); ++i) {
      if (!grads[i].defined() && ctx.materialize_grads_) {
        const auto& m = input_metadata(i);
        grads[i] = zeros(m.sizes, dtype(m.dtype));
      }
    }
    constexpr bool once = once_differentiable_v();
    tensor_list incoming;  // for once_differentiable: what a second differentiation would go back to
    if constexpr (once) {
      if (GradMode::is_enabled()) incoming = grads;
    }
    tensor_list result;
    {
      std::optional<NoGradGuard> no_grad;
      if constexpr (once) no_grad.emplace();
      result = T::backward(&ctx, std::move(grads));
    }
    const std::size_t n_args = is_tensor_arg.size();
    if (result.size() > n_args) {
      bool extra_undefined = true;
      for (std::size_t i = n_args; i < result.size(); ++i) extra_undefined = extra_undefined && !result[i].defined();
      if (extra_undefined) result.resize(n_args);
    }
    if (result.size() != n_args) {
      throw Error("function " + name() + " returned an incorrect number of gradients (expected " +
                  std::to_string(n_args) + ", got " + std::to_string(result.size()) + ")");
    }
    tensor_list per_edge;
    per_edge.reserve(num_outputs());
    for (std::size_t i = 0; i < n_args; ++i) {
      if (!is_tensor_arg[i]) {
        if (result[i].defined()) {
          throw Error("function " + name() + " returned a gradient different than None at position " +
                      std::to_string(i + 1) + ", but the corresponding forward input was not a Variable");
        }
        continue;
      }
      per_edge.push_back(std::move(result[i]));
    }
    if constexpr (once) {
      // differentiating these gradients again must fail loudly, not give zeros
      if (GradMode::is_enabled()) {
        auto error = std::make_shared<detail::DifferentiateTwiceError>();
        edge_list edges;
        for (const auto& g : incoming) edges.push_back(detail::gradient_edge(g));
        error->set_next_edges(std::move(edges));
        for (auto& g : per_edge) {
          if (g.defined()) {
            g = raw::detach(g);
            record::set_history(g, error);
          }
        }
      }
    }
    return per_edge;
  }
  void release_variables() override {
    for (auto& s : ctx.saved_) s.reset_data();
  }

  AutogradContext ctx;
  std::vector<bool> is_tensor_arg;

 private:
  static constexpr bool once_differentiable_v() {
    if constexpr (requires { T::once_differentiable; }) return static_cast<bool>(T::once_differentiable);
    else return false;
  }
};

/// Base of custom functions: `MyFn::apply(args...)`.
template <class T> struct Function {
  template <class... Args> static auto apply(Args&&... args) {
    constexpr bool is_tensor[] = {std::is_same_v<std::remove_cvref_t<Args>, Tensor>..., false};
    std::vector<const Tensor*> tensors;
    (collect(tensors, args), ...);

    const bool history = GradMode::is_enabled() && [&] {
      for (const Tensor* t : tensors)
        if (detail::requires_grad(*t)) return true;
      return false;
    }();
    auto node = std::make_shared<CppNode<T>>();
    AutogradContext& ctx = node->ctx;
    ctx.node_ = node;
    {
      std::size_t k = 0;
      for (std::size_t i = 0; i < sizeof...(Args); ++i) {
        node->is_tensor_arg.push_back(is_tensor[i]);
        ctx.needs_input_grad_.push_back(is_tensor[i] && history && detail::requires_grad(*tensors[k]));
        if (is_tensor[i]) ++k;
      }
    }
    if (history) {
      edge_list edges;
      for (const Tensor* t : tensors) edges.push_back(detail::gradient_edge(*t));
      node->set_next_edges(std::move(edges));
    }

    // The arguments are passed as lvalues: `tensors` points at them, and a forward taking a
    // Tensor by value must not move a temporary argument away from under it.
    using Out = decltype(call_forward(&ctx, args...));
    Out out;
    {
      NoGradGuard no_grad;
      out = call_forward(&ctx, args...);
    }
    tensor_list outputs = as_list(out);
    if constexpr (requires { T::setup_context(&ctx, tensor_list{}, out); }) {
      tensor_list inputs;
      for (const Tensor* t : tensors) inputs.push_back(*t);
      T::setup_context(&ctx, inputs, out);
    }
    wrap_outputs(node, history, tensors, outputs);
    forward_tangents(ctx, tensors, outputs);
    if constexpr (std::is_same_v<Out, Tensor>) return outputs.at(0);
    else return outputs;
  }

 private:
  template <class A> static void collect(std::vector<const Tensor*>& tensors, const A& a) {
    if constexpr (std::is_same_v<std::remove_cvref_t<A>, Tensor>) tensors.push_back(&a);
  }
  template <class... Args> static auto call_forward(AutogradContext* ctx, Args&&... args) {
    if constexpr (requires { T::forward(ctx, std::forward<Args>(args)...); }) {
      return T::forward(ctx, std::forward<Args>(args)...);
    } else {
      static_assert(requires { T::forward(std::forward<Args>(args)...); },
                    "tg::autograd::Function: T::forward must take (AutogradContext*, args...) or (args...) with "
                    "T::setup_context");
      return T::forward(std::forward<Args>(args)...);
    }
  }
  /// Forward mode through a custom function needs its `jvp(ctx, tangents)` (one tangent per
  /// Tensor input, zeros where none; one result per output).
  static void forward_tangents(AutogradContext& ctx, const std::vector<const Tensor*>& inputs, const tensor_list& outputs) {
    bool any = false;
    for (const Tensor* t : inputs) any = any || forward_ad::detail::any_tangent({t});
    if (!any) return;
    if constexpr (requires { T::jvp(&ctx, tensor_list{}); }) {
      tensor_list tangents;
      for (const Tensor* t : inputs) {
        Tensor tangent = forward_ad::detail::tangent_of(*t);
        tangents.push_back(tangent.defined() ? tangent : zeros_like(*t));
      }
      forward_ad::detail::tangent_scope primal_values;
      tensor_list result = T::jvp(&ctx, std::move(tangents));
      for (std::size_t i = 0; i < outputs.size() && i < result.size(); ++i) {
        if (outputs[i].defined()) forward_ad::detail::set_tangent(outputs[i], result[i]);
      }
    } else {
      throw Error("You must implement the jvp function for custom autograd.Function to use it with forward mode AD.");
    }
  }
  static tensor_list as_list(const Tensor& t) { return {t}; }
  static tensor_list as_list(const tensor_list& ts) { return ts; }

  static void wrap_outputs(const std::shared_ptr<CppNode<T>>& node, bool history, const std::vector<const Tensor*>& inputs,
                           tensor_list& outputs) {
    AutogradContext& ctx = node->ctx;
    auto is_input = [&](const Tensor& t) {
      for (const Tensor* i : inputs)
        if (i->is_same(t)) return true;
      return false;
    };
    for (const auto& d : ctx.dirty_) {
      if (!AutogradContext::contains(outputs, d)) {
        throw Error("Some elements marked as dirty during the forward method were not returned as output.");
      }
      if (!is_input(d)) throw Error("received a tensor that was not an input.");
      if (history && d.is_leaf() && d.unsafe_get_impl()->requires_grad) {
        throw Error("a leaf Variable that requires grad has been used in an in-place operation.");
      }
      if (history) {
        functions::impl::check_inplace_on_view(d, true);  // torch's order: the view's own rule first
        record::check_inplace(d);                          // then a view of a leaf that requires grad
      }
      d.version_counter()->bump();
    }
    for (auto& out : outputs) {
      if (!out.defined()) {
        node->add_input_metadata(zeros({0}));
        continue;
      }
      const bool dirty = AutogradContext::contains(ctx.dirty_, out);
      if (is_input(out) && !dirty) out = raw::detach(out);  // a returned input becomes a new tensor (a view)
      const bool differentiable = history && !AutogradContext::contains(ctx.non_differentiable_, out) &&
                                  is_differentiable(out.dtype());
      if (differentiable && dirty && detail::meta(out) && detail::meta(out)->is_view) {
        // the base's history changes too (CopySlices), as for the built-in in-place operations
        if (outputs.size() != 1) throw Error("Functions which modify views in-place must return a single Variable");
        node->add_input_metadata(out);
        functions::impl::rebase_view_history(out, node);
      } else if (differentiable) {
        auto& m = detail::materialize_meta(out);
        m.grad_fn = node;
        m.output_nr = node->add_input_metadata(out);
      } else {
        node->add_input_metadata(out);
        if (dirty && detail::meta(out)) {
          detail::meta(out)->grad_fn.reset();
        }
      }
    }
    for (const auto& t : ctx.to_save_) {
      ctx.saved_.emplace_back(t, AutogradContext::contains(outputs, t) && detail::grad_fn_of(t) == node);
    }
    // The node owns the context: tensors kept in it whose history is the node would be a cycle.
    ctx.to_save_.clear();
    ctx.dirty_.clear();
    ctx.non_differentiable_.clear();
  }
};

}  // namespace typegrad::autograd
