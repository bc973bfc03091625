#pragma once
/// \file fuse/fuse.hpp
/// tg::fuse: a static expression evaluated elementwise over tensors in one pass, recorded as
/// ONE autograd node whose backward is the expression's generated adjoint, also one pass.
///
///     auto nll = [](auto x, auto mu, auto log_sigma) {
///       return log_sigma + 0.5 * tg::square((x - mu) * tg::exp(-log_sigma));
///     };
///     tg::Tensor z = tg::fuse(nll, x, mu, log_sigma);   // z.grad_fn()->name() == "FusedBackward0"
///     tg::Tensor total = tg::fuse_sum(nll, x, mu, log_sigma);  // 0-d, f's values never stored
///
/// f is the generic callable the static layer takes (one auto parameter per tensor). The
/// tensors broadcast as torch's, compute in their promoted dtype (result_type over all of them;
/// integers compute in the default dtype), half and bfloat16 in float registers. The node saves
/// its operands (version-checked), names itself FusedBackward0, keeps f's formula in
/// metadata()["formula"], and computes only the gradients its inputs need. Under create_graph
/// its backward evaluates f's traced expression with the dynamic layer's differentiable
/// operations (on_tensors.hpp), so every order of derivative works. Forward-mode tangents in
/// float and double are one fused pass too (f's directional derivative); the other dtypes' come
/// from the traced expression evaluated on dual tensors.
#include <array>
#include <complex>
#include <cstddef>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <typegrad/autograd/autograd.hpp>
#include <typegrad/autograd/forward_grad.hpp>
#include <typegrad/autograd/grad_mode.hpp>
#include <typegrad/autograd/node.hpp>
#include <typegrad/autograd/saved_variable.hpp>
#include <typegrad/dynamic.hpp>
#include <typegrad/functions/record.hpp>
#include <typegrad/fuse/on_tensors.hpp>
#include <typegrad/fuse/program.hpp>
#include <typegrad/symbolic/derivative.hpp>
#include <typegrad/tensor/kernels/broadcast.hpp>
#include <typegrad/tensor/kernels/elementwise.hpp>
#include <typegrad/tensor/kernels/loop.hpp>
#include <typegrad/tensor/kernels/result_type.hpp>
#include <typegrad/tensor/raw.hpp>

namespace typegrad {
namespace fuse_detail {

/// The lane types of a kernel over elements stored as T: batches of the compute type where
/// xsimd has them (float, double; half and bfloat16 compute in float), single elements otherwise.
template <class T> struct lanes_of {
  using compute = detail::compute_t<T>;
  using lanes = kernels::detail::lanes_for<compute>;
  using value = std::conditional_t<std::is_void_v<lanes>, compute, lanes>;
};

/// Calls f(type_tag<T>{}) for the differentiable dtypes: the four real ones, and the two complex
/// ones when `Complex` (else complex dtypes are refused with an error naming the cause).
template <bool Complex, class F> decltype(auto) visit_differentiable(ScalarType t, F&& f) {
  return visit(t, [&](auto tag) -> decltype(f(type_tag<float>{})) {
    using T = typename decltype(tag)::type;
    if constexpr (std::is_same_v<T, bool> || std::is_same_v<T, std::int64_t>) {
      throw Error("typegrad internal error: tg::fuse computes in a floating or complex dtype");
    } else if constexpr (detail::is_complex_v<T> && !Complex) {
      throw Error("tg::fuse: f uses a function defined for real values only (atan2, hypot, min, max, fmin, fmax, "
                  "relu, softplus, erf, erfc, lgamma, digamma, comparisons, ...), so it cannot run on " +
                  std::string(scalar_type_name(dtype_of<T>)) + " tensors");
    } else {
      return f(tag);
    }
  });
}

/// f's traced expression evaluated with the dynamic layer's differentiable, tangent-carrying
/// operations (on_tensors.hpp), traced with complex placeholders when the operands are complex.
/// Undefined when f is a constant (its value depends on no operand).
template <std::size_t N, class F> Tensor evaluate_traced(const F& f, ScalarType compute, const std::array<Tensor, N>& x) {
  const auto run = [&](auto scalar) {
    using S = typename decltype(scalar)::type;
    const auto roots = program<S, N, F>::trace_roots(f);
    return roots.apply([&](const auto& root) {
      if constexpr (detail::is_literal<std::remove_cvref_t<decltype(root)>>::value ||
                    detail::is_constant<std::remove_cvref_t<decltype(root)>>::value) {
        return Tensor();
      } else {
        tensor_evaluator<N> evaluate(x);
        return evaluate(root);
      }
    });
  };
  if constexpr (complex_capable<N, F>) {
    if (is_complex(compute)) return run(type_tag<std::complex<double>>{});
  }
  return run(type_tag<double>{});
}

/// A 0-d tensor of element type O holding an accumulated sum (a fused sum's result).
template <class O, class Acc> Tensor zero_dim_of(const Acc& total) {
  Tensor out = Tensor::empty_contiguous({}, dtype_of<O>, /*zero_fill=*/false);
  *out.template data_ptr<O>() = kernels::detail::cast_element<O>(total);
  return out;
}

/// The elementwise forward pass over elements stored as T: f over `in` (of T's dtype) into a
/// new tensor (of T's real dtype when f is real-valued for complex T).
template <class T, std::size_t N, class F>
Tensor forward_pass_as(const F& f, const std::vector<std::int64_t>& shape, const std::array<Tensor, N>& in) {
  using L = lanes_of<T>;
  using P = program<typename L::value, N, F>;
  using O = std::conditional_t<P::real_output, detail::real_t<T>, T>;
  const P prog(f);
  return [&]<std::size_t... I>(std::index_sequence<I...>) {
    Tensor out = kernels::detail::new_output(shape, dtype_of<O>, {in[I]...});
    kernels::detail::run_elementwise<typename L::lanes, O, lane_of<T, I>...>(
        [&prog](const auto&... x) { return prog.value(x...); }, out, {in[I]...});
    return out;
  }(std::make_index_sequence<N>{});
}

/// The elementwise backward pass over elements stored as T: each wanted input's gradient (T's
/// dtype, of `shape`: the elementwise output's) from the output's gradient g (of that shape, or
/// 0-d for a sum), in one pass.
template <class T, std::size_t N, class F>
std::array<Tensor, N> backward_pass_as(const F& f, const std::vector<std::int64_t>& shape, const std::array<Tensor, N>& in,
                                       const Tensor& g, const std::array<bool, N>& wanted) {
  using L = lanes_of<T>;
  using P = program<typename L::value, N, F>;
  using G = std::conditional_t<P::real_output, detail::real_t<T>, T>;
  const P prog(f);
  std::array<Tensor, N> grads;
  for (std::size_t i = 0; i < N; ++i) {
    if (wanted[i]) grads[i] = Tensor::empty_contiguous(shape, dtype_of<T>, /*zero_fill=*/false);
  }
  const Tensor grad = raw::to(g, dtype_of<G>);
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    kernels::detail::run_elementwise_outputs<typename L::lanes, T, N, lane_of<T, I>..., G>(
        [&prog](const auto&... x) { return prog.adjoints(x...); }, grads, {in[I]..., grad});
  }(std::make_index_sequence<N>{});
  return grads;
}

/// The sum over `shape` of f over elements stored as T, without storing f's values: a 0-d
/// tensor (T's real dtype when f is real-valued for complex T), accumulated in double.
template <class T, std::size_t N, class F>
Tensor sum_pass_as(const F& f, const std::vector<std::int64_t>& shape, const std::array<Tensor, N>& in) {
  using L = lanes_of<T>;
  using P = program<typename L::value, N, F>;
  using O = std::conditional_t<P::real_output, detail::real_t<T>, T>;
  using Acc = std::conditional_t<detail::is_complex_v<O>, std::complex<double>, double>;
  const P prog(f);
  const Acc total = [&]<std::size_t... I>(std::index_sequence<I...>) {
    return kernels::detail::sum_elementwise<typename L::lanes, Acc, lane_of<T, I>...>(
        [&prog](const auto& ... x) {
          const auto v = prog.value(x...);
          if constexpr (P::real_output && detail::is_complex_v<std::remove_cvref_t<decltype(v)>>) return v.real();
          else return v;
        },
        shape, {in[I]...});
  }(std::make_index_sequence<N>{});
  return zero_dim_of<O>(total);
}

/// The output's tangent over elements stored as T (real): f's directional derivative along the
/// operands' tangents `t` (of T's dtype; a missing tangent is a 0-d zero), elementwise over
/// `shape`, or its sum when Sum, in one pass.
template <bool Sum, class T, std::size_t N, class F>
Tensor tangent_pass_as(const F& f, const std::vector<std::int64_t>& shape, const std::array<Tensor, N>& in,
                       const std::array<Tensor, N>& t) {
  using L = lanes_of<T>;
  using P = program<typename L::value, N, F>;
  const P prog(f);
  const auto directional = [&prog](const auto&... x_then_t) { return prog.tangent(x_then_t...); };
  return [&]<std::size_t... I>(std::index_sequence<I...>) {
    if constexpr (Sum) {
      const double total = kernels::detail::sum_elementwise<typename L::lanes, double, lane_of<T, I>..., lane_of<T, I>...>(
          directional, shape, {in[I]..., t[I]...});
      return zero_dim_of<T>(total);
    } else {
      Tensor out = kernels::detail::new_output(shape, dtype_of<T>, {in[I]...});
      kernels::detail::run_elementwise<typename L::lanes, T, lane_of<T, I>..., lane_of<T, I>...>(directional, out,
                                                                                                  {in[I]..., t[I]...});
      return out;
    }
  }(std::make_index_sequence<N>{});
}

template <std::size_t N, class F>
Tensor forward_pass(const F& f, ScalarType compute, const std::vector<std::int64_t>& shape,
                    const std::array<Tensor, N>& in) {
  return visit_differentiable<complex_capable<N, F>>(compute, [&](auto tag) {
    return forward_pass_as<typename decltype(tag)::type, N>(f, shape, in);
  });
}

template <std::size_t N, class F>
Tensor sum_pass(const F& f, ScalarType compute, const std::vector<std::int64_t>& shape, const std::array<Tensor, N>& in) {
  return visit_differentiable<complex_capable<N, F>>(compute, [&](auto tag) {
    return sum_pass_as<typename decltype(tag)::type, N>(f, shape, in);
  });
}

/// The output's tangent in one pass, for float and double (the other dtypes take the traced
/// expression's tangent rules: fewer kernels compiled per call site).
template <bool Sum, std::size_t N, class F>
Tensor tangent_pass(const F& f, ScalarType compute, const std::vector<std::int64_t>& shape, const std::array<Tensor, N>& in,
                    const std::array<Tensor, N>& t) {
  if (compute == kFloat) return tangent_pass_as<Sum, float, N>(f, shape, in, t);
  return tangent_pass_as<Sum, double, N>(f, shape, in, t);
}

template <std::size_t N, class F>
std::array<Tensor, N> backward_pass(const F& f, ScalarType compute, const std::vector<std::int64_t>& shape,
                                    const std::array<Tensor, N>& in, const Tensor& g, const std::array<bool, N>& wanted) {
  return visit_differentiable<complex_capable<N, F>>(compute, [&](auto tag) {
    return backward_pass_as<typename decltype(tag)::type, N>(f, shape, in, g, wanted);
  });
}

/// q(x..., u...) = sum_i u_i * df/dx_i: f's directional derivative along u, a static expression
/// of 2N arguments built from f's symbolic first derivatives. Through a fused gradient (whose
/// output i is g * df/dx_i) flows u; q's value is then g's gradient, and q's adjoints with
/// respect to x, seeded with g, are x's: g * (H u), the second-order terms.
template <std::size_t N, class F> struct along {
  F f;
  template <class... A> constexpr auto operator()(const A&... a) const {
    const std::tuple<const A&...> args(a...);
    return [&]<std::size_t... I>(std::index_sequence<I...>) {
      return ((std::get<N + I>(args) * derivative<I>(f)(std::get<I>(args)...)) + ...);
    }(std::make_index_sequence<N>{});
  }
};

/// The backward of a fused gradient over elements stored as T (float or double): from the
/// operands x, the gradients u flowing into the fused gradient's outputs (0-d zeros where
/// none) and the original output gradient g, the gradients of x (`shape`, for the wanted
/// ones) and of g (`shape`, or 0-d for a sum's 0-d g) in one pass (two for a sum).
template <bool Sum, class T, std::size_t N, class F>
std::array<Tensor, N + 1> second_order_pass_as(const F& f, const std::vector<std::int64_t>& shape,
                                               const std::array<Tensor, N>& x, const std::array<Tensor, N>& u,
                                               const Tensor& g, const std::array<bool, N + 1>& wanted) {
  using L = lanes_of<T>;
  using P = program<typename L::value, 2 * N, along<N, F>>;
  const P prog(along<N, F>{f});
  std::array<Tensor, N + 1> grads;
  constexpr std::size_t outputs = Sum ? N : N + 1;  // a sum's g gets its gradient from a sum pass
  std::array<Tensor, outputs> elementwise;
  for (std::size_t j = 0; j < outputs; ++j) {
    if (wanted[j]) elementwise[j] = Tensor::empty_contiguous(shape, dtype_of<T>, /*zero_fill=*/false);
  }
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    kernels::detail::run_elementwise_outputs<typename L::lanes, T, outputs, lane_of<T, I>..., lane_of<T, I>..., T>(
        [&prog](const auto&... x_u_g) {
          const auto r = prog.adjoints_and_value(x_u_g...);  // {dq/dx * g..., dq/du * g..., q}
          std::array<typename L::value, Sum ? N : N + 1> out;
          for (std::size_t j = 0; j < N; ++j) out[j] = r[j];
          if constexpr (!Sum) out[N] = r[2 * N];
          return out;
        },
        elementwise, {x[I]..., u[I]..., g});
    if constexpr (Sum) {
      if (wanted[N]) {
        const double total = kernels::detail::sum_elementwise<typename L::lanes, double, lane_of<T, I>..., lane_of<T, I>...>(
            [&prog](const auto&... x_u) { return prog.value(x_u...); }, shape, {x[I]..., u[I]...});
        grads[N] = zero_dim_of<T>(total);
      }
    }
  }(std::make_index_sequence<N>{});
  for (std::size_t j = 0; j < outputs; ++j) grads[j] = std::move(elementwise[j]);
  return grads;
}

/// The operands of a fused call: checked, their promoted dtype and broadcast shape, and each
/// converted to that dtype (no copy when it already is).
template <std::size_t N> struct operands {
  std::array<Tensor, N> x, in;
  ScalarType compute = kFloat;
  std::vector<std::int64_t> shape;

  explicit operands(const std::array<Tensor, N>& tensors, const char* who) : x(tensors) {
    for (std::size_t i = 0; i < N; ++i) {
      if (!x[i].defined()) throw Error(std::string(who) + ": operand " + std::to_string(i) + " is an undefined tensor");
    }
    kernels::detail::result_type_state state;
    shape = x[0].sizes();
    for (const Tensor& t : x) {
      state.update(t);
      shape = kernels::broadcast_shapes(shape, t.sizes());
    }
    compute = state.result();
    if (!is_differentiable(compute)) compute = default_dtype;  // integers and bools compute as floats, as sin(long)
    for (std::size_t i = 0; i < N; ++i) in[i] = raw::to(x[i], compute);
  }
};

}  // namespace fuse_detail

namespace autograd::functions {

template <class F, std::size_t N, bool Sum> class FusedGradBackward;

/// The node of one tg::fuse call (Sum: of one tg::fuse_sum call): its backward is f's adjoint,
/// one fused pass.
template <class F, std::size_t N, bool Sum = false> class FusedBackward final : public Node {
 public:
  explicit FusedBackward(const F& f) : f_(f) {}
  std::string name() const override { return Sum ? "FusedSumBackward0" : "FusedBackward0"; }

  tensor_list apply(tensor_list&& grads) override {
    const Tensor& g = grads[0];
    tensor_list out(N);
    if (!g.defined()) return out;
    std::array<Tensor, N> x;
    for (std::size_t i = 0; i < N; ++i) x[i] = saved[i].unpack();
    std::array<bool, N> wanted{};
    bool any = false;
    for (std::size_t i = 0; i < N; ++i) {
      wanted[i] = should_compute_output(i) && is_differentiable(x[i].dtype());
      any = any || wanted[i];
    }
    if (!any) return out;
    if (GradMode::is_enabled()) {
      if (compute == kFloat || compute == kDouble) return recorded_backward(x, g, wanted);
      return differentiable_backward(x, g, wanted);
    }
    std::array<Tensor, N> in;
    for (std::size_t i = 0; i < N; ++i) in[i] = raw::to(x[i], compute);
    auto computed = fuse_detail::backward_pass<N>(f_, compute, Sum ? shape : g.sizes(), in, g, wanted);
    for (std::size_t i = 0; i < N; ++i) out[i] = std::move(computed[i]);  // the engine sums and casts them to x[i]
    return out;
  }

  void release_variables() override {
    for (auto& s : saved) s.reset_data();
  }

  std::array<SavedVariable, N> saved;
  ScalarType compute = kFloat;
  std::vector<std::int64_t> shape;  // Sum only: the shape of f's elementwise values before the sum

 private:
  /// create_graph in float and double: the gradients in the same fused pass, recorded as the
  /// outputs of one FusedGradBackward node, whose backward is a fused pass again.
  tensor_list recorded_backward(const std::array<Tensor, N>& x, const Tensor& g, const std::array<bool, N>& wanted) {
    std::array<Tensor, N> in;
    for (std::size_t i = 0; i < N; ++i) in[i] = raw::to(x[i], compute);
    const auto elementwise_shape = Sum ? shape : g.sizes();
    auto grads = fuse_detail::backward_pass<N>(f_, compute, elementwise_shape, in, g, wanted);
    auto node = [&]<std::size_t... I>(std::index_sequence<I...>) {
      return record::node_for<FusedGradBackward<F, N, Sum>>({&x[I]..., &g}, f_);
    }(std::make_index_sequence<N>{});
    if (node) {
      for (std::size_t i = 0; i < N; ++i) node->saved[i] = SavedVariable(x[i], false);
      node->saved_grad = SavedVariable(g, false);
      node->compute = compute;
      node->shape = elementwise_shape;
      for (std::size_t i = 0; i < N; ++i) {
        if (grads[i].defined()) record::set_history(grads[i], node);
        else node->add_input_metadata(Tensor::empty_contiguous({0}, compute));
      }
    }
    tensor_list out(N);
    for (std::size_t i = 0; i < N; ++i) out[i] = std::move(grads[i]);
    return out;
  }

  /// create_graph: f again with differentiable tensor operations, then their gradients (any order).
  /// Each operand enters through its own view, so that each slot gets its own partial, as in the
  /// fused pass, also when one tensor (or views of one) fills several slots: the engine adds them.
  tensor_list differentiable_backward(const std::array<Tensor, N>& x, const Tensor& g, const std::array<bool, N>& wanted) {
    tensor_list out(N), wrt;
    std::vector<std::size_t> at;
    std::array<Tensor, N> slot;
    for (std::size_t i = 0; i < N; ++i) {
      slot[i] = x[i].requires_grad() ? x[i].view(x[i].sizes()) : x[i];
      if (wanted[i] && x[i].requires_grad()) {
        wrt.push_back(slot[i]);
        at.push_back(i);
      }
    }
    Tensor y = fuse_detail::evaluate_traced<N>(f_, compute, slot);
    if (Sum && y.defined()) y = y.sum();
    if (wrt.empty() || !y.defined() || !y.requires_grad()) return out;
    auto r = autograd::grad({y}, wrt, {g}, /*retain_graph=*/true, /*create_graph=*/true, /*allow_unused=*/true);
    for (std::size_t k = 0; k < at.size(); ++k) out[at[k]] = std::move(r[k]);
    return out;
  }

  F f_;
};

/// The node of a fused node's gradients recorded under create_graph (float and double): inputs
/// the operands x and the output gradient g, outputs the N gradients g * df/dx_i. Its backward
/// is one fused pass of f's directional derivative (fuse_detail::along: symbolic first
/// derivatives, adjoints by the static sweep), so a double backward through tg::fuse stays
/// fused; under create_graph once more it evaluates f's traced expression with tensors.
template <class F, std::size_t N, bool Sum> class FusedGradBackward final : public Node {
 public:
  explicit FusedGradBackward(const F& f) : f_(f) {}
  std::string name() const override { return Sum ? "FusedSumBackwardBackward0" : "FusedBackwardBackward0"; }

  tensor_list apply(tensor_list&& u) override {
    tensor_list out(N + 1);
    bool any_u = false;
    for (const Tensor& t : u) any_u = any_u || t.defined();
    if (!any_u) return out;
    std::array<Tensor, N> x;
    for (std::size_t i = 0; i < N; ++i) x[i] = saved[i].unpack();
    const Tensor g = saved_grad.unpack();
    std::array<bool, N + 1> wanted{};
    bool any = false;
    for (std::size_t j = 0; j <= N; ++j) {
      wanted[j] = should_compute_output(j);
      any = any || wanted[j];
    }
    if (!any) return out;
    if (GradMode::is_enabled()) return differentiable_backward(x, g, u, wanted);
    std::array<Tensor, N> in, along;
    for (std::size_t i = 0; i < N; ++i) {
      in[i] = raw::to(x[i], compute);
      along[i] = u[i].defined() ? raw::to(u[i], compute) : Tensor::empty_contiguous({}, compute, /*zero_fill=*/true);
    }
    const Tensor grad = raw::to(g, compute);
    auto computed = compute == kFloat ? fuse_detail::second_order_pass_as<Sum, float, N>(f_, shape, in, along, grad, wanted)
                                      : fuse_detail::second_order_pass_as<Sum, double, N>(f_, shape, in, along, grad, wanted);
    for (std::size_t j = 0; j <= N; ++j) out[j] = std::move(computed[j]);
    return out;
  }

  void release_variables() override {
    for (auto& s : saved) s.reset_data();
    saved_grad.reset_data();
  }

  std::array<SavedVariable, N> saved;
  SavedVariable saved_grad;
  ScalarType compute = kFloat;
  std::vector<std::int64_t> shape;  // of f's elementwise values

 private:
  /// create_graph again (third order and up): the first-order gradients rebuilt from f's traced
  /// expression with tensor operations, then their gradients along u.
  tensor_list differentiable_backward(const std::array<Tensor, N>& x, const Tensor& g, const tensor_list& u,
                                      const std::array<bool, N + 1>& wanted) {
    tensor_list out(N + 1);
    std::array<Tensor, N> slot;
    tensor_list xs;
    std::vector<std::size_t> xs_at;
    for (std::size_t i = 0; i < N; ++i) {
      // expanded to f's elementwise shape: the gradients come out in the shape of this node's
      // outputs (as u), and x's in the shape the fused pass gives (the engine reduces them)
      slot[i] = x[i].requires_grad() ? x[i].expand(shape) : x[i];
      if (slot[i].requires_grad() && is_differentiable(slot[i].dtype())) {
        xs.push_back(slot[i]);
        xs_at.push_back(i);
      }
    }
    const Tensor g_slot = g.requires_grad() ? g.view(g.sizes()) : g;
    Tensor y = fuse_detail::evaluate_traced<N>(f_, compute, slot);
    if (Sum && y.defined()) y = y.sum();
    if (xs.empty() || !y.defined() || !y.requires_grad()) return out;
    const auto first = autograd::grad({y}, xs, {g_slot}, /*retain_graph=*/true, /*create_graph=*/true, /*allow_unused=*/true);
    tensor_list outputs, along, wrt;
    for (std::size_t k = 0; k < xs_at.size(); ++k) {
      if (first[k].defined() && first[k].requires_grad() && u[xs_at[k]].defined()) {
        outputs.push_back(first[k]);
        along.push_back(u[xs_at[k]]);
      }
    }
    std::vector<std::size_t> wrt_at;
    for (std::size_t j = 0; j <= N; ++j) {
      const Tensor& t = j < N ? slot[j] : g_slot;
      if (wanted[j] && t.requires_grad()) {
        wrt.push_back(t);
        wrt_at.push_back(j);
      }
    }
    if (outputs.empty() || wrt.empty()) return out;
    auto r = autograd::grad(outputs, wrt, along, /*retain_graph=*/true, /*create_graph=*/true, /*allow_unused=*/true);
    for (std::size_t k = 0; k < wrt_at.size(); ++k) out[wrt_at[k]] = std::move(r[k]);
    return out;
  }

  F f_;
};

}  // namespace autograd::functions

namespace fuse_detail {

/// The output's tangent when an operand has one: one fused pass for float and double; for the
/// other dtypes f's traced expression evaluated on dual tensors through the dynamic layer's
/// tangent rules (complex: f need not be holomorphic, the rules carry both Wirtinger parts).
/// Like the tangents of the dynamic layer's operations under no_grad, it records no graph.
template <bool Sum, class F, std::size_t N> void set_fused_tangent(const F& f, const operands<N>& ops, const Tensor& out) {
  namespace fwd = autograd::forward_ad::detail;
  if (ops.compute == kFloat || ops.compute == kDouble) {
    std::array<Tensor, N> t;
    for (std::size_t i = 0; i < N; ++i) {
      const Tensor ti = fwd::tangent_of(ops.x[i]);
      t[i] = ti.defined() ? raw::to(ti, ops.compute) : Tensor::empty_contiguous({}, ops.compute, /*zero_fill=*/true);
    }
    fwd::set_tangent(out, tangent_pass<Sum, N>(f, ops.compute, ops.shape, ops.in, t));
    return;
  }
  NoGradGuard no_grad;
  Tensor dual = evaluate_traced<N>(f, ops.compute, ops.x);
  if (Sum && dual.defined()) dual = dual.sum();
  if (dual.defined() && fwd::tangent_of(dual).defined()) fwd::set_tangent(out, fwd::tangent_of(dual));
}

/// One fused call: the checks, the forward pass (elementwise, or its sum), the node when
/// history is needed, and the output's tangent when an operand has one.
template <bool Sum, class F, class... Ts> Tensor fused_call(const char* who, const F& f, const Ts&... tensors) {
  constexpr std::size_t n = sizeof...(Ts);
  const operands<n> ops({tensors...}, who);
  auto node = record::node_for<autograd::functions::FusedBackward<F, n, Sum>>({&tensors...}, f);
  Tensor out = Sum ? sum_pass<n>(f, ops.compute, ops.shape, ops.in) : forward_pass<n>(f, ops.compute, ops.shape, ops.in);
  if (node) {
    for (std::size_t i = 0; i < n; ++i) node->saved[i] = autograd::SavedVariable(ops.x[i], false);
    node->compute = ops.compute;
    if constexpr (Sum) node->shape = ops.shape;  // an elementwise node reads it from its gradient
    node->metadata()["formula"] = Sum ? "sum(" + formula<n>(f) + ")" : formula<n>(f);
    record::set_history(out, node);
  }
  if (autograd::forward_ad::detail::any_tangent({&tensors...})) set_fused_tangent<Sum>(f, ops, out);
  return out;
}

}  // namespace fuse_detail

/// `tg::fuse(f, a, b, ...)`: f(a, b, ...) elementwise in one pass, recorded as one node.
template <class F, class... Ts>
  requires(sizeof...(Ts) > 0 && (std::is_same_v<std::remove_cvref_t<Ts>, Tensor> && ...))
Tensor fuse(const F& f, const Ts&... tensors) {
  return fuse_detail::fused_call<false>("tg::fuse", f, tensors...);
}

/// `tg::fuse_sum(f, a, b, ...)`: the sum of f(a, b, ...) over the broadcast elements, a 0-d
/// tensor, in one pass that never stores f's values; one node (FusedSumBackward0) whose
/// backward is one fused pass too. `tg::fuse_sum(f, a, b)` equals `tg::fuse(f, a, b).sum()`
/// (accumulated in double, so up to rounding).
template <class F, class... Ts>
  requires(sizeof...(Ts) > 0 && (std::is_same_v<std::remove_cvref_t<Ts>, Tensor> && ...))
Tensor fuse_sum(const F& f, const Ts&... tensors) {
  return fuse_detail::fused_call<true>("tg::fuse_sum", f, tensors...);
}

}  // namespace typegrad
