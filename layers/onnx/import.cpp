// parse_onnx: walks the nodes that the graph's first output depends on, in the graph's order
// (layers/onnx/detail/import_state.hpp), building a chain of layers; then builds the Sequential
// model (an InputLayer of the graph input's sample shape and dtype, then the chain) and gives it
// the graph's weights.

#include <onnx/onnx_pb.h>

#include <set>

#include "core/error.hpp"
#include "core/io/atomic_file.hpp"
#include "core/text.hpp"
#include "layers/onnx/detail/import_build.hpp"
#include "layers/onnx/detail/import_state.hpp"
#include "layers/onnx/onnx.hpp"

namespace grutape {
namespace {

using namespace onnx_detail;

// The newest opset of the default domain that ONNX 1.12, the schema this build reads, defines.
constexpr std::int64_t newest_known_opset = 17;
// A limit no model of this kind comes near; it keeps a damaged file from walking forever.
constexpr int max_nodes = 100000;

const char* supported_ops =
    "GRU, MatMul, Gemm, Add, Sigmoid, Tanh, Relu, HardSigmoid, Softsign, Softplus, Elu, Selu, "
    "Softmax, LogSoftmax, Flatten, Reshape, Transpose, Squeeze, Unsqueeze, Slice, Identity, "
    "Dropout, Cast, Constant, Shape, Gather, Concat, Expand, Equal, Not, Mul, ReduceMax, "
    "ReduceSum, ReduceMean, ReduceProd";

void check_opset(const onnx::ModelProto& model, const std::string& where) {
  bool found = false;
  for (const onnx::OperatorSetIdProto& opset : model.opset_import()) {
    if (!opset.domain().empty() && opset.domain() != "ai.onnx") continue;
    found = true;
    if (opset.version() > newest_known_opset || opset.version() < 1) {
      throw ValueError(where, "opset 1 to " + std::to_string(newest_known_opset) +
                                  " of the default domain (ONNX 1.12)",
                       "opset " + std::to_string(opset.version()));
    }
  }
  if (!found) throw ValueError(where, "an opset of the default domain", "none");
}

std::vector<std::optional<std::size_t>> input_dims(const onnx::ValueInfoProto& input,
                                                   ImportState& state, const std::string& where) {
  const onnx::TypeProto& type = input.type();
  if (!type.has_tensor_type() || !type.tensor_type().has_shape()) {
    throw ValueError(where + " input " + double_quoted(input.name()), "a tensor of known rank", "none");
  }
  state.dtype = dtype_of_element_type(type.tensor_type().elem_type(), where + " input " + double_quoted(input.name()));
  std::vector<std::optional<std::size_t>> dims;
  for (const auto& dim : type.tensor_type().shape().dim()) {
    if (dim.has_dim_value() && dim.dim_value() > 0) {
      dims.push_back(static_cast<std::size_t>(dim.dim_value()));
    } else {
      dims.push_back(std::nullopt);
    }
  }
  if (dims.size() != 2 && dims.size() != 3) {
    throw ShapeError(where + " input " + double_quoted(input.name()),
                     "rank 3 (batch, time, features) or 2 (batch, features)",
                     "rank " + std::to_string(dims.size()));
  }
  return dims;
}

Symbol input_symbol_of(const std::vector<std::optional<std::size_t>>& dims) {
  Symbol symbol;
  symbol.kind = Symbol::Kind::data;
  auto extent = [](std::optional<std::size_t> d) {
    return d ? std::optional<std::int64_t>(static_cast<std::int64_t>(*d)) : std::nullopt;
  };
  symbol.data.groups.push_back({{Axis::batch}, extent(dims[0])});
  if (dims.size() == 3) symbol.data.groups.push_back({{Axis::time}, extent(dims[1])});
  symbol.data.groups.push_back({{Axis::feature}, extent(dims.back())});
  return symbol;
}

// The nodes the first output depends on.
std::vector<bool> needed_nodes(const onnx::GraphProto& graph, const std::string& where) {
  if (graph.node_size() > max_nodes) {
    throw ValueError(where, "at most " + std::to_string(max_nodes) + " nodes",
                     std::to_string(graph.node_size()));
  }
  std::map<std::string, int> producer;
  for (int i = 0; i < graph.node_size(); ++i) {
    for (const std::string& output : graph.node(i).output()) producer[output] = i;
  }
  std::vector<bool> needed(static_cast<std::size_t>(graph.node_size()), false);
  std::vector<std::string> pending = {graph.output(0).name()};
  while (!pending.empty()) {
    const std::string name = pending.back();
    pending.pop_back();
    const auto found = producer.find(name);
    if (found == producer.end() || needed[static_cast<std::size_t>(found->second)]) continue;
    needed[static_cast<std::size_t>(found->second)] = true;
    for (const std::string& input : graph.node(found->second).input()) pending.push_back(input);
  }
  return needed;
}

void import_node(ImportState& state, const onnx::NodeProto& node) {
  const std::string& op = node.op_type();
  const bool default_domain = node.domain().empty() || node.domain() == "ai.onnx";
  if (default_domain && op == "GRU") return import_gru_node(state, node);
  if (default_domain && is_mask_op(op, state, node)) return import_mask_node(state, node);
  if (default_domain && op == "Gather" && node.input_size() > 0 &&
      state.symbols.count(node.input(0)) != 0 &&
      state.symbols.at(node.input(0)).kind == Symbol::Kind::constant) {
    return import_layer_node(state, node);
  }
  if (default_domain && is_shape_op(op)) return import_shape_node(state, node);
  if (default_domain && is_layer_op(op)) return import_layer_node(state, node);
  throw ValueError(node_where(state, node), std::string("one of the supported op types (") + supported_ops + ")",
                   (default_domain ? "" : "domain " + double_quoted(node.domain()) + " ") +
                       "op type " + double_quoted(op));
}

void walk_graph(ImportState& state, const onnx::GraphProto& graph, const std::string& where) {
  std::set<std::string> initializers;
  for (const onnx::TensorProto& tensor : graph.initializer()) {
    Symbol symbol;
    symbol.constant = read_tensor_proto(tensor, where + " initializer " + double_quoted(tensor.name()));
    state.symbols[tensor.name()] = symbol;
    initializers.insert(tensor.name());
  }
  const onnx::ValueInfoProto* model_input = nullptr;
  for (const onnx::ValueInfoProto& input : graph.input()) {
    if (initializers.count(input.name()) != 0) continue;
    if (model_input != nullptr) {
      throw ValueError(where, "one graph input", "inputs " + double_quoted(model_input->name()) +
                                                     " and " + double_quoted(input.name()));
    }
    model_input = &input;
  }
  if (model_input == nullptr) throw ValueError(where, "one graph input", "none");
  if (graph.output_size() == 0) throw ValueError(where, "a graph output", "none");
  state.input_dims = input_dims(*model_input, state, where);
  state.symbols[model_input->name()] = input_symbol_of(state.input_dims);
  const std::vector<bool> needed = needed_nodes(graph, where);
  for (int i = 0; i < graph.node_size(); ++i) {
    if (needed[static_cast<std::size_t>(i)]) import_node(state, graph.node(i));
  }
}

// The first graph output must be the chain's last output in a form grutape has.
void finish_chain(ImportState& state, const onnx::GraphProto& graph, const std::string& where) {
  onnx::NodeProto output;
  output.set_name(graph.output(0).name());
  output.set_op_type("graph output");
  const auto found = state.symbols.find(output.name());
  if (found == state.symbols.end() || found->second.kind != Symbol::Kind::data) {
    throw ValueError(where + " output " + double_quoted(output.name()),
                     "a value computed from the graph input", "none");
  }
  if (state.chain.empty()) throw ValueError(where, "at least one layer between input and output", "none");
  const DataForm form = consume(state, output, found->second.data, true);
  if (found->second.data.groups.size() == 3 && (form == DataForm::time_major) != state.time_major_input) {
    throw ValueError(where + " output " + double_quoted(output.name()),
                     "the time axis where the input has it", "the batch and time axes swapped");
  }
}

}  // namespace

std::shared_ptr<Layer> parse_onnx(const std::string& bytes, const std::string& source) {
  const std::string where = "parse_onnx " + source;
  onnx::ModelProto model;
  if (bytes.size() > static_cast<std::size_t>(INT32_MAX) ||
      !model.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    throw IoError(where, "an ONNX model (a serialized ModelProto)", "bytes that do not parse as one");
  }
  if (!model.has_graph()) throw IoError(where, "an ONNX model with a graph", "none");
  check_opset(model, where);
  ImportState state;
  state.source = source;
  walk_graph(state, model.graph(), where);
  finish_chain(state, model.graph(), where);
  return build_imported_model(state);
}

std::shared_ptr<Layer> load_onnx(const std::string& path) {
  return parse_onnx(read_file(path), double_quoted(path));
}

}  // namespace grutape
