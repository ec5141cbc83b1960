#pragma once
// The rows of a global batch one process computes in a data-parallel step
// (optim/distributed/): random draws made per batch row (the GRU's dropout masks) are drawn for
// the whole global batch, the same on every process, and each process keeps its shard's rows, so
// a sample meets the same mask whatever the number of processes.

#include <cstddef>
#include <optional>

#include "core/random.hpp"

namespace grutape {

/// Rows [offset, offset + rows) of a global batch of global_rows rows.
struct BatchShard {
  std::size_t offset = 0;
  std::size_t global_rows = 0;
};

/// The shard of the step running on this thread; none outside a data-parallel step.
std::optional<BatchShard> current_batch_shard();

/// Makes `shard` current on this thread for the scope's life.
class BatchShardScope {
 public:
  explicit BatchShardScope(BatchShard shard);
  ~BatchShardScope();
  BatchShardScope(const BatchShardScope&) = delete;
  BatchShardScope& operator=(const BatchShardScope&) = delete;

 private:
  std::optional<BatchShard> previous_;
};

/// random.bernoulli(shape, p, dtype) for a tensor whose axis `batch_axis` counts the batch's
/// rows; in a data-parallel step (a current shard whose rows fit that axis), this shard's rows of
/// the draws for the whole global batch.
Tensor bernoulli_rows(Random& random, const Shape& shape, std::size_t batch_axis, double p,
                      DType dtype);

}  // namespace grutape
