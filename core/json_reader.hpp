#pragma once
// Reads one JSON object field by field for the from_json functions of configs: each read checks
// the type, a key may be optional (a fallback) or required, and finish() rejects every key that
// no read asked for. Every message names where, the key, what was expected and what came.

#include <cstdint>
#include <set>
#include <string>

#include <nlohmann/json_fwd.hpp>

namespace grutape {

class JsonReader {
 public:
  /// A ValueError naming `where` unless `json` is an object.
  JsonReader(const nlohmann::json& json, std::string where);

  /// True when the object has `key` (which then counts as known).
  bool has(const std::string& key);

  /// The value at `key`; a ValueError naming the key when it is absent.
  const nlohmann::json& value(const std::string& key);
  bool boolean(const std::string& key);
  double number(const std::string& key);
  std::string string(const std::string& key);
  /// A non-negative integer.
  std::size_t size(const std::string& key);
  std::uint64_t unsigned_integer(const std::string& key);

  /// The same reads with a fallback for an absent key.
  bool boolean(const std::string& key, bool fallback);
  double number(const std::string& key, double fallback);
  std::string string(const std::string& key, const std::string& fallback);
  std::size_t size(const std::string& key, std::size_t fallback);

  /// "where: key" for the messages of nested reads.
  std::string where(const std::string& key) const;

  /// A ValueError naming the first key that no read or has() asked for.
  void finish() const;

 private:
  [[noreturn]] void wrong_type(const std::string& key, const std::string& expected) const;

  const nlohmann::json& json_;
  std::string where_;
  std::set<std::string> known_;
};

/// The JSON type of `json` in words ("a string", "an array", ...), for messages.
std::string json_type_name(const nlohmann::json& json);

}  // namespace grutape
