#include "layers/params/constraint.hpp"

#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

#include "core/detail/option_checks.hpp"
#include "core/registry.hpp"

namespace grutape {
namespace {

// Keras' fuzz factor in the denominators.
constexpr double kEpsilon = 1e-7;

// A tensor seen as (outer, extent, inner) around the normalised axis.
struct AxisSplit {
  std::size_t outer = 1, extent = 1, inner = 1;
};

AxisSplit split_at(const Shape& shape, long axis, const std::string& where) {
  const std::size_t a = normalize_axis(axis, shape.size(), where);
  AxisSplit split;
  for (std::size_t i = 0; i < a; ++i) split.outer *= shape[i];
  split.extent = shape[a];
  for (std::size_t i = a + 1; i < shape.size(); ++i) split.inner *= shape[i];
  return split;
}

}  // namespace

void NormConstraint::apply(Tensor& tensor) const {
  const AxisSplit split = split_at(tensor.shape(), axis_, name());
  tensor.visit([&](auto& array) {
    using T = typename std::decay_t<decltype(array)>::value_type;
    T* data = array.data();
    // n_(o, i)^2 = sum_k w_(o, k, i)^2, summed over k in order.
    std::vector<double> factors(split.outer * split.inner, 0.0);
    for (std::size_t o = 0; o < split.outer; ++o) {
      for (std::size_t k = 0; k < split.extent; ++k) {
        const T* row = data + (o * split.extent + k) * split.inner;
        double* sums = factors.data() + o * split.inner;
        for (std::size_t i = 0; i < split.inner; ++i) {
          sums[i] += static_cast<double>(row[i]) * static_cast<double>(row[i]);
        }
      }
    }
    for (double& f : factors) f = factor(std::sqrt(f));
    for (std::size_t o = 0; o < split.outer; ++o) {
      for (std::size_t k = 0; k < split.extent; ++k) {
        T* row = data + (o * split.extent + k) * split.inner;
        const double* f = factors.data() + o * split.inner;
        for (std::size_t i = 0; i < split.inner; ++i) {
          row[i] = static_cast<T>(static_cast<double>(row[i]) * f[i]);
        }
      }
    }
  });
}

MaxNorm::MaxNorm(double max_value, long axis) : NormConstraint(axis), max_value_(max_value) {
  detail::require_option(std::isfinite(max_value) && max_value > 0, "max_norm", "max_value",
                         "> 0 and finite", max_value);
}

std::map<std::string, double> MaxNorm::parameters() const {
  return {{"max_value", max_value_}, {"axis", static_cast<double>(axis())}};
}

double MaxNorm::factor(double norm) const {
  return std::min(norm, max_value_) / (kEpsilon + norm);
}

void NonNeg::apply(Tensor& tensor) const {
  tensor.visit([](auto& array) {
    using T = typename std::decay_t<decltype(array)>::value_type;
    for (auto& w : array) w = w >= 0 ? w : T(0);
  });
}

std::map<std::string, double> UnitNorm::parameters() const {
  return {{"axis", static_cast<double>(axis())}};
}

double UnitNorm::factor(double norm) const {
  return 1 / (kEpsilon + norm);
}

MinMaxNorm::MinMaxNorm(double min_value, double max_value, double rate, long axis)
    : NormConstraint(axis), min_value_(min_value), max_value_(max_value), rate_(rate) {
  detail::require_option(std::isfinite(max_value) && max_value > 0, "min_max_norm", "max_value",
                         "> 0 and finite", max_value);
  detail::require_option(min_value >= 0 && min_value <= max_value, "min_max_norm", "min_value",
                         "in [0, max_value = " + detail::number_to_string(max_value) + "]",
                         min_value);
  detail::require_option(rate >= 0 && rate <= 1, "min_max_norm", "rate", "in [0, 1]", rate);
}

std::map<std::string, double> MinMaxNorm::parameters() const {
  return {{"min_value", min_value_},
          {"max_value", max_value_},
          {"rate", rate_},
          {"axis", static_cast<double>(axis())}};
}

double MinMaxNorm::factor(double norm) const {
  const double desired = rate_ * std::clamp(norm, min_value_, max_value_) + (1 - rate_) * norm;
  return desired / (kEpsilon + norm);
}

namespace {

// A constructor's range check under the spec's `where`.
template <class Make>
std::shared_ptr<const Constraint> constructed_at(const std::string& where, Make&& make) {
  try {
    return make();
  } catch (const ValueError& error) {
    throw ValueError(where + ": " + error.what());
  }
}

// The spec's axis, an integer (default 0).
long axis_of(const NamedSpec& spec, const std::string& where) {
  const double axis = spec.parameter("axis", 0);
  if (axis != std::floor(axis)) {
    throw ValueError(where + ": " + spec.name, "an integer axis", to_string(spec));
  }
  return static_cast<long>(axis);
}

std::shared_ptr<const Constraint> max_norm_from_spec(const NamedSpec& spec,
                                                     const std::string& where) {
  require_parameters(spec, {"max_value", "axis"}, where);
  const long axis = axis_of(spec, where);
  return constructed_at(
      where, [&] { return std::make_shared<MaxNorm>(spec.parameter("max_value", 2), axis); });
}

std::shared_ptr<const Constraint> min_max_norm_from_spec(const NamedSpec& spec,
                                                         const std::string& where) {
  require_parameters(spec, {"min_value", "max_value", "rate", "axis"}, where);
  const long axis = axis_of(spec, where);
  return constructed_at(where, [&] {
    return std::make_shared<MinMaxNorm>(spec.parameter("min_value", 0),
                                        spec.parameter("max_value", 1), spec.parameter("rate", 1),
                                        axis);
  });
}

std::shared_ptr<const Constraint> non_neg_from_spec(const NamedSpec& spec,
                                                    const std::string& where) {
  require_parameters(spec, {}, where);
  return std::make_shared<NonNeg>();
}

std::shared_ptr<const Constraint> unit_norm_from_spec(const NamedSpec& spec,
                                                      const std::string& where) {
  require_parameters(spec, {"axis"}, where);
  return std::make_shared<UnitNorm>(axis_of(spec, where));
}

Registry<ConstraintFactory>& constraint_registry() {
  static Registry<ConstraintFactory> registry(
      {"name", "a constraint", "register_constraint", "unregister_constraint"},
      {{"max_norm", max_norm_from_spec},
       {"min_max_norm", min_max_norm_from_spec},
       {"non_neg", non_neg_from_spec},
       {"unit_norm", unit_norm_from_spec}});
  return registry;
}

}  // namespace

void register_constraint(const std::string& name, ConstraintFactory factory) {
  constraint_registry().add(name, std::move(factory));
}

void unregister_constraint(const std::string& name) {
  constraint_registry().remove(name);
}

std::vector<std::string> constraint_names() {
  return constraint_registry().names();
}

std::shared_ptr<const Constraint> constraint_from_spec(const NamedSpec& spec,
                                                       const std::string& where) {
  return constraint_registry().find(spec.name, where)(spec, where);
}

std::shared_ptr<const Constraint> make_constraint(const std::string& name,
                                                  const std::map<std::string, double>& parameters) {
  return constraint_from_spec(NamedSpec(name, parameters), "make_constraint");
}

nlohmann::json constraint_to_json(const Constraint& constraint) {
  return NamedSpec(constraint.name(), constraint.parameters()).to_json();
}

std::shared_ptr<const Constraint> constraint_from_json(const nlohmann::json& json) {
  const std::string where = "constraint_from_json";
  return constraint_from_spec(NamedSpec::from_json(json, where), where);
}

}  // namespace grutape
