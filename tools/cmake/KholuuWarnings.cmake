# kholuu_warnings: the warning set every kholuu target compiles with.
add_library(kholuu_warnings INTERFACE)
target_compile_options(kholuu_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
  -Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual)
if(KHOLUU_WERROR)
  target_compile_options(kholuu_warnings INTERFACE -Werror)
endif()
if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  target_compile_options(kholuu_warnings INTERFACE -Wthread-safety)
endif()
