// Printing: every reference string comes from Python torch 1.13's repr
// (make_print_reference.py -> print_reference.inc).
#include <catch2/catch.hpp>

#include <complex>
#include <cstdint>
#include <limits>
#include <sstream>
#include <string>

#include <typegrad/dynamic.hpp>

namespace tg = typegrad;

TEST_CASE("tensors print exactly as Python torch's repr", "[tensor][print]") {
  const double tg_nan = std::numeric_limits<double>::quiet_NaN();
  const double tg_inf = std::numeric_limits<double>::infinity();
  (void)tg_nan;
  (void)tg_inf;
  int n = 0;
#define TG_PRINT_CASE(python, expr, expected) \
  {                                           \
    INFO(python);                             \
    const tg::Tensor t = expr;                \
    std::ostringstream os;                    \
    os << t;                                  \
    CHECK(os.str() == std::string(expected)); \
    ++n;                                      \
  }
#include "tensor/print_reference.inc"
#undef TG_PRINT_CASE
  CHECK(n == 79);
}

TEST_CASE("repr of special cases", "[tensor][print]") {
  CHECK(tg::repr(tg::Tensor()) == "tensor(undefined)");
  CHECK(tg::repr(tg::tensor(-std::numeric_limits<double>::quiet_NaN(), tg::dtype(tg::kFloat))) == "tensor(nan)");
  CHECK(tg::detail::python_format(std::numeric_limits<double>::quiet_NaN(), 'e', 4, 10) == "       nan");
  CHECK(tg::detail::python_format(-0.0, 'f', 4) == "-0.0000");
  CHECK(tg::detail::python_format(1e-8, 'e', 4) == "1.0000e-08");
}
