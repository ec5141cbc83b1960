#include "layers/shape_pattern.hpp"

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/json_reader.hpp"

namespace grutape {

std::string shape_pattern_to_string(const ShapePattern& pattern) {
  std::string text = "(";
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (i > 0) text += ", ";
    text += pattern[i] ? std::to_string(*pattern[i]) : "None";
  }
  return text + ")";
}

bool shape_matches(const ShapePattern& pattern, const Shape& shape) {
  if (pattern.size() != shape.size()) return false;
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (pattern[i] && *pattern[i] != shape[i]) return false;
  }
  return true;
}

ShapePattern fixed_pattern(const Shape& shape) {
  return ShapePattern(shape.begin(), shape.end());
}

nlohmann::json shape_pattern_to_json(const ShapePattern& pattern) {
  nlohmann::json json = nlohmann::json::array();
  for (const auto& extent : pattern) {
    json.push_back(extent ? nlohmann::json(*extent) : nlohmann::json(nullptr));
  }
  return json;
}

ShapePattern shape_pattern_from_json(const nlohmann::json& json, const std::string& where) {
  const std::string expected = "an array of non-negative integers and nulls";
  if (!json.is_array()) throw ValueError(where, expected, json_type_name(json));
  ShapePattern pattern;
  for (const auto& item : json) {
    if (item.is_null()) {
      pattern.push_back(std::nullopt);
    } else if (item.is_number_unsigned() ||
               (item.is_number_integer() && item.get<std::int64_t>() >= 0)) {
      pattern.push_back(item.get<std::size_t>());
    } else {
      throw ValueError(where, expected, "an array holding " + json_type_name(item));
    }
  }
  return pattern;
}

}  // namespace grutape
