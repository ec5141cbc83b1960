#include "core/json_reader.hpp"

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/text.hpp"

namespace grutape {

std::string json_type_name(const nlohmann::json& json) {
  switch (json.type()) {
    case nlohmann::json::value_t::null:
      return "null";
    case nlohmann::json::value_t::object:
      return "an object";
    case nlohmann::json::value_t::array:
      return "an array";
    case nlohmann::json::value_t::string:
      return "the string " + json.dump();
    case nlohmann::json::value_t::boolean:
      return "the boolean " + json.dump();
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
    case nlohmann::json::value_t::number_float:
      return "the number " + json.dump();
    default:
      return "a binary value";
  }
}

JsonReader::JsonReader(const nlohmann::json& json, std::string where)
    : json_(json), where_(std::move(where)) {
  if (!json_.is_object()) throw ValueError(where_, "a JSON object", json_type_name(json_));
}

bool JsonReader::has(const std::string& key) {
  known_.insert(key);
  return json_.contains(key);
}

std::string JsonReader::where(const std::string& key) const {
  return where_ + ": key \"" + key + "\"";
}

void JsonReader::wrong_type(const std::string& key, const std::string& expected) const {
  throw ValueError(where(key), expected, json_type_name(json_.at(key)));
}

const nlohmann::json& JsonReader::value(const std::string& key) {
  if (!has(key)) throw ValueError(where_, "the key \"" + key + "\"", "an object without it");
  return json_.at(key);
}

bool JsonReader::boolean(const std::string& key) {
  const auto& v = value(key);
  if (!v.is_boolean()) wrong_type(key, "a boolean");
  return v.get<bool>();
}

double JsonReader::number(const std::string& key) {
  const auto& v = value(key);
  if (!v.is_number()) wrong_type(key, "a number");
  return v.get<double>();
}

std::string JsonReader::string(const std::string& key) {
  const auto& v = value(key);
  if (!v.is_string()) wrong_type(key, "a string");
  return v.get<std::string>();
}

std::size_t JsonReader::size(const std::string& key) {
  return static_cast<std::size_t>(unsigned_integer(key));
}

std::uint64_t JsonReader::unsigned_integer(const std::string& key) {
  const auto& v = value(key);
  // Parsed JSON holds 5 as unsigned, but json built in C++ from an int holds it as signed.
  const bool non_negative =
      v.is_number_unsigned() || (v.is_number_integer() && v.get<std::int64_t>() >= 0);
  if (!non_negative) wrong_type(key, "a non-negative integer");
  return v.get<std::uint64_t>();
}

bool JsonReader::boolean(const std::string& key, bool fallback) {
  return has(key) ? boolean(key) : fallback;
}
double JsonReader::number(const std::string& key, double fallback) {
  return has(key) ? number(key) : fallback;
}
std::string JsonReader::string(const std::string& key, const std::string& fallback) {
  return has(key) ? string(key) : fallback;
}
std::size_t JsonReader::size(const std::string& key, std::size_t fallback) {
  return has(key) ? size(key) : fallback;
}

void JsonReader::finish() const {
  for (const auto& item : json_.items()) {
    if (known_.count(item.key()) == 0) {
      throw ValueError(
          where_, "only the keys " + join(std::vector<std::string>(known_.begin(), known_.end())),
          "the unknown key \"" + item.key() + "\"");
    }
  }
}

}  // namespace grutape
