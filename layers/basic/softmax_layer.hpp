#pragma once
// Keras' Softmax layer: e^x / sum(e^x) along one axis (the last by default). Applied per time
// step when the axis is the feature axis, so masks pass through.

#include <memory>

#include "layers/layer.hpp"

namespace grutape {

class Softmax : public Layer {
 public:
  /// Normalises along `axis`, negative counting from the last; default -1.
  explicit Softmax(long axis = -1);

  /// The axis normalised along, as given.
  long axis() const { return axis_; }

  /// softmax(input, axis); a ShapeError naming the layer when the axis is out of range.
  Value forward(const Value& input) override;

  /// The header keys (layer_json.hpp) and every option.
  nlohmann::json to_json() const override;
  /// The inverse of to_json; "axis" defaults to -1.
  static std::shared_ptr<Softmax> from_json(const nlohmann::json& json);

 protected:
  void build_parameters(const Shape&, DType) override {}

 private:
  long axis_;
};

}  // namespace grutape
