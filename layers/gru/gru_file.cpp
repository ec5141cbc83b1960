// What a model file states about a GRU beside its weights: the layout they are stored in.
#include <nlohmann/json.hpp>

#include "layers/gru/gates.hpp"
#include "layers/gru/gru.hpp"

namespace grutape {

FileSection Gru::file_section() const {
  return {"gru_layers", "GRU"};
}

nlohmann::json Gru::file_statement(const std::string& path) const {
  nlohmann::json gate_order = nlohmann::json::array();
  for (const GruGate gate : gru_gate_order) gate_order.push_back(gate_name(gate));
  nlohmann::json parameters = nlohmann::json::array();
  for (const auto& [name, _] : named_parameters())
    parameters.push_back(path.empty() ? name : path + "." + name);
  // Model files store the weights as named_parameters() holds them: the internal layout, the
  // gate blocks along the last axis.
  return {{"reset_gate_mode", reset_gate_mode_name(options_.reset_gate_mode())},
          {"layout", "internal"},
          {"gate_order", gate_order},
          {"gate_axis", "last"},
          {"parameters", parameters}};
}

}  // namespace grutape
