#pragma once
// A stack of layers, each reading the output of the one before (Keras' Sequential). Masks travel
// along: each layer gets the mask of its input, and the next mask is that layer's output_mask.
// The layers are registered as sublayers under their names, so flags set on the model reach them
// and their parameters are "layer_name.parameter_name".
//
// The output shape of every layer is recorded when the model is built, by one zero sample of
// batch 1 run with training off and no recording (states reset afterwards). The batch axis is
// free in them; when the first layer is an input with free extents (timesteps), the sample runs
// twice with different extents there, and the output extents that follow them are free too.
// summary() prints them as a Keras-style table.

#include <memory>
#include <string>
#include <vector>

#include "layers/layer.hpp"
#include "layers/shape_pattern.hpp"

namespace grutape {

class Sequential : public Layer {
 public:
  Sequential();

  /// Appends `layer`; returns the model, so that adds chain. A ValueError for a null layer, the
  /// model itself, a layer whose name a layer of the model already has (the message names it),
  /// or an input layer anywhere but first.
  Sequential& add(std::shared_ptr<Layer> layer);

  const std::vector<std::shared_ptr<Layer>>& layers() const { return layers_; }
  /// The layer called `name`; a ValueError lists the names there are.
  std::shared_ptr<Layer> layer(const std::string& name) const;

  using Layer::build;
  /// Builds from the first layer, which must be an InputLayer (a ValueError otherwise): a sample
  /// of batch 1 and its declared shape and dtype, free extents taken as 1.
  void build();

  /// The layers in order, with no mask.
  Value forward(const Value& input) override;
  /// The layers in order, the mask carried from each to the next.
  Value forward_masked(const Value& input, const Tensor& mask) override;
  /// The output mask of the last forward call, whose input this must be (a ValueError
  /// otherwise): the model does not run its layers again to find it.
  Tensor output_mask(const Value& input, const Tensor& input_mask) const override;

  /// One per layer, recorded at build; empty before.
  const std::vector<ShapePattern>& output_shapes() const { return output_shapes_; }

  /// The Keras-style table: one row per layer (input layers are not shown) with its name and
  /// type, output shape and parameter count, then the total, trainable and non-trainable
  /// counts (non-trainable: parameters of layers whose update flag is off). Builds a model that
  /// starts with an input layer; a ValueError for any other model not built.
  std::string summary();

  /// {"type": "sequential", "name", flags, "layers": [each layer's JSON]}.
  nlohmann::json to_json() const override;
  /// The inverse of to_json: each layer through layer_from_json.
  static std::shared_ptr<Sequential> from_json(const nlohmann::json& json);

 protected:
  /// Records the output shapes (see above); the layers build on their first input.
  void build_parameters(const Shape& input_shape, DType dtype) override;

 private:
  bool shapes_current() const { return output_shapes_.size() == layers_.size(); }
  void record_output_shapes(const Shape& input_shape, DType dtype);
  std::vector<Shape> probe_shapes(const Shape& input_shape, DType dtype);

  std::vector<std::shared_ptr<Layer>> layers_;
  std::vector<ShapePattern> output_shapes_;
  /// The last forward call's input (as given to forward), its mask and the output mask.
  struct LastCall {
    Tensor input;
    Tensor input_mask;
    Tensor output_mask;
  };
  LastCall last_;
};

/// The parameters of `layer` and its sublayers that belong to a layer whose update flag is on.
std::size_t trainable_parameter_count(const Layer& layer);

}  // namespace grutape
