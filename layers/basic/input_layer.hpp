#pragma once
// The input of a model (Keras' Input, MATLAB's sequenceInputLayer): declares the shape of one
// sample and the dtype, checks every incoming batch against them and passes it on unchanged.
// A free extent (std::nullopt) accepts any size, so a sequence input of free timesteps takes
// batches of any length. Masks pass through.

#include <memory>
#include <optional>

#include "layers/layer.hpp"
#include "layers/shape_pattern.hpp"

namespace grutape {

class InputLayer : public Layer {
 public:
  /// Inputs of shape (batch, shape...) and `dtype`.
  explicit InputLayer(ShapePattern shape, DType dtype = DType::float32);

  /// The shape of one sample (without the batch axis).
  const ShapePattern& sample_shape() const { return shape_; }
  /// The dtype inputs must have.
  DType dtype() const { return dtype_; }
  /// The whole shape with a free batch axis: (None, shape...).
  ShapePattern batch_shape() const;

  /// The input itself; a ShapeError (ValueError for the dtype) names the declared shape and
  /// dtype and what came.
  Value forward(const Value& input) override;

  /// The header keys (layer_json.hpp) and every option.
  nlohmann::json to_json() const override;
  /// The inverse of to_json: "shape" is required, "dtype" defaults to float32.
  static std::shared_ptr<InputLayer> from_json(const nlohmann::json& json);

 protected:
  void build_parameters(const Shape& input_shape, DType dtype) override;

 private:
  void check(const Shape& shape, DType dtype) const;

  ShapePattern shape_;
  DType dtype_;
};

/// A sequence input (batch, timesteps, features); timesteps free unless given.
std::shared_ptr<InputLayer> sequence_input(std::size_t features,
                                           std::optional<std::size_t> timesteps = std::nullopt,
                                           DType dtype = DType::float32);

}  // namespace grutape
