// The elements of a tensor as doubles, in row-major order (tests compare them with ==).
#pragma once
#include <vector>

#include <typegrad/dynamic.hpp>

namespace test_support {
inline std::vector<double> values(const typegrad::Tensor& t) {
  typegrad::Tensor c = t.contiguous().to(typegrad::kDouble);
  const double* p = c.data_ptr<double>();
  return {p, p + c.numel()};
}
}  // namespace test_support
