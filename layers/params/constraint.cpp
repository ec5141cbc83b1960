#include "layers/params/constraint.hpp"

#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

#include "core/detail/option_checks.hpp"

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

const std::vector<std::string>& constraint_names() {
  static const std::vector<std::string> names{"max_norm", "non_neg", "unit_norm", "min_max_norm"};
  return names;
}

std::shared_ptr<const Constraint> make_constraint(const std::string& name,
                                                  const std::map<std::string, double>& parameters) {
  const std::string where = "make_constraint " + name;
  auto take = [&](const std::vector<std::string>& allowed) {
    for (const auto& item : parameters) {
      if (std::find(allowed.begin(), allowed.end(), item.first) == allowed.end()) {
        std::string list;
        for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
        throw ValueError(where, "parameters among (" + list + ")", "'" + item.first + "'");
      }
    }
  };
  auto value = [&](const std::string& key, double fallback) {
    auto found = parameters.find(key);
    return found == parameters.end() ? fallback : found->second;
  };
  auto axis = [&]() {
    const double a = value("axis", 0);
    detail::require_option(std::isfinite(a) && a == std::round(a), where, "axis", "an integer", a);
    return static_cast<long>(a);
  };
  if (name == "max_norm") {
    take({"max_value", "axis"});
    return std::make_shared<MaxNorm>(value("max_value", 2), axis());
  }
  if (name == "non_neg") {
    take({});
    return std::make_shared<NonNeg>();
  }
  if (name == "unit_norm") {
    take({"axis"});
    return std::make_shared<UnitNorm>(axis());
  }
  if (name == "min_max_norm") {
    take({"min_value", "max_value", "rate", "axis"});
    return std::make_shared<MinMaxNorm>(value("min_value", 0), value("max_value", 1),
                                        value("rate", 1), axis());
  }
  std::string known;
  for (const auto& n : constraint_names()) known += (known.empty() ? "" : ", ") + n;
  throw ValueError("make_constraint", "a constraint among (" + known + ")", "'" + name + "'");
}

nlohmann::json constraint_to_json(const Constraint& constraint) {
  nlohmann::json parameters = nlohmann::json::object();
  for (const auto& [key, value] : constraint.parameters()) parameters[key] = value;
  return {{"name", constraint.name()}, {"parameters", parameters}};
}

std::shared_ptr<const Constraint> constraint_from_json(const nlohmann::json& json) {
  const std::string where = "constraint_from_json";
  if (!json.is_object() || !json.contains("name") || !json.at("name").is_string()) {
    throw ValueError(where, "an object with a string \"name\"", json.dump().substr(0, 80));
  }
  std::map<std::string, double> parameters;
  if (json.contains("parameters")) {
    const auto& object = json.at("parameters");
    if (!object.is_object()) throw ValueError(where, "a \"parameters\" object", object.dump());
    for (const auto& item : object.items()) {
      if (!item.value().is_number()) {
        throw ValueError(where, "a number for parameter \"" + item.key() + "\"",
                         item.value().dump());
      }
      parameters[item.key()] = item.value().get<double>();
    }
  }
  for (const auto& item : json.items()) {
    if (item.key() != "name" && item.key() != "parameters") {
      throw ValueError(where, "keys \"name\" and \"parameters\"", "\"" + item.key() + "\"");
    }
  }
  return make_constraint(json.at("name").get<std::string>(), parameters);
}

}  // namespace grutape
