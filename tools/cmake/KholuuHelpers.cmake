# kholuu_cc_library(NAME x SRCS a.cc HDRS a.h DEPS kholuu::base PRIVATE_DEPS PkgConfig::LMDB)
# Creates kholuu_x with alias kholuu::x; the include root is the repository root.
function(kholuu_cc_library)
  cmake_parse_arguments(ARG "" "NAME" "SRCS;HDRS;DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(kholuu_${ARG_NAME} STATIC ${ARG_SRCS} ${ARG_HDRS})
  add_library(kholuu::${ARG_NAME} ALIAS kholuu_${ARG_NAME})
  target_include_directories(kholuu_${ARG_NAME} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(kholuu_${ARG_NAME}
    PUBLIC ${ARG_DEPS} PRIVATE ${ARG_PRIVATE_DEPS} kholuu_warnings)
endfunction()

# kholuu_cc_test(NAME x_test SRCS x_test.cc DEPS kholuu::x LABELS unit)
# One gtest binary; every TEST becomes a ctest test carrying LABELS.
function(kholuu_cc_test)
  cmake_parse_arguments(ARG "" "NAME;TIMEOUT" "SRCS;DEPS;LABELS" ${ARGN})
  if(NOT ARG_LABELS)
    set(ARG_LABELS unit)
  endif()
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 300)
  endif()
  add_executable(${ARG_NAME} ${ARG_SRCS})
  target_link_libraries(${ARG_NAME}
    PRIVATE ${ARG_DEPS} kholuu_test_support kholuu_warnings GTest::gmock GTest::gtest_main)
  target_compile_definitions(${ARG_NAME} PRIVATE KHOLUU_CORPUS_DIR="${KHOLUU_CORPUS_DIR}")
  gtest_discover_tests(${ARG_NAME}
    PROPERTIES LABELS "${ARG_LABELS}" TIMEOUT ${ARG_TIMEOUT}
    DISCOVERY_MODE PRE_TEST)
endfunction()

# kholuu_program(target): what every kholuu program links besides its own
# libraries: jemalloc as the allocator when KHOLUU_JEMALLOC is on (ADR 0065).
function(kholuu_program target)
  if(KHOLUU_JEMALLOC)
    target_link_libraries(${target} PRIVATE PkgConfig::JEMALLOC)
  endif()
endfunction()
