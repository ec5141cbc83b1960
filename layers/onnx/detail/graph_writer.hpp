#pragma once
// Builds an ONNX graph node by node with unique value names: what the export of each layer
// writes through. Internal to layers/onnx.

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include <onnx/onnx_pb.h>

#include "core/tensor.hpp"

namespace grutape::onnx_detail {

class GraphWriter {
 public:
  explicit GraphWriter(onnx::GraphProto& graph) : graph_(graph) {}

  /// A value name not used before: `base`, else base_2, base_3, ...
  std::string fresh(const std::string& base);
  /// An initializer holding `tensor`; returns its name.
  std::string constant(const std::string& base, const Tensor& tensor);
  /// An int64 initializer (a shape, axes, starts...); returns its name.
  std::string int64s(const std::string& base, const std::vector<std::int64_t>& values);
  /// A node of `op` reading `inputs` ("" for an absent optional input) with `outputs` fresh
  /// outputs named after `base`; the node's name is its first output's.
  onnx::NodeProto& node(const std::string& op, const std::string& base,
                        const std::vector<std::string>& inputs, std::size_t outputs = 1);
  /// node() with one input and one output; returns the output's name.
  std::string unary(const std::string& op, const std::string& base, const std::string& input);

 private:
  onnx::GraphProto& graph_;
  std::set<std::string> names_;
};

/// Attribute setters on a node.
void set_attribute(onnx::NodeProto& node, const std::string& name, std::int64_t value);
void set_attribute(onnx::NodeProto& node, const std::string& name, float value);
void set_attribute(onnx::NodeProto& node, const std::string& name, const std::string& value);
void set_attribute(onnx::NodeProto& node, const std::string& name,
                   const std::vector<std::int64_t>& values);
void set_attribute(onnx::NodeProto& node, const std::string& name,
                   const std::vector<float>& values);
void set_attribute(onnx::NodeProto& node, const std::string& name,
                   const std::vector<std::string>& values);

}  // namespace grutape::onnx_detail
