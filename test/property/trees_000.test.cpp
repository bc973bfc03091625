// Property tests: random expression trees 0 .. 127 (see check.hpp).
#include <catch2/catch.hpp>

#include "check.hpp"

PROP_TREES(0, 63)
PROP_TREES(64, 127)
