#pragma once
// Keras' Flatten: (batch, d1, d2, ...) -> (batch, d1 * d2 * ...), (batch) -> (batch, 1). The
// time axis is gone afterwards, so no mask passes.

#include <memory>

#include "layers/layer.hpp"

namespace grutape {

class Flatten : public Layer {
 public:
  /// A layer without options.
  Flatten();

  /// The input as (batch, rest); a ShapeError for an input without a batch axis (rank 0).
  Value forward(const Value& input) override;
  /// No mask: the output has no time axis.
  Tensor output_mask(const Value& input, const Tensor& input_mask) const override;

  /// The header keys (layer_json.hpp); Flatten has no options.
  nlohmann::json to_json() const override;
  /// The inverse of to_json.
  static std::shared_ptr<Flatten> from_json(const nlohmann::json& json);

 protected:
  void build_parameters(const Shape&, DType) override {}
};

}  // namespace grutape
