// The dynamic layer's kernels, compiled once for every test executable (TYPEGRAD_SEPARATE_COMPILATION:
// see include/typegrad/config.hpp and TYPEGRAD_TEST_SEPARATE_COMPILATION in CMakeLists.txt).
#include <typegrad/separate_compilation.hpp>
