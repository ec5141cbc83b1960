#include <cstdlib>
#include <string>

#include "core/error.hpp"
#include "optim/distributed/communicator.hpp"

namespace grutape {
namespace {

// The process count an MPI launcher tells its processes: OpenMPI's, MPICH's (PMI) or Slurm's.
std::size_t launched_processes() {
  for (const char* variable : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE"}) {
    if (const char* value = std::getenv(variable)) return std::strtoul(value, nullptr, 10);
  }
  return 0;
}

}  // namespace

bool launched_by_mpi() { return launched_processes() > 1; }

std::shared_ptr<Communicator> launched_communicator() {
  if (!launched_by_mpi()) return single_process_communicator();
  if (!mpi_available()) {
    throw DistributedError("distributed training",
                           "a build with MPI (configure with -DGRUTAPE_MPI=ON) to train on " +
                               std::to_string(launched_processes()) + " processes",
                           "a build without MPI");
  }
  return mpi_communicator();
}

}  // namespace grutape
