// Property tests: random expression trees 128 .. 255 (see check.hpp).
#include <catch2/catch.hpp>

#include "check.hpp"

PROP_TREES(128, 191)
PROP_TREES(192, 255)
