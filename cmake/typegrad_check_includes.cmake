# Include-graph check, run by ctest as:
#   cmake -D COMPILER=<c++> -D FLAGS=<;-list> -D SOURCE=<tu.cpp> -D FORBIDDEN=<regex> \
#         -P typegrad_check_includes.cmake
# Preprocesses SOURCE with -M (list every header it pulls in) and fails if any
# dependency path matches FORBIDDEN. Used to prove <typegrad/static.hpp> does not
# drag in the dynamic layer.
foreach(var COMPILER SOURCE FORBIDDEN)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "typegrad_check_includes.cmake: ${var} not set")
  endif()
endforeach()

execute_process(
  COMMAND "${COMPILER}" ${FLAGS} -M "${SOURCE}"
  RESULT_VARIABLE result
  OUTPUT_VARIABLE deps
  ERROR_VARIABLE err)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "preprocessing ${SOURCE} failed:\n${err}")
endif()

# One dependency per list element.
string(REPLACE "\\\n" " " deps "${deps}")
string(REGEX REPLACE "[ \t\n]+" ";" deps "${deps}")
set(bad "")
set(count 0)
foreach(dep IN LISTS deps)
  if(dep MATCHES "\\.(h|hh|hpp|hxx|ipp|tpp)$" OR dep MATCHES "/include/c\\+\\+/")
    math(EXPR count "${count} + 1")
  endif()
  if(dep MATCHES "${FORBIDDEN}")
    list(APPEND bad "${dep}")
  endif()
endforeach()

if(bad)
  list(JOIN bad "\n  " bad)
  message(FATAL_ERROR "${SOURCE} pulls in forbidden headers (regex `${FORBIDDEN}`):\n  ${bad}")
endif()
message(STATUS "${SOURCE}: ${count} headers, none matching `${FORBIDDEN}`")
