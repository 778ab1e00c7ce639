# Helpers shared by every component's CMakeLists.txt.

# KP_DCHECK (src/common/dcheck.h) checks invariants in debug and sanitizer builds only.
if(KP_SANITIZE OR CMAKE_BUILD_TYPE STREQUAL "Debug")
  add_compile_definitions(KP_DCHECK_ON=1)
endif()

if(KP_SANITIZE)
  string(REPLACE "," ";" _kp_sanitizers "${KP_SANITIZE}")
  foreach(s IN LISTS _kp_sanitizers)
    add_compile_options(-fsanitize=${s})
    add_link_options(-fsanitize=${s})
  endforeach()
  add_compile_options(-fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fno-sanitize-recover=all)
endif()

# Warnings as errors only where the project is built for itself (KP_WERROR, on when top-level):
# a user's newer compiler must not fail their build on a new warning.
set(KP_WARNINGS -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wimplicit-fallthrough)
if(KP_WERROR)
  list(APPEND KP_WARNINGS -Werror)
endif()
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  # GCC 12 at -O3 warns falsely on std::string concatenation ("x" + std::string):
  # https://gcc.gnu.org/bugzilla/show_bug.cgi?id=105329
  list(APPEND KP_WARNINGS -Wno-restrict)
endif()

# The optimisation level of the tests' own sources (kp_test): -O1 where the build optimises,
# -O0 in sanitizer builds (their reports need no speed from the test's code).
if(KP_SANITIZE)
  set(KP_TEST_OPTIMIZE -O0 CACHE STRING "Optimisation flag for the tests' own sources")
elseif(CMAKE_BUILD_TYPE MATCHES "^(Release|RelWithDebInfo|MinSizeRel)$")
  set(KP_TEST_OPTIMIZE -O1 CACHE STRING "Optimisation flag for the tests' own sources")
else()
  set(KP_TEST_OPTIMIZE "" CACHE STRING "Optimisation flag for the tests' own sources")
endif()

# kp_target_defaults(target): the warnings and the public headers (include/, and the generated
# kinesis/version.h under the build folder's include/).
function(kp_target_defaults target)
  target_compile_options(${target} PRIVATE ${KP_WARNINGS})
  target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR}/include
                                              ${PROJECT_BINARY_DIR}/include)
endfunction()

# kp_component_include_root(out component): a folder whose only entry is `component`, a link
# to src/<component>. A component's library puts its own root on its include path, so its
# headers ("pipeline/engine.h") are visible to what links it and to nothing else: a layer
# cannot include a header of a layer it does not depend on (one above it, or beside it).
function(kp_component_include_root out component)
  set(root ${PROJECT_BINARY_DIR}/include_roots/${component})
  if(NOT EXISTS ${root}/${component})
    file(MAKE_DIRECTORY ${root})
    file(CREATE_LINK ${PROJECT_SOURCE_DIR}/src/${component} ${root}/${component} SYMBOLIC)
  endif()
  set(${out} ${root} PARENT_SCOPE)
endfunction()

# kp_library(name SOURCES ... DEPS ...): a static library of project code. Under src/<c>, its
# headers are "c/..." for itself and for what links it (kp_component_include_root).
function(kp_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  kp_target_defaults(${name})
  file(RELATIVE_PATH rel ${PROJECT_SOURCE_DIR}/src ${CMAKE_CURRENT_SOURCE_DIR})
  if(NOT rel MATCHES "^\\.\\." AND NOT rel MATCHES "/")
    kp_component_include_root(root ${rel})
    target_include_directories(${name} PUBLIC ${root})
  endif()
  target_link_libraries(${name} PUBLIC ${ARG_DEPS})
endfunction()

# kp_test(name SOURCES ... DEPS ... [LABELS ...] [FIXTURES ...] [TIMEOUT s]): a GoogleTest
# binary registered with CTest. FIXTURES names back-end fixtures (kinesalite, kinesis_mock)
# that CTest starts before the test and stops after; the test finds them through
# KP_BACKEND_DIR (see scripts/backends).
function(kp_test name)
  if(NOT KP_BUILD_TESTS)
    return()
  endif()
  cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;DEPS;LABELS;FIXTURES" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  kp_target_defaults(${name})
  # The test's own code at a lower optimisation level than the code it tests (KP_TEST_OPTIMIZE):
  # -O3 of GoogleTest's expanded macros costs a third of a release build's compile time and
  # speeds up nothing that is measured; the libraries under test keep the build type's flags.
  target_compile_options(${name} PRIVATE ${KP_TEST_OPTIMIZE})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main Threads::Threads)
  target_compile_definitions(${name} PRIVATE
    KP_SOURCE_DIR="${PROJECT_SOURCE_DIR}" KP_NODE="${KP_NODE}")
  kp_add_test(${name} COMMAND ${name} TIMEOUT "${ARG_TIMEOUT}" LABELS "${ARG_LABELS}"
    FIXTURES "${ARG_FIXTURES}")
endfunction()

# kp_add_test(name COMMAND ... [LABELS ...] [FIXTURES ...] [ENVIRONMENT ...] [TIMEOUT s]): any
# command as a CTest test, with the back-end fixtures and environment every test gets (tests
# in C, Python and shell; kp_test registers its GoogleTest binaries through it).
function(kp_add_test name)
  cmake_parse_arguments(ARG "" "TIMEOUT" "COMMAND;LABELS;FIXTURES;ENVIRONMENT" ${ARGN})
  add_test(NAME ${name} COMMAND ${ARG_COMMAND})
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 300)
  endif()
  set_tests_properties(${name} PROPERTIES TIMEOUT ${ARG_TIMEOUT}
    LABELS "${ARG_LABELS}"
    ENVIRONMENT "KP_BACKEND_DIR=${PROJECT_BINARY_DIR}/backends;AWS_EC2_METADATA_DISABLED=true")
  if(ARG_ENVIRONMENT)
    set_property(TEST ${name} APPEND PROPERTY ENVIRONMENT ${ARG_ENVIRONMENT})
  endif()
  if(ARG_FIXTURES)
    set_tests_properties(${name} PROPERTIES FIXTURES_REQUIRED "${ARG_FIXTURES}")
    foreach(fixture IN LISTS ARG_FIXTURES)
      kp_backend_fixture(${fixture})
    endforeach()
  endif()
endfunction()

# kp_c_program(name SOURCES ... DEPS ...): a program written in C99, warnings as errors.
function(kp_c_program name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  set_target_properties(${name} PROPERTIES C_STANDARD 99 C_STANDARD_REQUIRED ON C_EXTENSIONS OFF)
  target_compile_options(${name} PRIVATE -Wall -Wextra -Wpedantic $<$<BOOL:${KP_WERROR}>:-Werror>)
  target_link_libraries(${name} PRIVATE ${ARG_DEPS})
endfunction()

# kp_backend_fixture(name): CTest setup/cleanup tests that start and stop a local back-end.
function(kp_backend_fixture name)
  # Once per build tree: if(TEST) only sees the current directory, and a second setup test in
  # another directory would restart (stop, then start) the back-end under a running test.
  get_property(defined GLOBAL PROPERTY KP_BACKEND_FIXTURE_${name})
  if(defined)
    return()
  endif()
  set_property(GLOBAL PROPERTY KP_BACKEND_FIXTURE_${name} TRUE)
  add_test(NAME backend_start_${name}
    COMMAND ${PROJECT_SOURCE_DIR}/scripts/backends start ${name} ${PROJECT_BINARY_DIR}/backends)
  add_test(NAME backend_stop_${name}
    COMMAND ${PROJECT_SOURCE_DIR}/scripts/backends stop ${name} ${PROJECT_BINARY_DIR}/backends)
  set_tests_properties(backend_start_${name} PROPERTIES FIXTURES_SETUP ${name} TIMEOUT 60)
  if(name STREQUAL "kinesis_sim")
    # scripts/backends starts the program built here, with the test's KP_SIM_ARGS if any.
    set_tests_properties(backend_start_${name} PROPERTIES
      ENVIRONMENT "KP_SIM_BINARY=$<TARGET_FILE:kinesis-sim>")
  endif()
  set_tests_properties(backend_stop_${name} PROPERTIES FIXTURES_CLEANUP ${name} TIMEOUT 60)
endfunction()

# kp_benchmark(name SOURCES ... DEPS ...): a benchmark program (never a test).
# Output goes to <build>/bench/.
function(kp_benchmark name)
  if(NOT KP_BUILD_BENCH)
    return()
  endif()
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  kp_target_defaults(${name})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} Threads::Threads)
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/bench)
endfunction()

# kp_fuzzer(name SOURCES ... DEPS ... SEEDS dir): a libFuzzer target (KP_FUZZ builds only),
# run by CTest for KP_FUZZ_SECONDS (environment, default 10) starting from the committed seed
# corpus in `dir`; new inputs go to the build folder, never into the source tree.
function(kp_fuzzer name)
  if(NOT KP_FUZZ)
    return()
  endif()
  cmake_parse_arguments(ARG "" "SEEDS" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  kp_target_defaults(${name})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS})
  target_link_options(${name} PRIVATE -fsanitize=fuzzer)
  set(work ${PROJECT_BINARY_DIR}/fuzz-corpus/${name})
  file(MAKE_DIRECTORY ${work})
  if(DEFINED ENV{KP_FUZZ_SECONDS})
    set(seconds $ENV{KP_FUZZ_SECONDS})
  else()
    set(seconds 10)
  endif()
  add_test(NAME ${name}
    COMMAND ${name} -max_total_time=${seconds} -timeout=10 -rss_limit_mb=2048
            -print_final_stats=1 ${work} ${ARG_SEEDS})
  math(EXPR limit "${seconds} + 120")
  set_tests_properties(${name} PROPERTIES TIMEOUT ${limit} LABELS fuzz)
endfunction()

# kp_add_subfolders(): adds every subfolder of the current folder that has a CMakeLists.txt
# (tests/, bench/, tools/, fuzz/: one subfolder per area, owned by its component).
function(kp_add_subfolders)
  file(GLOB children LIST_DIRECTORIES true ${CMAKE_CURRENT_SOURCE_DIR}/*)
  foreach(child IN LISTS children)
    if(IS_DIRECTORY ${child} AND EXISTS ${child}/CMakeLists.txt)
      add_subdirectory(${child})
    endif()
  endforeach()
endfunction()
