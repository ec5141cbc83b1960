#include "layers/onnx/detail/graph_writer.hpp"

#include "layers/onnx/detail/tensor_proto.hpp"

namespace grutape::onnx_detail {

std::string GraphWriter::fresh(const std::string& base) {
  std::string name = base;
  for (int index = 2; names_.count(name) != 0; ++index) name = base + "_" + std::to_string(index);
  names_.insert(name);
  return name;
}

std::string GraphWriter::constant(const std::string& base, const Tensor& tensor) {
  const std::string name = fresh(base);
  *graph_.add_initializer() = to_tensor_proto(name, tensor);
  return name;
}

std::string GraphWriter::int64s(const std::string& base, const std::vector<std::int64_t>& values) {
  const std::string name = fresh(base);
  *graph_.add_initializer() = to_int64_proto(name, values);
  return name;
}

onnx::NodeProto& GraphWriter::node(const std::string& op, const std::string& base,
                                   const std::vector<std::string>& inputs, std::size_t outputs) {
  onnx::NodeProto& node = *graph_.add_node();
  node.set_op_type(op);
  for (const std::string& input : inputs) node.add_input(input);
  for (std::size_t i = 0; i < outputs; ++i) node.add_output(fresh(base));
  node.set_name(outputs > 0 ? node.output(0) : fresh(base));
  return node;
}

std::string GraphWriter::unary(const std::string& op, const std::string& base,
                               const std::string& input) {
  return node(op, base, {input}).output(0);
}

namespace {

onnx::AttributeProto& add(onnx::NodeProto& node, const std::string& name,
                          onnx::AttributeProto::AttributeType type) {
  onnx::AttributeProto& attribute = *node.add_attribute();
  attribute.set_name(name);
  attribute.set_type(type);
  return attribute;
}

}  // namespace

void set_attribute(onnx::NodeProto& node, const std::string& name, std::int64_t value) {
  add(node, name, onnx::AttributeProto::INT).set_i(value);
}

void set_attribute(onnx::NodeProto& node, const std::string& name, float value) {
  add(node, name, onnx::AttributeProto::FLOAT).set_f(value);
}

void set_attribute(onnx::NodeProto& node, const std::string& name, const std::string& value) {
  add(node, name, onnx::AttributeProto::STRING).set_s(value);
}

void set_attribute(onnx::NodeProto& node, const std::string& name,
                   const std::vector<std::int64_t>& values) {
  onnx::AttributeProto& attribute = add(node, name, onnx::AttributeProto::INTS);
  for (std::int64_t v : values) attribute.add_ints(v);
}

void set_attribute(onnx::NodeProto& node, const std::string& name,
                   const std::vector<float>& values) {
  onnx::AttributeProto& attribute = add(node, name, onnx::AttributeProto::FLOATS);
  for (float v : values) attribute.add_floats(v);
}

void set_attribute(onnx::NodeProto& node, const std::string& name,
                   const std::vector<std::string>& values) {
  onnx::AttributeProto& attribute = add(node, name, onnx::AttributeProto::STRINGS);
  for (const std::string& v : values) attribute.add_strings(v);
}

}  // namespace grutape::onnx_detail
