#pragma once
/// \file test/ops/cases.hpp
/// The tables: every real operation as a case (the operation as a generic lambda, its analytic
/// value and derivatives in long double, and the points), written once and checked for the real
/// scalar types (exponential/trigonometric/special/arithmetic/binary.test.cpp), for tg::half
/// and tg::bfloat16 (narrow.test.cpp) and per lane for xsimd batches (batch.test.cpp).
///
/// Edge points are exact binary fractions (1 - 2^-20, 2^-100) so that every type sees the same
/// point; a point a type cannot represent closely enough is skipped for that type (support.hpp).
#include <tuple>

#include "ops/support.hpp"

namespace ops_test {

inline constexpr ld digamma_root = 1.461632144968362341262659542325721325L;

/// The gamma family is accurate to a few ulps rather than one: twice the default slack.
inline constexpr slack gamma_slack{8, 16, 32};

namespace table {
inline const auto zero = [](ld) { return 0.0L; };
inline const auto one = [](ld) { return 1.0L; };
inline const auto identity = [](ld x) { return x; };
inline const auto zero2 = [](ld, ld) { return 0.0L; };
inline const auto one2 = [](ld, ld) { return 1.0L; };
}  // namespace table

// ---- exponential and logarithms ------------------------------------------------------------------
inline auto exp_case() {
  const auto e = [](ld x) { return std::exp(x); };
  return unary("exp", [](auto x) { return exp(x); }, e, e, e, {{-80}, {-40}, {-1}, {0}, {0.5}, {3}, {40}, {80}});
}
inline auto exp2_case() {
  return unary("exp2", [](auto x) { return exp2(x); }, [](ld x) { return std::exp2(x); },
               [](ld x) { return std::exp2(x) * ln2; }, [](ld x) { return std::exp2(x) * ln2 * ln2; },
               {{-100}, {-30}, {-0.5}, {0}, {1.5}, {10}, {100}});
}
inline auto expm1_case() {
  // Near 0 expm1 keeps full relative precision where exp(x) - 1 would not. The derivative is
  // computed as expm1(x) + 1 (as torch's backward does), which loses its relative precision for
  // large negative x (0 instead of exp(-20) = 2e-9 in float): hence the absolute floor of one
  // ulp of 1 on the derivatives. Reported to the lead: exp(x) would be exact.
  return unary("expm1", [](auto x) { return expm1(x); }, [](ld x) { return std::expm1(x); },
               [](ld x) { return std::exp(x); }, [](ld x) { return std::exp(x); },
               {{-20}, {-1}, {-0x1p-20}, {-0x1p-40}, {0}, {0x1p-30}, {0.7}, {30}}, floors{0, 1, 1});
}
inline auto log_case() {
  return unary("log", [](auto x) { return log(x); }, [](ld x) { return std::log(x); }, [](ld x) { return 1 / x; },
               [](ld x) { return -1 / (x * x); },
               {{0x1p-100, 0x1p-100}, {0x1p-20, 0x1p-20}, {0.3, 0.3}, {1}, {2.5}, {1e10}});
}
inline auto log2_case() {
  return unary("log2", [](auto x) { return log2(x); }, [](ld x) { return std::log2(x); },
               [](ld x) { return 1 / (x * ln2); }, [](ld x) { return -1 / (x * x * ln2); },
               {{0x1p-100, 0x1p-100}, {0x1p-20, 0x1p-20}, {0.3, 0.3}, {1}, {3}, {1e10}});
}
inline auto log10_case() {
  return unary("log10", [](auto x) { return log10(x); }, [](ld x) { return std::log10(x); },
               [](ld x) { return 1 / (x * ln10); }, [](ld x) { return -1 / (x * x * ln10); },
               {{0x1p-100, 0x1p-100}, {0x1p-20, 0x1p-20}, {0.3, 0.3}, {1}, {100}, {1e10}});
}
inline auto log1p_case() {
  return unary("log1p", [](auto x) { return log1p(x); }, [](ld x) { return std::log1p(x); },
               [](ld x) { return 1 / (1 + x); }, [](ld x) { return -1 / ((1 + x) * (1 + x)); },
               {{-1 + 0x1p-20L, 0x1p-21}, {-0.5, 0.5}, {-0x1p-30}, {0}, {0x1p-40}, {3}, {1e6}});
}
inline auto sqrt_case() {
  return unary("sqrt", [](auto x) { return sqrt(x); }, [](ld x) { return std::sqrt(x); },
               [](ld x) { return 0.5L / std::sqrt(x); }, [](ld x) { return -0.25L / (x * std::sqrt(x)); },
               {{0x1p-100, 0x1p-100}, {0x1p-20, 0x1p-20}, {0.25, 0.25}, {2}, {1e8}});
}
inline auto cbrt_case() {
  const auto c = [](ld x) { return std::cbrt(x); };
  return unary("cbrt", [](auto x) { return cbrt(x); }, c, [c](ld x) { return 1 / (3 * c(x) * c(x)); },
               [c](ld x) { return -2 / (9 * c(x) * c(x) * c(x) * c(x) * c(x)); },
               {{-8}, {-0x1p-20, 0x1p-20}, {0x1p-60, 0x1p-60}, {0.5, 0.5}, {27}, {1e9}});
}
// pow with a constant exponent: integral exponents at negative bases follow std::pow.
// A regression check: tg::hessian and tg::hvp gave NaN at negative bases when forward over
// reverse carried the constant exponent as a dual of zero tangent (pow's d/dexponent y * log(x)
// = NaN, times 0, is NaN); constants now enter dual sweeps as plain numbers.
inline auto pow_x_3_case() {
  return unary("pow(x, 3)", [](auto x) { return pow(x, 3.0); }, [](ld x) { return x * x * x; },
               [](ld x) { return 3 * x * x; }, [](ld x) { return 6 * x; }, {{-2.5}, {-1}, {0}, {0.5}, {3}, {100}});
}
inline auto pow_x_2_case() {
  return unary("pow(x, 2)", [](auto x) { return pow(x, 2.0); }, [](ld x) { return x * x; }, [](ld x) { return 2 * x; },
               [](ld) { return 2.0L; }, {{-3}, {0}, {0.75}, {1e6}});
}
inline auto pow_x_m2_case() {
  return unary("pow(x, -2)", [](auto x) { return pow(x, -2.0); }, [](ld x) { return 1 / (x * x); },
               [](ld x) { return -2 / (x * x * x); }, [](ld x) { return 6 / (x * x * x * x); },
               {{-2}, {-0.5, 0.5}, {0.25, 0.25}, {4}});
}
inline auto pow_x_half_case() {
  return unary("pow(x, 0.5)", [](auto x) { return pow(x, 0.5); }, [](ld x) { return std::sqrt(x); },
               [](ld x) { return 0.5L / std::sqrt(x); }, [](ld x) { return -0.25L / (x * std::sqrt(x)); },
               {{0x1p-20, 0x1p-20}, {0.5, 0.5}, {9}});
}
inline auto pow_x_2_5_case() {
  return unary("pow(x, 2.5)", [](auto x) { return pow(x, 2.5); }, [](ld x) { return std::pow(x, 2.5L); },
               [](ld x) { return 2.5L * std::pow(x, 1.5L); }, [](ld x) { return 3.75L * std::pow(x, 0.5L); },
               {{0x1p-10, 0x1p-10}, {1}, {7}});
}
inline auto pow_x_1_case() {
  return unary("pow(x, 1.0)", [](auto x) { return pow(x, 1.0); }, table::identity, table::one, table::zero,
               {{-2}, {0.5}, {3}});
}
inline auto pow_2_x_case() {
  return unary("pow(2, x)", [](auto x) { return pow(2.0, x); }, [](ld x) { return std::exp2(x); },
               [](ld x) { return std::exp2(x) * ln2; }, [](ld x) { return std::exp2(x) * ln2 * ln2; },
               {{-30}, {-1.5}, {0}, {0.5}, {20}});
}
inline auto pow_half_x_case() {
  return unary("pow(0.5, x)", [](auto x) { return pow(0.5, x); }, [](ld x) { return std::pow(0.5L, x); },
               [](ld x) { return -std::pow(0.5L, x) * ln2; }, [](ld x) { return std::pow(0.5L, x) * ln2 * ln2; },
               {{-10}, {0}, {3.25}});
}
inline auto exponential_cases() {
  return std::tuple{exp_case(),    exp2_case(),     expm1_case(),    log_case(),         log2_case(),
                    log10_case(),  log1p_case(),    sqrt_case(),     cbrt_case(),        pow_x_3_case(),
                    pow_x_2_case(), pow_x_m2_case(), pow_x_half_case(), pow_x_2_5_case(), pow_x_1_case(),
                    pow_2_x_case(), pow_half_x_case()};
}

// ---- trigonometric and hyperbolic --------------------------------------------------------------
inline auto sin_case() {
  return unary("sin", [](auto x) { return sin(x); }, [](ld x) { return std::sin(x); }, [](ld x) { return std::cos(x); },
               [](ld x) { return -std::sin(x); }, {{-10}, {-pi / 2}, {0}, {0x1p-30}, {0.5}, {3}, {100}});
}
inline auto cos_case() {
  return unary("cos", [](auto x) { return cos(x); }, [](ld x) { return std::cos(x); }, [](ld x) { return -std::sin(x); },
               [](ld x) { return -std::cos(x); }, {{-10}, {-pi / 2}, {0}, {0x1p-30}, {0.5}, {3}, {100}});
}
inline auto tan_case() {
  const auto sec2 = [](ld x) { return 1 / (std::cos(x) * std::cos(x)); };
  return unary("tan", [](auto x) { return tan(x); }, [](ld x) { return std::tan(x); }, sec2,
               [sec2](ld x) { return 2 * std::tan(x) * sec2(x); }, {{-1.5, 0.07}, {-0.3}, {0}, {1}, {1.57, 4e-4}, {3}});
}
inline auto asin_case() {
  const auto d = [](ld x) { return 1 / std::sqrt(1 - x * x); };
  return unary("asin", [](auto x) { return asin(x); }, [](ld x) { return std::asin(x); }, d,
               [d](ld x) { return x * d(x) * d(x) * d(x); },
               {{-1 + 0x1p-20L, 0x1p-21}, {-0.9, 0.05}, {-0.2}, {0}, {0.5, 0.5}, {0.999, 5e-4}, {1 - 0x1p-20L, 0x1p-21}});
}
inline auto acos_case() {
  const auto d = [](ld x) { return 1 / std::sqrt(1 - x * x); };
  return unary("acos", [](auto x) { return acos(x); }, [](ld x) { return std::acos(x); }, [d](ld x) { return -d(x); },
               [d](ld x) { return -x * d(x) * d(x) * d(x); },
               {{-1 + 0x1p-20L, 0x1p-21}, {-0.9, 0.05}, {-0.2}, {0}, {0.5, 0.5}, {0.999, 5e-4}, {1 - 0x1p-20L, 0x1p-21}});
}
inline auto atan_case() {
  return unary("atan", [](auto x) { return atan(x); }, [](ld x) { return std::atan(x); },
               [](ld x) { return 1 / (1 + x * x); }, [](ld x) { return -2 * x / ((1 + x * x) * (1 + x * x)); },
               {{-1e6}, {-2}, {0}, {0.3}, {5}, {1e9}});
}
inline auto sinh_case() {
  return unary("sinh", [](auto x) { return sinh(x); }, [](ld x) { return std::sinh(x); },
               [](ld x) { return std::cosh(x); }, [](ld x) { return std::sinh(x); },
               {{-80}, {-1}, {0}, {0x1p-14}, {2}, {30}, {80}});
}
inline auto cosh_case() {
  return unary("cosh", [](auto x) { return cosh(x); }, [](ld x) { return std::cosh(x); },
               [](ld x) { return std::sinh(x); }, [](ld x) { return std::cosh(x); },
               {{-80}, {-1}, {0}, {0x1p-14}, {2}, {30}, {80}});
}
inline auto tanh_case() {
  // tanh' = 1 - tanh^2 is computed from the output (as torch does): for large |x| it has an
  // absolute, not a relative, error of about one ulp of 1. Hence the floors.
  const auto sech2 = [](ld x) { return 1 / (std::cosh(x) * std::cosh(x)); };
  return unary("tanh", [](auto x) { return tanh(x); }, [](ld x) { return std::tanh(x); }, sech2,
               [sech2](ld x) { return -2 * std::tanh(x) * sech2(x); }, {{-20}, {-1}, {0}, {0x1p-20}, {0.5}, {3}, {20}},
               floors{0, 1, 1});
}
inline auto asinh_case() {
  const auto d = [](ld x) { return 1 / std::sqrt(1 + x * x); };
  return unary("asinh", [](auto x) { return asinh(x); }, [](ld x) { return std::asinh(x); }, d,
               [d](ld x) { return -x * d(x) * d(x) * d(x); }, {{-1e8}, {-3}, {0}, {0x1p-20}, {0.7}, {1e8}});
}
inline auto acosh_case() {
  const auto d = [](ld x) { return 1 / std::sqrt(x * x - 1); };
  return unary("acosh", [](auto x) { return acosh(x); }, [](ld x) { return std::acosh(x); }, d,
               [d](ld x) { return -x * d(x) * d(x) * d(x); },
               {{1 + 0x1p-20L, 0x1p-21}, {1.001, 5e-4}, {1.5, 0.5}, {10}, {1e8}});
}
inline auto atanh_case() {
  const auto d = [](ld x) { return 1 / (1 - x * x); };
  return unary("atanh", [](auto x) { return atanh(x); }, [](ld x) { return std::atanh(x); }, d,
               [d](ld x) { return 2 * x * d(x) * d(x); },
               {{-1 + 0x1p-20L, 0x1p-21}, {-0.5, 0.5}, {0}, {0x1p-30}, {0.3}, {0.999, 5e-4}, {1 - 0x1p-20L, 0x1p-21}});
}
inline auto trigonometric_cases() {
  return std::tuple{sin_case(),  cos_case(),  tan_case(),  asin_case(),  acos_case(),  atan_case(),
                    sinh_case(), cosh_case(), tanh_case(), asinh_case(), acosh_case(), atanh_case()};
}

// ---- special functions ---------------------------------------------------------------------------
inline auto erf_case() {
  const auto d = [](ld x) { return two_over_sqrt_pi * std::exp(-x * x); };
  return unary("erf", [](auto x) { return erf(x); }, [](ld x) { return std::erf(x); }, d,
               [d](ld x) { return -2 * x * d(x); }, {{-6}, {-2}, {-0.1}, {0}, {0.5}, {3}, {10}, {30}});
}
inline auto erfc_case() {
  const auto d = [](ld x) { return -two_over_sqrt_pi * std::exp(-x * x); };
  return unary("erfc", [](auto x) { return erfc(x); }, [](ld x) { return std::erfc(x); }, d,
               [d](ld x) { return -2 * x * d(x); }, {{-6}, {-2}, {-0.1}, {0}, {0.5}, {3}, {9}, {26}});
}
inline auto tgamma_case() {
  // d/dx Gamma = Gamma psi, d2/dx2 = Gamma (psi^2 + psi')
  const auto g = [](ld x) { return std::tgamma(x); };
  return unary("tgamma", [](auto x) { return tgamma(x); }, g, [g](ld x) { return g(x) * polygamma_ref(0, x); },
               [g](ld x) { return g(x) * (polygamma_ref(0, x) * polygamma_ref(0, x) + polygamma_ref(1, x)); },
               {{-2.5, 0.5}, {-0.5, 0.5}, {-1 + 0x1p-10L, 0x1p-11}, {0x1p-14, 0x1p-15}, {0.5, 0.5}, {1}, {3.7}, {20}, {30}},
               floors{}, gamma_slack);
}
inline auto lgamma_case() {
  return unary("lgamma", [](auto x) { return lgamma(x); }, [](ld x) { return std::lgamma(x); },
               [](ld x) { return polygamma_ref(0, x); }, [](ld x) { return polygamma_ref(1, x); },
               {{-100.5, 0.5}, {-2.5, 0.5}, {-0.5, 0.5}, {-1 + 0x1p-10L, 0x1p-11}, {0x1p-14, 0x1p-15}, {0.5, 0.5}, {1}, {2},
                {3.7}, {100}, {1e10}},
               floors{}, gamma_slack);
}
inline auto digamma_case() {
  return unary("digamma", [](auto x) { return digamma(x); }, [](ld x) { return polygamma_ref(0, x); },
               [](ld x) { return polygamma_ref(1, x); }, [](ld x) { return polygamma_ref(2, x); },
               {{-2.5, 0.5}, {-0.5, 0.5}, {-1 + 0x1p-10L, 0x1p-11}, {0x1p-14, 0x1p-15}, {0.5, 0.5}, {digamma_root, 0.5},
                {3}, {100}, {1e6}},
               floors{}, gamma_slack);
}
inline auto trigamma_case() {
  return unary("trigamma", [](auto x) { return trigamma(x); }, [](ld x) { return polygamma_ref(1, x); },
               [](ld x) { return polygamma_ref(2, x); }, [](ld x) { return polygamma_ref(3, x); },
               {{-2.5, 0.5}, {-0.5, 0.5}, {0x1p-10, 0x1p-11}, {0.25, 0.25}, {1}, {5}, {1e4}}, floors{}, gamma_slack);
}
inline auto sigmoid_case() {
  // sigmoid' = s (1 - s) is computed from the output (as torch does): absolute error of about
  // one ulp of 1 where s rounds to 1. Hence the floors.
  // Regression guard: forward mode once ran the value formula 1 / (1 + exp(-x)) on dual numbers
  // instead of the policy's partial: NaN tangents in float at x = -100 (exp(100) = inf).
  const auto s = [](ld x) { return 1 / (1 + std::exp(-x)); };
  return unary("sigmoid", [](auto x) { return sigmoid(x); }, s, [s](ld x) { return s(x) * (1 - s(x)); },
               [s](ld x) { return s(x) * (1 - s(x)) * (1 - 2 * s(x)); },
               {{-100}, {-50}, {-5}, {0}, {0.5}, {5}, {50}, {100}}, floors{0, 1, 1});
}
inline auto softplus_case() {
  // Regression guard: forward mode once differentiated the value formula
  // max(x, 0) + log1p(exp(-|x|)) on dual numbers, whose kinks at 0 gave softplus'(0) = 0, not 1/2.
  const auto s = [](ld x) { return 1 / (1 + std::exp(-x)); };
  return unary("softplus", [](auto x) { return softplus(x); }, [](ld x) { return std::log1p(std::exp(x)); }, s,
               [s](ld x) { return s(x) * (1 - s(x)); }, {{-100}, {-50}, {-2}, {0}, {1}, {50}, {100}}, floors{0, 0, 1});
}
inline auto special_cases() {
  return std::tuple{erf_case(),     erfc_case(),     tgamma_case(),  lgamma_case(),
                    digamma_case(), trigamma_case(), sigmoid_case(), softplus_case()};
}

// ---- arithmetic, square, abs, relu, and the complex-only functions on reals ----------------------
inline auto arithmetic_cases() {
  using namespace table;
  return std::tuple{
      unary("+x", [](auto x) { return +x; }, identity, one, zero, {{-2.5}, {0}, {3}}),
      unary("-x", [](auto x) { return -x; }, [](ld x) { return -x; }, [](ld) { return -1.0L; }, zero, {{-2.5}, {0}, {3}}),
      unary("-(-x)", [](auto x) { return -(-x); }, identity, one, zero, {{-2.5}, {1e30}}),
      unary("x + 2.5", [](auto x) { return x + 2.5; }, [](ld x) { return x + 2.5L; }, one, zero,
            {{-2.5}, {0}, {1e-10}, {7}}),
      unary("2.5 + x", [](auto x) { return 2.5 + x; }, [](ld x) { return x + 2.5L; }, one, zero, {{-2.5}, {0}, {7}}),
      unary("x - 2.5", [](auto x) { return x - 2.5; }, [](ld x) { return x - 2.5L; }, one, zero, {{-2.5}, {2.5}, {7}}),
      unary("2.5 - x", [](auto x) { return 2.5 - x; }, [](ld x) { return 2.5L - x; }, [](ld) { return -1.0L; }, zero,
            {{-2.5}, {2.5}, {7}}),
      unary("x + x", [](auto x) { return x + x; }, [](ld x) { return 2 * x; }, [](ld) { return 2.0L; }, zero,
            {{-2.5}, {0}, {7}}),
      unary("x - x", [](auto x) { return x - x; }, zero, zero, zero, {{-2.5}, {7}}),
      unary("x * 2.5", [](auto x) { return x * 2.5; }, [](ld x) { return 2.5L * x; }, [](ld) { return 2.5L; }, zero,
            {{-2.5}, {0}, {7}, {1e30}}),
      unary("2.5 * x", [](auto x) { return 2.5 * x; }, [](ld x) { return 2.5L * x; }, [](ld) { return 2.5L; }, zero,
            {{-2.5}, {0}, {7}}),
      unary("x / 2.5", [](auto x) { return x / 2.5; }, [](ld x) { return x / 2.5L; }, [](ld) { return 0.4L; }, zero,
            {{-2.5}, {0}, {7}}),
      unary("2.5 / x", [](auto x) { return 2.5 / x; }, [](ld x) { return 2.5L / x; }, [](ld x) { return -2.5L / (x * x); },
            [](ld x) { return 5 / (x * x * x); }, {{-2.5}, {0x1p-20, 0x1p-20}, {7}, {1e15}}),
      unary("x * x", [](auto x) { return x * x; }, [](ld x) { return x * x; }, [](ld x) { return 2 * x; },
            [](ld) { return 2.0L; }, {{-2.5}, {0}, {7}}),
      // d/dx (x / x) = 1/x - x/x^2: two terms of size 1/|x| <= 0.4 that cancel to within rounding
      // (exactly or not, depending on FMA contraction). Hence the absolute floors.
      unary("x / x", [](auto x) { return x / x; }, one, zero, zero, {{-2.5}, {7}}, floors{0, 1, 1}),
      unary("1 / (1 + x * x)", [](auto x) { return 1.0 / (1.0 + x * x); }, [](ld x) { return 1 / (1 + x * x); },
            [](ld x) { return -2 * x / ((1 + x * x) * (1 + x * x)); },
            [](ld x) { return (6 * x * x - 2) / ((1 + x * x) * (1 + x * x) * (1 + x * x)); }, {{-2.5}, {0}, {0.75}, {30}}),
      unary("square", [](auto x) { return square(x); }, [](ld x) { return x * x; }, [](ld x) { return 2 * x; },
            [](ld) { return 2.0L; }, {{-3}, {0}, {1.5}, {1e15}})};
}

/// abs, fabs and relu away from their kink (the conventions at 0 are in conventions.test.cpp);
/// real, imag, conj, norm, arg of real arguments: x, 0, x, x^2, 0 or pi, as <complex> gives.
inline auto piecewise_cases() {
  using namespace table;
  const auto a = [](ld x) { return std::fabs(x); };
  const auto s = [](ld x) { return x < 0 ? -1.0L : 1.0L; };
  return std::tuple{
      unary("abs", [](auto x) { return abs(x); }, a, s, zero, {{-3}, {-0x1p-30, 0x1p-30}, {0x1p-30, 0x1p-30}, {2}}),
      unary("fabs", [](auto x) { return fabs(x); }, a, s, zero, {{-3}, {-0x1p-30, 0x1p-30}, {0x1p-30, 0x1p-30}, {2}}),
      unary("relu", [](auto x) { return relu(x); }, [](ld x) { return x > 0 ? x : 0.0L; },
            [](ld x) { return x > 0 ? 1.0L : 0.0L; }, zero, {{-2, 1}, {-0x1p-30, 0x1p-30}, {0x1p-30, 0x1p-30}, {3}}),
      unary("real", [](auto x) { return real(x); }, identity, one, zero, {{-2}, {0}, {1.5}}),
      unary("imag", [](auto x) { return imag(x); }, zero, zero, zero, {{-2}, {0}, {1.5}}),
      unary("conj", [](auto x) { return conj(x); }, identity, one, zero, {{-2}, {0}, {1.5}}),
      unary("norm", [](auto x) { return norm(x); }, [](ld x) { return x * x; }, [](ld x) { return 2 * x; },
            [](ld) { return 2.0L; }, {{-2}, {0}, {1.5}}),
      // A regression check: arg of a negative long double was pi rounded to double (1.2e-16 off).
      unary("arg", [](auto x) { return arg(x); }, [](ld x) { return x < 0 ? pi : 0.0L; }, zero, zero,
            {{-2, 1}, {-0x1p-30, 0x1p-30}, {0x1p-30, 0x1p-30}, {1.5}})};
}

// ---- binary ----------------------------------------------------------------------------------------
inline auto binary_cases() {
  using namespace table;
  const auto r2 = [](ld a, ld b) { return a * a + b * b; };
  const auto r = [](ld a, ld b) { return std::hypot(a, b); };
  const auto lt = [](ld x, ld y) { return x < y ? 1.0L : 0.0L; };
  const auto gt = [](ld x, ld y) { return x > y ? 1.0L : 0.0L; };
  const auto mn = [](ld x, ld y) { return std::fmin(x, y); };
  const auto mx = [](ld x, ld y) { return std::fmax(x, y); };
  const std::initializer_list<point2> untied{{1, 2}, {2, 1}, {-3, 0.5}, {0.5, -3}, {-1, -0.5, 0.5}};
  return std::tuple{
      binary("x + y", [](auto x, auto y) { return x + y; }, [](ld x, ld y) { return x + y; }, one2, one2, zero2, zero2,
             zero2, {{-2.5, 1}, {0, 3}, {7, -7}, {1e30, 1}}),
      binary("x - y", [](auto x, auto y) { return x - y; }, [](ld x, ld y) { return x - y; }, one2,
             [](ld, ld) { return -1.0L; }, zero2, zero2, zero2, {{-2.5, 1}, {0, 3}, {7, 7}}),
      binary("x * y", [](auto x, auto y) { return x * y; }, [](ld x, ld y) { return x * y; }, [](ld, ld y) { return y; },
             [](ld x, ld) { return x; }, zero2, one2, zero2, {{-2.5, 1}, {0, 3}, {7, -0.125}, {1e15, 1e-15}}),
      binary("x / y", [](auto x, auto y) { return x / y; }, [](ld x, ld y) { return x / y; },
             [](ld, ld y) { return 1 / y; }, [](ld x, ld y) { return -x / (y * y); }, zero2,
             [](ld, ld y) { return -1 / (y * y); }, [](ld x, ld y) { return 2 * x / (y * y * y); },
             {{-2.5, 1}, {0, 3}, {7, -0.125, 0.1}, {1, 0x1p-20, 0x1p-20}}),
      // x > 0 here; pow's conventions at x = 0 and x < 0 are in conventions.test.cpp
      binary("pow(x, y)", [](auto x, auto y) { return pow(x, y); }, [](ld x, ld y) { return std::pow(x, y); },
             [](ld x, ld y) { return y * std::pow(x, y - 1); }, [](ld x, ld y) { return std::pow(x, y) * std::log(x); },
             [](ld x, ld y) { return y * (y - 1) * std::pow(x, y - 2); },
             [](ld x, ld y) { return std::pow(x, y - 1) * (1 + y * std::log(x)); },
             [](ld x, ld y) { return std::pow(x, y) * std::log(x) * std::log(x); },
             {{0.5, 2.5, 0.5}, {2, -1.5}, {3, 0.5}, {1, 3}, {0x1p-20, 2, 0x1p-20}, {10, 10}, {1.5, 0}}),
      // atan2(a, b): d/da = b / r^2, d/db = -a / r^2; all four quadrants, off the branch cut
      binary("atan2(a, b)", [](auto a, auto b) { return atan2(a, b); }, [](ld a, ld b) { return std::atan2(a, b); },
             [r2](ld a, ld b) { return b / r2(a, b); }, [r2](ld a, ld b) { return -a / r2(a, b); },
             [r2](ld a, ld b) { return -2 * a * b / (r2(a, b) * r2(a, b)); },
             [r2](ld a, ld b) { return (a * a - b * b) / (r2(a, b) * r2(a, b)); },
             [r2](ld a, ld b) { return 2 * a * b / (r2(a, b) * r2(a, b)); },
             {{1, 2}, {-1, 0.5, 0.5}, {0.5, -2, 0.5}, {-3, -1}, {0, 1}, {1e-3, 1e3}, {1e10, 1}}, floors{},
             slack{8, 16, 32}),
      // The second derivatives of hypot come from differentiating the partial a / r, e.g.
      // d/db (b / r) = (1 - (b / r)^2) / r, which cancels when b dominates: their error is
      // absolute, about eps / r, not relative (d2/db2 at (2^-10, 1) is 1e-6, float gives 2^-20).
      // Hence the floor on the second derivatives (the points have r near 1 or above).
      binary("hypot", [](auto a, auto b) { return hypot(a, b); }, r, [r](ld a, ld b) { return a / r(a, b); },
             [r](ld a, ld b) { return b / r(a, b); }, [r](ld a, ld b) { return b * b / (r(a, b) * r(a, b) * r(a, b)); },
             [r](ld a, ld b) { return -a * b / (r(a, b) * r(a, b) * r(a, b)); },
             [r](ld a, ld b) { return a * a / (r(a, b) * r(a, b) * r(a, b)); },
             {{3, 4}, {-1, 2}, {0x1p-10, 1, 0x1p-10}, {-5, -12}, {-1, 0x1p-10, 0x1p-10}, {1e20, -1e20}}, floors{0, 0, 1}),
      // away from ties (the conventions at ties and with NaN are in conventions.test.cpp)
      binary("min", [](auto x, auto y) { return min(x, y); }, mn, lt, gt, zero2, zero2, zero2, untied),
      binary("max", [](auto x, auto y) { return max(x, y); }, mx, gt, lt, zero2, zero2, zero2, untied),
      binary("fmin", [](auto x, auto y) { return fmin(x, y); }, mn, lt, gt, zero2, zero2, zero2, untied),
      binary("fmax", [](auto x, auto y) { return fmax(x, y); }, mx, gt, lt, zero2, zero2, zero2, untied)};
}

}  // namespace ops_test
