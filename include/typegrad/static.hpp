#pragma once
/// \file static.hpp
/// The static layer: the graph in the type system (expressions, reverse and forward mode,
/// symbolic derivatives, printing). Includes nothing of the dynamic layer.
#include <typegrad/array/reductions.hpp>
#include <typegrad/config.hpp>
#include <typegrad/error.hpp>
#include <typegrad/expr/functions.hpp>
#include <typegrad/forward/dual.hpp>
#include <typegrad/functional/forward.hpp>
#include <typegrad/functional/reverse.hpp>
#include <typegrad/print/to_string.hpp>
#include <typegrad/symbolic/derivative.hpp>
