#include "optim/callbacks/callback.hpp"

#include <cmath>
#include <limits>

namespace grutape {

void Callback::on_train_begin(TrainingRun&) {}
void Callback::on_train_end(TrainingRun&, const Logs&) {}
void Callback::on_epoch_begin(TrainingRun&, std::size_t) {}
void Callback::on_epoch_end(TrainingRun&, std::size_t, Logs&) {}
void Callback::on_batch_end(TrainingRun&, std::size_t, const Logs&) {}

MonitorMode resolve_monitor_mode(MonitorMode mode, const std::string& monitor) {
  if (mode != MonitorMode::automatic) return mode;
  return monitor.find("acc") != std::string::npos ? MonitorMode::max : MonitorMode::min;
}

bool monitor_improves(double value, double best, double min_delta, MonitorMode mode) {
  if (std::isnan(value)) return false;
  return mode == MonitorMode::max ? value > best + min_delta : value < best - min_delta;
}

double monitor_worst(MonitorMode mode) {
  const double inf = std::numeric_limits<double>::infinity();
  return mode == MonitorMode::max ? -inf : inf;
}

std::vector<Tensor> copy_weights(const Layer& model) {
  std::vector<Tensor> weights;
  for (const auto& [_, parameter] : model.named_parameters()) {
    weights.push_back(parameter.value().clone());
  }
  return weights;
}

void restore_weights(Layer& model, const std::vector<Tensor>& weights) {
  auto parameters = model.named_parameters();
  if (parameters.size() != weights.size()) {
    throw ValueError("restore_weights",
                     std::to_string(parameters.size()) + " tensors (the model's)",
                     std::to_string(weights.size()));
  }
  for (std::size_t i = 0; i < weights.size(); ++i) {
    require_shape(weights[i], parameters[i].second.shape(),
                  "restore_weights \"" + parameters[i].first + "\"");
  }
  // A new tensor for each parameter: earlier references to the old values stay as they were.
  for (std::size_t i = 0; i < weights.size(); ++i) {
    parameters[i].second.mutable_value() = weights[i].to(parameters[i].second.dtype());
  }
}

}  // namespace grutape
