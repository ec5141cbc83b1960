// The import of an ONNX GRU node: the weights through the ONNX layout converter
// (layers/gru/layouts/layouts.hpp), one direction at a time; linear_before_reset 0 is
// before_multiplication, 1 recurrent_bias_after_multiplication (PyTorch's GRU), or
// after_multiplication where the export noted it. A GRU node that reads the sequence of the GRU
// just before it, with the same settings, becomes that layer's next level (depth).

#include "core/error.hpp"
#include "core/text.hpp"
#include "layers/gru/layouts/layouts.hpp"
#include "layers/onnx/detail/activation_table.hpp"
#include "layers/onnx/detail/import_state.hpp"

namespace grutape::onnx_detail {
namespace {

struct GruNodeSettings {
  std::int64_t units = 0;
  std::size_t directions = 1;
  std::string direction;
  bool linear_before_reset = false;
  bool batch_major = false;
  std::string activation;
  std::string recurrent_activation;
};

// The activations of one direction: f (the gates) and g (the candidate), alpha and beta taken in
// order by the functions that use them.
std::pair<std::string, std::string> direction_activations(const ImportState& state,
                                                          const onnx::NodeProto& node,
                                                          std::size_t direction) {
  const std::string at = node_where(state, node);
  const std::vector<std::string> names = strings_attribute(state, node, "activations");
  const std::vector<float> alphas = floats_attribute(state, node, "activation_alpha");
  const std::vector<float> betas = floats_attribute(state, node, "activation_beta");
  if (names.empty()) return {"sigmoid", "tanh"};
  std::size_t alpha_index = 0, beta_index = 0;
  std::vector<std::string> result;
  for (std::size_t i = 0; i < names.size(); ++i) {
    OnnxActivation activation{names[i], {}, {}};
    const std::string op = names[i];
    const bool uses_alpha = op == "HardSigmoid" || op == "Elu" || op == "Affine" ||
                            op == "LeakyRelu" || op == "ThresholdedRelu" || op == "ScaledTanh";
    const bool uses_beta = op == "HardSigmoid" || op == "Affine" || op == "ScaledTanh";
    if (uses_alpha && alpha_index < alphas.size()) activation.alpha = alphas[alpha_index++];
    if (uses_beta && beta_index < betas.size()) activation.beta = betas[beta_index++];
    if (i / 2 == direction) {
      result.push_back(*activation_from_onnx(activation, ActivationUse::gru,
                                             at + " activation " + std::to_string(i)));
    }
  }
  if (result.size() != 2) {
    throw ValueError(at + " activations", "2 per direction", std::to_string(names.size()));
  }
  return {result[0], result[1]};
}

GruNodeSettings read_settings(const ImportState& state, const onnx::NodeProto& node) {
  const std::string at = node_where(state, node);
  GruNodeSettings settings;
  settings.units = int_attribute(state, node, "hidden_size", 0);
  if (settings.units <= 0 || settings.units > (std::int64_t{1} << 24)) {
    throw ValueError(at + " hidden_size", "a positive hidden_size", std::to_string(settings.units));
  }
  settings.direction = string_attribute(state, node, "direction", "forward");
  if (settings.direction != "forward" && settings.direction != "reverse" &&
      settings.direction != "bidirectional") {
    throw ValueError(at + " direction", "forward, reverse or bidirectional",
                     double_quoted(settings.direction));
  }
  settings.directions = settings.direction == "bidirectional" ? 2 : 1;
  const std::int64_t lbr = int_attribute(state, node, "linear_before_reset", 0);
  const std::int64_t layout = int_attribute(state, node, "layout", 0);
  if ((lbr != 0 && lbr != 1) || (layout != 0 && layout != 1)) {
    throw ValueError(at, "linear_before_reset and layout 0 or 1",
                     std::to_string(lbr) + " and " + std::to_string(layout));
  }
  if (has_attribute(node, "clip")) throw ValueError(at, "no clip (grutape's GRU has none)", "clip");
  settings.linear_before_reset = lbr == 1;
  settings.batch_major = layout == 1;
  const auto first = direction_activations(state, node, 0);
  if (settings.directions == 2 && direction_activations(state, node, 1) != first) {
    throw ValueError(at + " activations", "the same activations in both directions", "different ones");
  }
  settings.recurrent_activation = first.first;
  settings.activation = first.second;
  return settings;
}

ResetGateMode reset_mode(const ImportState&, const onnx::NodeProto& node,
                         const GruNodeSettings& settings) {
  if (!settings.linear_before_reset) return ResetGateMode::before_multiplication;
  if (node.doc_string() == after_multiplication_note) return ResetGateMode::after_multiplication;
  return ResetGateMode::recurrent_bias_after_multiplication;
}

// Direction `d` of a [directions, ...] constant as a [1, ...] tensor.
Tensor direction_part(const ConstantValue& constant, std::size_t d, DType dtype) {
  ConstantValue part;
  part.dims = constant.dims;
  part.dims[0] = 1;
  const std::size_t size = constant.values.size() / static_cast<std::size_t>(constant.dims[0]);
  part.values.assign(constant.values.begin() + static_cast<long>(d * size),
                     constant.values.begin() + static_cast<long>((d + 1) * size));
  return constant_tensor(part, dtype);
}

void check_dims(const ImportState& state, const onnx::NodeProto& node, const ConstantValue& value,
                const std::string& name, const std::vector<std::int64_t>& wanted) {
  if (value.dims != wanted) {
    auto text = [](const std::vector<std::int64_t>& dims) {
      std::string out = "[";
      for (std::size_t i = 0; i < dims.size(); ++i) out += (i ? ", " : "") + std::to_string(dims[i]);
      return out + "]";
    };
    throw ShapeError(node_where(state, node) + " " + name, "dims " + text(wanted), text(value.dims));
  }
}

std::vector<GruWeights> node_weights(const ImportState& state, const onnx::NodeProto& node,
                                     const GruNodeSettings& settings, const GruOptions& options) {
  const ConstantValue& w = constant_input(state, node, 1, "W");
  const ConstantValue& r = constant_input(state, node, 2, "R");
  const auto d = static_cast<std::int64_t>(settings.directions), u = settings.units;
  if (w.dims.size() != 3) check_dims(state, node, w, "W", {d, 3 * u, -1});
  check_dims(state, node, w, "W", {d, 3 * u, w.dims[2]});
  check_dims(state, node, r, "R", {d, 3 * u, u});
  const ConstantValue* b = has_input(node, 3) ? &constant_input(state, node, 3, "B") : nullptr;
  if (b != nullptr) check_dims(state, node, *b, "B", {d, 6 * u});
  std::vector<GruWeights> weights;
  for (std::size_t k = 0; k < settings.directions; ++k) {
    OnnxGruWeights onnx;
    onnx.w = direction_part(w, k, state.dtype);
    onnx.r = direction_part(r, k, state.dtype);
    if (b != nullptr) onnx.b = direction_part(*b, k, state.dtype);
    onnx.linear_before_reset = settings.linear_before_reset;
    try {
      weights.push_back(gru_from_onnx(onnx, options));
    } catch (const Error& error) {
      throw ValueError(node_where(state, node) + ": " + error.what());
    }
  }
  return weights;
}

void check_optional_inputs(ImportState& state, const onnx::NodeProto& node) {
  const std::string at = node_where(state, node);
  if (has_input(node, 4)) {
    const Symbol& lengths = input_symbol(state, node, 4);
    if (lengths.kind != Symbol::Kind::lengths) {
      throw ValueError(at + " sequence_lens", "the lengths of a Masking or Embedding mask",
                       "another value");
    }
    if (!lengths.masking_layer) {
      // The lengths of an Embedding's mask_zero: that Embedding read the data they came from.
      const std::size_t embedding = lengths.mask_source;
      if (embedding >= state.chain.size() ||
          state.chain[embedding].kind != LayerSpec::Kind::embedding) {
        throw ValueError(at + " sequence_lens", "the lengths of a Masking or Embedding mask",
                         "lengths of another value");
      }
      state.chain[embedding].mask_zero = true;
    }
  }
  if (has_input(node, 5)) {
    const Symbol& initial = input_symbol(state, node, 5);
    const bool zeros = initial.kind == Symbol::Kind::zeros ||
                       (initial.kind == Symbol::Kind::constant &&
                        std::all_of(initial.constant.values.begin(), initial.constant.values.end(),
                                    [](double v) { return v == 0; }));
    if (!zeros) throw ValueError(at + " initial_h", "none or zeros", "another initial state");
  }
}

// The previous GRU of the chain, when this node is its next level.
LayerSpec* level_below(ImportState& state, const DataValue& x, const GruNodeSettings& settings,
                       const GruOptions& options) {
  if (x.producer == 0 || x.producer != chain_end(state) || x.time_reversed ||
      x.gru_output != GruOutput::sequence || settings.directions != 1) {
    return nullptr;
  }
  LayerSpec& below = state.chain[x.producer - 1];
  if (below.kind != LayerSpec::Kind::gru || below.bidirectional || below.return_sequences) {
    return nullptr;
  }
  const GruOptions& o = *below.gru;
  const bool same = o.units() == options.units() && o.activation() == options.activation() &&
                    o.recurrent_activation() == options.recurrent_activation() &&
                    o.reset_gate_mode() == options.reset_gate_mode() &&
                    o.use_bias() == options.use_bias() && o.go_backwards() == options.go_backwards();
  return same ? &below : nullptr;
}

}  // namespace

void import_gru_node(ImportState& state, const onnx::NodeProto& node) {
  const GruNodeSettings settings = read_settings(state, node);
  const DataValue x = data_input(state, node, 0);
  GruOptions options(static_cast<std::size_t>(settings.units));
  options.activation(settings.activation)
      .recurrent_activation(settings.recurrent_activation)
      .use_bias(has_input(node, 3))
      .reset_gate_mode(reset_mode(state, node, settings))
      .go_backwards(settings.direction == "reverse");
  std::vector<GruWeights> weights = node_weights(state, node, settings, options);
  check_optional_inputs(state, node);
  const std::optional<std::int64_t> features =
      x.groups.empty() ? std::nullopt : x.groups.back().extent;
  if (features && *features != static_cast<std::int64_t>(weights[0].kernel.shape()[0])) {
    throw ShapeError(node_where(state, node) + " W", "an input size of " + std::to_string(*features),
                     std::to_string(weights[0].kernel.shape()[0]));
  }
  LayerSpec* below = level_below(state, x, settings, options);
  std::size_t position = 0;
  if (below != nullptr) {
    below->gru->depth(below->gru->depth() + 1);
    below->forward_levels.push_back(weights[0]);
    position = chain_end(state);
  } else {
    const bool raw_input = x.producer == 0 && state.chain.empty() && x.groups.size() == 3 &&
                           data_form(x) == DataForm::batch_major && !settings.batch_major;
    DataValue input = x;
    if (raw_input) {
      // The graph input read as (time, batch, features): PyTorch's batch_first=False.
      state.time_major_input = true;
      input.groups[0].axes = {Axis::time};
      input.groups[1].axes = {Axis::batch};
    }
    const DataForm form = consume(state, node, input, !settings.batch_major);
    if ((form == DataForm::time_major) == settings.batch_major) {
      throw ValueError(node_where(state, node), settings.batch_major ? "a batch-major X (layout 1)"
                                                                     : "a time-major X (layout 0)",
                       "the other");
    }
    LayerSpec spec;
    spec.kind = LayerSpec::Kind::gru;
    spec.node = node.name();
    spec.gru = options;
    spec.bidirectional = settings.directions == 2;
    spec.forward_levels = {weights[0]};
    if (spec.bidirectional) spec.backward_levels = {weights[1]};
    position = add_layer(state, spec);
  }
  const auto u = settings.units;
  const auto d = static_cast<std::int64_t>(settings.directions);
  const std::optional<std::int64_t> batch = x.groups.size() == 3 ? x.groups[settings.batch_major ? 0 : 1].extent : std::nullopt;
  const std::optional<std::int64_t> time = x.groups.size() == 3 ? x.groups[settings.batch_major ? 1 : 0].extent : std::nullopt;
  const AxisGroup b{{Axis::batch}, batch}, t{{Axis::time}, time}, dir{{Axis::direction}, d},
      h{{Axis::hidden}, u};
  DataValue y{position, settings.batch_major ? std::vector<AxisGroup>{b, t, dir, h}
                                             : std::vector<AxisGroup>{t, dir, b, h},
              GruOutput::sequence, false};
  DataValue y_h{position, settings.batch_major ? std::vector<AxisGroup>{b, dir, h}
                                               : std::vector<AxisGroup>{dir, b, h},
                GruOutput::last, false};
  Symbol sequence, last;
  sequence.kind = last.kind = Symbol::Kind::data;
  sequence.data = y;
  last.data = y_h;
  set_output(state, node, 0, sequence);
  set_output(state, node, 1, last);
}

}  // namespace grutape::onnx_detail
