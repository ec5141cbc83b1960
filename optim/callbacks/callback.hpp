#pragma once
// Callbacks: code fit() runs at fixed points of training (Keras' callbacks). Each hook receives
// the TrainingRun, through which it reads the model, the optimizer and the history so far, and
// may stop training. Epochs are counted from 0, steps (batches) within an epoch from 0.
//
// Order in an epoch: on_epoch_begin, then per batch on_batch_end, then (after validation)
// on_epoch_end, which may add entries to the logs (a callback that changes the learning rate
// writes "learning_rate"); the history records the logs after every callback has seen them.
// Callbacks run in the order given; the progress display runs last.

#include <cstddef>
#include <string>
#include <vector>

#include "core/enum_names.hpp"
#include "layers/layer.hpp"
#include "optim/optimizers/optimizer.hpp"
#include "optim/training/history.hpp"

namespace grutape {

/// What callbacks see of a running fit().
struct TrainingRun {
  TrainingRun(Layer& model, Optimizer& optimizer, const History& history, std::size_t epochs)
      : model(model), optimizer(optimizer), history(history), epochs(epochs) {}

  /// The model being trained.
  Layer& model;
  /// Its optimizer (callbacks may change the learning rate).
  Optimizer& optimizer;
  /// The epochs recorded so far.
  const History& history;
  /// The epoch count the run goes up to (FitOptions::epochs).
  std::size_t epochs;
  /// The number of steps (batches) of the current epoch.
  std::size_t steps = 0;
  /// Set to true to end training after the current batch.
  bool stop_training = false;
};

class Callback {
 public:
  virtual ~Callback() = default;
  /// Before the first epoch.
  virtual void on_train_begin(TrainingRun& run);
  /// After the last epoch, with its logs (empty when no epoch ran).
  virtual void on_train_end(TrainingRun& run, const Logs& logs);
  /// Before the first batch of `epoch`.
  virtual void on_epoch_begin(TrainingRun& run, std::size_t epoch);
  /// After `epoch` and its validation; `logs` may gain entries.
  virtual void on_epoch_end(TrainingRun& run, std::size_t epoch, Logs& logs);
  /// After step `step` of the epoch, with the running means of the epoch so far.
  virtual void on_batch_end(TrainingRun& run, std::size_t step, const Logs& logs);
  /// Whether only the first process of a data-parallel run (docs/distributed.md) runs it: true
  /// for callbacks that write files or print; default false (every process runs it, with the
  /// same logs, e.g. early stopping and learning-rate changes).
  virtual bool leader_only() const { return false; }
};

/// Whether a monitored number is better lower or higher; automatic: higher for names that
/// contain "acc" (accuracies), lower otherwise (losses, errors), as Keras decides.
enum class MonitorMode { automatic, min, max };

template <>
struct EnumNames<MonitorMode> {
  static constexpr NamedValue<MonitorMode> values[] = {
      {MonitorMode::automatic, "auto"}, {MonitorMode::min, "min"}, {MonitorMode::max, "max"}};
};

/// min or max for `monitor` (automatic resolved as above).
MonitorMode resolve_monitor_mode(MonitorMode mode, const std::string& monitor);

/// Whether `value` improves on `best` by more than `min_delta` (>= 0) in the resolved `mode`:
/// value < best - min_delta (min) or value > best + min_delta (max). NaN never improves.
bool monitor_improves(double value, double best, double min_delta, MonitorMode mode);

/// The worst value in `mode`: +inf for min, -inf for max.
double monitor_worst(MonitorMode mode);

/// Copies of the model's parameter tensors, in named_parameters() order.
std::vector<Tensor> copy_weights(const Layer& model);

/// Gives each parameter of `model` a copy of the tensor in `weights` (copy_weights order); a
/// ValueError when the count differs, a ShapeError naming the parameter for a different shape.
void restore_weights(Layer& model, const std::vector<Tensor>& weights);

}  // namespace grutape
