#include "core/dtype.hpp"

#include <ostream>

#include "core/error.hpp"

namespace grutape {

const char* dtype_name(DType dtype) {
  return dtype == DType::float32 ? "float32" : "float64";
}

std::ostream& operator<<(std::ostream& out, DType dtype) {
  return out << dtype_name(dtype);
}

DType dtype_from_name(const std::string& name) {
  if (name == "float32") return DType::float32;
  if (name == "float64") return DType::float64;
  throw ValueError("dtype_from_name", "\"float32\" or \"float64\"", "\"" + name + "\"");
}

}  // namespace grutape
