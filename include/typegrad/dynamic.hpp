#pragma once
/// \file dynamic.hpp
/// The dynamic layer: tg::Tensor with libtorch's names (torch.autograd semantics join as the
/// engine lands). Not included by <typegrad/static.hpp>.
#include <typegrad/config.hpp>
#include <typegrad/error.hpp>
#include <typegrad/tensor/dtype.hpp>
#include <typegrad/tensor/factories.hpp>
#include <typegrad/tensor/options.hpp>
#include <typegrad/tensor/print.hpp>
#include <typegrad/tensor/random.hpp>
#include <typegrad/tensor/storage.hpp>
#include <typegrad/tensor/tensor.hpp>
