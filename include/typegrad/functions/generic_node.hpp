#pragma once
/// \file functions/generic_node.hpp
/// GenericBackward: a node whose backward formula is a function of the incoming gradients and
/// the tensors it saved, for operations that need no node class of their own (cat, matmul,
/// gather, ...). Saved tensors go through SavedVariable (version checks, freed after backward).
///
///     record::op("MmBackward0", {&a, &b}, {y}, {{a, false}, {b, false}},
///                [](const tensor_list& g, const tensor_list& s, const Node& n) -> tensor_list {...});
#include <functional>
#include <initializer_list>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <typegrad/autograd/node.hpp>
#include <typegrad/autograd/saved_variable.hpp>
#include <typegrad/functions/record.hpp>

namespace typegrad::autograd::functions {

class GenericBackward final : public Node {
 public:
  using formula = std::function<tensor_list(const tensor_list& grads, const tensor_list& saved, const Node& self)>;
  GenericBackward(const char* name, formula f) : name_(name), formula_(std::move(f)) {}
  std::string name() const override { return name_; }
  tensor_list apply(tensor_list&& grads) override {
    bool any = false;
    for (const auto& g : grads) any = any || g.defined();
    if (!any) return tensor_list(num_outputs());
    tensor_list unpacked;
    unpacked.reserve(saved.size());
    auto self = shared_from_this();
    for (const auto& s : saved) unpacked.push_back(s.unpack(self));
    return formula_(grads, unpacked, *this);
  }
  void release_variables() override {
    for (auto& s : saved) s.reset_data();
  }
  std::vector<SavedVariable> saved;

 private:
  const char* name_;
  formula formula_;
};

}  // namespace typegrad::autograd::functions

namespace typegrad::record {

/// A tensor to save, whether it is one of the operation's outputs, and which inputs' gradient
/// formulas read it (bit i: input i; `read_by(i)`). It is saved only when one of those inputs
/// needs its gradient, as torch does: in `mm(x, w)` with only w requiring grad, x is kept and w
/// is not, so changing w in place afterwards does not fail the backward.
struct to_save {
  Tensor tensor;
  bool is_output = false;
  unsigned used_by = ~0u;
};
/// `used_by` of a tensor that only input i's gradient reads.
constexpr unsigned read_by(std::size_t i) noexcept { return 1u << i; }

namespace detail {
inline autograd::SavedVariable save_if_read(const autograd::Node& node, const to_save& s) {
  bool read = s.used_by == ~0u;
  for (std::size_t i = 0; !read && i < node.num_outputs() && i < 32; ++i) {
    read = ((s.used_by >> i) & 1u) != 0 && node.should_compute_output(i);
  }
  return read ? autograd::SavedVariable(s.tensor, s.is_output) : autograd::SavedVariable();
}
}  // namespace detail

/// Records `outputs = op(inputs)` with a GenericBackward node (when history is needed).
inline void op(const char* name, std::initializer_list<const Tensor*> inputs, const tensor_list& outputs,
               std::initializer_list<to_save> saved, autograd::functions::GenericBackward::formula backward) {
  if (!needs_history(inputs)) return;
  auto node = std::make_shared<autograd::functions::GenericBackward>(name, std::move(backward));
  node->set_next_edges(edges_of(inputs));
  for (const auto& out : outputs) set_history(out, node);
  for (const auto& s : saved) node->saved.push_back(detail::save_if_read(*node, s));
}
/// The same with a run-time list of inputs.
inline void op(const char* name, const tensor_list& inputs, const tensor_list& outputs, std::initializer_list<to_save> saved,
               autograd::functions::GenericBackward::formula backward) {
  if (!GradMode::is_enabled()) return;
  bool any = false;
  for (const auto& t : inputs) any = any || autograd::detail::requires_grad(t);
  if (!any) return;
  auto node = std::make_shared<autograd::functions::GenericBackward>(name, std::move(backward));
  autograd::edge_list edges;
  for (const auto& t : inputs) edges.push_back(autograd::detail::gradient_edge(t));
  node->set_next_edges(std::move(edges));
  for (const auto& out : outputs) set_history(out, node);
  for (const auto& s : saved) node->saved.push_back(detail::save_if_read(*node, s));
}

}  // namespace typegrad::record
