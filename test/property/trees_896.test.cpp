// Property tests: random expression trees 896 .. 1023 (see check.hpp).
#include <catch2/catch.hpp>

#include "check.hpp"

PROP_TREES(896, 959)
PROP_TREES(960, 1023)
