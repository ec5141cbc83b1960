#include "layers/layer_json.hpp"

#include <cmath>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/json_reader.hpp"
#include "core/text.hpp"
#include "layers/layer.hpp"

namespace grutape {

nlohmann::json layer_json_header(const Layer& layer) {
  return {{"type", layer.type()},
          {"name", layer.name()},
          {"update", layer.flags().update},
          {"lda_coeff", layer.flags().lda_coeff}};
}

LayerHeader read_layer_header(JsonReader& in, const std::string& type) {
  const std::string found = in.string("type");
  if (found != type) throw ValueError(in.where("type"), "\"" + type + "\"", "\"" + found + "\"");
  LayerHeader header;
  if (in.has("name")) {
    header.name = in.string("name");
    if (header.name->empty()) throw ValueError(in.where("name"), "a non-empty name", "\"\"");
  }
  header.update = in.boolean("update", true);
  header.lda_coeff = in.number("lda_coeff", 1.0);
  if (!std::isfinite(header.lda_coeff)) {
    throw ValueError(in.where("lda_coeff"), "a finite number", format_number(header.lda_coeff));
  }
  return header;
}

void apply_layer_header(const LayerHeader& header, Layer& layer) {
  if (header.name) layer.set_name(*header.name);
  layer.set_update(header.update);
  layer.set_lda_coeff(header.lda_coeff);
}

nlohmann::json seed_to_json(const std::optional<std::uint64_t>& seed) {
  return seed ? nlohmann::json(*seed) : nlohmann::json(nullptr);
}

std::optional<std::uint64_t> read_seed(JsonReader& in, const std::string& key) {
  if (!in.has(key) || in.value(key).is_null()) return std::nullopt;
  return in.unsigned_integer(key);
}

}  // namespace grutape
