#include "layers/params/named_spec.hpp"

#include <algorithm>
#include <cmath>
#include <ostream>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/json_reader.hpp"
#include "core/text.hpp"

namespace grutape {

double NamedSpec::parameter(const std::string& key, double fallback) const {
  const auto found = parameters.find(key);
  return found == parameters.end() ? fallback : found->second;
}

nlohmann::json NamedSpec::to_json() const {
  if (empty()) return nullptr;
  nlohmann::json json = {{"name", name}, {"parameters", nlohmann::json::object()}};
  for (const auto& [key, value] : parameters) json["parameters"][key] = value;
  return json;
}

NamedSpec NamedSpec::from_json(const nlohmann::json& json, const std::string& where) {
  if (json.is_null()) return NamedSpec();
  JsonReader in(json, where);
  NamedSpec spec(in.string("name"));
  if (spec.name.empty()) throw ValueError(in.where("name"), "a non-empty name", "\"\"");
  if (in.has("parameters")) {
    const nlohmann::json& parameters = in.value("parameters");
    if (!parameters.is_object())
      throw ValueError(in.where("parameters"), "an object", json_type_name(parameters));
    for (const auto& item : parameters.items()) {
      if (!item.value().is_number()) {
        throw ValueError(in.where("parameters") + "." + item.key(), "a number",
                         json_type_name(item.value()));
      }
      spec.parameters[item.key()] = item.value().get<double>();
    }
  }
  in.finish();
  return spec;
}

std::string to_string(const NamedSpec& spec) {
  if (spec.empty()) return "none";
  std::vector<std::string> items;
  for (const auto& [key, value] : spec.parameters)
    items.push_back(key + "=" + format_number(value));
  return spec.name + "(" + join(items) + ")";
}

std::ostream& operator<<(std::ostream& out, const NamedSpec& spec) {
  return out << to_string(spec);
}

void require_parameters(const NamedSpec& spec, const std::vector<std::string>& allowed,
                        const std::string& where) {
  for (const auto& [key, value] : spec.parameters) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      const std::string expected =
          allowed.empty() ? "no parameters" : "parameters among " + join(allowed);
      throw ValueError(where + ": " + spec.name, expected, "\"" + key + "\" in " + to_string(spec));
    }
    if (!std::isfinite(value)) {
      throw ValueError(where + ": " + spec.name, "finite parameters",
                       key + "=" + format_number(value));
    }
  }
}

}  // namespace grutape
