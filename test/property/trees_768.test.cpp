// Property tests: random expression trees 768 .. 895 (see check.hpp).
#include <catch2/catch.hpp>

#include "check.hpp"

PROP_TREES(768, 831)
PROP_TREES(832, 895)
