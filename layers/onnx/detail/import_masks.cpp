// The import of the mask patterns the export writes for Masking and Embedding(mask_zero):
//   Equal(x, v) -> Not -> Cast -> ReduceMax(last axis)    the (batch, steps, 1) mask
//   Mul(x, mask)                                           a Masking layer of mask_value v
//   ReduceSum(mask) -> Cast(int32)                         a GRU's sequence_lens
// Each step of the pattern is a mask symbol one stage further; anything else is an error.

#include "core/error.hpp"
#include "layers/onnx/detail/import_state.hpp"

namespace grutape::onnx_detail {
namespace {

enum Stage { equal = 1, differ, values, mask };

Symbol next_stage(const Symbol& from, int stage) {
  Symbol symbol = from;
  symbol.mask_stage = stage;
  return symbol;
}

void require_stage(const ImportState& state, const onnx::NodeProto& node, const Symbol& symbol,
                   int stage, const char* what) {
  if (symbol.kind != Symbol::Kind::mask || symbol.mask_stage != stage) {
    throw ValueError(node_where(state, node), std::string("the mask pattern of Masking (") + what + ")",
                     "another use of a mask");
  }
}

void import_equal(ImportState& state, const onnx::NodeProto& node) {
  const DataValue& data = data_input(state, node, 0);
  const ConstantValue& value = constant_input(state, node, 1, "the mask value");
  if (value.values.size() != 1) {
    throw ShapeError(node_where(state, node), "one mask value", std::to_string(value.values.size()) + " values");
  }
  Symbol symbol;
  symbol.kind = Symbol::Kind::mask;
  symbol.mask_value = value.values[0];
  symbol.mask_source = data.producer;
  symbol.mask_stage = equal;
  set_output(state, node, 0, symbol);
}

void import_mul(ImportState& state, const onnx::NodeProto& node) {
  const bool data_first = input_symbol(state, node, 0).kind == Symbol::Kind::data;
  const DataValue data = data_input(state, node, data_first ? 0 : 1);
  const std::string& mask_name = node.input(data_first ? 1 : 0);
  const Symbol& mask_symbol = input_symbol(state, node, data_first ? 1 : 0);
  require_stage(state, node, mask_symbol, mask, "Mul of the data by its mask");
  if (mask_symbol.mask_source != data.producer) {
    throw ValueError(node_where(state, node), "the mask of the data it multiplies", "another mask");
  }
  consume(state, node, data, false);
  LayerSpec spec;
  spec.kind = LayerSpec::Kind::masking;
  spec.node = node.name();
  spec.mask_value = mask_symbol.mask_value;
  DataValue output = data;
  output.producer = add_layer(state, spec);
  state.symbols[mask_name].masking_layer = output.producer;
  Symbol symbol;
  symbol.kind = Symbol::Kind::data;
  symbol.data = output;
  set_output(state, node, 0, symbol);
}

}  // namespace

bool is_mask_op(const std::string& op, const ImportState& state, const onnx::NodeProto& node) {
  if (op == "Equal" || op == "Not") return true;
  if (op != "Cast" && op != "ReduceMax" && op != "ReduceSum" && op != "Mul") return false;
  for (int i = 0; i < node.input_size(); ++i) {
    const auto found = state.symbols.find(node.input(i));
    if (found != state.symbols.end() && (found->second.kind == Symbol::Kind::mask ||
                                         found->second.kind == Symbol::Kind::lengths)) {
      return true;
    }
  }
  return false;
}

void import_mask_node(ImportState& state, const onnx::NodeProto& node) {
  const std::string& op = node.op_type();
  if (op == "Equal") return import_equal(state, node);
  if (op == "Mul") return import_mul(state, node);
  const Symbol& input = input_symbol(state, node, 0);
  if (op == "Not") {
    require_stage(state, node, input, equal, "Not of Equal");
    return set_output(state, node, 0, next_stage(input, differ));
  }
  if (op == "Cast") {
    if (input.kind == Symbol::Kind::lengths) return set_output(state, node, 0, input);
    return set_output(state, node, 0,
                      next_stage(input, input.mask_stage == differ ? values : input.mask_stage));
  }
  if (op == "ReduceMax") {
    require_stage(state, node, input, values, "ReduceMax of the values");
    return set_output(state, node, 0, next_stage(input, mask));
  }
  require_stage(state, node, input, mask, "ReduceSum of the mask: the lengths");
  Symbol lengths = input;
  lengths.kind = Symbol::Kind::lengths;
  set_output(state, node, 0, lengths);
}

}  // namespace grutape::onnx_detail
