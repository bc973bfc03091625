// The dynamic layer's kernels, compiled once for the test executables (and the examples when
// TYPEGRAD_EXAMPLES_SEPARATE_COMPILATION): the one TU of typegrad_dev_kernels (top-level
// CMakeLists.txt; TYPEGRAD_SEPARATE_COMPILATION: see include/typegrad/config.hpp).
#include <typegrad/separate_compilation.hpp>
