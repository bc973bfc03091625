#pragma once
/// \file dynamic.hpp
/// The dynamic layer: tg::Tensor and the torch.autograd engine with libtorch's names.
/// Not included by <typegrad/static.hpp>. Include this header: the headers under autograd/
/// and functions/ are its parts and depend on each other's definitions (backward formulas
/// are tensor functions, tensor functions record nodes), so one of them alone may compile
/// and still miss a definition at link time.
#include <typegrad/config.hpp>
#include <typegrad/error.hpp>
#include <typegrad/tensor/dtype.hpp>
#include <typegrad/tensor/factories.hpp>
#include <typegrad/tensor/options.hpp>
#include <typegrad/tensor/print.hpp>
#include <typegrad/tensor/random.hpp>
#include <typegrad/tensor/scalar.hpp>
#include <typegrad/tensor/storage.hpp>
#include <typegrad/tensor/tensor.hpp>

#include <typegrad/autograd/accumulate_grad.hpp>
#include <typegrad/autograd/autograd.hpp>
#include <typegrad/autograd/engine.hpp>
#include <typegrad/autograd/forward_ad.hpp>
#include <typegrad/autograd/function.hpp>
#include <typegrad/autograd/grad_mode.hpp>
#include <typegrad/autograd/graph.hpp>
#include <typegrad/autograd/hooks.hpp>
#include <typegrad/autograd/meta.hpp>
#include <typegrad/autograd/node.hpp>
#include <typegrad/autograd/saved_variable.hpp>
#include <typegrad/autograd/tensor_methods.hpp>

#include <typegrad/functions/arithmetic.hpp>
#include <typegrad/functions/complex.hpp>
#include <typegrad/functions/indexing.hpp>
#include <typegrad/functions/inplace.hpp>
#include <typegrad/functions/join.hpp>
#include <typegrad/functions/linalg.hpp>
#include <typegrad/functions/methods.hpp>
#include <typegrad/functions/nn.hpp>
#include <typegrad/functions/reductions.hpp>
#include <typegrad/functions/pointwise.hpp>
#include <typegrad/functions/reduce.hpp>
#include <typegrad/functions/shape.hpp>

#include <typegrad/autograd/functional.hpp>
#include <typegrad/autograd/gradcheck.hpp>
