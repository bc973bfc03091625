// The elements of a tensor as doubles, in row-major order (tests compare them with ==), and
// the double leaf requiring grad most autograd tests start from.
#pragma once
#include <vector>

#include <typegrad/dynamic.hpp>

namespace test_support {
inline std::vector<double> values(const typegrad::Tensor& t) {
  typegrad::Tensor c = t.contiguous().to(typegrad::kDouble);
  const double* p = c.data_ptr<double>();
  return {p, p + c.numel()};
}
inline typegrad::Tensor leaf(std::vector<double> v) { return typegrad::tensor(v, typegrad::requires_grad()); }
}  // namespace test_support
