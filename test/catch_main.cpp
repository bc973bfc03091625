// The one Catch2 v2 main shared by every test executable (built once, linked by all).
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

// Sanitizer defaults baked into the test executables, so they apply under ctest and
// when a test binary is run by hand alike (environment variables still override).
#if defined(__has_feature)
#  if __has_feature(address_sanitizer)
#    define TYPEGRAD_TEST_ASAN 1
#  endif
#  if __has_feature(undefined_behavior_sanitizer)
#    define TYPEGRAD_TEST_UBSAN 1
#  endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#  define TYPEGRAD_TEST_ASAN 1
#endif

#if defined(TYPEGRAD_TEST_ASAN)
extern "C" const char* __asan_default_options() {
  return "detect_leaks=1:strict_string_checks=1:check_initialization_order=1:"
         "detect_stack_use_after_return=1";
}
#endif
// UBSan has no portable feature macro under GCC; the hook is harmless without UBSan
// (nobody calls it), so define it whenever a sanitizer is on.
#if defined(TYPEGRAD_TEST_ASAN) || defined(TYPEGRAD_TEST_UBSAN)
extern "C" const char* __ubsan_default_options() {
  return "print_stacktrace=1:halt_on_error=1";
}
#endif
