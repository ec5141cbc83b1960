#include "optim/optimizers/detail/state_json.hpp"

#include <cstdint>
#include <cstring>

#include <nlohmann/json.hpp>

namespace grutape {
namespace {

// The unsigned integer with the bit width of T.
template <class T>
using Bits = std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>;

constexpr char kHexDigits[] = "0123456789abcdef";

template <class U>
void append_hex(std::string& out, U bits) {
  for (int shift = static_cast<int>(sizeof(U)) * 8 - 4; shift >= 0; shift -= 4) {
    out.push_back(kHexDigits[(bits >> shift) & 0xf]);
  }
}

template <class U>
U parse_hex(const char* text, const std::string& where) {
  U bits = 0;
  for (std::size_t i = 0; i < sizeof(U) * 2; ++i) {
    const char c = text[i];
    U digit;
    if (c >= '0' && c <= '9') {
      digit = static_cast<U>(c - '0');
    } else if (c >= 'a' && c <= 'f') {
      digit = static_cast<U>(c - 'a' + 10);
    } else {
      throw ValueError(where, "lower-case hex digits", std::string("'") + c + "'");
    }
    bits = static_cast<U>((bits << 4) | digit);
  }
  return bits;
}

const nlohmann::json& state_member(const nlohmann::json& json, const char* key,
                                   const std::string& where) {
  if (!json.is_object() || !json.contains(key)) {
    throw ValueError(where, std::string("a tensor object with key \"") + key + "\"",
                     json.dump().substr(0, 80));
  }
  return json.at(key);
}

}  // namespace

nlohmann::json tensor_to_json(const Tensor& tensor) {
  std::string bits;
  tensor.visit([&](const auto& array) {
    using T = typename std::decay_t<decltype(array)>::value_type;
    bits.reserve(array.size() * sizeof(T) * 2);
    for (std::size_t i = 0; i < array.size(); ++i) {
      Bits<T> word;
      std::memcpy(&word, array.data() + i, sizeof word);
      append_hex(bits, word);
    }
  });
  return {{"dtype", dtype_name(tensor.dtype())}, {"shape", tensor.shape()}, {"bits", bits}};
}

Tensor tensor_from_json(const nlohmann::json& json, const std::string& where) {
  const auto& dtype_json = state_member(json, "dtype", where);
  const auto& shape_json = state_member(json, "shape", where);
  const auto& bits_json = state_member(json, "bits", where);
  if (!dtype_json.is_string()) throw ValueError(where, "a dtype name", dtype_json.dump());
  if (!bits_json.is_string()) throw ValueError(where, "a hex string of bits", bits_json.dump());
  Shape shape;
  if (!shape_json.is_array()) throw ValueError(where, "a shape array", shape_json.dump());
  for (const auto& extent : shape_json) {
    if (!extent.is_number_unsigned()) {
      throw ValueError(where, "a shape of non-negative integers", shape_json.dump());
    }
    shape.push_back(extent.get<std::size_t>());
  }
  const DType dtype = dtype_from_name(dtype_json.get<std::string>());
  const std::string& bits = bits_json.get_ref<const std::string&>();
  Tensor tensor = Tensor::zeros(shape, dtype);
  tensor.visit([&](auto& array) {
    using T = typename std::decay_t<decltype(array)>::value_type;
    const std::size_t width = sizeof(T) * 2;
    if (bits.size() != array.size() * width) {
      throw ValueError(where,
                       std::to_string(array.size() * width) + " hex digits for " +
                           dtype_name(dtype) + " " + shape_to_string(shape),
                       std::to_string(bits.size()) + " digits");
    }
    for (std::size_t i = 0; i < array.size(); ++i) {
      const Bits<T> word = parse_hex<Bits<T>>(bits.data() + i * width, where);
      std::memcpy(array.data() + i, &word, sizeof word);
    }
  });
  return tensor;
}

std::string double_to_hex(double value) {
  std::uint64_t word;
  std::memcpy(&word, &value, sizeof word);
  std::string out;
  append_hex(out, word);
  return out;
}

double double_from_hex(const std::string& text, const std::string& where) {
  if (text.size() != 16) {
    throw ValueError(where, "16 hex digits of a double", "\"" + text + "\"");
  }
  const std::uint64_t word = parse_hex<std::uint64_t>(text.data(), where);
  double value;
  std::memcpy(&value, &word, sizeof value);
  return value;
}

}  // namespace grutape
