#include "layers/params/parameter_specs.hpp"

#include <cmath>

#include "core/error.hpp"
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

}  // namespace grutape
