// Property tests: random expression trees 512 .. 639 (see check.hpp).
#include <catch2/catch.hpp>

#include "check.hpp"

PROP_TREES(512, 575)
PROP_TREES(576, 639)
