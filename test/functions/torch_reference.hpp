// The PyTorch 1.13 reference table of the differentiable functions (torch_reference.inc, made by
// make_torch_reference.py), built in its own TU (torch_reference_data.cpp): constructing two
// thousand lines of nested vectors is data, not code under test, and compiles in seconds
// without optimization and sanitizers where it took minutes with them.
#pragma once
#include <cstdint>
#include <vector>

#include <typegrad/tensor/dtype.hpp>

namespace functions_reference {

/// A tensor as torch gave it (undefined: torch returned None).
struct ref_tensor {
  bool defined;
  bool requires_grad;
  typegrad::ScalarType dtype;
  std::vector<std::int64_t> sizes;
  std::vector<double> values;  // row-major; complex: real, imaginary pairs
};

/// One row of torch_reference.inc.
struct ref_case {
  const char* name;
  std::vector<ref_tensor> inputs;  // all inputs, index and condition tensors included
  ref_tensor output;               // y = f(inputs)
  ref_tensor weight;               // w, of y's shape and dtype
  std::vector<ref_tensor> grads;   // dL/dx_i for the inputs that require grad, in order
  std::vector<ref_tensor> v;       // directions, one per input that requires grad
  std::vector<ref_tensor> second;  // d/dx_i sum_j Re(sum(g_j * conj(v_j)))
  const char* node;                // type(y.grad_fn).__name__
};

/// Every row of the table.
const std::vector<ref_case>& reference();

}  // namespace functions_reference
