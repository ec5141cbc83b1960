#pragma once
// Dropout (Keras' Dropout): while the training flag is on, each element is kept with probability
// 1 - rate and scaled by 1 / (1 - rate) (inverted dropout, so inference needs no rescaling);
// with training off the layer is the identity. A noise shape shares one keep decision along the
// axes where it has extent 1 (Keras' noise_shape: (batch, 1, features) drops the same features
// at every time step). Masks pass through.
//
// With a seed the layer draws its masks from its own generator, so two layers of one seed drop
// the same elements call for call; without one it draws from the process-wide source.

#include <cstdint>
#include <memory>
#include <optional>

#include "core/option_arg.hpp"
#include "core/random.hpp"
#include "layers/layer.hpp"
#include "layers/shape_pattern.hpp"

namespace grutape {

class DropoutOptions {
 public:
  explicit DropoutOptions(double rate) : rate_(rate) {}

  /// The fraction of elements dropped, in [0, 1); no default.
  GRUTAPE_ARG(double, rate);
  /// The keep mask's shape, batch axis first, broadcast over the input: each extent is 1 or the
  /// input's, and a free extent (std::nullopt) takes the input's; default none: the input's
  /// shape.
  GRUTAPE_ARG(std::optional<ShapePattern>, noise_shape);
  /// Seed of the layer's own generator; default none: the process-wide source.
  GRUTAPE_ARG(std::optional<std::uint64_t>, seed);

 public:
  /// A ValueError naming the rate when it is outside [0, 1).
  void validate() const;
};

class Dropout : public Layer {
 public:
  /// The options are validated here.
  explicit Dropout(DropoutOptions options);

  /// The options, as validated.
  const DropoutOptions& options() const { return options_; }

  /// input * keep / (1 - rate) with a fresh keep mask while training; the input itself
  /// otherwise. A ShapeError names a noise shape that does not fit the input.
  Value forward(const Value& input) override;

  /// The header keys (layer_json.hpp) and every option.
  nlohmann::json to_json() const override;
  /// The inverse of to_json: "rate" is required.
  static std::shared_ptr<Dropout> from_json(const nlohmann::json& json);

 protected:
  void build_parameters(const Shape&, DType) override {}

 private:
  Shape noise_shape_for(const Shape& input_shape) const;

  DropoutOptions options_;
  Random random_;
};

}  // namespace grutape
