// save_onnx: a built Sequential model whose first layer is an InputLayer, as one ONNX graph of
// opset onnx_opset(): input "input" (batch free, the input layer's sample shape), the layers in
// order (layers/onnx/detail/export_*.cpp), output "output".

#include <onnx/onnx_pb.h>

#include "core/error.hpp"
#include "core/io/atomic_file.hpp"
#include "core/text.hpp"
#include "layers/basic/input_layer.hpp"
#include "layers/models/sequential.hpp"
#include "layers/onnx/detail/export_layers.hpp"
#include "layers/onnx/detail/tensor_proto.hpp"
#include "layers/onnx/onnx.hpp"

namespace grutape {
namespace {

using onnx_detail::ExportValue;

void describe_value(onnx::ValueInfoProto& info, const std::string& name, const ShapePattern& shape,
                    DType dtype) {
  info.set_name(name);
  onnx::TypeProto_Tensor& tensor = *info.mutable_type()->mutable_tensor_type();
  tensor.set_elem_type(onnx_detail::onnx_element_type(dtype));
  for (std::size_t axis = 0; axis < shape.size(); ++axis) {
    onnx::TensorShapeProto_Dimension& dim = *tensor.mutable_shape()->add_dim();
    if (axis == 0) {
      dim.set_dim_param("batch");
    } else if (shape[axis]) {
      dim.set_dim_value(static_cast<std::int64_t>(*shape[axis]));
    } else {
      dim.set_dim_param(name + "_" + std::to_string(axis));
    }
  }
}

const Sequential& exportable_model(const Layer& model) {
  const auto* sequential = dynamic_cast<const Sequential*>(&model);
  if (sequential == nullptr) {
    throw ValueError("save_onnx", "a Sequential model", "a model of type " + double_quoted(model.type()));
  }
  if (sequential->layers().empty() ||
      dynamic_cast<const InputLayer*>(sequential->layers().front().get()) == nullptr) {
    throw ValueError("save_onnx", "a Sequential model whose first layer is an InputLayer",
                     "none there");
  }
  if (!sequential->built() || sequential->output_shapes().size() != sequential->layers().size()) {
    throw ValueError("save_onnx", "a built model (call build() or run it once)", "an unbuilt model");
  }
  return *sequential;
}

}  // namespace

bool onnx_available() { return true; }

int onnx_opset() { return 14; }

std::string format_onnx(const Layer& model) {
  const Sequential& sequential = exportable_model(model);
  const auto& input_layer = static_cast<const InputLayer&>(*sequential.layers().front());
  onnx::ModelProto proto;
  proto.set_ir_version(onnx::IR_VERSION);
  proto.set_producer_name("grutape");
  proto.add_opset_import()->set_version(onnx_opset());
  onnx::GraphProto& graph = *proto.mutable_graph();
  graph.set_name(sequential.name());
  onnx_detail::GraphWriter writer(graph);
  ExportValue value{writer.fresh("input"), input_layer.batch_shape().size(), input_layer.dtype(), ""};
  describe_value(*graph.add_input(), value.name, input_layer.batch_shape(), value.dtype);
  for (std::size_t i = 1; i < sequential.layers().size(); ++i) {
    value = onnx_detail::export_layer(*sequential.layers()[i], value, writer);
  }
  const std::string output = writer.fresh("output");
  writer.node("Identity", "output_identity", {value.name}).set_output(0, output);
  describe_value(*graph.add_output(), output, sequential.output_shapes().back(), value.dtype);
  std::string bytes;
  if (!proto.SerializeToString(&bytes)) {
    throw ValueError("save_onnx", "a model protobuf can serialize (under 2 GB)", "a larger model");
  }
  return bytes;
}

void save_onnx(const std::string& path, const Layer& model) {
  write_file_atomically(path, format_onnx(model));
}

}  // namespace grutape
