#include "layers/onnx/detail/tensor_proto.hpp"

#include <cstring>
#include <limits>

#include "core/error.hpp"
#include "core/text.hpp"

namespace grutape::onnx_detail {
namespace {

// No single constant of a model this import reads comes near this many values; a damaged dims
// field that claims more is refused before anything is allocated.
constexpr std::uint64_t max_constant_values = std::uint64_t{1} << 31;

template <class T>
std::string raw_bytes(const std::vector<double>& values) {
  std::string bytes(values.size() * sizeof(T), '\0');
  for (std::size_t i = 0; i < values.size(); ++i) {
    const T value = static_cast<T>(values[i]);
    std::memcpy(&bytes[i * sizeof(T)], &value, sizeof(T));
  }
  return bytes;
}

template <class T>
std::vector<double> from_raw(const std::string& bytes) {
  std::vector<double> values(bytes.size() / sizeof(T));
  for (std::size_t i = 0; i < values.size(); ++i) {
    T value;
    std::memcpy(&value, &bytes[i * sizeof(T)], sizeof(T));
    values[i] = static_cast<double>(value);
  }
  return values;
}

std::size_t element_bytes(int type) {
  switch (type) {
    case onnx::TensorProto::FLOAT:
    case onnx::TensorProto::INT32:
      return 4;
    case onnx::TensorProto::DOUBLE:
    case onnx::TensorProto::INT64:
      return 8;
    default:
      return 0;
  }
}

std::vector<double> raw_values(const std::string& bytes, int type) {
  switch (type) {
    case onnx::TensorProto::FLOAT:
      return from_raw<float>(bytes);
    case onnx::TensorProto::DOUBLE:
      return from_raw<double>(bytes);
    case onnx::TensorProto::INT32:
      return from_raw<std::int32_t>(bytes);
    default:
      return from_raw<std::int64_t>(bytes);
  }
}

std::vector<double> typed_values(const onnx::TensorProto& proto) {
  switch (proto.data_type()) {
    case onnx::TensorProto::FLOAT:
      return {proto.float_data().begin(), proto.float_data().end()};
    case onnx::TensorProto::DOUBLE:
      return {proto.double_data().begin(), proto.double_data().end()};
    case onnx::TensorProto::INT32:
      return {proto.int32_data().begin(), proto.int32_data().end()};
    default: {
      std::vector<double> values;
      for (std::int64_t v : proto.int64_data()) values.push_back(static_cast<double>(v));
      return values;
    }
  }
}

}  // namespace

int onnx_element_type(DType dtype) {
  return dtype == DType::float64 ? onnx::TensorProto::DOUBLE : onnx::TensorProto::FLOAT;
}

DType dtype_of_element_type(int type, const std::string& where) {
  if (type == onnx::TensorProto::FLOAT) return DType::float32;
  if (type == onnx::TensorProto::DOUBLE) return DType::float64;
  throw ValueError(where, "element type float (1) or double (11)",
                   "element type " + std::to_string(type));
}

onnx::TensorProto to_tensor_proto(const std::string& name, const Tensor& tensor) {
  onnx::TensorProto proto;
  proto.set_name(name);
  proto.set_data_type(onnx_element_type(tensor.dtype()));
  for (std::size_t extent : tensor.shape()) proto.add_dims(static_cast<std::int64_t>(extent));
  const std::vector<double> values = tensor.to_vector();
  proto.set_raw_data(tensor.dtype() == DType::float64 ? raw_bytes<double>(values)
                                                      : raw_bytes<float>(values));
  return proto;
}

onnx::TensorProto to_int64_proto(const std::string& name, const std::vector<std::int64_t>& values) {
  onnx::TensorProto proto;
  proto.set_name(name);
  proto.set_data_type(onnx::TensorProto::INT64);
  proto.add_dims(static_cast<std::int64_t>(values.size()));
  for (std::int64_t v : values) proto.add_int64_data(v);
  return proto;
}

ConstantValue read_tensor_proto(const onnx::TensorProto& proto, const std::string& where) {
  const int type = proto.data_type();
  if (element_bytes(type) == 0) {
    throw ValueError(where, "a tensor of float, double, int32 or int64",
                     "element type " + std::to_string(type));
  }
  if (proto.data_location() == onnx::TensorProto::EXTERNAL || proto.external_data_size() > 0) {
    throw ValueError(where, "tensor data inside the model file", "external data");
  }
  ConstantValue constant;
  constant.element_type = type;
  std::uint64_t count = 1;
  for (std::int64_t extent : proto.dims()) {
    if (extent < 0) throw ValueError(where, "non-negative dims", std::to_string(extent));
    const auto e = static_cast<std::uint64_t>(extent);
    if (e != 0 && count > max_constant_values / e) {
      throw ValueError(where, "at most 2^31 values", "dims beyond that");
    }
    count *= e;
    constant.dims.push_back(extent);
  }
  if (proto.has_raw_data()) {
    if (proto.raw_data().size() != count * element_bytes(type)) {
      throw ValueError(where, std::to_string(count * element_bytes(type)) + " bytes of data",
                       std::to_string(proto.raw_data().size()));
    }
    constant.values = raw_values(proto.raw_data(), type);
  } else {
    constant.values = typed_values(proto);
    if (constant.values.size() != count) {
      throw ValueError(where, std::to_string(count) + " values",
                       std::to_string(constant.values.size()));
    }
  }
  return constant;
}

Tensor constant_tensor(const ConstantValue& constant, DType dtype) {
  Shape shape;
  for (std::int64_t extent : constant.dims) shape.push_back(static_cast<std::size_t>(extent));
  return Tensor::from_values(shape, constant.values, dtype);
}

}  // namespace grutape::onnx_detail
