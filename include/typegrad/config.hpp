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

/// Independent calls of one costly function in a static graph (sin, exp, ...) are computed
/// together in xsimd batches (reverse/simd_groups.hpp) unless this is defined to 0: then every
/// call is <cmath>'s, where grouped calls are xsimd's, a few ulps apart.
#ifndef TYPEGRAD_SIMD_GROUPS
#define TYPEGRAD_SIMD_GROUPS TYPEGRAD_USE_SIMD
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

/// Separate compilation of the dynamic layer's heaviest kernels (opt-in; header-only is the
/// default). Define TYPEGRAD_SEPARATE_COMPILATION in every translation unit of a program and
/// include <typegrad/separate_compilation.hpp> in exactly one .cpp of it: the kernels that fan
/// out over every dtype (GEMM, strided copies and casts, each pointwise operation's kernel and
/// autograd node) are then compiled once there instead of in every TU that includes
/// <typegrad/dynamic.hpp>. The same scheme as Boost.Asio's BOOST_ASIO_SEPARATE_COMPILATION.
///
/// TYPEGRAD_KERNEL_FUNC marks such a kernel's declaration and definition: `inline` for
/// header-only use, nothing (one external definition) for separate compilation.
/// TYPEGRAD_KERNELS_ELSEWHERE is 1 in a TU that must not see their definitions.
#ifdef TYPEGRAD_SEPARATE_COMPILATION
#define TYPEGRAD_KERNEL_FUNC
#ifdef TYPEGRAD_COMPILING_KERNELS
#define TYPEGRAD_KERNELS_ELSEWHERE 0
#else
#define TYPEGRAD_KERNELS_ELSEWHERE 1
#endif
#else
#define TYPEGRAD_KERNEL_FUNC inline
#define TYPEGRAD_KERNELS_ELSEWHERE 0
#endif
