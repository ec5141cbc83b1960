#include "layers/basic/activation_layer.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "autodiff/ops/activation.hpp"
#include "core/json_reader.hpp"
#include "core/text.hpp"
#include "layers/layer_json.hpp"

namespace grutape {

Activation::Activation(std::string activation)
    : Layer("activation"), activation_(std::move(activation)) {
  const std::vector<std::string> names = activation_names();
  if (std::find(names.begin(), names.end(), activation_) == names.end()) {
    throw ValueError("Activation", "one of " + join(names), "\"" + activation_ + "\"");
  }
}

Value Activation::forward(const Value& input) {
  return grutape::activation(activation_, input);
}

nlohmann::json Activation::to_json() const {
  nlohmann::json json = layer_json_header(*this);
  json["activation"] = activation_;
  return json;
}

std::shared_ptr<Activation> Activation::from_json(const nlohmann::json& json) {
  JsonReader in(json, "Activation::from_json");
  const LayerHeader header = read_layer_header(in, "activation");
  auto layer = std::make_shared<Activation>(in.string("activation"));
  in.finish();
  apply_layer_header(header, *layer);
  return layer;
}

}  // namespace grutape
