// Property tests: random expression trees 384 .. 511 (see check.hpp).
#include <catch2/catch.hpp>

#include "check.hpp"

PROP_TREES(384, 447)
PROP_TREES(448, 511)
