#include "layers/params/parameter_specs.hpp"

#include <cmath>

#include "core/error.hpp"
#include "core/text.hpp"

namespace grutape {
namespace {

// A ValueError unless `condition`, naming the spec and the failed requirement.
void require(bool condition, const NamedSpec& spec, const std::string& where,
             const std::string& expected) {
  if (!condition) throw ValueError(where + ": " + spec.name, expected, to_string(spec));
}

void require_integer_axis(const NamedSpec& spec, const std::string& where) {
  const double axis = spec.parameter("axis", 0);
  require(axis == std::floor(axis), spec, where, "an integer axis");
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
  if (spec.empty()) return;
  if (spec.name == "max_norm") {
    require_parameters(spec, {"max_value", "axis"}, where);
    require(spec.parameter("max_value", 2) > 0, spec, where, "max_value > 0");
  } else if (spec.name == "min_max_norm") {
    require_parameters(spec, {"min_value", "max_value", "rate", "axis"}, where);
    const double low = spec.parameter("min_value", 0), high = spec.parameter("max_value", 1);
    require(low >= 0 && low <= high && high > 0, spec, where,
            "0 <= min_value <= max_value and max_value > 0");
    const double rate = spec.parameter("rate", 1);
    require(rate >= 0 && rate <= 1, spec, where, "rate in [0, 1]");
  } else if (spec.name == "non_neg") {
    require_parameters(spec, {}, where);
  } else if (spec.name == "unit_norm") {
    require_parameters(spec, {"axis"}, where);
  } else {
    throw ValueError(where, "a constraint among max_norm, min_max_norm, non_neg, unit_norm",
                     "\"" + spec.name + "\"");
  }
  require_integer_axis(spec, where);
}

}  // namespace grutape
