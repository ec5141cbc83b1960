#pragma once
// Tensors in and out of ONNX TensorProto: float32 and float64 tensors both ways, and the int64
// vectors that shape operands are. Internal to layers/onnx.

#include <cstdint>
#include <string>
#include <vector>

#include <onnx/onnx_pb.h>

#include "core/tensor.hpp"

namespace grutape::onnx_detail {

/// A TensorProto called `name` holding `tensor` (FLOAT or DOUBLE, raw little-endian data).
onnx::TensorProto to_tensor_proto(const std::string& name, const Tensor& tensor);
/// A 1-D INT64 TensorProto called `name`.
onnx::TensorProto to_int64_proto(const std::string& name, const std::vector<std::int64_t>& values);

/// The ONNX element type of `dtype` (FLOAT or DOUBLE).
int onnx_element_type(DType dtype);
/// The dtype of ONNX element type `type`; a ValueError naming `where` for another type.
DType dtype_of_element_type(int type, const std::string& where);

/// A constant as the import sees it: its values as doubles (exact for float32, float64 and the
/// integers shape operands hold), its dims, its ONNX element type.
struct ConstantValue {
  std::vector<std::int64_t> dims;
  std::vector<double> values;
  int element_type = 0;
};

/// The values of `proto`, from raw_data or the typed fields. A ValueError naming `where` for an
/// element type other than float, double, int32 or int64, external data, negative dims, or a
/// value count that does not fit the dims.
ConstantValue read_tensor_proto(const onnx::TensorProto& proto, const std::string& where);

/// The constant as a tensor of `dtype` with its dims.
Tensor constant_tensor(const ConstantValue& constant, DType dtype);

}  // namespace grutape::onnx_detail
