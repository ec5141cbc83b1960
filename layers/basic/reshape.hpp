#pragma once
// Keras' Reshape: each sample to `target_shape` (without the batch axis), one extent of which may
// be -1, inferred from the sample's size. The batch axis stays; no mask passes, as the time axis
// may not survive.

#include <memory>
#include <vector>

#include "layers/layer.hpp"

namespace grutape {

class Reshape : public Layer {
 public:
  /// Extents >= 0 and at most one -1; a ValueError names the target shape otherwise.
  explicit Reshape(std::vector<long> target_shape);

  /// The target shape, as given.
  const std::vector<long>& target_shape() const { return target_shape_; }

  /// (batch, target_shape...); a ShapeError names the target and the input shape when a sample's
  /// size does not fit it.
  Value forward(const Value& input) override;
  /// No mask: the output may have no time axis.
  Tensor output_mask(const Value& input, const Tensor& input_mask) const override;

  /// The header keys (layer_json.hpp) and every option.
  nlohmann::json to_json() const override;
  /// The inverse of to_json: "target_shape" is required.
  static std::shared_ptr<Reshape> from_json(const nlohmann::json& json);

 protected:
  void build_parameters(const Shape&, DType) override {}

 private:
  std::vector<long> target_shape_;
};

}  // namespace grutape
