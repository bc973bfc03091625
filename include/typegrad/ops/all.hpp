#pragma once
/// \file ops/all.hpp
/// Every operation policy.
#include <typegrad/ops/arithmetic.hpp>
#include <typegrad/ops/complex.hpp>
#include <typegrad/ops/exponential.hpp>
#include <typegrad/ops/hyperbolic.hpp>
#include <typegrad/ops/selection.hpp>
#include <typegrad/ops/special.hpp>
#include <typegrad/ops/trigonometric.hpp>
