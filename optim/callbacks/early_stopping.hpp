#pragma once
// Stop training when a monitored number stops improving (Keras' EarlyStopping).
//
// At the end of each epoch from start_from_epoch on, with m = logs[monitor]:
//   - wait += 1;
//   - if m improves on the best (monitor_improves with min_delta): best = m, the weights are
//     copied when restore_best_weights, and wait = 0 unless a baseline is set and m does not
//     improve on it;
//   - otherwise, once wait >= patience (and past the first epoch), training stops.
// With restore_best_weights the model gets the best epoch's weights at the end of training,
// whether it stopped early or not (the first monitored epoch's weights when none improved).

#include <optional>
#include <string>

#include "core/option_arg.hpp"
#include "optim/callbacks/callback.hpp"

namespace grutape {

struct EarlyStoppingOptions {
  /// The logs entry to watch; default "val_loss".
  GRUTAPE_ARG_DEFAULT(std::string, monitor, "val_loss");
  /// Smallest change that counts as an improvement, >= 0; default 0.
  GRUTAPE_ARG_DEFAULT(double, min_delta, 0.0);
  /// Epochs without improvement before stopping; default 0.
  GRUTAPE_ARG_DEFAULT(std::size_t, patience, 0);
  /// Lower or higher is better; default automatic (resolve_monitor_mode).
  GRUTAPE_ARG_DEFAULT(MonitorMode, mode, MonitorMode::automatic);
  /// A value the monitor must beat for the wait to restart; default none.
  GRUTAPE_ARG(std::optional<double>, baseline);
  /// Give the model the best epoch's weights at the end; default false.
  GRUTAPE_ARG_DEFAULT(bool, restore_best_weights, false);
  /// Epochs to ignore at the start (warm-up); default 0.
  GRUTAPE_ARG_DEFAULT(std::size_t, start_from_epoch, 0);

 public:
  /// The fields as configs name them (core/fields.hpp).
  template <class Self, class Visit>
  static void fields(Self& self, Visit&& visit) {
    visit("monitor", self.monitor_);
    visit("min_delta", self.min_delta_);
    visit("patience", self.patience_);
    visit("mode", self.mode_);
    visit("baseline", self.baseline_);
    visit("restore_best_weights", self.restore_best_weights_);
    visit("start_from_epoch", self.start_from_epoch_);
  }
};

class EarlyStopping : public Callback {
 public:
  /// A ValueError carrying the value for a negative or non-finite min_delta or an empty monitor.
  explicit EarlyStopping(EarlyStoppingOptions options = {});

  void on_train_begin(TrainingRun& run) override;
  /// A ValueError naming the monitor and the keys there are when the logs lack it.
  void on_epoch_end(TrainingRun& run, std::size_t epoch, Logs& logs) override;
  void on_train_end(TrainingRun& run, const Logs& logs) override;

  /// The epoch at which training stopped; none when it ran to the end.
  std::optional<std::size_t> stopped_epoch() const { return stopped_epoch_; }
  /// The epoch of the best value so far; none before the first monitored epoch.
  std::optional<std::size_t> best_epoch() const { return best_epoch_; }
  /// The best value so far (the worst possible before any).
  double best() const { return best_; }
  const EarlyStoppingOptions& options() const { return options_; }

 private:
  EarlyStoppingOptions options_;
  MonitorMode mode_;
  double best_ = 0;
  std::size_t wait_ = 0;
  std::optional<std::size_t> stopped_epoch_;
  std::optional<std::size_t> best_epoch_;
  std::vector<Tensor> best_weights_;
};

}  // namespace grutape
