# Smoke test of `kholuu-bench store --quick --json` (ctest bench_store_smoke).
# Checks that the run succeeds and that the JSON holds every figure as a
# positive number. It never compares a figure with a threshold: how fast
# anything was is not a test result.
#   cmake -DBENCH=path/to/kholuu-bench -DWORK_DIR=dir -P check_store_json.cmake
cmake_minimum_required(VERSION 3.25)

file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
execute_process(
  COMMAND "${BENCH}" store --quick --json --dir "${WORK_DIR}"
  OUTPUT_VARIABLE out
  ERROR_VARIABLE err
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "kholuu-bench store exited with ${rc}\nstderr:\n${err}\nstdout:\n${out}")
endif()

set(failures "")

# Fails unless the value at the JSON path is a number greater than zero.
function(expect_positive)
  string(JOIN "." where ${ARGN})
  string(JSON value ERROR_VARIABLE json_error GET "${out}" ${ARGN})
  if(json_error)
    set(failures "${failures}\n  ${where}: missing (${json_error})" PARENT_SCOPE)
    return()
  endif()
  string(JSON type ERROR_VARIABLE json_error TYPE "${out}" ${ARGN})
  if(NOT type STREQUAL "NUMBER" OR NOT value GREATER 0)
    set(failures "${failures}\n  ${where}: '${value}' is not a positive number" PARENT_SCOPE)
  endif()
endfunction()

# Fails unless the value at the JSON path is a non-empty string.
function(expect_text)
  string(JOIN "." where ${ARGN})
  string(JSON value ERROR_VARIABLE json_error GET "${out}" ${ARGN})
  if(json_error OR value STREQUAL "")
    set(failures "${failures}\n  ${where}: missing or empty" PARENT_SCOPE)
  endif()
endfunction()

expect_text(benchmark)
expect_text(machine cpu_model)
expect_text(machine kernel)
expect_text(machine fs_type)
expect_positive(machine nproc)

expect_positive(ingest bytes_per_run)
expect_positive(ingest kholuu median_mb_per_s)
expect_positive(ingest kholuu runs_mb_per_s 0)
expect_positive(ingest reference median_mb_per_s)
expect_positive(ingest reference runs_mb_per_s 0)
expect_text(ingest reference command)
expect_positive(ingest ratio)

string(JSON commit_count ERROR_VARIABLE json_error LENGTH "${out}" commits)
if(json_error OR NOT commit_count EQUAL 2)
  set(failures "${failures}\n  commits: expected 2 entries (K = 1 and 100), got '${commit_count}'")
else()
  foreach(i RANGE 1)
    expect_positive(commits ${i} docs_per_txn)
    expect_positive(commits ${i} transactions)
    expect_positive(commits ${i} txn_per_s)
    expect_positive(commits ${i} documents_per_s)
  endforeach()
endif()

expect_positive(lookups catalog_documents)
string(JSON lookup_count ERROR_VARIABLE json_error LENGTH "${out}" lookups results)
if(json_error OR NOT lookup_count EQUAL 4)
  set(failures "${failures}\n  lookups.results: expected 4 entries, got '${lookup_count}'")
else()
  set(names "")
  foreach(i RANGE 3)
    string(JSON name GET "${out}" lookups results ${i} name)
    list(APPEND names "${name}")
    expect_positive(lookups results ${i} lookups)
    expect_positive(lookups results ${i} ops_per_s)
    expect_positive(lookups results ${i} us_per_op)
  endforeach()
  foreach(want GetDocument DocumentsInFile ComponentsBySha256)
    if(NOT want IN_LIST names)
      set(failures "${failures}\n  lookups.results: no ${want}")
    endif()
  endforeach()
endif()

if(failures)
  message(FATAL_ERROR "kholuu-bench store --json output is incomplete:${failures}\n\n${out}")
endif()

# The benchmark removes its scratch directory; nothing may be left behind.
file(GLOB leftovers "${WORK_DIR}/*")
if(leftovers)
  message(FATAL_ERROR "kholuu-bench left files behind: ${leftovers}")
endif()
file(REMOVE_RECURSE "${WORK_DIR}")
message(STATUS "kholuu-bench store --quick --json: all figures present and positive")
