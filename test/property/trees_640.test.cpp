// Property tests: random expression trees 640 .. 767 (see check.hpp).
#include <catch2/catch.hpp>

#include "check.hpp"

PROP_TREES(640, 703)
PROP_TREES(704, 767)
