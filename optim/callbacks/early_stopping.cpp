#include "optim/callbacks/early_stopping.hpp"

#include <cmath>

#include "core/detail/option_checks.hpp"

namespace grutape {

EarlyStopping::EarlyStopping(EarlyStoppingOptions options)
    : options_(std::move(options)),
      mode_(resolve_monitor_mode(options_.mode(), options_.monitor())) {
  if (options_.monitor().empty()) throw ValueError("EarlyStopping", "a monitor name", "\"\"");
  detail::require_option(detail::finite_non_negative(options_.min_delta()), "EarlyStopping",
                         "min_delta", ">= 0 and finite", options_.min_delta());
  best_ = monitor_worst(mode_);
}

void EarlyStopping::on_train_begin(TrainingRun&) {
  best_ = monitor_worst(mode_);
  wait_ = 0;
  stopped_epoch_.reset();
  best_epoch_.reset();
  best_weights_.clear();
}

void EarlyStopping::on_epoch_end(TrainingRun& run, std::size_t epoch, Logs& logs) {
  const double value = logs.at(options_.monitor(), "EarlyStopping: monitor");
  if (epoch < options_.start_from_epoch()) return;
  if (options_.restore_best_weights() && best_weights_.empty()) {
    // Until something improves, the first monitored epoch's weights count as the best.
    best_weights_ = copy_weights(run.model);
    best_epoch_ = epoch;
  }
  ++wait_;
  if (monitor_improves(value, best_, options_.min_delta(), mode_)) {
    best_ = value;
    best_epoch_ = epoch;
    if (options_.restore_best_weights()) best_weights_ = copy_weights(run.model);
    const auto& baseline = options_.baseline();
    if (!baseline || monitor_improves(value, *baseline, options_.min_delta(), mode_)) wait_ = 0;
    return;
  }
  if (wait_ >= options_.patience() && epoch > 0) {
    stopped_epoch_ = epoch;
    run.stop_training = true;
  }
}

void EarlyStopping::on_train_end(TrainingRun& run, const Logs&) {
  if (options_.restore_best_weights() && !best_weights_.empty()) {
    restore_weights(run.model, best_weights_);
  }
}

}  // namespace grutape
