# Consumer check, run by ctest as `cmake -D ... -P typegrad_consumer.cmake`.
#
# MODE=find_package:     `cmake --install` the main build tree into WORK_DIR/prefix,
#                        then build test/consumer with -DCMAKE_PREFIX_PATH=<prefix>.
# MODE=add_subdirectory: build test/consumer, which add_subdirectory()s the source
#                        tree (the FetchContent-style use).
# Either way the consumer's own ctest then runs its program.
#
# Inputs: MODE SOURCE_DIR BINARY_DIR WORK_DIR GENERATOR COMPILER VERSION
#         [LAUNCHER] [BUILD_TYPE] [CONFIG] [MAKE_PROGRAM]
foreach(var MODE SOURCE_DIR BINARY_DIR WORK_DIR GENERATOR COMPILER VERSION)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "typegrad_consumer.cmake: ${var} not set")
  endif()
endforeach()

function(run)
  string(REPLACE ";" " " pretty "${ARGN}")
  message(STATUS "+ ${pretty}")
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "command failed (${rc}): ${pretty}")
  endif()
endfunction()

set(prefix "${WORK_DIR}/prefix")
set(build "${WORK_DIR}/build")
file(REMOVE_RECURSE "${build}" "${prefix}")
file(MAKE_DIRECTORY "${WORK_DIR}")

set(config_args "")
if(CONFIG)
  set(config_args --config "${CONFIG}")
endif()

set(cache_args
  -G "${GENERATOR}"
  "-DCMAKE_CXX_COMPILER=${COMPILER}"
  "-DTYPEGRAD_CONSUMER_MODE=${MODE}"
  "-DTYPEGRAD_EXPECTED_VERSION=${VERSION}")
if(MAKE_PROGRAM)
  list(APPEND cache_args "-DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM}")
endif()
if(LAUNCHER)
  list(APPEND cache_args "-DCMAKE_CXX_COMPILER_LAUNCHER=${LAUNCHER}")
endif()
if(BUILD_TYPE)
  list(APPEND cache_args "-DCMAKE_BUILD_TYPE=${BUILD_TYPE}")
endif()

if(MODE STREQUAL "find_package")
  run("${CMAKE_COMMAND}" --install "${BINARY_DIR}" --prefix "${prefix}" ${config_args})
  # Every public header must have been installed.
  file(GLOB_RECURSE src_headers RELATIVE "${SOURCE_DIR}/include" "${SOURCE_DIR}/include/*.hpp")
  foreach(h IN LISTS src_headers)
    if(NOT EXISTS "${prefix}/include/${h}")
      message(FATAL_ERROR "header not installed: ${h}")
    endif()
  endforeach()
  list(LENGTH src_headers n)
  message(STATUS "${n} headers installed under ${prefix}/include")
  # The pkg-config file must point at the installed headers.
  find_program(PKG_CONFIG_EXECUTABLE NAMES pkg-config pkgconf)
  if(PKG_CONFIG_EXECUTABLE)
    set(ENV{PKG_CONFIG_PATH} "${prefix}/share/pkgconfig")
    execute_process(COMMAND "${PKG_CONFIG_EXECUTABLE}" --cflags typegrad
                    RESULT_VARIABLE rc OUTPUT_VARIABLE cflags ERROR_VARIABLE err
                    OUTPUT_STRIP_TRAILING_WHITESPACE)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "pkg-config --cflags typegrad failed: ${err}")
    endif()
    get_filename_component(want "${prefix}/include" REALPATH)
    if(NOT cflags MATCHES "-I([^ ]+)")
      message(FATAL_ERROR "pkg-config --cflags typegrad: no -I in `${cflags}`")
    endif()
    get_filename_component(got "${CMAKE_MATCH_1}" REALPATH)
    if(NOT got STREQUAL want)
      message(FATAL_ERROR "pkg-config --cflags typegrad: -I${got}, expected -I${want}")
    endif()
    message(STATUS "pkg-config --cflags typegrad: ${cflags}")
  endif()
  list(APPEND cache_args "-DCMAKE_PREFIX_PATH=${prefix}"
                         "-DTYPEGRAD_EXPECTED_DIR=${prefix}")
elseif(MODE STREQUAL "add_subdirectory")
  list(APPEND cache_args "-DTYPEGRAD_SOURCE_DIR=${SOURCE_DIR}")
else()
  message(FATAL_ERROR "MODE must be find_package or add_subdirectory, not `${MODE}`")
endif()

run("${CMAKE_COMMAND}" -S "${SOURCE_DIR}/test/consumer" -B "${build}" ${cache_args})
run("${CMAKE_COMMAND}" --build "${build}" --parallel 1 ${config_args})
set(ctest_config "")
if(CONFIG)
  set(ctest_config -C "${CONFIG}")
endif()
run("${CMAKE_CTEST_COMMAND}" --test-dir "${build}" --output-on-failure --no-tests=error ${ctest_config})
