// The import of the nodes that become layers: MatMul and Gemm (Dense), Add of a bias to a
// Dense, the activation operators (folded into the Dense before them, or an Activation layer),
// Softmax / LogSoftmax, Flatten, Gather of embeddings (Embedding), and ReduceSum / ReduceMean /
// ReduceProd over a bidirectional GRU's directions (its merge mode sum / ave / mul).

#include <set>

#include "core/error.hpp"
#include "core/text.hpp"
#include "layers/onnx/detail/activation_table.hpp"
#include "layers/onnx/detail/import_state.hpp"

namespace grutape::onnx_detail {
namespace {

Symbol data_symbol(DataValue data) {
  Symbol symbol;
  symbol.kind = Symbol::Kind::data;
  symbol.data = std::move(data);
  return symbol;
}

// The Dense that produced `data` directly, if that is the chain's last layer.
LayerSpec* producing_dense(ImportState& state, const DataValue& data) {
  if (data.producer == 0 || data.producer != chain_end(state)) return nullptr;
  LayerSpec& spec = state.chain[data.producer - 1];
  return spec.kind == LayerSpec::Kind::dense ? &spec : nullptr;
}

void add_dense(ImportState& state, const onnx::NodeProto& node, const DataValue& data,
               Tensor kernel, Tensor bias) {
  consume(state, node, data, true);
  const std::optional<std::int64_t> features = feature_extent(data);
  if (features && *features != static_cast<std::int64_t>(kernel.shape()[0])) {
    throw ShapeError(node_where(state, node) + " weights", "(" + std::to_string(*features) + ", units)",
                     shape_to_string(kernel.shape()));
  }
  LayerSpec spec;
  spec.kind = LayerSpec::Kind::dense;
  spec.node = node.name();
  const auto units = static_cast<std::int64_t>(kernel.shape()[1]);
  spec.kernel = std::move(kernel);
  spec.bias = std::move(bias);
  set_output(state, node, 0, data_symbol(layer_output(add_layer(state, spec), data, units)));
}

Tensor matrix(const ImportState& state, const onnx::NodeProto& node, std::size_t index,
              const char* what) {
  const ConstantValue& constant = constant_input(state, node, index, what);
  if (constant.dims.size() != 2 || constant.dims[0] == 0 || constant.dims[1] == 0) {
    throw ShapeError(node_where(state, node) + " " + what, "a non-empty matrix",
                     std::to_string(constant.dims.size()) + " dims");
  }
  return constant_tensor(constant, state.dtype);
}

void import_matmul(ImportState& state, const onnx::NodeProto& node) {
  add_dense(state, node, data_input(state, node, 0), matrix(state, node, 1, "weights"), Tensor());
}

Tensor transposed(const Tensor& m) {
  const Shape shape = m.shape();
  std::vector<double> values(m.size());
  const std::vector<double> source = m.to_vector();
  for (std::size_t i = 0; i < shape[0]; ++i) {
    for (std::size_t j = 0; j < shape[1]; ++j) values[j * shape[0] + i] = source[i * shape[1] + j];
  }
  return Tensor::from_values({shape[1], shape[0]}, values, m.dtype());
}

Tensor scaled(const Tensor& t, double factor) {
  if (factor == 1.0) return t;
  std::vector<double> values = t.to_vector();
  for (double& v : values) v *= factor;
  return Tensor::from_values(t.shape(), values, t.dtype());
}

// A bias of `units` values, from dims (units) or (1, units).
Tensor bias_vector(const ImportState& state, const onnx::NodeProto& node, std::size_t index,
                   std::size_t units) {
  const ConstantValue& constant = constant_input(state, node, index, "the bias");
  if (constant.values.size() != units) {
    throw ShapeError(node_where(state, node) + " bias", std::to_string(units) + " values",
                     std::to_string(constant.values.size()));
  }
  return Tensor::from_values({units}, constant.values, state.dtype);
}

void import_gemm(ImportState& state, const onnx::NodeProto& node) {
  if (int_attribute(state, node, "transA", 0) != 0) {
    throw ValueError(node_where(state, node), "transA 0", "transA 1");
  }
  const DataValue& data = data_input(state, node, 0);
  if (data.groups.size() != 2) {
    throw ShapeError(node_where(state, node), "an input of rank 2", "rank " + std::to_string(data.groups.size()));
  }
  Tensor kernel = matrix(state, node, 1, "B");
  if (int_attribute(state, node, "transB", 0) != 0) kernel = transposed(kernel);
  kernel = scaled(kernel, float_attribute(state, node, "alpha").value_or(1.0f));
  Tensor bias;
  if (has_input(node, 2)) {
    bias = scaled(bias_vector(state, node, 2, kernel.shape()[1]),
                  float_attribute(state, node, "beta").value_or(1.0f));
  }
  add_dense(state, node, data, kernel, bias);
}

void import_add(ImportState& state, const onnx::NodeProto& node) {
  const bool data_first = input_symbol(state, node, 0).kind == Symbol::Kind::data;
  const DataValue& data = data_input(state, node, data_first ? 0 : 1);
  LayerSpec* dense = producing_dense(state, data);
  if (dense == nullptr || dense->bias.defined() || dense->activation != "linear") {
    throw ValueError(node_where(state, node), "an Add of a bias to a MatMul's output (a Dense layer)",
                     "an Add elsewhere");
  }
  dense->bias = bias_vector(state, node, data_first ? 1 : 0, dense->kernel.shape()[1]);
  set_output(state, node, 0, data_symbol(data));
}

OnnxActivation node_activation(const ImportState& state, const onnx::NodeProto& node) {
  OnnxActivation activation{node.op_type(), {}, {}};
  if (const auto alpha = float_attribute(state, node, "alpha")) activation.alpha = *alpha;
  const char* beta = node.op_type() == "Selu" ? "gamma" : "beta";
  if (const auto value = float_attribute(state, node, beta)) activation.beta = *value;
  return activation;
}

void import_activation(ImportState& state, const onnx::NodeProto& node, const std::string& name) {
  const DataValue& data = data_input(state, node, 0);
  const bool softmax = name == "softmax" || name == "log_softmax";
  if (softmax) {
    const std::int64_t axis = int_attribute(state, node, "axis", -1);
    const auto last = static_cast<std::int64_t>(data.groups.size()) - 1;
    if (axis != -1 && axis != last) {
      if (name == "log_softmax" || data_form(data) != DataForm::batch_major) {
        throw ValueError(node_where(state, node), "axis -1 (the features)", std::to_string(axis));
      }
      consume(state, node, data, false);
      LayerSpec spec;
      spec.kind = LayerSpec::Kind::softmax;
      spec.node = node.name();
      spec.axis = static_cast<long>(axis);
      return set_output(state, node, 0, data_symbol(layer_output(add_layer(state, spec), data, feature_extent(data))));
    }
  }
  if (LayerSpec* dense = producing_dense(state, data); dense && dense->activation == "linear") {
    dense->activation = name;
    return set_output(state, node, 0, data_symbol(data));
  }
  consume(state, node, data, true);
  LayerSpec spec;
  spec.kind = LayerSpec::Kind::activation;
  spec.node = node.name();
  spec.activation = name;
  set_output(state, node, 0, data_symbol(layer_output(add_layer(state, spec), data, feature_extent(data))));
}

void import_flatten(ImportState& state, const onnx::NodeProto& node) {
  const DataValue& data = data_input(state, node, 0);
  if (int_attribute(state, node, "axis", 1) != 1) {
    throw ValueError(node_where(state, node), "axis 1 (keep the batch axis)", "another axis");
  }
  consume(state, node, data, false);
  std::optional<std::int64_t> extent = 1;
  for (std::size_t i = 1; i < data.groups.size(); ++i) {
    if (extent && data.groups[i].extent) *extent *= *data.groups[i].extent; else extent.reset();
  }
  LayerSpec spec;
  spec.kind = LayerSpec::Kind::flatten;
  spec.node = node.name();
  DataValue output{add_layer(state, spec), {data.groups.front(), AxisGroup{{Axis::feature}, extent}},
                   GruOutput::none, false};
  set_output(state, node, 0, data_symbol(output));
}

void import_embedding(ImportState& state, const onnx::NodeProto& node) {
  Tensor table = matrix(state, node, 0, "embeddings");
  const DataValue& ids = data_input(state, node, 1);
  if (int_attribute(state, node, "axis", 0) != 0 || ids.groups.size() != 2) {
    throw ValueError(node_where(state, node), "a Gather on axis 0 of (batch, timesteps) ids",
                     "another Gather");
  }
  if (ids.producer != chain_end(state)) {
    throw ValueError(node_where(state, node), "the output of the last layer so far", "an earlier value");
  }
  LayerSpec spec;
  spec.kind = LayerSpec::Kind::embedding;
  spec.node = node.name();
  const auto dims = static_cast<std::int64_t>(table.shape()[1]);
  spec.embeddings = std::move(table);
  DataValue output{add_layer(state, spec),
                   {ids.groups[0], AxisGroup{{Axis::time}, ids.groups[1].extent}, AxisGroup{{Axis::feature}, dims}},
                   GruOutput::none, false};
  set_output(state, node, 0, data_symbol(output));
}

// ReduceSum / ReduceMean / ReduceProd over the direction axis of a bidirectional GRU's output.
void import_direction_merge(ImportState& state, const onnx::NodeProto& node) {
  DataValue data = data_input(state, node, 0);
  std::vector<std::int64_t> axes = ints_attribute(state, node, "axes");
  if (has_input(node, 1)) {
    axes = int_values(constant_input(state, node, 1, "axes"), node_where(state, node) + " axes");
  }
  const auto rank = static_cast<std::int64_t>(data.groups.size());
  std::size_t axis = 0;
  const bool one_axis = axes.size() == 1 && axes[0] >= -rank && axes[0] < rank;
  if (one_axis) axis = static_cast<std::size_t>(axes[0] < 0 ? axes[0] + rank : axes[0]);
  LayerSpec* gru = data.producer > 0 && data.producer == chain_end(state)
                       ? &state.chain[data.producer - 1] : nullptr;
  if (!one_axis || gru == nullptr || gru->kind != LayerSpec::Kind::gru || !gru->bidirectional ||
      data.groups[axis].axes != std::vector<Axis>{Axis::direction}) {
    throw ValueError(node_where(state, node),
                     "a reduction over the directions of a bidirectional GRU (its merge mode)",
                     "another reduction");
  }
  const std::string& op = node.op_type();
  gru->merge = op == "ReduceSum" ? MergeMode::sum : op == "ReduceMean" ? MergeMode::ave : MergeMode::mul;
  if (int_attribute(state, node, "keepdims", 1) != 0) {
    data.groups[axis] = AxisGroup{{Axis::unit}, 1};
  } else {
    data.groups.erase(data.groups.begin() + static_cast<long>(axis));
  }
  set_output(state, node, 0, data_symbol(data));
}

}  // namespace

bool is_layer_op(const std::string& op) {
  static const std::set<std::string> ops = {
      "MatMul",   "Gemm",     "Add",     "Sigmoid", "Tanh",       "Relu",      "HardSigmoid",
      "Softsign", "Softplus", "Elu",     "Selu",    "Softmax",    "LogSoftmax", "Flatten",
      "ReduceSum", "ReduceMean", "ReduceProd"};
  return ops.count(op) != 0;
}

void import_layer_node(ImportState& state, const onnx::NodeProto& node) {
  const std::string& op = node.op_type();
  if (op == "MatMul") return import_matmul(state, node);
  if (op == "Gemm") return import_gemm(state, node);
  if (op == "Add") return import_add(state, node);
  if (op == "Flatten") return import_flatten(state, node);
  if (op == "Gather") return import_embedding(state, node);
  if (op == "ReduceSum" || op == "ReduceMean" || op == "ReduceProd") {
    return import_direction_merge(state, node);
  }
  const std::optional<std::string> name =
      activation_from_onnx(node_activation(state, node), ActivationUse::node, node_where(state, node));
  import_activation(state, node, *name);
}

}  // namespace grutape::onnx_detail
