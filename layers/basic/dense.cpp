#include "layers/basic/dense.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "autodiff/ops/activation.hpp"
#include "autodiff/ops/elementwise.hpp"
#include "autodiff/ops/linalg.hpp"
#include "core/json_reader.hpp"
#include "core/text.hpp"
#include "layers/layer_json.hpp"

namespace grutape {

void DenseOptions::validate() const {
  check_fields(*this, "DenseOptions");
}

Dense::Dense(DenseOptions options) : Layer("dense"), options_(std::move(options)) {
  options_.validate();
}

void Dense::build_parameters(const Shape& input_shape, DType dtype) {
  if (input_shape.size() < 2) {
    throw ShapeError(name(), "inputs of rank >= 2 (batch, ..., features)",
                     shape_to_string(input_shape));
  }
  Random seeded(options_.seed().value_or(0));
  Random& random = options_.seed() ? seeded : default_random();
  const Shape kernel_shape{input_shape.back(), options_.units()};
  kernel_ = register_parameter(
      "kernel", initialize(options_.kernel_initializer(), kernel_shape, dtype, random));
  if (options_.use_bias()) {
    bias_ = register_parameter(
        "bias", initialize(options_.bias_initializer(), {options_.units()}, dtype, random));
  }
}

Value Dense::forward(const Value& input) {
  const std::size_t features = kernel_.shape()[0];
  if (input.rank() < 2 || input.shape().back() != features) {
    throw ShapeError(name(),
                     "inputs (batch, ..., features) with " + std::to_string(features) + " features",
                     shape_to_string(input.shape()));
  }
  if (input.dtype() != kernel_.dtype()) {
    throw ValueError(name(), std::string(dtype_name(kernel_.dtype())) + " inputs (its weights')",
                     dtype_name(input.dtype()));
  }
  Value y = matmul(input, kernel_);
  if (options_.use_bias()) y = y + bias_;
  if (options_.activation() != "linear") y = activation(options_.activation(), y);
  add_activity_regularization(options_.activity_regularizer(), y);
  return y;
}

ParameterSettings Dense::parameter_settings(const std::string& name) const {
  require_own_parameter(name, "parameter_settings");
  ParameterSettings settings;
  const bool kernel = name == "kernel";
  settings.regularizer = kernel ? options_.kernel_regularizer() : options_.bias_regularizer();
  settings.constraint = kernel ? options_.kernel_constraint() : options_.bias_constraint();
  return settings;
}

nlohmann::json Dense::to_json() const {
  nlohmann::json json = layer_json_header(*this);
  json.update(fields_to_json(options_));
  return json;
}

std::shared_ptr<Dense> Dense::from_json(const nlohmann::json& json) {
  JsonReader in(json, "Dense::from_json");
  const LayerHeader header = read_layer_header(in, "dense");
  DenseOptions options(in.size("units"));
  fields_from_json(options, in);
  in.finish();
  auto layer = std::make_shared<Dense>(options);
  apply_layer_header(header, *layer);
  return layer;
}

}  // namespace grutape
