#include "layers/serialization/detail/model_container.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>

#include "core/io/checksum.hpp"
#include "core/json_reader.hpp"
#include "core/text.hpp"

namespace grutape {
namespace {

constexpr char kMagic[] = "\x89GRUTAPE";
constexpr std::size_t kMagicSize = 8;
constexpr std::size_t kPrefixSize = 16;
constexpr std::size_t kDataAlignment = 64;
constexpr std::size_t kMaxNesting = 128;
constexpr std::size_t kMaxTensorRank = 32;
// Bound on the product of a shape's extents (zero extents counted as 1), so that a damaged
// extent cannot overflow the stride arithmetic of an empty tensor.
constexpr std::uint64_t kMaxExtentProduct = std::uint64_t(1) << 48;
constexpr char kChecksumPrefix[] = "fnv1a-64:";

// Bytes as text for messages: printable ASCII as is, the rest as \xNN.
std::string printable(std::string_view bytes) {
  constexpr char kDigits[] = "0123456789abcdef";
  std::string text;
  for (const char c : bytes) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte < 0x7f && byte != '\\') {
      text.push_back(c);
    } else {
      text += "\\x";
      text.push_back(kDigits[byte >> 4]);
      text.push_back(kDigits[byte & 0xf]);
    }
  }
  return text;
}

std::uint64_t read_u64_le(const char* bytes) {
  std::uint64_t value = 0;
  for (int i = 7; i >= 0; --i) value = (value << 8) | static_cast<unsigned char>(bytes[i]);
  return value;
}

void append_u64_le(std::string& out, std::uint64_t value) {
  for (int i = 0; i < 8; ++i, value >>= 8) out.push_back(static_cast<char>(value & 0xff));
}

// The deepest nesting of arrays and objects in JSON text (strings skipped), checked before
// parsing because printing a deeply nested value for a message would recurse that deep.
std::size_t json_nesting(std::string_view text) {
  std::size_t depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (const char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

std::size_t element_size(DType dtype) {
  return dtype == DType::float32 ? 4 : 8;
}

// The elements of `tensor` as little-endian bit patterns appended to `out`.
void append_elements(std::string& out, const Tensor& tensor) {
  tensor.visit([&](const auto& array) {
    using T = typename std::decay_t<decltype(array)>::value_type;
    using Word = std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>;
    for (std::size_t i = 0; i < array.size(); ++i) {
      Word word;
      std::memcpy(&word, array.data() + i, sizeof word);
      for (std::size_t b = 0; b < sizeof word; ++b, word >>= 8) {
        out.push_back(static_cast<char>(word & 0xff));
      }
    }
  });
}

// Fills `tensor` from little-endian bit patterns at `bytes`.
void fill_elements(Tensor& tensor, const char* bytes) {
  tensor.visit([&](auto& array) {
    using T = typename std::decay_t<decltype(array)>::value_type;
    using Word = std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>;
    for (std::size_t i = 0; i < array.size(); ++i) {
      Word word = 0;
      for (std::size_t b = sizeof word; b-- > 0;) {
        word =
            static_cast<Word>((word << 8) | static_cast<unsigned char>(bytes[i * sizeof word + b]));
      }
      std::memcpy(array.data() + i, &word, sizeof word);
    }
  });
}

const nlohmann::json& required_key(const nlohmann::json& object, const std::string& key,
                                   const std::string& where) {
  if (!object.contains(key)) throw IoError(where, "the key \"" + key + "\"", "none");
  return object.at(key);
}

std::uint64_t required_count(const nlohmann::json& object, const std::string& key,
                             const std::string& where) {
  const nlohmann::json& value = required_key(object, key, where);
  if (!value.is_number_unsigned()) {
    throw IoError(where + ": \"" + key + "\"", "a non-negative integer", json_type_name(value));
  }
  return value.get<std::uint64_t>();
}

}  // namespace

nlohmann::json TensorWriter::add(const Tensor& tensor) {
  const std::size_t offset = data_.size();
  append_elements(data_, tensor);
  return {{"dtype", dtype_name(tensor.dtype())},
          {"shape", tensor.shape()},
          {"offset", offset},
          {"bytes", data_.size() - offset}};
}

TensorReader::TensorReader(std::string_view data, std::string where)
    : data_(data), where_(std::move(where)) {}

Tensor TensorReader::read(const nlohmann::json& reference, const std::string& what) {
  const std::string where = where_ + ": " + what;
  if (!reference.is_object()) {
    throw IoError(where, "a tensor reference {dtype, shape, offset, bytes}",
                  json_type_name(reference));
  }
  const nlohmann::json& dtype_json = required_key(reference, "dtype", where);
  if (!dtype_json.is_string() || (dtype_json != "float32" && dtype_json != "float64")) {
    throw IoError(where + ": \"dtype\"", "\"float32\" or \"float64\"",
                  dtype_json.is_string() ? "\"" + printable(dtype_json.get<std::string>()) + "\""
                                         : json_type_name(dtype_json));
  }
  const DType dtype = dtype_from_name(dtype_json.get<std::string>());
  const nlohmann::json& shape_json = required_key(reference, "shape", where);
  if (!shape_json.is_array() || shape_json.size() > kMaxTensorRank) {
    throw IoError(where + ": \"shape\"",
                  "an array of at most " + std::to_string(kMaxTensorRank) + " extents",
                  shape_json.is_array() ? std::to_string(shape_json.size()) + " extents"
                                        : json_type_name(shape_json));
  }
  Shape shape;
  std::uint64_t count = 1, bound = 1;
  for (const nlohmann::json& extent : shape_json) {
    if (!extent.is_number_unsigned()) {
      throw IoError(where + ": \"shape\"", "non-negative integer extents", json_type_name(extent));
    }
    const std::uint64_t value = extent.get<std::uint64_t>();
    const std::uint64_t counted = std::max<std::uint64_t>(value, 1);
    if (counted > kMaxExtentProduct / bound) {
      throw IoError(where + ": \"shape\"", "extents whose product is at most 2^48",
                    shape_json.dump());
    }
    bound *= counted;
    count *= value;
    shape.push_back(static_cast<std::size_t>(value));
  }
  const std::uint64_t offset = required_count(reference, "offset", where);
  const std::uint64_t bytes = required_count(reference, "bytes", where);
  const std::uint64_t expected_bytes = count * element_size(dtype);
  if (bytes != expected_bytes) {
    throw IoError(
        where + ": \"bytes\"",
        std::to_string(expected_bytes) + " for " + dtype_name(dtype) + " " + shape_to_string(shape),
        std::to_string(bytes));
  }
  if (offset > data_.size() || bytes > data_.size() - offset) {
    throw IoError(where,
                  "bytes within the data section of " + std::to_string(data_.size()) + " bytes",
                  "bytes " + std::to_string(offset) + " to " + std::to_string(offset + bytes));
  }
  Tensor tensor = Tensor::zeros(shape, dtype);
  if (bytes > 0) fill_elements(tensor, data_.data() + offset);
  spans_.emplace_back(static_cast<std::size_t>(offset), static_cast<std::size_t>(bytes));
  return tensor;
}

void TensorReader::finish() const {
  std::vector<std::pair<std::size_t, std::size_t>> spans;
  for (const auto& span : spans_) {
    if (span.second > 0) spans.push_back(span);
  }
  std::sort(spans.begin(), spans.end());
  std::size_t covered = 0;
  for (const auto& [offset, bytes] : spans) {
    if (offset < covered) {
      throw IoError(
          where_ + ": data", "tensors that do not overlap",
          "two that share bytes " + std::to_string(offset) + " to " + std::to_string(covered));
    }
    if (offset > covered) {
      throw IoError(
          where_ + ": data", "tensors that cover every byte",
          "no tensor in bytes " + std::to_string(covered) + " to " + std::to_string(offset));
    }
    covered = offset + bytes;
  }
  if (covered != data_.size()) {
    throw IoError(
        where_ + ": data", "tensors that cover every byte",
        "no tensor in bytes " + std::to_string(covered) + " to " + std::to_string(data_.size()));
  }
}

std::string pack_container(nlohmann::json header, const std::string& data) {
  // "format" and "version" first, so that a reader sees them on the first lines, "data" last,
  // the rest in key order; nested values print as they are.
  nlohmann::ordered_json ordered;
  ordered["format"] = nlohmann::ordered_json::parse(header.at("format").dump());
  ordered["version"] = nlohmann::ordered_json::parse(header.at("version").dump());
  for (const auto& item : header.items()) {
    if (item.key() == "format" || item.key() == "version" || item.key() == "data") continue;
    ordered[item.key()] = nlohmann::ordered_json::parse(item.value().dump());
  }
  ordered["data"] = {
      {"bytes", data.size()},
      {"checksum", kChecksumPrefix + checksum_hex(fnv1a_64(data.data(), data.size()))}};
  std::string text = ordered.dump(1);
  // Spaces and a final newline up to the data's alignment.
  const std::size_t unpadded = kPrefixSize + text.size() + 1;
  text.append((kDataAlignment - unpadded % kDataAlignment) % kDataAlignment, ' ');
  text.push_back('\n');
  std::string bytes(kMagic, kMagicSize);
  append_u64_le(bytes, text.size());
  bytes += text;
  bytes += data;
  return bytes;
}

Container unpack_container(std::string_view bytes, const std::string& where,
                           const std::vector<std::string>& formats) {
  if (bytes.size() < kPrefixSize) {
    throw IoError(where, "at least 16 bytes (magic and header length)",
                  std::to_string(bytes.size()) + " bytes (truncated?)");
  }
  if (bytes.substr(0, kMagicSize) != std::string_view(kMagic, kMagicSize)) {
    throw IoError(where, "the magic bytes \\x89GRUTAPE of a grutape file",
                  "\"" + printable(bytes.substr(0, kMagicSize)) + "\"");
  }
  const std::uint64_t header_size = read_u64_le(bytes.data() + kMagicSize);
  if (header_size > bytes.size() - kPrefixSize) {
    throw IoError(
        where, "a header of " + std::to_string(header_size) + " bytes",
        std::to_string(bytes.size() - kPrefixSize) + " bytes after the prefix (truncated?)");
  }
  const std::string_view text = bytes.substr(kPrefixSize, header_size);
  if (json_nesting(text) > kMaxNesting) {
    throw IoError(where + ": header",
                  "JSON nested at most " + std::to_string(kMaxNesting) + " levels deep",
                  "deeper nesting");
  }
  Container container;
  try {
    container.header = nlohmann::json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::parse_error& error) {
    throw IoError(where + ": header", "valid JSON", std::string("a parse error: ") + error.what());
  }
  const nlohmann::json& header = container.header;
  if (!header.is_object())
    throw IoError(where + ": header", "a JSON object", json_type_name(header));
  const nlohmann::json& format = required_key(header, "format", where);
  if (!format.is_string() ||
      std::find(formats.begin(), formats.end(), format.get<std::string>()) == formats.end()) {
    std::vector<std::string> quoted;
    for (const auto& name : formats) quoted.push_back("\"" + name + "\"");
    throw IoError(where + ": \"format\"", join(quoted, " or "),
                  format.is_string() ? "\"" + printable(format.get<std::string>()) + "\""
                                     : json_type_name(format));
  }
  const nlohmann::json& version = required_key(header, "version", where);
  if (version != kModelFormatVersion) {
    throw IoError(where + ": \"version\"",
                  std::to_string(kModelFormatVersion) + " (the version this build reads)",
                  version.is_primitive() ? version.dump() : json_type_name(version));
  }
  const nlohmann::json& data = required_key(header, "data", where);
  if (!data.is_object()) throw IoError(where + ": \"data\"", "an object", json_type_name(data));
  const std::uint64_t data_size = required_count(data, "bytes", where + ": \"data\"");
  const std::uint64_t after_header = bytes.size() - kPrefixSize - header_size;
  if (data_size != after_header) {
    throw IoError(where,
                  std::to_string(kPrefixSize + header_size + data_size) + " bytes (16 + header " +
                      std::to_string(header_size) + " + data " + std::to_string(data_size) + ")",
                  std::to_string(bytes.size()) + " bytes" +
                      (data_size > after_header ? " (truncated?)" : " (trailing bytes)"));
  }
  container.data = bytes.substr(kPrefixSize + header_size);
  const nlohmann::json& checksum = required_key(data, "checksum", where + ": \"data\"");
  const std::string computed =
      kChecksumPrefix + checksum_hex(fnv1a_64(container.data.data(), container.data.size()));
  if (!checksum.is_string()) {
    throw IoError(where + ": \"data\": \"checksum\"", "a string", json_type_name(checksum));
  }
  if (checksum.get<std::string>() != computed) {
    throw IoError(where + ": checksum mismatch over the data",
                  "\"" + printable(checksum.get<std::string>()) + "\" (the header's)",
                  "\"" + computed + "\" computed from the data (damaged weights?)");
  }
  return container;
}

}  // namespace grutape
