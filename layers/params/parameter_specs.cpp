#include "layers/params/parameter_specs.hpp"

#include <cmath>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/json_reader.hpp"
#include "core/text.hpp"
#include "layers/params/constraint.hpp"

namespace grutape {
namespace {

// A ValueError unless `condition`, naming the spec and the failed requirement.
void require(bool condition, const NamedSpec& spec, const std::string& where,
             const std::string& expected) {
  if (!condition) throw ValueError(where + ": " + spec.name, expected, to_string(spec));
}

}  // namespace

void validate_regularizer(const RegularizerSpec& spec, const std::string& where) {
  if (spec.empty()) return;
  if (spec.name == "l1" || spec.name == "l2") {
    require_parameters(spec, {spec.name}, where);
  } else if (spec.name == "l1_l2") {
    require_parameters(spec, {"l1", "l2"}, where);
  } else {
    throw ValueError(where, "a regularizer among l1, l2, l1_l2", "\"" + spec.name + "\"");
  }
  for (const auto& [key, value] : spec.parameters) require(value >= 0, spec, where, key + " >= 0");
}

void validate_constraint(const ConstraintSpec& spec, const std::string& where) {
  if (!spec.empty()) constraint_from_spec(spec, where);
}

GateFactors GateFactors::per_gate(double update, double reset, double candidate) {
  GateFactors factors;
  factors.values_[gate_index(GruGate::update)] = update;
  factors.values_[gate_index(GruGate::reset)] = reset;
  factors.values_[gate_index(GruGate::candidate)] = candidate;
  return factors;
}

void GateFactors::validate(const std::string& where) const {
  for (double value : values_) {
    if (!(std::isfinite(value) && value >= 0))
      throw ValueError(where, "finite factors >= 0", to_string(*this));
  }
}

nlohmann::json GateFactors::to_json() const {
  if (uniform()) return values_[0];
  nlohmann::json json = nlohmann::json::object();
  for (GruGate gate : gru_gate_order) json[gate_name(gate)] = (*this)[gate];
  return json;
}

GateFactors GateFactors::from_json(const nlohmann::json& json, const std::string& where) {
  if (json.is_number()) return GateFactors(json.get<double>());
  if (!json.is_object()) {
    throw ValueError(where, "a number or an object with keys update, reset, candidate",
                     json_type_name(json));
  }
  JsonReader in(json, where);
  std::array<double, gru_gate_count> values{};
  for (GruGate gate : gru_gate_order) values[gate_index(gate)] = in.number(gate_name(gate));
  in.finish();
  return per_gate(values[gate_index(GruGate::update)], values[gate_index(GruGate::reset)],
                  values[gate_index(GruGate::candidate)]);
}

std::string to_string(const GateFactors& factors) {
  if (factors.uniform()) return format_number(factors.values()[0]);
  std::vector<std::string> items;
  for (GruGate gate : gru_gate_order)
    items.push_back(std::string(gate_name(gate)) + " " + format_number(factors[gate]));
  return "(" + join(items) + ")";
}

}  // namespace grutape
