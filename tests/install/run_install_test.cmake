# cmake -P driver of the ctest test install.find_package (tests/install/CMakeLists.txt). Each step must
# succeed; the consumer must have found diffbound in the fresh prefix (not elsewhere) and print the KL of
# examples/gaussian.toml (0.000694638588746 by the certified engine; README "Using it").
set(expected "KL = 6.9463858875e-04")
set(prefix ${WORK_DIR}/prefix)
set(consumer_build ${WORK_DIR}/consumer-build)
file(REMOVE_RECURSE ${WORK_DIR})

function(step what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "install test: ${what} failed (exit ${rc}):\n${out}\n${err}")
  endif()
  set(step_output "${out}" PARENT_SCOPE)
endfunction()

step("cmake --install" ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})
foreach(f lib/cmake/diffbound/diffboundConfig.cmake lib/cmake/diffbound/diffboundConfigVersion.cmake
          include/diffbound/numerics/exact.hpp include/diffbound/verify/version.hpp bin/diffbound)
  if(NOT EXISTS ${prefix}/${f})
    message(FATAL_ERROR "install test: ${prefix}/${f} was not installed")
  endif()
endforeach()
step("the installed program" ${prefix}/bin/diffbound --version)

string(TOUPPER "${BUILD_TYPE}" config)
set(launcher)
if(CXX_LAUNCHER)
  set(launcher -DCMAKE_CXX_COMPILER_LAUNCHER=${CXX_LAUNCHER})
endif()
# The user package registry is off so that only CMAKE_PREFIX_PATH can supply diffbound.
step("configuring the consumer (find_package(diffbound))"
     ${CMAKE_COMMAND} -S ${CONSUMER_DIR} -B ${consumer_build} -G ${GENERATOR}
     -DCMAKE_CXX_COMPILER=${CXX_COMPILER} ${launcher} -DCMAKE_BUILD_TYPE=${BUILD_TYPE}
     "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}" "-DCMAKE_CXX_FLAGS_${config}=${CXX_FLAGS_CONFIG}"
     "-DCMAKE_EXE_LINKER_FLAGS=${EXE_LINKER_FLAGS}"
     -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF)
file(STRINGS ${consumer_build}/CMakeCache.txt found REGEX "^diffbound_DIR:")
string(REGEX REPLACE "^diffbound_DIR:[A-Z]+=" "" found "${found}")
if(NOT found STREQUAL "${prefix}/lib/cmake/diffbound")
  message(FATAL_ERROR "install test: the consumer found diffbound in '${found}', not in ${prefix}/lib/cmake/diffbound")
endif()
step("building the consumer" ${CMAKE_COMMAND} --build ${consumer_build} --parallel 1)
step("running the consumer" ${consumer_build}/consumer)
string(STRIP "${step_output}" printed)
if(NOT printed STREQUAL expected)
  message(FATAL_ERROR "install test: the consumer printed '${printed}', expected '${expected}'")
endif()
message(STATUS "install test: ${printed} (diffbound from ${found})")
