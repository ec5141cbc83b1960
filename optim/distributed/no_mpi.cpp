// The MPI entry points of a build without MPI (GRUTAPE_MPI off or OpenMPI absent).
#include "core/error.hpp"
#include "optim/distributed/communicator.hpp"

namespace grutape {

bool mpi_available() { return false; }

std::shared_ptr<Communicator> mpi_communicator() {
  throw DistributedError("mpi_communicator",
                         "a build with MPI (configure with -DGRUTAPE_MPI=ON and install "
                         "libopenmpi-dev)",
                         "a build without MPI");
}

}  // namespace grutape
