#pragma once
// The options of fit() and evaluate() (optim/training/fit.hpp), and the labelled data they take.
//
// Batch sizes: one, or a list with one per epoch; epoch e trains with batch_sizes[e], and every
// epoch past the end of the list with its last entry (a list that grows the batch as training
// settles, Korali-style, then holds it). Pre-batched input (rank 4 by default, LabVIEW's
// (number of batches, batch, timesteps, features)) keeps its own batches and ignores the sizes.
//
// Shuffling: the rows of each epoch are ordered by epoch_permutation(rows, seed, epoch)
// (optim/data/dataset.hpp), so a seed reproduces a run and a resumed run (initial_epoch) sees the
// orders it would have seen; pre-batched input shuffles the order of its batches, not their rows.
// A stateful model wants shuffle off, so that batch k + 1 continues the sequences of batch k.

#include <cstdint>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/option_arg.hpp"
#include "layers/losses/loss.hpp"
#include "optim/callbacks/callback.hpp"
#include "optim/callbacks/progress.hpp"
#include "optim/distributed/communicator.hpp"
#include "optim/optimizers/optimizer.hpp"

namespace grutape {

/// How the leading axes of x (and of y, weights and mask) are read.
enum class InputBatching {
  /// Rank 4 as batches (LabVIEW's GRU data), any other rank as rows.
  automatic,
  /// Axis 0 counts samples: (samples, ...).
  rows,
  /// Axes 0 and 1 are (number of batches, batch): each batch is one step.
  batches
};

/// Inputs with their targets, and optionally weights and a mask, sharing their leading axes.
struct LabeledData {
  /// The model's inputs: (samples, ...), e.g. (samples, timesteps, features).
  Tensor x;
  /// The targets: values shaped like the outputs, class ids (samples) or (samples, 1) for the
  /// sparse losses and accuracies, one-hot rows for the categorical ones.
  Tensor y;
  /// Optional weights per sample (samples) or per step (samples, timesteps).
  Tensor sample_weight;
  /// Optional (samples, timesteps) of 1 at valid output steps, for sequence outputs; without it
  /// the model's own output mask (Embedding mask_zero, Masking) is used when it has one. Targets
  /// at masked steps are ignored, whatever they hold (NaN padding included).
  Tensor mask;
};

class FitOptions {
 public:
  /// The loss minimised (regularization terms are added to it); default mean_squared_error.
  GRUTAPE_ARG_DEFAULT(Loss, loss, "mean_squared_error");
  /// Metrics by name (metric_names(), "mae", "rmse", or "accuracy"/"acc": the accuracy that
  /// fits the loss); logged under the names given; default none.
  GRUTAPE_ARG(std::vector<std::string>, metrics);
  /// The optimizer; the model's parameters are registered with it (parameter_registration.hpp).
  /// Required: no default.
  GRUTAPE_ARG(std::shared_ptr<Optimizer>, optimizer);
  /// Train up to this epoch count; default 1.
  GRUTAPE_ARG_DEFAULT(std::size_t, epochs, 1);
  /// The first epoch to run (to resume a run); default 0.
  GRUTAPE_ARG_DEFAULT(std::size_t, initial_epoch, 0);
  /// Rows per step (per process in a data-parallel run), one per epoch with the last repeated
  /// (see above), each >= 1; default {32}.
  GRUTAPE_ARG_DEFAULT(std::vector<std::size_t>, batch_sizes, {32});
  /// Held out for validation: the last floor-complement of the rows (or batches) before any
  /// shuffling, as Keras; in [0, 1); default 0.
  GRUTAPE_ARG_DEFAULT(double, validation_split, 0.0);
  /// Validation data, instead of a split; default none.
  GRUTAPE_ARG(std::optional<LabeledData>, validation_data);
  /// Shuffle the rows (or batches) every epoch; default true.
  GRUTAPE_ARG_DEFAULT(bool, shuffle, true);
  /// The seed of the shuffles; default 0.
  GRUTAPE_ARG_DEFAULT(std::uint64_t, seed, 0);
  /// Clip each gradient element to [-value, value] (> 0); default none.
  GRUTAPE_ARG(std::optional<double>, clip_value);
  /// Clip each gradient tensor to this L2 norm (> 0); default none.
  GRUTAPE_ARG(std::optional<double>, clip_norm);
  /// Clip all gradients together to this global L2 norm (> 0); default none.
  GRUTAPE_ARG(std::optional<double>, global_clip_norm);
  /// What is printed (progress.hpp); default automatic.
  GRUTAPE_ARG_DEFAULT(Verbosity, verbosity, Verbosity::automatic);
  /// Called in order at the points callback.hpp lists; default none.
  GRUTAPE_ARG(std::vector<std::shared_ptr<Callback>>, callbacks);
  /// How the leading axes are read; default automatic.
  GRUTAPE_ARG_DEFAULT(InputBatching, input_batching, InputBatching::automatic);
  /// Call model.reset_states() before each epoch: a stateful model drops the states it carried
  /// and starts every epoch from its initial states (with any batch size); default true.
  GRUTAPE_ARG_DEFAULT(bool, reset_each_epoch, true);
  /// Data-parallel training over the communicator's processes (docs/distributed.md): each
  /// process trains on its shard of every global batch of batch size x processes rows, with the
  /// gradients averaged every step; null or one process: training here alone; default null.
  GRUTAPE_ARG(std::shared_ptr<Communicator>, distributed);

 public:
  /// Where it is printed, a stream that outlives fit(); default &std::cout.
  FitOptions& output(std::ostream* stream) {
    output_ = stream;
    return *this;
  }
  std::ostream* output() const { return output_; }

  /// One batch size for every epoch.
  FitOptions& batch_size(std::size_t size) {
    batch_sizes_ = {size};
    return *this;
  }
  /// The batch size of `epoch`.
  std::size_t epoch_batch_size(std::size_t epoch) const;

  /// A ValueError naming the first invalid option and its value.
  void validate() const;

 private:
  std::ostream* output_ = &std::cout;
};

class EvaluateOptions {
 public:
  /// The loss reported (with the regularization terms); default mean_squared_error.
  GRUTAPE_ARG_DEFAULT(Loss, loss, "mean_squared_error");
  /// Metrics by name, as FitOptions::metrics; default none.
  GRUTAPE_ARG(std::vector<std::string>, metrics);
  /// Rows per batch, >= 1 (ignored for pre-batched input); default 32.
  GRUTAPE_ARG_DEFAULT(std::size_t, batch_size, 32);
  /// How the leading axes are read; default automatic.
  GRUTAPE_ARG_DEFAULT(InputBatching, input_batching, InputBatching::automatic);
};

}  // namespace grutape
