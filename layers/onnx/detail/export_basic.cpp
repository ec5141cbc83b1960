// The export of the layers around the GRU: Dense as MatMul + Add and its activation, activation
// layers and Softmax as their operators, Dropout as Identity (inference), Flatten and Reshape,
// Masking and Embedding with the sequence lengths of their masks. The table of kinds is
// export_layer's.

#include "core/error.hpp"
#include "core/text.hpp"
#include "layers/basic/activation_layer.hpp"
#include "layers/basic/dense.hpp"
#include "layers/basic/embedding.hpp"
#include "layers/basic/masking.hpp"
#include "layers/basic/reshape.hpp"
#include "layers/basic/softmax_layer.hpp"
#include "layers/gru/bidirectional.hpp"
#include "layers/gru/gru.hpp"
#include "layers/onnx/detail/activation_table.hpp"
#include "layers/onnx/detail/export_layers.hpp"
#include "layers/onnx/detail/tensor_proto.hpp"

namespace grutape::onnx_detail {
namespace {

std::string where_of(const Layer& layer) {
  return "save_onnx: " + layer.type() + " " + double_quoted(layer.name());
}

// `name`'s operator applied to `input` ("linear" writes nothing).
std::string write_activation(GraphWriter& writer, const std::string& base, const std::string& name,
                             const std::string& input, const std::string& where) {
  if (name == "linear") return input;
  const OnnxActivation activation = onnx_activation(name, ActivationUse::node, where);
  onnx::NodeProto& node = writer.node(activation.op, base, {input});
  if (activation.op == "Softmax" || activation.op == "LogSoftmax") {
    set_attribute(node, "axis", std::int64_t{-1});
  }
  if (activation.alpha) set_attribute(node, "alpha", static_cast<float>(*activation.alpha));
  if (activation.beta) {
    set_attribute(node, activation.op == "Selu" ? "gamma" : "beta",
                  static_cast<float>(*activation.beta));
  }
  return node.output(0);
}

ExportValue export_dense(const Dense& dense, const ExportValue& input, GraphWriter& writer) {
  const std::string& name = dense.name();
  ExportValue output = input;
  output.name = writer
                    .node("MatMul", name + "_matmul",
                          {input.name, writer.constant(name + "_kernel",
                                                       dense.parameter("kernel").value())})
                    .output(0);
  if (dense.options().use_bias()) {
    output.name = writer
                      .node("Add", name + "_bias",
                            {output.name,
                             writer.constant(name + "_bias", dense.parameter("bias").value())})
                      .output(0);
  }
  output.name = write_activation(writer, name + "_" + dense.options().activation(),
                                 dense.options().activation(), output.name,
                                 where_of(dense) + " option activation");
  return output;
}

// (batch, steps) lengths as int32 from a (batch, steps, 1) mask of 0 and 1 in the model's dtype.
std::string lengths_of_mask(GraphWriter& writer, const std::string& base, const std::string& mask) {
  onnx::NodeProto& sum =
      writer.node("ReduceSum", base + "_steps", {mask, writer.int64s(base + "_axes", {1, 2})});
  set_attribute(sum, "keepdims", std::int64_t{0});
  onnx::NodeProto& cast = writer.node("Cast", base + "_lengths", {sum.output(0)});
  set_attribute(cast, "to", static_cast<std::int64_t>(onnx::TensorProto::INT32));
  return cast.output(0);
}

// (batch, steps, 1): 1 where any value along the last axis differs from `value`, else 0.
std::string mask_of(GraphWriter& writer, const std::string& base, const ExportValue& input,
                    double value) {
  const std::string equal =
      writer
          .node("Equal", base + "_equal",
                {input.name, writer.constant(base + "_value", Tensor::scalar(value, input.dtype))})
          .output(0);
  const std::string differ = writer.unary("Not", base + "_differ", equal);
  onnx::NodeProto& cast = writer.node("Cast", base + "_values", {differ});
  set_attribute(cast, "to", static_cast<std::int64_t>(onnx_element_type(input.dtype)));
  onnx::NodeProto& any = writer.node("ReduceMax", base + "_mask", {cast.output(0)});
  set_attribute(any, "axes", std::vector<std::int64_t>{-1});
  set_attribute(any, "keepdims", std::int64_t{1});
  return any.output(0);
}

ExportValue export_masking(const Masking& masking, const ExportValue& input, GraphWriter& writer) {
  if (input.rank != 3) {
    throw ShapeError(where_of(masking), "an input of rank 3 (batch, timesteps, features)",
                     "rank " + std::to_string(input.rank));
  }
  const std::string mask = mask_of(writer, masking.name(), input, masking.mask_value());
  ExportValue output = input;
  output.name = writer.node("Mul", masking.name(), {input.name, mask}).output(0);
  output.lengths = lengths_of_mask(writer, masking.name(), mask);
  return output;
}

ExportValue export_embedding(const Embedding& embedding, const ExportValue& input,
                             GraphWriter& writer) {
  const std::string& name = embedding.name();
  if (input.rank != 2) {
    throw ShapeError(where_of(embedding), "an input of rank 2 (batch, timesteps)",
                     "rank " + std::to_string(input.rank));
  }
  onnx::NodeProto& ids = writer.node("Cast", name + "_ids", {input.name});
  set_attribute(ids, "to", static_cast<std::int64_t>(onnx::TensorProto::INT64));
  ExportValue output = input;
  output.rank = 3;
  output.name = writer
                    .node("Gather", name,
                          {writer.constant(name + "_embeddings",
                                           embedding.parameter("embeddings").value()),
                           ids.output(0)})
                    .output(0);
  if (embedding.options().mask_zero()) {
    ExportValue steps = input;
    steps.name = writer.node("Unsqueeze", name + "_steps",
                             {input.name, writer.int64s(name + "_step_axis", {2})})
                     .output(0);
    output.lengths = lengths_of_mask(writer, name, mask_of(writer, name, steps, 0.0));
  }
  return output;
}

ExportValue export_reshape(const Reshape& reshape, const ExportValue& input, GraphWriter& writer) {
  std::vector<std::int64_t> shape = {0};
  for (long extent : reshape.target_shape()) shape.push_back(extent);
  ExportValue output = input;
  output.name = writer
                    .node("Reshape", reshape.name(),
                          {input.name, writer.int64s(reshape.name() + "_shape", shape)})
                    .output(0);
  output.rank = shape.size();
  output.lengths = "";
  return output;
}

ExportValue export_flatten(const Layer& flatten, const ExportValue& input, GraphWriter& writer) {
  ExportValue output = input;
  onnx::NodeProto& node = writer.node("Flatten", flatten.name(), {input.name});
  set_attribute(node, "axis", std::int64_t{1});
  output.name = node.output(0);
  output.rank = 2;
  output.lengths = "";
  return output;
}

ExportValue export_softmax(const Softmax& softmax, const ExportValue& input, GraphWriter& writer) {
  ExportValue output = input;
  onnx::NodeProto& node = writer.node("Softmax", softmax.name(), {input.name});
  set_attribute(node, "axis", static_cast<std::int64_t>(softmax.axis()));
  output.name = node.output(0);
  return output;
}

}  // namespace

ExportValue export_layer(const Layer& layer, const ExportValue& input, GraphWriter& writer) {
  if (const auto* gru = dynamic_cast<const Gru*>(&layer)) return export_gru(*gru, input, writer);
  if (const auto* bidirectional = dynamic_cast<const Bidirectional*>(&layer)) {
    return export_bidirectional(*bidirectional, input, writer);
  }
  if (const auto* dense = dynamic_cast<const Dense*>(&layer)) {
    return export_dense(*dense, input, writer);
  }
  if (const auto* activation = dynamic_cast<const Activation*>(&layer)) {
    ExportValue output = input;
    output.name = write_activation(writer, layer.name(), activation->activation(), input.name,
                                   where_of(layer));
    return output;
  }
  if (const auto* softmax = dynamic_cast<const Softmax*>(&layer)) {
    return export_softmax(*softmax, input, writer);
  }
  if (layer.type() == "dropout") {
    ExportValue output = input;
    output.name = writer.unary("Identity", layer.name(), input.name);
    return output;
  }
  if (layer.type() == "flatten") return export_flatten(layer, input, writer);
  if (const auto* reshape = dynamic_cast<const Reshape*>(&layer)) {
    return export_reshape(*reshape, input, writer);
  }
  if (const auto* masking = dynamic_cast<const Masking*>(&layer)) {
    return export_masking(*masking, input, writer);
  }
  if (const auto* embedding = dynamic_cast<const Embedding*>(&layer)) {
    return export_embedding(*embedding, input, writer);
  }
  throw ValueError(where_of(layer),
                   "a layer ONNX export supports (gru, bidirectional, dense, activation, softmax, "
                   "dropout, flatten, reshape, masking, embedding)",
                   "type " + double_quoted(layer.type()));
}

}  // namespace grutape::onnx_detail
