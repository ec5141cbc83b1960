#pragma once
// Keras' Masking: marks the time steps whose features all equal mask_value as padding. Its
// output_mask is (batch, timesteps) = any feature != mask_value, and its output is the input
// with the masked steps set to 0 (input * mask), so padding carries no value downstream either.

#include <memory>

#include "layers/layer.hpp"

namespace grutape {

class Masking : public Layer {
 public:
  /// Steps whose every feature equals `mask_value` are masked; Keras' default is 0.
  explicit Masking(double mask_value = 0.0);

  /// The value that marks padding.
  double mask_value() const { return mask_value_; }

  /// input * mask on (batch, ..., features); a ShapeError for rank < 2.
  Value forward(const Value& input) override;
  /// The input's shape without its last axis: 1 where any feature != mask_value, else 0.
  Tensor output_mask(const Value& input, const Tensor& input_mask) const override;

  /// The header keys (layer_json.hpp) and every option.
  nlohmann::json to_json() const override;
  /// The inverse of to_json; "mask_value" defaults to 0.
  static std::shared_ptr<Masking> from_json(const nlohmann::json& json);

 protected:
  void build_parameters(const Shape&, DType) override {}

 private:
  /// 1 where any feature != mask_value, with the last axis kept (extent 1).
  Tensor step_mask(const Tensor& input) const;

  double mask_value_;
};

}  // namespace grutape
