#include "layers/layer_registry.hpp"

#include <map>
#include <mutex>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/json_reader.hpp"
#include "core/text.hpp"
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

// The built-ins are listed here rather than registered by static objects in their own files: a
// static library drops object files nothing refers to, and their registrations with them.
const std::map<std::string, LayerFactory>& builtin_factories() {
  static const std::map<std::string, LayerFactory> factories = {
      {"input", InputLayer::from_json},
      {"dense", Dense::from_json},
      {"dropout", Dropout::from_json},
      {"embedding", Embedding::from_json},
      {"masking", Masking::from_json},
      {"activation", Activation::from_json},
      {"softmax", Softmax::from_json},
      {"flatten", Flatten::from_json},
      {"reshape", Reshape::from_json},
      {"sequential", Sequential::from_json},
      {"gru", Gru::from_json},
      {"graph", Graph::from_json},
      {"bidirectional", Bidirectional::from_json},
  };
  return factories;
}

struct Registry {
  std::mutex mutex;
  std::map<std::string, LayerFactory> factories;
};

Registry& registry() {
  static Registry instance;
  return instance;
}

}  // namespace

void register_layer_type(const std::string& type, LayerFactory factory) {
  const std::string where = "register_layer_type";
  if (type.empty()) throw ValueError(where, "a non-empty type", "\"\"");
  if (!factory) throw ValueError(where, "a factory", "an empty function for \"" + type + "\"");
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  if (builtin_factories().count(type) || r.factories.count(type)) {
    throw ValueError(where, "a new type", "\"" + type + "\", which is already known");
  }
  r.factories.emplace(type, std::move(factory));
}

void unregister_layer_type(const std::string& type) {
  const std::string where = "unregister_layer_type";
  if (builtin_factories().count(type)) {
    throw ValueError(where, "a registered type", "the built-in type \"" + type + "\"");
  }
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  if (r.factories.erase(type) == 0) {
    throw ValueError(where, "a registered type", "\"" + type + "\", which is not registered");
  }
}

std::vector<std::string> layer_type_names() {
  std::map<std::string, LayerFactory> all = builtin_factories();
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  all.insert(r.factories.begin(), r.factories.end());
  std::vector<std::string> names;
  for (const auto& [type, _] : all) names.push_back(type);
  return names;
}

std::shared_ptr<Layer> layer_from_json(const nlohmann::json& json) {
  const std::string where = "layer_from_json";
  if (!json.is_object()) throw ValueError(where, "a JSON object", json_type_name(json));
  if (!json.contains("type")) {
    throw ValueError(where, "the key \"type\"", "an object without it");
  }
  if (!json.at("type").is_string()) {
    throw ValueError(where + ": key \"type\"", "a string", json_type_name(json.at("type")));
  }
  const std::string type = json.at("type").get<std::string>();
  LayerFactory factory;
  {
    const auto builtin = builtin_factories().find(type);
    Registry& r = registry();
    std::lock_guard<std::mutex> lock(r.mutex);
    if (builtin != builtin_factories().end()) {
      factory = builtin->second;
    } else if (const auto found = r.factories.find(type); found != r.factories.end()) {
      factory = found->second;
    }
  }
  // The lock is released before the factory runs: a container's factory calls back in here.
  if (!factory) {
    throw ValueError(where, "a type among " + join(layer_type_names()), "\"" + type + "\"");
  }
  return factory(json);
}

}  // namespace grutape
