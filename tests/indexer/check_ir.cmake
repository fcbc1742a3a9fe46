# Runs `${BENCH} ir` (kholuu-bench) with and without diacritics and checks MRR@10.
if(NOT EXISTS "${CORPUS}/articles.json")
  # ctest marks the test skipped on this message (SKIP_REGULAR_EXPRESSION);
  # cmake_language(EXIT) needs CMake 3.29, newer than Debian 12's.
  message("ALQAC corpus not found at ${CORPUS}: skipped")
  return()
endif()
foreach(mode "" "--strip-diacritics")
  execute_process(COMMAND ${BENCH} ir --articles ${CORPUS}/articles.json --queries ${CORPUS}/train.json ${mode}
                  OUTPUT_VARIABLE out RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "ir evaluation failed (${rc})")
  endif()
  string(JSON mrr GET "${out}" mrr_at_10)
  if(mode STREQUAL "")
    set(min 0.88)
  else()
    set(min 0.84)
  endif()
  message("mode '${mode}': MRR@10 ${mrr} (target ${min})")
  if(mrr LESS min)
    message(FATAL_ERROR "MRR@10 ${mrr} below ${min}")
  endif()
endforeach()
