# MPI (docs/cluster.md#mpi): `mpirun -np N diffbound run ...` shares a run between ranks. On by default when
# Boost.MPI 1.81 and an MPI are found (Debian: libboost-mpi1.81-dev, libopenmpi-dev, openmpi-bin; installed by
# scripts/install-deps). MPI is private to the program: verify/mpi_run.cpp is its own library, linked only by
# cli/, never by the installed libraries.
set(_diffbound_mpi_found OFF)
if(NOT DIFFBOUND_FUZZ)
  find_package(MPI QUIET COMPONENTS CXX)
  find_package(Boost 1.81 QUIET COMPONENTS mpi)
  if(MPI_CXX_FOUND AND TARGET Boost::mpi)
    set(_diffbound_mpi_found ON)
  endif()
endif()
option(DIFFBOUND_WITH_MPI "Build MPI support into diffbound run (needs Boost.MPI 1.81 and an MPI)" ${_diffbound_mpi_found})
if(DIFFBOUND_WITH_MPI AND NOT _diffbound_mpi_found)
  message(FATAL_ERROR "DIFFBOUND_WITH_MPI=ON but Boost.MPI 1.81 or MPI was not found (scripts/install-deps installs them; "
                      "-DDIFFBOUND_WITH_MPI=OFF builds without)")
endif()
if(DIFFBOUND_WITH_MPI)
  message(STATUS "diffbound: MPI built in (MPI ${MPI_CXX_VERSION}; launcher ${MPIEXEC_EXECUTABLE})")
else()
  message(STATUS "diffbound: MPI not built in (Boost.MPI 1.81 and MPI not found, or DIFFBOUND_WITH_MPI=OFF)")
endif()
