# Every dependency comes from Debian packages (scripts/install-deps).
# The ones in the public link interface of the libraries are found again, the same way, by the installed
# diffboundConfig.cmake (cmake/diffboundConfig.cmake.in): keep the two lists in step.
find_package(Boost 1.81 REQUIRED)
find_package(Eigen3 3.4 REQUIRED NO_MODULE)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(CLI11 REQUIRED)
find_package(tomlplusplus REQUIRED)
find_package(Threads REQUIRED)
# MPFI, MPFR, GMP: the imported target diffbound_deps::mpfi (cmake/modules/FindDiffboundMPFI.cmake)
list(APPEND CMAKE_MODULE_PATH ${CMAKE_CURRENT_LIST_DIR}/modules)
find_package(DiffboundMPFI REQUIRED)
