#pragma once
// Callbacks that set the optimizer's learning rate between epochs: a schedule of the epoch
// (optim/schedules/schedule.hpp, Keras' LearningRateScheduler) or a reduction on a plateau of a
// monitored number (optim/callbacks/plateau.hpp, Keras' ReduceLROnPlateau). Both write the rate the
// epoch used into its logs as "learning_rate".

#include <memory>
#include <optional>
#include <string>

#include "optim/callbacks/callback.hpp"
#include "optim/callbacks/plateau.hpp"
#include "optim/schedules/schedule.hpp"

namespace grutape {

class LearningRateScheduler : public Callback {
 public:
  /// Sets the rate to schedule->rate(epoch) before each epoch (epochs from 0); a ValueError for
  /// a null schedule.
  explicit LearningRateScheduler(std::shared_ptr<const LearningRateSchedule> schedule);

  void on_epoch_begin(TrainingRun& run, std::size_t epoch) override;
  void on_epoch_end(TrainingRun& run, std::size_t epoch, Logs& logs) override;

 private:
  std::shared_ptr<const LearningRateSchedule> schedule_;
};

class ReduceLrOnPlateau : public Callback {
 public:
  /// Watches logs[monitor] with `options`; a ValueError for an empty monitor or options out of
  /// range (checked as ReduceOnPlateau checks them).
  explicit ReduceLrOnPlateau(std::string monitor = "val_loss", ReduceOnPlateauOptions options = {});

  /// Starts a fresh plateau tracker from the optimizer's current rate.
  void on_train_begin(TrainingRun& run) override;
  /// Observes the monitor and gives the optimizer the resulting rate; a ValueError naming the
  /// monitor and the keys there are when the logs lack it.
  void on_epoch_end(TrainingRun& run, std::size_t epoch, Logs& logs) override;

  /// The tracker of the current run; a ValueError before training began.
  const ReduceOnPlateau& plateau() const;

 private:
  std::string monitor_;
  ReduceOnPlateauOptions options_;
  std::optional<ReduceOnPlateau> plateau_;
};

}  // namespace grutape
