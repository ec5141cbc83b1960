#include "layers/gru/gates.hpp"

#include <cmath>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/json_reader.hpp"
#include "core/text.hpp"

namespace grutape {

void validate_gru_gate_factors(const GateFactors& factors, const std::string& where) {
  if (!factors.uniform() && factors.gates() != gru_gate_count) {
    throw ValueError(where, "one factor or one per gate (update, reset, candidate)",
                     std::to_string(factors.gates()) + " factors");
  }
  for (double value : factors.values()) {
    if (!(std::isfinite(value) && value >= 0))
      throw ValueError(where, "finite factors >= 0", gru_gate_factors_to_string(factors));
  }
}

nlohmann::json gru_gate_factors_to_json(const GateFactors& factors) {
  if (factors.uniform()) return factors[0];
  nlohmann::json json = nlohmann::json::object();
  for (GruGate gate : gru_gate_order) json[gate_name(gate)] = factors[gate_index(gate)];
  return json;
}

GateFactors gru_gate_factors_from_json(const nlohmann::json& json, const std::string& where) {
  if (json.is_number()) return GateFactors(json.get<double>());
  if (!json.is_object()) {
    throw ValueError(where, "a number or an object with keys update, reset, candidate",
                     json_type_name(json));
  }
  JsonReader in(json, where);
  std::vector<double> values(gru_gate_count);
  for (GruGate gate : gru_gate_order) values[gate_index(gate)] = in.number(gate_name(gate));
  in.finish();
  return GateFactors::from_values(values);
}

std::string gru_gate_factors_to_string(const GateFactors& factors) {
  if (factors.uniform()) return format_number(factors[0]);
  std::vector<std::string> items;
  for (GruGate gate : gru_gate_order) {
    items.push_back(std::string(gate_name(gate)) + " " + format_number(factors[gate_index(gate)]));
  }
  return "(" + join(items) + ")";
}

}  // namespace grutape
