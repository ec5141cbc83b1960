#include <cmath>

#include "core/error.hpp"
#include "core/text.hpp"
#include "layers/onnx/detail/import_state.hpp"

namespace grutape::onnx_detail {
namespace {

const onnx::AttributeProto* find_attribute(const onnx::NodeProto& node, const std::string& name) {
  for (const onnx::AttributeProto& attribute : node.attribute()) {
    if (attribute.name() == name) return &attribute;
  }
  return nullptr;
}

const onnx::AttributeProto* typed_attribute(const ImportState& state, const onnx::NodeProto& node,
                                            const std::string& name,
                                            onnx::AttributeProto::AttributeType type,
                                            const char* type_name) {
  const onnx::AttributeProto* attribute = find_attribute(node, name);
  if (attribute != nullptr && attribute->type() != type) {
    throw ValueError(node_where(state, node) + " attribute " + name,
                     std::string("an attribute of type ") + type_name,
                     "type " + std::to_string(attribute->type()));
  }
  return attribute;
}

bool is_feature_group(const AxisGroup& group) {
  std::vector<Axis> axes;
  for (Axis axis : group.axes) {
    if (axis != Axis::unit) axes.push_back(axis);
  }
  const std::vector<std::vector<Axis>> forms = {
      {Axis::feature}, {Axis::hidden}, {Axis::direction, Axis::hidden}};
  for (const auto& form : forms) {
    if (axes == form) return true;
  }
  return false;
}

bool is_single(const AxisGroup& group, Axis axis) {
  return group.axes.size() == 1 && group.axes.front() == axis;
}

}  // namespace

std::string node_where(const ImportState& state, const onnx::NodeProto& node) {
  return "parse_onnx " + state.source + ": node " + double_quoted(node.name()) + " (" +
         node.op_type() + ")";
}

bool has_input(const onnx::NodeProto& node, std::size_t index) {
  return static_cast<int>(index) < node.input_size() && !node.input(static_cast<int>(index)).empty();
}

const Symbol& input_symbol(const ImportState& state, const onnx::NodeProto& node,
                           std::size_t index) {
  if (!has_input(node, index)) {
    throw ValueError(node_where(state, node), "an input " + std::to_string(index), "none");
  }
  const std::string& name = node.input(static_cast<int>(index));
  const auto found = state.symbols.find(name);
  if (found == state.symbols.end()) {
    throw ValueError(node_where(state, node),
                     "inputs defined by earlier nodes, initializers or the graph input",
                     "undefined value " + double_quoted(name));
  }
  return found->second;
}

const ConstantValue& constant_input(const ImportState& state, const onnx::NodeProto& node,
                                    std::size_t index, const std::string& what) {
  const Symbol& symbol = input_symbol(state, node, index);
  if (symbol.kind != Symbol::Kind::constant) {
    throw ValueError(node_where(state, node), what + " as a constant (initializer)",
                     "a value computed in the graph, " + double_quoted(node.input(static_cast<int>(index))));
  }
  return symbol.constant;
}

const DataValue& data_input(const ImportState& state, const onnx::NodeProto& node,
                            std::size_t index) {
  const Symbol& symbol = input_symbol(state, node, index);
  if (symbol.kind != Symbol::Kind::data) {
    throw ValueError(node_where(state, node), "input " + std::to_string(index) + " computed from the model input",
                     "a constant or shape value " + double_quoted(node.input(static_cast<int>(index))));
  }
  return symbol.data;
}

void set_output(ImportState& state, const onnx::NodeProto& node, std::size_t index,
                Symbol symbol) {
  if (static_cast<int>(index) >= node.output_size()) return;
  const std::string& name = node.output(static_cast<int>(index));
  if (name.empty()) return;
  if (state.symbols.count(name) != 0) {
    throw ValueError(node_where(state, node), "outputs that no other node or initializer defines",
                     "a second definition of " + double_quoted(name));
  }
  state.symbols[name] = std::move(symbol);
}

bool has_attribute(const onnx::NodeProto& node, const std::string& name) {
  return find_attribute(node, name) != nullptr;
}

std::int64_t int_attribute(const ImportState& state, const onnx::NodeProto& node,
                           const std::string& name, std::int64_t fallback) {
  const auto* attribute = typed_attribute(state, node, name, onnx::AttributeProto::INT, "int");
  return attribute ? attribute->i() : fallback;
}

std::optional<float> float_attribute(const ImportState& state, const onnx::NodeProto& node,
                                     const std::string& name) {
  const auto* attribute = typed_attribute(state, node, name, onnx::AttributeProto::FLOAT, "float");
  if (attribute == nullptr) return std::nullopt;
  return attribute->f();
}

std::string string_attribute(const ImportState& state, const onnx::NodeProto& node,
                             const std::string& name, const std::string& fallback) {
  const auto* attribute =
      typed_attribute(state, node, name, onnx::AttributeProto::STRING, "string");
  return attribute ? attribute->s() : fallback;
}

std::vector<std::int64_t> ints_attribute(const ImportState& state, const onnx::NodeProto& node,
                                         const std::string& name) {
  const auto* attribute = typed_attribute(state, node, name, onnx::AttributeProto::INTS, "ints");
  if (attribute == nullptr) return {};
  return {attribute->ints().begin(), attribute->ints().end()};
}

std::vector<float> floats_attribute(const ImportState& state, const onnx::NodeProto& node,
                                    const std::string& name) {
  const auto* attribute =
      typed_attribute(state, node, name, onnx::AttributeProto::FLOATS, "floats");
  if (attribute == nullptr) return {};
  return {attribute->floats().begin(), attribute->floats().end()};
}

std::vector<std::string> strings_attribute(const ImportState& state, const onnx::NodeProto& node,
                                           const std::string& name) {
  const auto* attribute =
      typed_attribute(state, node, name, onnx::AttributeProto::STRINGS, "strings");
  if (attribute == nullptr) return {};
  return {attribute->strings().begin(), attribute->strings().end()};
}

std::vector<std::int64_t> int_values(const ConstantValue& constant, const std::string& where) {
  std::vector<std::int64_t> values;
  for (double value : constant.values) {
    // int64 holds [-2^63, 2^63) (a NaN fails the first test and the range test).
    constexpr double two_to_63 = 9223372036854775808.0;
    if (value != std::floor(value) || !(value >= -two_to_63 && value < two_to_63)) {
      throw ValueError(where, "integer values", format_number(value));
    }
    values.push_back(static_cast<std::int64_t>(value));
  }
  return values;
}

std::size_t chain_end(const ImportState& state) { return state.chain.size(); }

DataForm data_form(const DataValue& data) {
  const auto& g = data.groups;
  if (g.size() < 2 || !is_feature_group(g.back())) return DataForm::none;
  if (g.size() == 3 && is_single(g[0], Axis::time) && is_single(g[1], Axis::batch)) {
    return DataForm::time_major;
  }
  if (!is_single(g[0], Axis::batch)) return DataForm::none;
  if (g.size() == 2 || (g.size() == 3 && is_single(g[1], Axis::time))) return DataForm::batch_major;
  // Rank > 2 batch first and opaque features after (a Reshape layer's output).
  for (std::size_t i = 1; i < g.size(); ++i) {
    if (!is_single(g[i], Axis::feature)) return DataForm::none;
  }
  return DataForm::batch_major;
}

std::optional<std::int64_t> feature_extent(const DataValue& data) {
  return data.groups.empty() ? std::nullopt : data.groups.back().extent;
}

namespace {

std::string groups_text(const DataValue& data) {
  static const char* names[] = {"batch", "time", "features", "direction", "hidden", "1"};
  std::string text = "(";
  for (std::size_t i = 0; i < data.groups.size(); ++i) {
    if (i > 0) text += ", ";
    for (std::size_t k = 0; k < data.groups[i].axes.size(); ++k) {
      text += (k > 0 ? "*" : "") + std::string(names[static_cast<int>(data.groups[i].axes[k])]);
    }
  }
  return text + ")";
}

// A pending GRU's direction group must be merged (concat) or reduced before its layer is used.
void finish_gru(ImportState& state, const onnx::NodeProto& node, LayerSpec& spec,
                const DataValue& data) {
  const bool sequence = data.gru_output == GruOutput::sequence;
  if (spec.return_sequences && *spec.return_sequences != sequence) {
    throw ValueError(node_where(state, node), "one output of GRU " + double_quoted(spec.node) +
                                                  " used (a chain of layers)",
                     "both its sequence and its last state");
  }
  spec.return_sequences = sequence;
  const bool reversed_reading = spec.gru->go_backwards() && !spec.bidirectional;
  if (sequence && data.time_reversed != reversed_reading) {
    throw ValueError(node_where(state, node),
                     reversed_reading ? "the sequence of a reverse GRU in reading order (a Slice "
                                        "with step -1 on its time axis), as go_backwards gives it"
                                      : "a GRU sequence in time order",
                     "it the other way round");
  }
  if (spec.bidirectional && !spec.merge) spec.merge = MergeMode::concat;
}

}  // namespace

DataForm consume(ImportState& state, const onnx::NodeProto& node, const DataValue& data,
                 bool time_major_ok) {
  if (data.producer != chain_end(state)) {
    throw ValueError(node_where(state, node),
                     "the output of the last layer so far (the import reads a chain of layers)",
                     "an earlier value: the graph branches");
  }
  const DataForm form = data_form(data);
  if (form == DataForm::none || (form == DataForm::time_major && !time_major_ok)) {
    throw ValueError(node_where(state, node),
                     time_major_ok ? "an input of (batch, time, features) or (batch, features)"
                                   : "a batch-major input, (batch, ..., features)",
                     "axes " + groups_text(data));
  }
  if (data.producer > 0) {
    LayerSpec& spec = state.chain[data.producer - 1];
    if (spec.kind == LayerSpec::Kind::gru) finish_gru(state, node, spec, data);
  }
  return form;
}

std::size_t add_layer(ImportState& state, LayerSpec spec) {
  state.chain.push_back(std::move(spec));
  return state.chain.size();
}

DataValue layer_output(std::size_t position, const DataValue& like,
                       std::optional<std::int64_t> features) {
  DataValue output = like;
  output.producer = position;
  output.gru_output = GruOutput::none;
  output.time_reversed = false;
  output.groups.back() = AxisGroup{{Axis::feature}, features};
  return output;
}

}  // namespace grutape::onnx_detail
