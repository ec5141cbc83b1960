// The communicator of the processes mpirun started (MPI_COMM_WORLD). Compiled only with
// GRUTAPE_MPI; no_mpi.cpp stands in for it otherwise.
//
// allreduce_sum gathers every rank's values (MPI_Allgather) and adds them in rank order on each
// rank: MPI_Allreduce leaves the order of its additions to the implementation (it may differ with
// the message size or the placement of the ranks), this order does not. Long buffers go in
// buckets of kBucketValues, so the gathered copy stays bounded whatever the model's size.

#include <mpi.h>

#include <algorithm>
#include <cstdlib>

#include "core/error.hpp"
#include "optim/distributed/communicator.hpp"

namespace grutape {
namespace {

constexpr std::size_t kBucketValues = std::size_t{1} << 18;

// Finalises MPI at exit when this library initialised it.
struct MpiSession {
  MpiSession() {
    int initialised = 0;
    MPI_Initialized(&initialised);
    if (!initialised) {
      MPI_Init(nullptr, nullptr);
      owned = true;
    }
  }
  ~MpiSession() {
    int finalised = 0;
    MPI_Finalized(&finalised);
    if (owned && !finalised) MPI_Finalize();
  }
  bool owned = false;
};

class MpiCommunicator final : public Communicator {
 public:
  MpiCommunicator() {
    int rank = 0, size = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    rank_ = static_cast<std::size_t>(rank);
    size_ = static_cast<std::size_t>(size);
  }

  std::size_t rank() const override { return rank_; }
  std::size_t size() const override { return size_; }

  void allreduce_sum(std::vector<double>& values) override {
    for (std::size_t begin = 0; begin < values.size(); begin += kBucketValues) {
      const std::size_t count = std::min(kBucketValues, values.size() - begin);
      reduce_bucket(values.data() + begin, count);
    }
  }

  void broadcast(std::vector<double>& values, std::size_t root) override {
    if (values.empty()) return;
    MPI_Bcast(values.data(), static_cast<int>(values.size()), MPI_DOUBLE, static_cast<int>(root),
              MPI_COMM_WORLD);
  }

  std::vector<std::string> allgather_text(const std::string& text) override {
    const int length = static_cast<int>(text.size());
    std::vector<int> lengths(size_), offsets(size_);
    MPI_Allgather(&length, 1, MPI_INT, lengths.data(), 1, MPI_INT, MPI_COMM_WORLD);
    int total = 0;
    for (std::size_t r = 0; r < size_; ++r) {
      offsets[r] = total;
      total += lengths[r];
    }
    std::string joined(static_cast<std::size_t>(total), '\0');
    MPI_Allgatherv(text.data(), length, MPI_CHAR, joined.data(), lengths.data(), offsets.data(),
                   MPI_CHAR, MPI_COMM_WORLD);
    std::vector<std::string> texts;
    for (std::size_t r = 0; r < size_; ++r) texts.push_back(joined.substr(offsets[r], lengths[r]));
    return texts;
  }

  void barrier() override { MPI_Barrier(MPI_COMM_WORLD); }
  [[noreturn]] void abort(int code) override {
    MPI_Abort(MPI_COMM_WORLD, code);
    std::exit(code);
  }
  std::string name() const override { return "MPI"; }

 private:
  void reduce_bucket(double* values, std::size_t count) {
    gathered_.resize(count * size_);
    MPI_Allgather(values, static_cast<int>(count), MPI_DOUBLE, gathered_.data(),
                  static_cast<int>(count), MPI_DOUBLE, MPI_COMM_WORLD);
    std::copy(gathered_.begin(), gathered_.begin() + count, values);
    for (std::size_t r = 1; r < size_; ++r) {
      const double* other = gathered_.data() + r * count;
      for (std::size_t i = 0; i < count; ++i) values[i] += other[i];
    }
  }

  std::size_t rank_ = 0;
  std::size_t size_ = 1;
  std::vector<double> gathered_;
};

}  // namespace

bool mpi_available() { return true; }

std::shared_ptr<Communicator> mpi_communicator() {
  static MpiSession session;
  static std::shared_ptr<Communicator> world = std::make_shared<MpiCommunicator>();
  return world;
}

}  // namespace grutape
