#include "optim/callbacks/rate_callbacks.hpp"

namespace grutape {

LearningRateScheduler::LearningRateScheduler(std::shared_ptr<const LearningRateSchedule> schedule)
    : schedule_(std::move(schedule)) {
  if (!schedule_) throw ValueError("LearningRateScheduler", "a schedule", "a null pointer");
}

void LearningRateScheduler::on_epoch_begin(TrainingRun& run, std::size_t epoch) {
  run.optimizer.set_learning_rate(schedule_->rate(epoch));
}

void LearningRateScheduler::on_epoch_end(TrainingRun& run, std::size_t, Logs& logs) {
  logs.set("learning_rate", run.optimizer.learning_rate());
}

ReduceLrOnPlateau::ReduceLrOnPlateau(std::string monitor, ReduceOnPlateauOptions options)
    : monitor_(std::move(monitor)), options_(options) {
  if (monitor_.empty()) throw ValueError("ReduceLrOnPlateau", "a monitor name", "\"\"");
  ReduceOnPlateau check(0.0, options_);  // validates the options now, not at the first epoch
}

void ReduceLrOnPlateau::on_train_begin(TrainingRun& run) {
  plateau_.emplace(run.optimizer.learning_rate(), options_);
}

void ReduceLrOnPlateau::on_epoch_end(TrainingRun& run, std::size_t, Logs& logs) {
  const double value = logs.at(monitor_, "ReduceLrOnPlateau: monitor");
  if (!plateau_) plateau_.emplace(run.optimizer.learning_rate(), options_);
  logs.set("learning_rate", run.optimizer.learning_rate());
  run.optimizer.set_learning_rate(plateau_->observe(value));
}

const ReduceOnPlateau& ReduceLrOnPlateau::plateau() const {
  if (!plateau_) {
    throw ValueError("ReduceLrOnPlateau::plateau", "a started training run", "none started");
  }
  return *plateau_;
}

}  // namespace grutape
