#include "layers/serialization/detail/header_fields.hpp"

#include "core/error.hpp"
#include "core/json_reader.hpp"

namespace grutape {

const nlohmann::json& required(const nlohmann::json& object, const std::string& key,
                               const std::string& where) {
  if (!object.is_object()) throw IoError(where, "an object", json_type_name(object));
  if (!object.contains(key)) throw IoError(where, "the key \"" + key + "\"", "none");
  return object.at(key);
}

const nlohmann::json& required_array(const nlohmann::json& object, const std::string& key,
                                     const std::string& where) {
  const nlohmann::json& value = required(object, key, where);
  if (!value.is_array()) {
    throw IoError(where + ": \"" + key + "\"", "an array", json_type_name(value));
  }
  return value;
}

const nlohmann::json& required_object(const nlohmann::json& object, const std::string& key,
                                      const std::string& where) {
  const nlohmann::json& value = required(object, key, where);
  if (!value.is_object()) {
    throw IoError(where + ": \"" + key + "\"", "an object", json_type_name(value));
  }
  return value;
}

std::string required_string(const nlohmann::json& object, const std::string& key,
                            const std::string& where) {
  const nlohmann::json& value = required(object, key, where);
  if (!value.is_string()) {
    throw IoError(where + ": \"" + key + "\"", "a string", json_type_name(value));
  }
  return value.get<std::string>();
}

std::uint64_t required_count(const nlohmann::json& object, const std::string& key,
                             const std::string& where) {
  const nlohmann::json& value = required(object, key, where);
  if (!value.is_number_unsigned()) {
    throw IoError(where + ": \"" + key + "\"", "a non-negative integer", json_type_name(value));
  }
  return value.get<std::uint64_t>();
}

std::map<std::string, const nlohmann::json*> entries_by(const nlohmann::json& entries,
                                                        const std::string& key,
                                                        const std::string& where,
                                                        const std::string& one_per) {
  std::map<std::string, const nlohmann::json*> by_key;
  for (const nlohmann::json& entry : entries) {
    const std::string value = required_string(entry, key, where);
    if (!by_key.emplace(value, &entry).second) {
      throw IoError(where, "one entry per " + one_per, "two for \"" + value + "\"");
    }
  }
  return by_key;
}

}  // namespace grutape
