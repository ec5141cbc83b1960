#include "layers/models/sequential.hpp"

#include <nlohmann/json.hpp>

#include "autodiff/grad_mode.hpp"
#include "core/json_reader.hpp"
#include "core/text.hpp"
#include "layers/basic/input_layer.hpp"
#include "layers/layer_json.hpp"
#include "layers/layer_registry.hpp"
#include "layers/training_scope.hpp"

namespace grutape {

Sequential::Sequential() : Layer("sequential") {}

Sequential& Sequential::add(std::shared_ptr<Layer> layer) {
  const std::string where = name() + ": add";
  if (!layer) throw ValueError(where, "a layer", "a null pointer");
  if (layer.get() == this) throw ValueError(where, "another layer", "the model itself");
  for (const auto& existing : layers_) {
    if (existing->name() == layer->name()) {
      throw ValueError(where, "layer names that are unique in the model",
                       "a second layer named \"" + layer->name() + "\"");
    }
  }
  if (!layers_.empty() && dynamic_cast<const InputLayer*>(layer.get())) {
    throw ValueError(
        where, "an input layer only as the first layer",
        "input layer \"" + layer->name() + "\" at position " + std::to_string(layers_.size()));
  }
  register_sublayer(layer->name(), layer);
  layers_.push_back(std::move(layer));
  return *this;
}

std::shared_ptr<Layer> Sequential::layer(const std::string& name) const {
  std::vector<std::string> names;
  for (const auto& layer : layers_) {
    if (layer->name() == name) return layer;
    names.push_back(layer->name());
  }
  throw ValueError(this->name() + ": layer", "one of [" + join(names) + "]", "\"" + name + "\"");
}

void Sequential::build() {
  const auto* input =
      layers_.empty() ? nullptr : dynamic_cast<const InputLayer*>(layers_.front().get());
  if (!input) {
    throw ValueError(
        name() + ": build", "a model whose first layer is an input layer",
        layers_.empty() ? "an empty model" : "first layer \"" + layers_.front()->name() + "\"");
  }
  Shape shape{1};
  for (const auto& extent : input->sample_shape()) shape.push_back(extent.value_or(1));
  build(shape, input->dtype());
  if (!shapes_current()) record_output_shapes(shape, input->dtype());
}

void Sequential::build_parameters(const Shape& input_shape, DType dtype) {
  record_output_shapes(input_shape, dtype);
}

std::vector<Shape> Sequential::probe_shapes(const Shape& input_shape, DType dtype) {
  std::vector<Shape> shapes;
  {
    std::vector<Layer*> layers;
    for (const auto& layer : layers_) layers.push_back(layer.get());
    TrainingScope inference(layers, false);
    NoGradScope no_grad;
    Value x(Tensor::zeros(input_shape, dtype));
    Tensor mask;
    for (const auto& layer : layers_) {
      Value y = (*layer)(x, mask);
      mask = layer->output_mask(x, mask);
      x = y;
      shapes.push_back(x.shape());
    }
  }
  // The sample must leave nothing behind in stateful layers.
  for (const auto& layer : layers_) layer->reset_states();
  return shapes;
}

void Sequential::record_output_shapes(const Shape& input_shape, DType dtype) {
  if (input_shape.empty()) throw ShapeError(name(), "inputs with a batch axis (rank >= 1)", "()");
  Shape sample = input_shape;
  sample[0] = 1;
  const std::vector<Shape> first = probe_shapes(sample, dtype);
  std::vector<ShapePattern> patterns;
  for (const Shape& shape : first) {
    patterns.push_back(fixed_pattern(shape));
    if (!shape.empty()) patterns.back()[0] = std::nullopt;
  }
  // Extents that change when the input's free extents do are free as well.
  const auto* input =
      layers_.empty() ? nullptr : dynamic_cast<const InputLayer*>(layers_.front().get());
  bool has_free = false;
  Shape varied = sample;
  for (std::size_t axis = 0; input && axis < input->sample_shape().size(); ++axis) {
    if (!input->sample_shape()[axis] && axis + 1 < varied.size()) {
      varied[axis + 1] += 1;
      has_free = true;
    }
  }
  if (has_free) {
    const std::vector<Shape> second = probe_shapes(varied, dtype);
    for (std::size_t i = 0; i < patterns.size(); ++i) {
      for (std::size_t axis = 0; axis < patterns[i].size(); ++axis) {
        const bool differs =
            second[i].size() != first[i].size() || second[i][axis] != first[i][axis];
        if (differs) patterns[i][axis] = std::nullopt;
      }
    }
  }
  output_shapes_ = std::move(patterns);
}

Value Sequential::forward(const Value& input) {
  return forward_masked(input, Tensor());
}

Value Sequential::forward_masked(const Value& input, const Tensor& mask) {
  if (!shapes_current()) record_output_shapes(input.shape(), input.dtype());
  Value x = input;
  Tensor current_mask = mask;
  for (const auto& layer : layers_) {
    Value y = (*layer)(x, current_mask);
    current_mask = layer->output_mask(x, current_mask);
    x = y;
  }
  last_ = LastCall{input.value(), mask, current_mask};
  return x;
}

Tensor Sequential::output_mask(const Value& input, const Tensor& input_mask) const {
  if (!input.value().shares_data(last_.input) || !input_mask.shares_data(last_.input_mask)) {
    throw ValueError(name() + ": output_mask", "the input and mask of the last forward call",
                     "another input or mask");
  }
  return last_.output_mask;
}

nlohmann::json Sequential::to_json() const {
  nlohmann::json json = layer_json_header(*this);
  json["layers"] = nlohmann::json::array();
  for (const auto& layer : layers_) json["layers"].push_back(layer->to_json());
  return json;
}

std::shared_ptr<Sequential> Sequential::from_json(const nlohmann::json& json) {
  JsonReader in(json, "Sequential::from_json");
  const LayerHeader header = read_layer_header(in, "sequential");
  const nlohmann::json& layers = in.value("layers");
  if (!layers.is_array()) throw ValueError(in.where("layers"), "an array", json_type_name(layers));
  in.finish();
  auto model = std::make_shared<Sequential>();
  // Before the layers are added, so that the model's update flag does not override theirs.
  apply_layer_header(header, *model);
  for (const auto& layer : layers) model->add(layer_from_json(layer));
  return model;
}

std::size_t trainable_parameter_count(const Layer& layer) {
  std::size_t own = layer.parameter_count(), from_sublayers = 0;
  for (const auto& [_, sublayer] : layer.sublayers()) {
    own -= sublayer->parameter_count();
    from_sublayers += trainable_parameter_count(*sublayer);
  }
  return (layer.flags().update ? own : 0) + from_sublayers;
}

}  // namespace grutape
