#pragma once
/// \file functions/linalg.hpp
/// Matrix products on Eigen's GEMM (tensor/kernels/linalg.hpp): mm, bmm, mv, dot, outer and
/// matmul with torch's dimension rules. Gradients use conjugate transposes, so complex
/// matrices follow torch's convention.
#include <cstdint>
#include <vector>

#include <typegrad/autograd/forward_grad.hpp>
#include <typegrad/error.hpp>
#include <typegrad/functions/fwd.hpp>
#include <typegrad/functions/generic_node.hpp>
#include <typegrad/functions/reduce.hpp>
#include <typegrad/functions/shape.hpp>
#include <typegrad/tensor/kernels/elementwise.hpp>
#include <typegrad/tensor/kernels/linalg.hpp>

namespace typegrad {

Tensor mm(const Tensor& a, const Tensor& b);
Tensor bmm(const Tensor& a, const Tensor& b);
Tensor mv(const Tensor& a, const Tensor& v);
Tensor dot(const Tensor& a, const Tensor& b);
Tensor outer(const Tensor& a, const Tensor& b);
Tensor matmul(const Tensor& a, const Tensor& b);

namespace autograd::functions::impl {
/// The conjugate transpose of the last two dims (the plain transpose for real tensors).
inline Tensor adjoint(const Tensor& m) { return conj(m.transpose(-2, -1)); }
/// ta op b + a op tb with missing tangents left out.
template <class Op> Tensor product_rule(const Tensor& a, const Tensor& b, const Tensor& ta, const Tensor& tb, Op op) {
  Tensor r;
  if (ta.defined()) r = op(ta, b);
  if (tb.defined()) r = r.defined() ? r + op(a, tb) : op(a, tb);
  return r;
}
}  // namespace autograd::functions::impl

inline Tensor mm(const Tensor& a, const Tensor& b) {
  using autograd::functions::impl::adjoint;
  Tensor y = kernels::mm(a, b);
  record::op("MmBackward0", {&a, &b}, {y}, {{a, false, record::read_by(1)}, {b, false, record::read_by(0)}},
             [](const tensor_list& g, const tensor_list& s, const autograd::Node& n) {
               tensor_list r(2);
               if (n.should_compute_output(0)) r[0] = mm(g[0], adjoint(s[1]));
               if (n.should_compute_output(1)) r[1] = mm(adjoint(s[0]), g[0]);
               return r;
             });
  autograd::forward_ad::detail::propagate(y, a, b, [&](const Tensor& ta, const Tensor& tb) {
    return autograd::functions::impl::product_rule(a, b, ta, tb, [](const Tensor& x, const Tensor& z) { return mm(x, z); });
  });
  return y;
}

inline Tensor bmm(const Tensor& a, const Tensor& b) {
  using autograd::functions::impl::adjoint;
  Tensor y = kernels::bmm(a, b);
  record::op("BmmBackward0", {&a, &b}, {y}, {{a, false, record::read_by(1)}, {b, false, record::read_by(0)}},
             [](const tensor_list& g, const tensor_list& s, const autograd::Node& n) {
               tensor_list r(2);
               if (n.should_compute_output(0)) r[0] = bmm(g[0], adjoint(s[1]));
               if (n.should_compute_output(1)) r[1] = bmm(adjoint(s[0]), g[0]);
               return r;
             });
  autograd::forward_ad::detail::propagate(y, a, b, [&](const Tensor& ta, const Tensor& tb) {
    return autograd::functions::impl::product_rule(a, b, ta, tb, [](const Tensor& x, const Tensor& z) { return bmm(x, z); });
  });
  return y;
}

inline Tensor mv(const Tensor& a, const Tensor& v) {
  Tensor y = kernels::mv(a, v);
  record::op("MvBackward0", {&a, &v}, {y}, {{a, false, record::read_by(1)}, {v, false, record::read_by(0)}},
             [](const tensor_list& g, const tensor_list& s, const autograd::Node& n) {
               tensor_list r(2);
               if (n.should_compute_output(0)) r[0] = outer(g[0], conj(s[1]));
               if (n.should_compute_output(1)) r[1] = mv(conj(s[0]).t(), g[0]);
               return r;
             });
  autograd::forward_ad::detail::propagate(y, a, v, [&](const Tensor& ta, const Tensor& tv) {
    return autograd::functions::impl::product_rule(a, v, ta, tv, [](const Tensor& x, const Tensor& z) { return mv(x, z); });
  });
  return y;
}

inline Tensor dot(const Tensor& a, const Tensor& b) {
  Tensor y = kernels::dot(a, b);
  record::op("DotBackward0", {&a, &b}, {y}, {{a, false, record::read_by(1)}, {b, false, record::read_by(0)}},
             [](const tensor_list& g, const tensor_list& s, const autograd::Node& n) {
               tensor_list r(2);
               if (n.should_compute_output(0)) r[0] = g[0] * conj(s[1]);
               if (n.should_compute_output(1)) r[1] = g[0] * conj(s[0]);
               return r;
             });
  autograd::forward_ad::detail::propagate(y, a, b, [&](const Tensor& ta, const Tensor& tb) {
    return autograd::functions::impl::product_rule(a, b, ta, tb, [](const Tensor& x, const Tensor& z) { return dot(x, z); });
  });
  return y;
}

/// a b^T for vectors (torch's outer: a.reshape(-1, 1) * b).
inline Tensor outer(const Tensor& a, const Tensor& b) {
  if (a.dim() != 1 || b.dim() != 1) {
    throw Error("outer: Expected 1-D argument self, but got " + std::to_string(a.dim()) + "-D");
  }
  return a.reshape({-1, 1}) * b;
}

/// torch.matmul: dot (1-d, 1-d), mv (2-d, 1-d), mm (2-d, 2-d), a vector on the left as a
/// row, and batched products with broadcast batch dims.
inline Tensor matmul(const Tensor& a, const Tensor& b) {
  const auto da = a.dim(), db = b.dim();
  if (da == 0 || db == 0) {
    throw Error("both arguments to matmul need to be at least 1D, but they are " + std::to_string(da) + "D and " +
                std::to_string(db) + "D");
  }
  if (da == 1 && db == 1) return dot(a, b);
  if (da == 2 && db == 1) return mv(a, b);
  if (da == 1 && db == 2) return mm(a.unsqueeze(0), b).squeeze(0);
  if (da == 2 && db == 2) return mm(a, b);
  if (da >= 3 && db <= 2) {
    // fold the batch into the rows: one mm
    auto sizes = a.sizes();
    const std::int64_t k = sizes.back();
    Tensor rows = a.reshape({-1, k});
    Tensor prod = db == 1 ? mv(rows, b) : mm(rows, b);
    sizes.pop_back();
    if (db == 2) sizes.push_back(b.size(1));
    return prod.reshape(sizes);
  }
  // general batched case: broadcast the batch dims, bmm on (batch, n, m)
  const Tensor a2 = da == 1 ? a.unsqueeze(0) : a;
  const Tensor b2 = db == 1 ? b.unsqueeze(-1) : b;
  auto sa = a2.sizes(), sb = b2.sizes();
  std::vector<std::int64_t> batch_a(sa.begin(), sa.end() - 2), batch_b(sb.begin(), sb.end() - 2);
  auto batch = kernels::broadcast_shapes(batch_a, batch_b);
  std::int64_t count = 1;
  for (auto s : batch) count *= s;
  auto full_a = batch, full_b = batch;
  full_a.insert(full_a.end(), sa.end() - 2, sa.end());
  full_b.insert(full_b.end(), sb.end() - 2, sb.end());
  Tensor prod = bmm(a2.expand(full_a).reshape({count, sa[sa.size() - 2], sa.back()}),
                    b2.expand(full_b).reshape({count, sb[sb.size() - 2], sb.back()}));
  auto out = batch;
  if (da > 1) out.push_back(sa[sa.size() - 2]);
  if (db > 1) out.push_back(sb.back());
  return prod.reshape(out);
}

}  // namespace typegrad
