#include "layers/basic/input_layer.hpp"

#include <nlohmann/json.hpp>

#include "core/json_reader.hpp"
#include "layers/layer_json.hpp"

namespace grutape {

InputLayer::InputLayer(ShapePattern shape, DType dtype)
    : Layer("input"), shape_(std::move(shape)), dtype_(dtype) {}

ShapePattern InputLayer::batch_shape() const {
  ShapePattern full{std::nullopt};
  full.insert(full.end(), shape_.begin(), shape_.end());
  return full;
}

void InputLayer::check(const Shape& shape, DType dtype) const {
  if (!shape_matches(batch_shape(), shape)) {
    // "(batch, None, 8)": the batch axis is always free, "None" marks the other free extents.
    const std::string sample = shape_pattern_to_string(shape_);
    const std::string expected = "(batch" + (shape_.empty() ? ")" : ", " + sample.substr(1));
    throw ShapeError(name(), "inputs of shape " + expected, shape_to_string(shape));
  }
  if (dtype != dtype_) {
    throw ValueError(name(), std::string(dtype_name(dtype_)) + " inputs", dtype_name(dtype));
  }
}

void InputLayer::build_parameters(const Shape& input_shape, DType dtype) {
  check(input_shape, dtype);
}

Value InputLayer::forward(const Value& input) {
  check(input.shape(), input.dtype());
  return input;
}

nlohmann::json InputLayer::to_json() const {
  nlohmann::json json = layer_json_header(*this);
  json["shape"] = shape_pattern_to_json(shape_);
  json["dtype"] = dtype_name(dtype_);
  return json;
}

std::shared_ptr<InputLayer> InputLayer::from_json(const nlohmann::json& json) {
  JsonReader in(json, "InputLayer::from_json");
  const LayerHeader header = read_layer_header(in, "input");
  ShapePattern shape = shape_pattern_from_json(in.value("shape"), in.where("shape"));
  DType dtype = DType::float32;
  if (in.has("dtype")) {
    try {
      dtype = dtype_from_name(in.string("dtype"));
    } catch (const ValueError& error) {
      throw ValueError(in.where("dtype") + ": " + error.what());
    }
  }
  in.finish();
  auto layer = std::make_shared<InputLayer>(std::move(shape), dtype);
  apply_layer_header(header, *layer);
  return layer;
}

std::shared_ptr<InputLayer> sequence_input(std::size_t features,
                                           std::optional<std::size_t> timesteps, DType dtype) {
  return std::make_shared<InputLayer>(ShapePattern{timesteps, features}, dtype);
}

}  // namespace grutape
