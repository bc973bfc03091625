#pragma once
/// \file config.hpp
/// Configuration macros (TYPEGRAD_ prefix, configuration only) and the library version.

#define TYPEGRAD_VERSION_MAJOR 0
#define TYPEGRAD_VERSION_MINOR 1
#define TYPEGRAD_VERSION_PATCH 0

/// Array bodies run in xsimd batches unless this is defined to 0 (then a plain scalar loop).
#ifndef TYPEGRAD_USE_SIMD
#define TYPEGRAD_USE_SIMD 1
#endif
