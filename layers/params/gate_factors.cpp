#include "layers/params/gate_factors.hpp"

#include <cmath>

#include "core/error.hpp"
#include "core/text.hpp"

namespace grutape {

GateFactors GateFactors::from_values(std::vector<double> values) {
  if (values.empty()) throw ValueError("GateFactors::from_values", "at least one factor", "none");
  GateFactors factors;
  factors.values_ = std::move(values);
  // Equal factors act on the tensor as one does, and compare equal to it.
  bool equal = true;
  for (double value : factors.values_) equal = equal && value == factors.values_[0];
  if (equal) factors.values_.resize(1);
  return factors;
}

double GateFactors::operator[](std::size_t gate) const {
  if (uniform()) return values_[0];
  if (gate >= values_.size()) {
    throw ValueError("GateFactors", "a gate block below " + std::to_string(values_.size()),
                     std::to_string(gate));
  }
  return values_[gate];
}

void GateFactors::validate(const std::string& where) const {
  for (double value : values_) {
    if (!(std::isfinite(value) && value >= 0))
      throw ValueError(where, "finite factors >= 0", to_string(*this));
  }
}

void GateFactors::require_blocks(const Shape& shape, const std::string& where) const {
  if (uniform()) return;
  if (shape.empty() || shape.back() % values_.size() != 0) {
    throw ShapeError(where,
                     "a last axis of " + std::to_string(values_.size()) +
                         " equal gate blocks for per-gate factors",
                     "shape " + shape_to_string(shape));
  }
}

std::string to_string(const GateFactors& factors) {
  if (factors.uniform()) return format_number(factors.values()[0]);
  std::vector<std::string> items;
  for (double value : factors.values()) items.push_back(format_number(value));
  return "(" + join(items) + ")";
}

}  // namespace grutape
