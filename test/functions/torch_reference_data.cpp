// The reference table's one definition (see torch_reference.hpp).
#include "functions/torch_reference.hpp"

#include <limits>

namespace functions_reference {

namespace {
[[maybe_unused]] const double tg_inf = std::numeric_limits<double>::infinity();
[[maybe_unused]] const double tg_nan = std::numeric_limits<double>::quiet_NaN();
namespace tg = typegrad;
}  // namespace

const std::vector<ref_case>& reference() {
  static const std::vector<ref_case> cases{
#include "functions/torch_reference.inc"
  };
  return cases;
}

}  // namespace functions_reference
