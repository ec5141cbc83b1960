#pragma once
// The import's picture of an ONNX graph while it walks the nodes (layers/onnx/import.cpp).
//
// Every ONNX value the walk meets is a Symbol: a constant (initializers, Constant nodes), a
// shape computed from data (Shape, Gather, Concat...: only ever the shape of an initial state),
// zeros of such a shape, the mask and lengths of a Masking or Embedding pattern, or data. Data is
// the output of one layer of the chain being built, seen through ONNX's axis arrangement: a list
// of axis groups, each the product of atomic axes (batch, time, feature, GRU direction, GRU
// hidden units). A GRU node's Y is [time][direction][batch][hidden] (layout 0); Transpose,
// Reshape, Squeeze and Unsqueeze move and merge the groups, and the layer after it is added to
// the chain only when its input is in a form grutape has: (batch, time, features) or (batch,
// features), features being one group [feature], [hidden] or [direction, hidden] (the
// directions side by side, Bidirectional's concat). Internal to layers/onnx.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <onnx/onnx_pb.h>

#include "layers/basic/dense.hpp"
#include "layers/gru/bidirectional.hpp"
#include "layers/gru/options.hpp"
#include "layers/gru/weights.hpp"
#include "layers/onnx/detail/tensor_proto.hpp"

namespace grutape::onnx_detail {

enum class Axis { batch, time, feature, direction, hidden, unit };

struct AxisGroup {
  std::vector<Axis> axes;
  /// The product of the axes' extents, when known.
  std::optional<std::int64_t> extent;
};

/// Which output of a GRU layer a value comes from.
enum class GruOutput { none, sequence, last };

struct DataValue {
  /// The chain position of the layer whose output this is: 0 the model input, k layer k.
  std::size_t producer = 0;
  std::vector<AxisGroup> groups;
  GruOutput gru_output = GruOutput::none;
  /// The time axis runs backwards relative to the input (a Slice with step -1).
  bool time_reversed = false;
};

struct Symbol {
  enum class Kind { constant, shape, zeros, mask, lengths, data };
  Kind kind = Kind::constant;
  ConstantValue constant;
  DataValue data;
  /// For mask and lengths: the value the mask compares with, the chain position of the data it
  /// was computed from, how far the pattern has come (equal, differ, values, mask), and the
  /// Masking layer it made, when a Mul applied it.
  double mask_value = 0;
  std::size_t mask_source = 0;
  int mask_stage = 0;
  std::optional<std::size_t> masking_layer;
};

/// One layer of the chain, as the walk learns it; turned into a grutape layer at the end.
struct LayerSpec {
  enum class Kind { gru, dense, activation, softmax, flatten, reshape, masking, embedding };
  Kind kind = Kind::dense;
  /// The ONNX node it came from, for messages.
  std::string node;
  // gru: the options (return_sequences set when its output is used), one weight set per level
  // and direction, the merge of a bidirectional one.
  std::optional<GruOptions> gru;
  bool bidirectional = false;
  std::optional<MergeMode> merge;
  std::vector<GruWeights> forward_levels;
  std::vector<GruWeights> backward_levels;
  std::optional<bool> return_sequences;
  // dense, activation, softmax, reshape, masking, embedding.
  Tensor kernel;
  Tensor bias;
  std::string activation = "linear";
  long axis = -1;
  std::vector<long> target_shape;
  double mask_value = 0;
  Tensor embeddings;
  bool mask_zero = false;
};

/// The walk's state: symbols by value name, the chain, the model input's dtype and layout.
struct ImportState {
  std::string source;
  std::map<std::string, Symbol> symbols;
  std::vector<LayerSpec> chain;
  DType dtype = DType::float32;
  /// The graph input's dims, free extents as nullopt.
  std::vector<std::optional<std::size_t>> input_dims;
  /// The graph's input is (time, batch, features), read by a GRU of layout 0 directly.
  bool time_major_input = false;
};

/// The doc_string of a GRU node that the export wrote for after_multiplication: ONNX's
/// linear_before_reset 1 with a zero recurrent bias, which recurrent_bias_after_multiplication
/// with a zero recurrent bias is too; the note keeps the mode (and its parameters) on re-import.
constexpr const char* after_multiplication_note = "grutape reset_gate_mode after_multiplication";

/// "parse_onnx SOURCE: node NAME (OP)": the start of every message about a node.
std::string node_where(const ImportState& state, const onnx::NodeProto& node);

/// The symbol of input `index` of `node`; a ValueError when the node has no such input or the
/// value is not defined before the node (ONNX lists nodes in topological order).
const Symbol& input_symbol(const ImportState& state, const onnx::NodeProto& node,
                           std::size_t index);
/// Whether `node` has input `index` and it is not "" (an absent optional input).
bool has_input(const onnx::NodeProto& node, std::size_t index);
/// The constant input `index`; a ValueError naming what it is otherwise.
const ConstantValue& constant_input(const ImportState& state, const onnx::NodeProto& node,
                                    std::size_t index, const std::string& what);
/// The data input `index`; a ValueError naming what it is otherwise.
const DataValue& data_input(const ImportState& state, const onnx::NodeProto& node,
                            std::size_t index);
/// Sets output `index` of `node` to `symbol`.
void set_output(ImportState& state, const onnx::NodeProto& node, std::size_t index,
                Symbol symbol);

/// Attribute readers: the value, or `fallback` when the node has none. A ValueError naming the
/// node for an attribute of another type.
std::int64_t int_attribute(const ImportState& state, const onnx::NodeProto& node,
                           const std::string& name, std::int64_t fallback);
std::optional<float> float_attribute(const ImportState& state, const onnx::NodeProto& node,
                                     const std::string& name);
std::string string_attribute(const ImportState& state, const onnx::NodeProto& node,
                             const std::string& name, const std::string& fallback);
std::vector<std::int64_t> ints_attribute(const ImportState& state, const onnx::NodeProto& node,
                                         const std::string& name);
std::vector<float> floats_attribute(const ImportState& state, const onnx::NodeProto& node,
                                    const std::string& name);
std::vector<std::string> strings_attribute(const ImportState& state, const onnx::NodeProto& node,
                                           const std::string& name);
/// Whether `node` has attribute `name`.
bool has_attribute(const onnx::NodeProto& node, const std::string& name);

/// The constant's values as int64 (axes, shapes, starts); a ValueError naming `where` for
/// values that are not integers.
std::vector<std::int64_t> int_values(const ConstantValue& constant, const std::string& where);

/// The chain position of the last layer (0: none yet, the model input).
std::size_t chain_end(const ImportState& state);
/// The form grutape has for `data`, or none: rank 3 (batch, time, features) batch-major or
/// time-major, or rank >= 2 batch first with the rest features.
enum class DataForm { none, batch_major, time_major };
DataForm data_form(const DataValue& data);
/// The features' extent of data in a grutape form (its last group), when known.
std::optional<std::int64_t> feature_extent(const DataValue& data);

/// Takes `data` as the input of a new layer: it must be the output of the chain's last layer
/// (the graph does not branch) in a grutape form; a pending GRU learns which output is used.
/// Returns the form. `time_major_ok` lets (time, batch, features) through.
DataForm consume(ImportState& state, const onnx::NodeProto& node, const DataValue& data,
                 bool time_major_ok);
/// Appends `spec` to the chain; returns its chain position.
std::size_t add_layer(ImportState& state, LayerSpec spec);
/// Data produced by the layer at `position` with the groups of `like`, its last group replaced
/// by features of `features` (unknown: nullopt).
DataValue layer_output(std::size_t position, const DataValue& like,
                       std::optional<std::int64_t> features);

/// The node handlers, by op type family: each reads the node's inputs and sets its outputs.
void import_shape_node(ImportState& state, const onnx::NodeProto& node);
void import_gru_node(ImportState& state, const onnx::NodeProto& node);
void import_layer_node(ImportState& state, const onnx::NodeProto& node);
void import_mask_node(ImportState& state, const onnx::NodeProto& node);
/// Whether each family handles `op`.
bool is_shape_op(const std::string& op);
bool is_layer_op(const std::string& op);
bool is_mask_op(const std::string& op, const ImportState& state, const onnx::NodeProto& node);

}  // namespace grutape::onnx_detail
