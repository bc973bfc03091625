// Compile-fail sample: proves the mechanism (replace with real misuse checks).
// Each file here must FAIL to compile; the compiler output must match every
// `expect:` line (a CMake regex; see cmake/typegrad_compile_fail.cmake).
// expect: typegrad sample: this file must not compile
static_assert(sizeof(int) == 0, "typegrad sample: this file must not compile");

int main() {}
