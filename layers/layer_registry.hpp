#pragma once
// Layers rebuilt from JSON by type. Every layer's to_json starts with {"type": ..., "name": ...}
// (layer_json.hpp); layer_from_json looks the type up and calls its factory, which rebuilds the
// layer with its options and name (weights are saved and loaded separately).
//
// Built-in types, always known: activation, bidirectional, dense, dropout, embedding, flatten,
// graph, gru, input, masking, reshape, sequential, softmax. Other layers (users' layers) register
// their factory. The table is a Registry (core/registry.hpp), the mechanism every kind of named
// thing shares (optimizers, metrics, initializers, constraints, schedules, callback types).

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace grutape {

class Layer;

/// Rebuilds a layer from the JSON its to_json wrote.
using LayerFactory = std::function<std::shared_ptr<Layer>(const nlohmann::json& json)>;

/// Makes layer_from_json call `factory` for JSON with "type": `type`. A ValueError for an empty
/// type, an empty factory or a type already known.
void register_layer_type(const std::string& type, LayerFactory factory);

/// Forgets a registered type; a ValueError for a built-in type or one that is not registered.
void unregister_layer_type(const std::string& type);

/// Every known type, built-in and registered, sorted.
std::vector<std::string> layer_type_names();

/// The layer `json` describes. A ValueError when `json` is not an object with a string "type",
/// or when the type is unknown (the message lists the known types); the factory's own errors
/// name the key at fault.
std::shared_ptr<Layer> layer_from_json(const nlohmann::json& json);

}  // namespace grutape
