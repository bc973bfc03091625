# Compile-fail check, run by ctest as:
#   cmake -D COMPILER=<c++> -D FLAGS=<;-list> -D SOURCE=<file.cpp> -P typegrad_compile_fail.cmake
#
# SOURCE must contain one or more lines
#   // expect: <CMake regex>
# The test passes iff the compiler FAILS on SOURCE and its output (stdout+stderr)
# matches EVERY expect regex. Regexes use CMake syntax (string(REGEX MATCH)):
# no \d, no {n}, no non-greedy; escape . ( ) [ ] * + ? ^ $ | \ with a backslash.
# The whole compiler output is one string, so a regex may span lines.
foreach(var COMPILER SOURCE)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "typegrad_compile_fail.cmake: ${var} not set")
  endif()
endforeach()

file(STRINGS "${SOURCE}" expect_lines REGEX "^[ \t]*//[ \t]*expect:")
if(NOT expect_lines)
  message(FATAL_ERROR "${SOURCE}: no `// expect: <regex>` line")
endif()

execute_process(
  COMMAND "${COMPILER}" ${FLAGS} "${SOURCE}"
  RESULT_VARIABLE result
  OUTPUT_VARIABLE out
  ERROR_VARIABLE out)

if(result EQUAL 0)
  message(FATAL_ERROR "${SOURCE}: compiled, but it must not.\nCompiler output:\n${out}")
endif()

set(failed FALSE)
foreach(line IN LISTS expect_lines)
  string(REGEX REPLACE "^[ \t]*//[ \t]*expect:[ \t]*" "" regex "${line}")
  string(REGEX REPLACE "[ \t\r]+$" "" regex "${regex}")
  if(regex STREQUAL "")
    message(FATAL_ERROR "${SOURCE}: empty `// expect:` regex")
  endif()
  if(out MATCHES "${regex}")
    message(STATUS "matched: ${regex}")
  else()
    message(STATUS "NOT matched: ${regex}")
    set(failed TRUE)
  endif()
endforeach()

if(failed)
  message(FATAL_ERROR "${SOURCE}: failed to compile, but not with the expected message.\n"
                      "Compiler output:\n${out}")
endif()
message(STATUS "${SOURCE}: fails to compile as expected")
