// tg::half and tg::bfloat16: the exponential, trigonometric, hyperbolic and special functions
// of cases.hpp, checked as narrow.hpp describes.
#include "ops/narrow.hpp"

using namespace ops_test;

TEST_CASE("half and bfloat16: exponential functions and pow", "[ops][narrow]") { check_both_narrow(exponential_cases()); }
TEST_CASE("half and bfloat16: trigonometric and hyperbolic functions", "[ops][narrow]") {
  check_both_narrow(trigonometric_cases());
}
TEST_CASE("half and bfloat16: special functions", "[ops][narrow]") { check_both_narrow(special_cases()); }
