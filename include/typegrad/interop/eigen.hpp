#pragma once
/// \file interop/eigen.hpp
/// tg::dual<T, N> as a first-class Eigen scalar, as Ceres does for its Jet: NumTraits,
/// std::numeric_limits, mixing with plain numbers in Eigen expressions (ScalarBinaryOpTraits),
/// and the classification functions Eigen calls through argument-dependent lookup.
/// Opt-in (neither <typegrad/static.hpp> nor <typegrad/typegrad.hpp> includes it) because it
/// pulls in <Eigen/Core>. Duals over real numbers only (float, double, long double, nested).
#if !__has_include(<Eigen/Core>)
#error "<typegrad/interop/eigen.hpp> needs Eigen 3.3 or later on the include path: install it \
(Debian: apt-get install libeigen3-dev), then in CMake find_package(Eigen3 3.3 CONFIG REQUIRED) \
and target_link_libraries(<target> PRIVATE Eigen3::Eigen), or pass -isystem /usr/include/eigen3."
#else  // the rest of the file: only the message above when Eigen is missing

#include <array>
#include <cmath>
#include <cstddef>
#include <limits>
#include <type_traits>

#include <Eigen/Core>

#include <typegrad/expr/functions.hpp>
#include <typegrad/forward/dual.hpp>

#if !EIGEN_VERSION_AT_LEAST(3, 3, 0)
#error "<typegrad/interop/eigen.hpp> needs Eigen 3.3 or later (ScalarBinaryOpTraits)"
#endif

namespace typegrad {
namespace detail {

/// The plain number under any nesting of duals: double for dual<dual<double, 2>, 3>.
template <class T> struct dual_base { using type = T; };
template <class T, int N, class S> struct dual_base<dual<T, N, S>> : dual_base<T> {};
template <class T> using dual_base_t = typename dual_base<T>::type;

/// Classifies the value and every tangent (recursively for nested duals).
template <class Pred, class T, int N, class S>
constexpr bool all_parts(const dual<T, N, S>& x, Pred pred) {
  bool result = pred(x.val);
  for (const T& t : x.tangents()) result = result && pred(t);
  return result;
}
template <class Pred, class T, int N, class S>
constexpr bool any_part(const dual<T, N, S>& x, Pred pred) {
  bool result = pred(x.val);
  for (const T& t : x.tangents()) result = result || pred(t);
  return result;
}

}  // namespace detail

// Like Ceres' Jet: a dual is finite when its value and all its tangents are, and NaN or infinite
// when any of them is (a finite value with a NaN derivative is not a usable point). Eigen's
// numext::isfinite/isnan/isinf call these unqualified after `using std::isfinite;`.
template <class T, int N, class S> constexpr bool isfinite(const dual<T, N, S>& x) {
  return detail::all_parts(x, [](const T& v) { using std::isfinite; return static_cast<bool>(isfinite(v)); });
}
template <class T, int N, class S> constexpr bool isnan(const dual<T, N, S>& x) {
  return detail::any_part(x, [](const T& v) { using std::isnan; return static_cast<bool>(isnan(v)); });
}
template <class T, int N, class S> constexpr bool isinf(const dual<T, N, S>& x) {
  return detail::any_part(x, [](const T& v) { using std::isinf; return static_cast<bool>(isinf(v)); });
}


}  // namespace typegrad

// Eigen's decompositions read std::numeric_limits<RealScalar> directly (LDLT, Householder,
// Jacobi, stableNorm), so the dual gets limits: its value type's, as constant duals.
namespace std {
template <class T, int N, class S> struct numeric_limits<typegrad::dual<T, N, S>> {
 private:
  using D = typegrad::dual<T, N, S>;
  using L = numeric_limits<T>;

 public:
  static constexpr bool is_specialized = L::is_specialized;
  static constexpr bool is_signed = L::is_signed;
  static constexpr bool is_integer = L::is_integer;
  static constexpr bool is_exact = L::is_exact;
  static constexpr bool has_infinity = L::has_infinity;
  static constexpr bool has_quiet_NaN = L::has_quiet_NaN;
  static constexpr bool has_signaling_NaN = L::has_signaling_NaN;
  static constexpr float_denorm_style has_denorm = L::has_denorm;
  static constexpr bool has_denorm_loss = L::has_denorm_loss;
  static constexpr float_round_style round_style = L::round_style;
  static constexpr bool is_iec559 = L::is_iec559;
  static constexpr bool is_bounded = L::is_bounded;
  static constexpr bool is_modulo = L::is_modulo;
  static constexpr int digits = L::digits;
  static constexpr int digits10 = L::digits10;
  static constexpr int max_digits10 = L::max_digits10;
  static constexpr int radix = L::radix;
  static constexpr int min_exponent = L::min_exponent;
  static constexpr int min_exponent10 = L::min_exponent10;
  static constexpr int max_exponent = L::max_exponent;
  static constexpr int max_exponent10 = L::max_exponent10;
  static constexpr bool traps = L::traps;
  static constexpr bool tinyness_before = L::tinyness_before;

  // constexpr only where the dual is a literal type (plain-array tangents).
  static constexpr D min() noexcept { return D((L::min)()); }
  static constexpr D max() noexcept { return D((L::max)()); }
  static constexpr D lowest() noexcept { return D(L::lowest()); }
  static constexpr D epsilon() noexcept { return D(L::epsilon()); }
  static constexpr D round_error() noexcept { return D(L::round_error()); }
  static constexpr D infinity() noexcept { return D(L::infinity()); }
  static constexpr D quiet_NaN() noexcept { return D(L::quiet_NaN()); }
  static constexpr D signaling_NaN() noexcept { return D(L::signaling_NaN()); }
  static constexpr D denorm_min() noexcept { return D(L::denorm_min()); }
};
}  // namespace std

namespace Eigen {

template <class T, int N, class S> struct NumTraits<typegrad::dual<T, N, S>> {
  static_assert(!typegrad::detail::is_complex_v<typegrad::detail::dual_base_t<T>>,
                "tg::dual over complex numbers is not an Eigen scalar (NumTraits would have to "
                "split it into real and imaginary duals); use duals over float or double");
  // Eigen allocates dynamic storage and stack temporaries aligned to EIGEN_DEFAULT_ALIGN_BYTES
  // (or malloc's alignment): tangents in wider SIMD registers than Eigen was configured for
  // would be misaligned there.
  static_assert(alignof(typegrad::dual<T, N, S>) <= (EIGEN_DEFAULT_ALIGN_BYTES > alignof(std::max_align_t)
                                                         ? EIGEN_DEFAULT_ALIGN_BYTES
                                                         : alignof(std::max_align_t)),
                "tg::dual's SIMD tangents need more alignment than Eigen's allocations give: "
                "do not define EIGEN_DONT_ALIGN / a smaller EIGEN_MAX_ALIGN_BYTES, and compile "
                "Eigen and typegrad with the same -m flags");

  // The dual is its own real type (so norms and pivots of dual matrices are duals and keep
  // their derivatives), its own non-integer type, and is nested by value (it is small).
  using Real = typegrad::dual<T, N, S>;
  using NonInteger = Real;
  using Nested = Real;
  using Literal = Real;

  // Costs in units of T's: a dual is 1 + N numbers; a product is one product of values
  // plus, per direction, two products and a sum (the product rule).
  enum {
    IsComplex = 0,
    IsInteger = 0,
    IsSigned = 1,
    RequireInitialization = 1,
    ReadCost = (N + 1) * NumTraits<T>::ReadCost,
    AddCost = (N + 1) * NumTraits<T>::AddCost,
    MulCost = (2 * N + 1) * NumTraits<T>::MulCost + N * NumTraits<T>::AddCost
  };

  static Real epsilon() { return Real(NumTraits<T>::epsilon()); }
  static Real dummy_precision() { return Real(NumTraits<T>::dummy_precision()); }
  static Real highest() { return Real(NumTraits<T>::highest()); }
  static Real lowest() { return Real(NumTraits<T>::lowest()); }
  static Real infinity() { return Real(NumTraits<T>::infinity()); }
  static Real quiet_NaN() { return Real(NumTraits<T>::quiet_NaN()); }
  static int digits10() { return NumTraits<T>::digits10(); }
  static int digits() { return NumTraits<T>::digits(); }
  static int min_exponent() { return NumTraits<T>::min_exponent(); }
  static int max_exponent() { return NumTraits<T>::max_exponent(); }
  // Newer Eigen (3.4.90) reads max_digits10 when printing; 3.4.0's NumTraits<double> has none.
  static int max_digits10() { return std::numeric_limits<T>::max_digits10; }
};

// A dual mixes with its value type on either side (dual matrix times double matrix, double
// scalar times dual vector, ...): the result is the dual, and dual.hpp's mixed operators compute it without lifting the number to a full dual first.
template <class T, int N, class S, class BinaryOp>
struct ScalarBinaryOpTraits<typegrad::dual<T, N, S>, T, BinaryOp> {
  using ReturnType = typegrad::dual<T, N, S>;
};
template <class T, int N, class S, class BinaryOp>
struct ScalarBinaryOpTraits<T, typegrad::dual<T, N, S>, BinaryOp> {
  using ReturnType = typegrad::dual<T, N, S>;
};
// A nested dual also mixes with the plain number underneath (dual<dual<double, 1>, 1> with
// double), through dual.hpp's operators.
template <class T, int N, class S, class BinaryOp>
  requires typegrad::detail::is_dual_v<T>
struct ScalarBinaryOpTraits<typegrad::dual<T, N, S>, typegrad::detail::dual_base_t<T>, BinaryOp> {
  using ReturnType = typegrad::dual<T, N, S>;
};
template <class T, int N, class S, class BinaryOp>
  requires typegrad::detail::is_dual_v<T>
struct ScalarBinaryOpTraits<typegrad::detail::dual_base_t<T>, typegrad::dual<T, N, S>, BinaryOp> {
  using ReturnType = typegrad::dual<T, N, S>;
};

namespace internal {

/// One operand's scalar a dual, the other's a different type (a plain number, or the nested
/// dual's value type).
template <class A, class B>
concept mixed_dual_scalars = (typegrad::detail::is_dual_v<A> || typegrad::detail::is_dual_v<B>) && !std::is_same_v<A, B>;

// Eigen 3.4's GEMM and GEMV kernels mix scalar types only as complex with real: they store
// the product of a dual and a double in a double (gebp_traits::madd) and convert the dual
// factor alpha to the double operand's type (get_factor). Large products of a dual and a plain
// matrix are therefore evaluated coefficient by coefficient, as Eigen does for small ones.
// More constrained than Eigen's own specializations, so these are chosen for such pairs.
template <class Lhs, class Rhs> struct dual_mixed_product_impl
    : generic_product_impl<Lhs, Rhs, DenseShape, DenseShape, CoeffBasedProductMode> {
  using Scalar = typename Product<Lhs, Rhs>::Scalar;
  template <class Dst> static void scaleAndAddTo(Dst& dst, const Lhs& lhs, const Rhs& rhs, const Scalar& alpha) {
    call_assignment_no_alias(dst, alpha * lhs.lazyProduct(rhs), add_assign_op<typename Dst::Scalar, Scalar>());
  }
};
template <class Lhs, class Rhs>
  requires mixed_dual_scalars<typename Lhs::Scalar, typename Rhs::Scalar>
struct generic_product_impl<Lhs, Rhs, DenseShape, DenseShape, GemmProduct> : dual_mixed_product_impl<Lhs, Rhs> {};
template <class Lhs, class Rhs>
  requires mixed_dual_scalars<typename Lhs::Scalar, typename Rhs::Scalar>
struct generic_product_impl<Lhs, Rhs, DenseShape, DenseShape, GemvProduct> : dual_mixed_product_impl<Lhs, Rhs> {};

}  // namespace internal
}  // namespace Eigen

#endif  // __has_include(<Eigen/Core>)
