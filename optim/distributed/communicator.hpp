#pragma once
// The processes of a data-parallel run (docs/distributed.md): each knows its rank among size
// processes and takes part in the collectives below, which every rank calls in the same order.
//
// Reductions are repeatable: allreduce_sum adds the ranks' values in rank order (0, 1, ...,
// size - 1) on every rank, so every rank holds bitwise the same sums and a run with the same
// number of processes repeats bitwise. The MPI implementation (mpi_communicator.cpp) is compiled
// only in a build with GRUTAPE_MPI; the single-process one is always there.

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace grutape {

/// A data-parallel run that cannot go on: a rank that raised, or no MPI in this build.
class DistributedError : public Error {
 public:
  using Error::Error;
};

class Communicator {
 public:
  virtual ~Communicator() = default;
  /// This process's rank, in [0, size()).
  virtual std::size_t rank() const = 0;
  /// The number of processes.
  virtual std::size_t size() const = 0;
  /// Replaces `values` (the same count on every rank) by their element-wise sums over the ranks,
  /// added in rank order.
  virtual void allreduce_sum(std::vector<double>& values) = 0;
  /// Replaces `values` (the same count on every rank) by rank `root`'s.
  virtual void broadcast(std::vector<double>& values, std::size_t root) = 0;
  /// Every rank's `text`, indexed by rank.
  virtual std::vector<std::string> allgather_text(const std::string& text) = 0;
  /// Returns when every rank has called it.
  virtual void barrier() = 0;
  /// Ends every process of the run with exit code `code` (a rank that cannot tell the others).
  [[noreturn]] virtual void abort(int code) = 0;
  /// "MPI" or "single process".
  virtual std::string name() const = 0;
};

/// One process alone: rank 0 of 1; the collectives return their input.
std::shared_ptr<Communicator> single_process_communicator();

/// Whether this build has MPI (GRUTAPE_MPI).
bool mpi_available();

/// The processes mpirun started (MPI_COMM_WORLD; MPI is initialised on the first call and
/// finalised at exit). A DistributedError saying so in a build without MPI.
std::shared_ptr<Communicator> mpi_communicator();

/// Whether this process was started by mpirun (or another MPI launcher) among more than one.
bool launched_by_mpi();

/// mpi_communicator() when launched_by_mpi(), else single_process_communicator(); a
/// DistributedError when mpirun started several processes of a build without MPI.
std::shared_ptr<Communicator> launched_communicator();

}  // namespace grutape
