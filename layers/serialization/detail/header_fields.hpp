#pragma once
// Reads the fields of a model file's or checkpoint's header (model_container.hpp). A defect is
// the file's, so each is an IoError naming `where` and the key, what was expected and what came.

#include <cstdint>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

namespace grutape {

/// The value at `key` of `object`; an IoError when `object` is not an object or lacks the key.
const nlohmann::json& required(const nlohmann::json& object, const std::string& key,
                               const std::string& where);
/// The same for a value that must be an array.
const nlohmann::json& required_array(const nlohmann::json& object, const std::string& key,
                                     const std::string& where);
/// The same for a value that must be an object.
const nlohmann::json& required_object(const nlohmann::json& object, const std::string& key,
                                      const std::string& where);
/// The string at `key`.
std::string required_string(const nlohmann::json& object, const std::string& key,
                            const std::string& where);
/// The non-negative integer at `key`.
std::uint64_t required_count(const nlohmann::json& object, const std::string& key,
                             const std::string& where);

/// The entries of the array `entries` by the string each holds at `key` ("name", "path"). An
/// IoError naming `where` for an entry without one, or for two with the same: "expected one
/// entry per `one_per`".
std::map<std::string, const nlohmann::json*> entries_by(const nlohmann::json& entries,
                                                        const std::string& key,
                                                        const std::string& where,
                                                        const std::string& one_per);

}  // namespace grutape
