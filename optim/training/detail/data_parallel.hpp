#pragma once
// fit()'s side of a data-parallel run (docs/distributed.md): each process trains on its shard of
// every global batch, and one reduction per step over a flat buffer gives every process the same
// averaged gradients, loss and metric sums, and whether any process failed.

#include <memory>
#include <string>
#include <vector>

#include "layers/layer.hpp"
#include "optim/distributed/communicator.hpp"
#include "optim/training/detail/fit_data.hpp"
#include "optim/training/detail/trainer.hpp"

namespace grutape {

/// The running sums of an epoch over every process.
struct GlobalLogs {
  LossMean loss;
  /// Every metric's sums, as MetricSet::sums() orders them.
  std::vector<double> metric_sums;
};

class DataParallel {
 public:
  /// The run of `communicator`'s processes (more than one) training `trainable`.
  DataParallel(std::shared_ptr<Communicator> communicator, std::vector<Value> trainable);

  /// Rank 0's values of every parameter of `model` on every process.
  void broadcast_parameters(const Layer& model);

  /// One training step on this process's rows of `global_batch` (indices into train.rows): the
  /// forward and backward pass, then the reduction (gradients weighted by the shard's share of
  /// the rows, the epoch's loss and metric sums so far), then clipping and the optimizer's step,
  /// alike on every process. A DistributedError naming the rank and its error when any process
  /// failed in its pass, thrown on every process.
  GlobalLogs train_step(Layer& model, const RowData& train,
                        const std::vector<std::size_t>& global_batch, const FitOptions& options,
                        MetricSet& metrics, LossMean& loss);

  /// Whether any process asks to stop.
  bool any(bool flag);

  /// Ends every process with a message naming this rank and `cause`, for errors outside the
  /// steps (a callback of rank 0 that fails), which the other processes cannot learn of.
  [[noreturn]] void abort_all(const std::string& cause);

  std::size_t rank() const { return communicator_->rank(); }

 private:
  std::vector<double> reduced_buffer(double share, const LossMean& loss, const MetricSet& metrics,
                                     bool failed);
  void throw_failures(const std::string& error);

  std::shared_ptr<Communicator> communicator_;
  std::vector<Value> trainable_;
};

}  // namespace grutape
