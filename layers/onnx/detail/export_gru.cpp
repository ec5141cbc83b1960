// The GRU's export: one ONNX GRU node per level, batch-major (layout 1):
//   X [batch, steps, features] -> Y [batch, steps, directions, units], Y_h [batch, directions,
//   units]; Y reshaped to [batch, steps, directions * units] (the directions side by side, as
//   Bidirectional's concat), Y_h to [batch, directions * units].
// The reset gate modes map to linear_before_reset through the ONNX weight layout converter
// (layers/gru/layouts/layouts.hpp). A go_backwards GRU is direction "reverse"; ONNX gives its
// sequence aligned with the input, grutape in reading order, so the export reverses it in time.

#include <vector>

#include "core/error.hpp"
#include "core/text.hpp"
#include "layers/gru/bidirectional.hpp"
#include "layers/gru/gru.hpp"
#include "layers/gru/layouts/layouts.hpp"
#include "layers/onnx/detail/activation_table.hpp"
#include "layers/onnx/detail/export_layers.hpp"
#include "layers/onnx/detail/import_state.hpp"

namespace grutape::onnx_detail {
namespace {

// [D, ...] from D tensors [1, ...] of one shape, stacked in order.
Tensor stack_directions(const std::vector<Tensor>& parts) {
  Shape shape = parts.front().shape();
  shape[0] = parts.size();
  std::vector<double> values;
  for (const Tensor& part : parts) {
    const std::vector<double> part_values = part.to_vector();
    values.insert(values.end(), part_values.begin(), part_values.end());
  }
  return Tensor::from_values(shape, values, parts.front().dtype());
}

void check_exportable(const GruOptions& options, const std::string& where) {
  if (options.stateful()) {
    throw ValueError(where + " option stateful", "false (an ONNX graph carries no state between calls)",
                     "true");
  }
}

void set_activations(onnx::NodeProto& node, const GruOptions& options, std::size_t directions,
                     const std::string& where) {
  const OnnxActivation f =
      onnx_activation(options.recurrent_activation(), ActivationUse::gru,
                      where + " option recurrent_activation");
  const OnnxActivation g =
      onnx_activation(options.activation(), ActivationUse::gru, where + " option activation");
  std::vector<std::string> names;
  std::vector<float> alphas;
  std::vector<float> betas;
  for (std::size_t d = 0; d < directions; ++d) {
    for (const OnnxActivation& activation : {f, g}) {
      names.push_back(activation.op);
      if (activation.alpha) alphas.push_back(static_cast<float>(*activation.alpha));
      if (activation.beta) betas.push_back(static_cast<float>(*activation.beta));
    }
  }
  set_attribute(node, "activations", names);
  if (!alphas.empty()) set_attribute(node, "activation_alpha", alphas);
  if (!betas.empty()) set_attribute(node, "activation_beta", betas);
}

struct GruNode {
  std::string y;
  std::string y_h;
};

// One GRU node over `x` with one converted weight set per direction.
GruNode write_gru_node(GraphWriter& writer, const std::string& base, const std::string& x,
                       const std::vector<OnnxGruWeights>& weights, const GruOptions& options,
                       const std::string& direction, const std::string& lengths) {
  std::vector<Tensor> w, r, b;
  for (const OnnxGruWeights& set : weights) {
    w.push_back(set.w);
    r.push_back(set.r);
    if (set.b.defined()) b.push_back(set.b);
  }
  std::vector<std::string> inputs = {x, writer.constant(base + "_W", stack_directions(w)),
                                     writer.constant(base + "_R", stack_directions(r)),
                                     b.empty() ? "" : writer.constant(base + "_B", stack_directions(b))};
  if (!lengths.empty()) inputs.push_back(lengths);
  onnx::NodeProto& node = writer.node("GRU", base, inputs, 2);
  set_attribute(node, "hidden_size", static_cast<std::int64_t>(options.units()));
  set_attribute(node, "layout", std::int64_t{1});
  set_attribute(node, "direction", direction);
  set_attribute(node, "linear_before_reset",
                static_cast<std::int64_t>(weights.front().linear_before_reset ? 1 : 0));
  set_activations(node, options, weights.size(), base);
  if (options.reset_gate_mode() == ResetGateMode::after_multiplication) {
    node.set_doc_string(after_multiplication_note);
  }
  return {node.output(0), node.output(1)};
}

std::string reshape_to(GraphWriter& writer, const std::string& base, const std::string& input,
                       const std::vector<std::int64_t>& shape) {
  return writer.node("Reshape", base, {input, writer.int64s(base + "_shape", shape)}).output(0);
}

// Reverses axis 1 (time) of `input`: a Slice from the last step to before the first, step -1.
std::string reverse_time(GraphWriter& writer, const std::string& base, const std::string& input) {
  const std::int64_t before_first = std::numeric_limits<std::int64_t>::min();
  return writer
      .node("Slice", base, {input, writer.int64s(base + "_starts", {-1}),
                            writer.int64s(base + "_ends", {before_first}),
                            writer.int64s(base + "_axes", {1}), writer.int64s(base + "_steps", {-1})})
      .output(0);
}

}  // namespace

ExportValue export_gru(const Gru& gru, const ExportValue& input, GraphWriter& writer) {
  const GruOptions& options = gru.options();
  const std::string where = "save_onnx: GRU " + double_quoted(gru.name());
  check_exportable(options, where);
  const std::string direction = options.go_backwards() ? "reverse" : "forward";
  std::string x = input.name;
  GruNode node;
  for (std::size_t level = 1; level <= options.depth(); ++level) {
    const std::string base = gru.name() + (level == 1 ? "" : "_" + std::to_string(level));
    node = write_gru_node(writer, base, x, {gru_to_onnx(gru.weights(level), options)}, options,
                          direction, input.lengths);
    // The next level reads this level's sequence in time order, as grutape's deep GRU does.
    if (level < options.depth()) x = reshape_to(writer, base + "_sequence", node.y, {0, 0, -1});
  }
  ExportValue output = input;
  output.lengths = options.return_sequences() ? input.lengths : "";
  if (!options.return_sequences()) {
    output.name = reshape_to(writer, gru.name() + "_last", node.y_h, {0, -1});
    output.rank = 2;
    return output;
  }
  output.name = reshape_to(writer, gru.name() + "_sequence", node.y, {0, 0, -1});
  if (options.go_backwards()) output.name = reverse_time(writer, gru.name() + "_reading_order", output.name);
  output.rank = 3;
  return output;
}

ExportValue export_bidirectional(const Bidirectional& layer, const ExportValue& input,
                                 GraphWriter& writer) {
  const GruOptions& options = layer.forward_layer().options();
  const std::string where = "save_onnx: Bidirectional " + double_quoted(layer.name());
  check_exportable(options, where);
  if (options.depth() != 1) {
    throw ValueError(where + " option depth",
                     "1 (ONNX's bidirectional GRU reads the merged sequence at each level; stack "
                     "Bidirectional layers instead)",
                     std::to_string(options.depth()));
  }
  if (options.go_backwards()) {
    throw ValueError(where + " option go_backwards", "false (the backward copy reads in reverse)",
                     "true");
  }
  const MergeMode merge = layer.merge_mode();
  if (merge == MergeMode::none) {
    throw ValueError(where + " merge_mode", "concat, sum, mul or ave (one output)", "none");
  }
  const GruNode node = write_gru_node(
      writer, layer.name(), input.name,
      {gru_to_onnx(layer.forward_layer().weights(), options),
       gru_to_onnx(layer.backward_layer().weights(), layer.backward_layer().options())},
      options, "bidirectional", input.lengths);
  const bool sequences = options.return_sequences();
  const std::string& both = sequences ? node.y : node.y_h;
  const std::int64_t direction_axis = sequences ? 2 : 1;
  ExportValue output = input;
  output.rank = sequences ? 3 : 2;
  output.lengths = sequences ? input.lengths : "";
  const std::string base = layer.name() + "_" + merge_mode_name(merge);
  if (merge == MergeMode::concat) {
    output.name = reshape_to(writer, base, both,
                             sequences ? std::vector<std::int64_t>{0, 0, -1}
                                       : std::vector<std::int64_t>{0, -1});
  } else if (merge == MergeMode::sum) {
    onnx::NodeProto& sum =
        writer.node("ReduceSum", base, {both, writer.int64s(base + "_axes", {direction_axis})});
    set_attribute(sum, "keepdims", std::int64_t{0});
    output.name = sum.output(0);
  } else {
    onnx::NodeProto& reduce =
        writer.node(merge == MergeMode::mul ? "ReduceProd" : "ReduceMean", base, {both});
    set_attribute(reduce, "axes", std::vector<std::int64_t>{direction_axis});
    set_attribute(reduce, "keepdims", std::int64_t{0});
    output.name = reduce.output(0);
  }
  return output;
}

}  // namespace grutape::onnx_detail
