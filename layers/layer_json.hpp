#pragma once
// The keys every layer's JSON starts with, shared by the to_json / from_json of each layer:
//   {"type": "dense", "name": "dense_1", "update": true, "lda_coeff": 1, ...options}
// "type" selects the class (layer_registry.hpp); "name", "update" and "lda_coeff" are the name
// and the flags that are part of a model (training and store are run-time choices, not saved).

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json_fwd.hpp>

namespace grutape {

class JsonReader;
class Layer;

/// {"type": layer.type(), "name": ..., "update": ..., "lda_coeff": ...}; a layer adds its options.
nlohmann::json layer_json_header(const Layer& layer);

/// The header keys read back.
struct LayerHeader {
  /// The saved name; none when the JSON has no "name" (the layer then gets prefix_N).
  std::optional<std::string> name;
  /// The update flag; default true.
  bool update = true;
  /// The lda_coeff flag; default 1.
  double lda_coeff = 1.0;
};

/// Reads the header keys with `in`: "type" is required and must be `type`, the others are
/// optional. A ValueError names the key for a wrong type, an empty name or a non-finite lda_coeff.
LayerHeader read_layer_header(JsonReader& in, const std::string& type);

/// Gives `layer` the header's name and flags.
void apply_layer_header(const LayerHeader& header, Layer& layer);

/// A seed as JSON: the number, or null for none.
nlohmann::json seed_to_json(const std::optional<std::uint64_t>& seed);
/// Reads an optional seed at `key` (absent or null: none).
std::optional<std::uint64_t> read_seed(JsonReader& in, const std::string& key);

}  // namespace grutape
