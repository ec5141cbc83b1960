#pragma once
// The parameters of a model with the layer that owns each: what the regularizers and the
// optimizer wiring need to look up each tensor's own settings (Layer::parameter_settings).

#include <string>
#include <vector>

#include "layers/layer.hpp"

namespace grutape {

struct ModelParameter {
  /// The name in the model, as named_parameters() gives it: "gru_1.kernel".
  std::string name;
  /// The layer that registered the parameter.
  const Layer* owner = nullptr;
  /// Its name in that layer: "kernel".
  std::string own_name;
  /// The parameter.
  Value value;
};

/// Every parameter of `model` and its sublayers in named_parameters() order, each tensor once
/// (a layer reached twice counts at its first place).
std::vector<ModelParameter> model_parameters(const Layer& model);

}  // namespace grutape
