#include "layers/layer_registry.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "core/json_reader.hpp"
#include "core/registry.hpp"
#include "layers/basic/activation_layer.hpp"
#include "layers/basic/dense.hpp"
#include "layers/basic/dropout.hpp"
#include "layers/basic/embedding.hpp"
#include "layers/basic/flatten.hpp"
#include "layers/basic/input_layer.hpp"
#include "layers/basic/masking.hpp"
#include "layers/basic/reshape.hpp"
#include "layers/basic/softmax_layer.hpp"
#include "layers/gru/bidirectional.hpp"
#include "layers/gru/gru.hpp"
#include "layers/models/graph.hpp"
#include "layers/models/sequential.hpp"

namespace grutape {
namespace {

Registry<LayerFactory>& layer_registry() {
  static Registry<LayerFactory> registry(
      {"type", "a type", "register_layer_type", "unregister_layer_type"},
      {
          {"activation", Activation::from_json},
          {"bidirectional", Bidirectional::from_json},
          {"dense", Dense::from_json},
          {"dropout", Dropout::from_json},
          {"embedding", Embedding::from_json},
          {"flatten", Flatten::from_json},
          {"graph", Graph::from_json},
          {"gru", Gru::from_json},
          {"input", InputLayer::from_json},
          {"masking", Masking::from_json},
          {"reshape", Reshape::from_json},
          {"sequential", Sequential::from_json},
          {"softmax", Softmax::from_json},
      });
  return registry;
}

}  // namespace

void register_layer_type(const std::string& type, LayerFactory factory) {
  layer_registry().add(type, std::move(factory));
}

void unregister_layer_type(const std::string& type) {
  layer_registry().remove(type);
}

std::vector<std::string> layer_type_names() {
  std::vector<std::string> names = layer_registry().names();
  std::sort(names.begin(), names.end());
  return names;
}

std::shared_ptr<Layer> layer_from_json(const nlohmann::json& json) {
  const std::string where = "layer_from_json";
  JsonReader in(json, where);
  return layer_registry().find(in.string("type"), where)(json);
}

}  // namespace grutape
