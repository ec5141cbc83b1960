#pragma once
// The element types a tensor can hold: float32 for training, float64 for gradient checks.

#include <iosfwd>
#include <string>

namespace grutape {

enum class DType { float32, float64 };

/// "float32" or "float64".
const char* dtype_name(DType dtype);

std::ostream& operator<<(std::ostream& out, DType dtype);

/// The inverse of dtype_name; a ValueError names the unknown string.
DType dtype_from_name(const std::string& name);

template <class T>
constexpr DType dtype_of();
template <>
constexpr DType dtype_of<float>() {
  return DType::float32;
}
template <>
constexpr DType dtype_of<double>() {
  return DType::float64;
}

}  // namespace grutape
