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

/// Sweep steps are forced inline so that the forward and reverse sweeps become one straight-line
/// function whose values stay in registers (g++'s inliner otherwise gives up on large graphs).
#ifndef TYPEGRAD_ALWAYS_INLINE
#if defined(__GNUC__) || defined(__clang__)
#define TYPEGRAD_ALWAYS_INLINE [[gnu::always_inline]] inline
#else
#define TYPEGRAD_ALWAYS_INLINE inline
#endif
#endif
