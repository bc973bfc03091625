// erf, erfc, tgamma, lgamma, digamma, trigamma, sigmoid, softplus, for float, double and long
// double: value against <cmath> (and an independent long double polygamma for digamma and
// trigamma), first and second derivatives against the analytic formulas and central
// differences, through every static-layer entry point (support.hpp). Points (cases.hpp)
// include large |x| for erf and erfc, the poles and negative non-integers of the gamma
// functions, digamma's positive root, and +-50, +-100 for sigmoid and softplus (no overflow,
// no NaN).
#include "ops/cases.hpp"

using namespace ops_test;

TEST_CASE("polygamma reference", "[ops][special]") {
  // the test's own reference, against known values (DLMF 5.4, 5.15)
  constexpr ld euler = 0.577215664901532860606512090082402431L;
  CHECK(std::fabs(polygamma_ref(0, 1) + euler) < 1e-18L);
  CHECK(std::fabs(polygamma_ref(0, 0.5L) + euler + 2 * ln2) < 4e-18L);
  CHECK(std::fabs(polygamma_ref(1, 1) - pi * pi / 6) < 1e-18L);
  CHECK(std::fabs(polygamma_ref(1, 0.5L) - pi * pi / 2) < 1e-17L);
  CHECK(std::fabs(polygamma_ref(2, 1) + 2 * 1.202056903159594285399738161511449991L) < 1e-17L);
  CHECK(std::fabs(polygamma_ref(3, 1) - pi * pi * pi * pi / 15) < 1e-17L);
  CHECK(std::fabs(polygamma_ref(0, -0.5L) - (polygamma_ref(0, 0.5L) + 2)) < 1e-17L);  // psi(x+1) = psi(x) + 1/x
  CHECK(std::fabs(polygamma_ref(0, digamma_root)) < 1e-18L);
}

TEST_CASE("erf", "[ops][special]") { check_real(erf_case()); }
TEST_CASE("erfc", "[ops][special]") { check_real(erfc_case()); }
TEST_CASE("tgamma", "[ops][special]") { check_real(tgamma_case()); }
TEST_CASE("lgamma", "[ops][special]") { check_real(lgamma_case()); }
TEST_CASE("digamma", "[ops][special]") { check_real(digamma_case()); }
TEST_CASE("trigamma", "[ops][special]") { check_real(trigamma_case()); }
TEST_CASE("sigmoid", "[ops][special]") { check_real(sigmoid_case()); }
TEST_CASE("softplus", "[ops][special]") { check_real(softplus_case()); }
