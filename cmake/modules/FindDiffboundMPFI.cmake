# Finds MPFI (intervals) with the MPFR and GMP it is built on, and defines the imported target
# diffbound_deps::mpfi (include directory and libraries of all three).
# MPFR and GMP come from pkg-config (Debian ships mpfr.pc and gmp.pc); MPFI has no .pc file on Debian,
# so its header and library are searched directly (hints: MPFI_ROOT, CMAKE_PREFIX_PATH).
# Used by the build (cmake/DiffboundDependencies.cmake) and installed with the package, so that
# find_package(diffbound) finds the same libraries the same way (diffboundConfig.cmake).
include(FindPackageHandleStandardArgs)
find_package(PkgConfig QUIET)
if(PkgConfig_FOUND)
  pkg_check_modules(DIFFBOUND_PC_MPFR QUIET IMPORTED_TARGET mpfr)
  pkg_check_modules(DIFFBOUND_PC_GMP QUIET IMPORTED_TARGET gmp)
endif()
find_path(MPFI_INCLUDE_DIR mpfi.h)
find_library(MPFI_LIBRARY mpfi)
find_package_handle_standard_args(DiffboundMPFI
  REQUIRED_VARS MPFI_LIBRARY MPFI_INCLUDE_DIR DIFFBOUND_PC_MPFR_FOUND DIFFBOUND_PC_GMP_FOUND
  REASON_FAILURE_MESSAGE "diffbound needs MPFI (mpfi.h, libmpfi) and MPFR and GMP through pkg-config (mpfr.pc, gmp.pc)")
if(DiffboundMPFI_FOUND AND NOT TARGET diffbound_deps::mpfi)
  add_library(diffbound_deps::mpfi INTERFACE IMPORTED)
  set_target_properties(diffbound_deps::mpfi PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${MPFI_INCLUDE_DIR}"
    INTERFACE_LINK_LIBRARIES "${MPFI_LIBRARY};PkgConfig::DIFFBOUND_PC_MPFR;PkgConfig::DIFFBOUND_PC_GMP")
endif()
mark_as_advanced(MPFI_INCLUDE_DIR MPFI_LIBRARY)
