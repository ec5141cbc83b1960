#include "layers/training_scope.hpp"

namespace grutape {

TrainingScope::TrainingScope(const std::vector<Layer*>& layers, bool training) {
  for (Layer* layer : layers) save(*layer);
  for (Layer* layer : layers) layer->set_training(training);
}

TrainingScope::~TrainingScope() {
  for (const auto& [layer, training] : saved_) layer->set_training(training);
}

void TrainingScope::save(Layer& layer) {
  saved_.emplace_back(&layer, layer.flags().training);
  for (const auto& [_, sublayer] : layer.sublayers()) save(*sublayer);
}

}  // namespace grutape
