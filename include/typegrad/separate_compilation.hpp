#pragma once
/// \file separate_compilation.hpp
/// The one translation unit of TYPEGRAD_SEPARATE_COMPILATION (see config.hpp). Put
///
///     // typegrad_kernels.cpp, compiled with TYPEGRAD_SEPARATE_COMPILATION defined
///     #include <typegrad/separate_compilation.hpp>
///
/// in exactly one .cpp of a program whose every TU defines TYPEGRAD_SEPARATE_COMPILATION (a
/// CMake target's compile definition does both). Compile it with the flags of the rest of the
/// program: the kernels are vectorised for the -m flags they are compiled with.
#ifndef TYPEGRAD_SEPARATE_COMPILATION
#error "<typegrad/separate_compilation.hpp> is for programs built with TYPEGRAD_SEPARATE_COMPILATION defined in every translation unit"
#endif
#ifdef TYPEGRAD_KERNELS_ELSEWHERE
#error "<typegrad/separate_compilation.hpp> must be included before any other typegrad header of its translation unit"
#endif
#define TYPEGRAD_COMPILING_KERNELS
#include <typegrad/dynamic.hpp>
#include <typegrad/functions/pointwise_instances.hpp>

// After every header, so that the instantiations see every overload their bodies may call.
TYPEGRAD_POINTWISE_INSTANCES(define)
