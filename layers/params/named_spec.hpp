#pragma once
// A named choice with numeric parameters: an initializer, a regularizer or a constraint. Configs
// write it as {"name": "uniform", "parameters": {"minval": -1, "maxval": 1}}. Which names and
// parameters are valid is checked by the family that applies the spec (initializers.hpp,
// parameter_specs.hpp).

#include <iosfwd>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace grutape {

struct NamedSpec {
  /// The chosen member of the family, e.g. "glorot_uniform"; empty means none.
  std::string name;
  /// Numeric parameters by name; an absent one takes the family's default.
  std::map<std::string, double> parameters;

  NamedSpec() = default;
  NamedSpec(std::string name, std::map<std::string, double> parameters = {})
      : name(std::move(name)), parameters(std::move(parameters)) {}

  /// True for "none".
  bool empty() const { return name.empty(); }
  /// The parameter `key`, or `fallback` when it is absent.
  double parameter(const std::string& key, double fallback) const;

  /// {"name": ..., "parameters": {...}}, or null for an empty spec.
  nlohmann::json to_json() const;
  /// The inverse of to_json; a ValueError naming `where` and the key for unknown keys, wrong
  /// types or a missing name.
  static NamedSpec from_json(const nlohmann::json& json, const std::string& where);

  bool operator==(const NamedSpec& other) const {
    return name == other.name && parameters == other.parameters;
  }
  bool operator!=(const NamedSpec& other) const { return !(*this == other); }
};

/// "uniform(maxval=1, minval=-1)", or "none", for messages.
std::string to_string(const NamedSpec& spec);
/// Writes to_string(spec).
std::ostream& operator<<(std::ostream& out, const NamedSpec& spec);

/// A ValueError naming `where` and the spec unless every parameter key is in `allowed` and every
/// value is finite.
void require_parameters(const NamedSpec& spec, const std::vector<std::string>& allowed,
                        const std::string& where);

}  // namespace grutape
