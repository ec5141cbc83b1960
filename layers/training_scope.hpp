#pragma once
// Sets the training flag of layers and all their sublayers for a scope, then gives each layer
// back its own flag: evaluation inside a training loop, shape probes inside a build.

#include <memory>
#include <utility>
#include <vector>

#include "layers/layer.hpp"

namespace grutape {

class TrainingScope {
 public:
  /// Sets training = `training` in `layers` and their sublayers.
  TrainingScope(const std::vector<Layer*>& layers, bool training);
  /// The same for one layer.
  TrainingScope(Layer& layer, bool training)
      : TrainingScope(std::vector<Layer*>{&layer}, training) {}
  /// Restores every flag as it was (parents first, as set_training also sets the sublayers).
  ~TrainingScope();
  TrainingScope(const TrainingScope&) = delete;
  TrainingScope& operator=(const TrainingScope&) = delete;

 private:
  void save(Layer& layer);

  std::vector<std::pair<Layer*, bool>> saved_;
};

}  // namespace grutape
