# diffbound as a library: namespaced targets, `cmake --install`, and find_package(diffbound) from the prefix.
#
#   find_package(diffbound 0.1 REQUIRED)
#   target_link_libraries(app PRIVATE diffbound::numerics)   # or diffbound::bounds, ::verify, ::reports
#
# Layout under the prefix:
#   bin/diffbound                              the program (imported as diffbound::diffbound)
#   lib/libdiffbound_{numerics,bounds,verify,reports}.a
#   include/diffbound/{numerics,bounds,verify,reports}/...   headers, included as "numerics/exact.hpp" etc.
#                                              (the targets put include/diffbound on the include path)
#   lib/cmake/diffbound/                       diffboundConfig.cmake, ConfigVersion, Targets, and the
#                                              Find module for MPFI/MPFR/GMP (modules/)
# Tested by tests/install (ctest -R install): install into the build folder, build a consumer, run it.
include(CMakePackageConfigHelpers)

set(DIFFBOUND_LIBRARIES numerics bounds verify reports)
foreach(layer IN LISTS DIFFBOUND_LIBRARIES)
  add_library(diffbound::${layer} ALIAS diffbound_${layer})
  set_target_properties(diffbound_${layer} PROPERTIES EXPORT_NAME ${layer})
endforeach()
add_executable(diffbound::diffbound ALIAS diffbound)

install(TARGETS diffbound_numerics diffbound_bounds diffbound_verify diffbound_reports diffbound
        EXPORT diffboundTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/diffbound)

# The public headers keep the paths they include each other by (numerics/..., numerics/detail/..., bounds/...).
foreach(layer IN LISTS DIFFBOUND_LIBRARIES)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/${layer}/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/diffbound/${layer}
          FILES_MATCHING PATTERN "*.hpp"
          PATTERN "mpi_run.hpp" EXCLUDE)  # the program's, not the library's (verify/CMakeLists.txt)
endforeach()
install(FILES ${PROJECT_BINARY_DIR}/verify/generated/verify/version.hpp
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/diffbound/verify)

set(DIFFBOUND_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/diffbound)
install(EXPORT diffboundTargets NAMESPACE diffbound:: DESTINATION ${DIFFBOUND_CMAKE_DIR})
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/diffboundConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/diffboundConfig.cmake
                              INSTALL_DESTINATION ${DIFFBOUND_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/diffboundConfigVersion.cmake
                                 VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/diffboundConfig.cmake ${PROJECT_BINARY_DIR}/diffboundConfigVersion.cmake
        DESTINATION ${DIFFBOUND_CMAKE_DIR})
install(FILES ${CMAKE_CURRENT_LIST_DIR}/modules/FindDiffboundMPFI.cmake DESTINATION ${DIFFBOUND_CMAKE_DIR}/modules)
