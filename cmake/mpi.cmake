# GRUTAPE_MPI (auto, ON or OFF) decides whether libgrutape trains on MPI (docs/distributed.md);
# sets GRUTAPE_HAS_MPI. auto uses OpenMPI when its development package is installed; ON stops
# the configuration when it is not.
string(TOUPPER "${GRUTAPE_MPI}" _grutape_mpi)
set(GRUTAPE_HAS_MPI OFF)
if(_grutape_mpi STREQUAL "OFF")
  message(STATUS "grutape: MPI off (GRUTAPE_MPI=OFF): training runs in one process")
elseif(_grutape_mpi STREQUAL "ON" OR _grutape_mpi STREQUAL "AUTO")
  find_package(MPI QUIET COMPONENTS CXX)
  if(MPI_CXX_FOUND)
    set(GRUTAPE_HAS_MPI ON)
    message(STATUS "grutape: MPI ${MPI_CXX_VERSION} (data-parallel training with mpirun)")
  elseif(_grutape_mpi STREQUAL "ON")
    message(FATAL_ERROR "GRUTAPE_MPI=ON needs MPI for C++: install the Debian packages "
                        "libopenmpi-dev and openmpi-bin (scripts/setup), or configure with "
                        "-DGRUTAPE_MPI=auto or OFF")
  else()
    message(STATUS "grutape: MPI not found (install libopenmpi-dev): training runs in one process")
  endif()
else()
  message(FATAL_ERROR "GRUTAPE_MPI: expected auto, ON or OFF, got \"${GRUTAPE_MPI}\"")
endif()
find_program(GRUTAPE_MPIEXEC NAMES mpirun mpiexec)
unset(_grutape_mpi)
