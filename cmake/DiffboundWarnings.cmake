# Warnings on for the project's own targets.
function(diffbound_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wno-unused-parameter)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    target_compile_options(${target} PRIVATE -Wno-restrict)  # GCC 12 false positive on std::string concatenation (GCC bug 105651)
  endif()
endfunction()
