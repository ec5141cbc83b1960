#pragma once
// Keras' Activation layer: one activation function by name (autodiff/ops/activation.hpp),
// elementwise, so masks pass through.

#include <memory>
#include <string>

#include "layers/layer.hpp"

namespace grutape {

class Activation : public Layer {
 public:
  /// One of activation_names(); a ValueError lists them for any other name.
  explicit Activation(std::string activation);

  /// The activation's name.
  const std::string& activation() const { return activation_; }

  /// activation(name, input).
  Value forward(const Value& input) override;

  /// The header keys (layer_json.hpp) and every option.
  nlohmann::json to_json() const override;
  /// The inverse of to_json: "activation" is required.
  static std::shared_ptr<Activation> from_json(const nlohmann::json& json);

 protected:
  void build_parameters(const Shape&, DType) override {}

 private:
  std::string activation_;
};

}  // namespace grutape
