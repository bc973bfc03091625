#pragma once
/// \file scalar/traits.hpp
/// Scalar concepts and type maps shared by every evaluator: which types may be differentiated,
/// the type computations run in (`compute_t`), and real/complex/batch classification.
#include <complex>
#include <concepts>
#include <type_traits>

#include <xsimd/xsimd.hpp>

#include <typegrad/scalar/bfloat16.hpp>
#include <typegrad/scalar/half.hpp>

namespace typegrad {

template <class T, int N, class Store> struct dual;

namespace detail {

template <class T> struct is_complex : std::false_type {};
template <class T> struct is_complex<std::complex<T>> : std::true_type {};
template <class T> inline constexpr bool is_complex_v = is_complex<T>::value;

template <class T> struct is_batch : std::false_type {};
template <class T, class A> struct is_batch<xsimd::batch<T, A>> : std::true_type {};
template <class T> inline constexpr bool is_batch_v = is_batch<T>::value;

template <class T> struct is_dual : std::false_type {};
template <class T, int N, class S> struct is_dual<dual<T, N, S>> : std::true_type {};
template <class T> inline constexpr bool is_dual_v = is_dual<T>::value;

/// The type arithmetic runs in: half and bfloat16 compute in float and are stored narrow.
template <class T> struct compute_type { using type = T; };
template <> struct compute_type<half> { using type = float; };
template <> struct compute_type<bfloat16> { using type = float; };
template <class T> using compute_t = typename compute_type<T>::type;

/// The real type underneath (double for std::complex<double>, float for batch<float>...).
template <class T> struct real_type { using type = T; };
template <class T> struct real_type<std::complex<T>> { using type = T; };
template <class T> using real_t = typename real_type<T>::type;

/// The element type of a batch (T itself otherwise).
template <class T> struct element_type { using type = T; };
template <class T, class A> struct element_type<xsimd::batch<T, A>> { using type = T; };
template <class T> using element_t = typename element_type<T>::type;

}  // namespace detail

/// A type typegrad can differentiate with: float, double, long double, tg::half, tg::bfloat16,
/// std::complex<float|double>, xsimd::batch<float|double>.
template <class T>
concept differentiable_scalar =
    std::same_as<T, float> || std::same_as<T, double> || std::same_as<T, long double> ||
    std::same_as<T, half> || std::same_as<T, bfloat16> || std::same_as<T, std::complex<float>> ||
    std::same_as<T, std::complex<double>> ||
    (detail::is_batch_v<T> && (std::same_as<detail::element_t<T>, float> ||
                                std::same_as<detail::element_t<T>, double>));

/// Numbers the evaluators compute with (scalars in compute type, batches, duals).
template <class T>
concept numeric = std::is_arithmetic_v<T> || detail::is_complex_v<T> || detail::is_batch_v<T> ||
                  detail::is_dual_v<T> || std::same_as<T, half> || std::same_as<T, bfloat16>;

}  // namespace typegrad
