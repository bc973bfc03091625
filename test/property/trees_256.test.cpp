// Property tests: random expression trees 256 .. 383 (see check.hpp).
#include <catch2/catch.hpp>

#include "check.hpp"

PROP_TREES(256, 319)
PROP_TREES(320, 383)
