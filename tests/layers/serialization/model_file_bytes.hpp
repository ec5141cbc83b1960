#pragma once
// Model-file surgery for the tests, written from the format's description (docs/model_files.md)
// rather than with the library's reader: split a file into its header and data, change either,
// and join them again, with or without a fresh checksum.

#include <cstdint>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

namespace grutape::testing {

/// FNV-1a 64 as published: offset basis 0xcbf29ce484222325, prime 0x100000001b3.
inline std::uint64_t fnv1a(const std::string& bytes) {
  std::uint64_t hash = 0xcbf29ce484222325ull;
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 0x100000001b3ull;
  }
  return hash;
}

inline std::string hex16(std::uint64_t value) {
  static const char digits[] = "0123456789abcdef";
  std::string text;
  for (int shift = 60; shift >= 0; shift -= 4) text.push_back(digits[(value >> shift) & 0xf]);
  return text;
}

struct ModelFileParts {
  nlohmann::json header;
  std::string data;
};

/// The header and data of a well-formed file.
inline ModelFileParts split_model_file(const std::string& bytes) {
  if (bytes.size() < 16 || bytes.compare(0, 8, "\x89GRUTAPE") != 0)
    throw std::runtime_error("split_model_file: not a model file");
  std::uint64_t length = 0;
  for (int i = 7; i >= 0; --i) length = (length << 8) | static_cast<unsigned char>(bytes[8 + i]);
  return {nlohmann::json::parse(bytes.substr(16, length)), bytes.substr(16 + length)};
}

/// The file of `header` and `data`; with `fresh_checksum` the header's data length and
/// checksum are set to match `data`.
inline std::string join_model_file(nlohmann::json header, const std::string& data,
                                   bool fresh_checksum = true) {
  if (fresh_checksum) {
    header["data"]["bytes"] = data.size();
    header["data"]["checksum"] = "fnv1a-64:" + hex16(fnv1a(data));
  }
  const std::string text = header.dump();
  std::string bytes = "\x89GRUTAPE";
  std::uint64_t length = text.size();
  for (int i = 0; i < 8; ++i, length >>= 8) bytes.push_back(static_cast<char>(length & 0xff));
  return bytes + text + data;
}

}  // namespace grutape::testing
