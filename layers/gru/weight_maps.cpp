#include "layers/gru/weight_maps.hpp"

#include <algorithm>

#include "core/text.hpp"
#include "layers/gru/layouts/layouts.hpp"

namespace grutape {
namespace {

// The tensors of `tensors` in the order of the layout's names; an absent one is undefined.
std::vector<Tensor> in_layout_order(GruLayout layout,
                                    const std::map<std::string, Tensor>& tensors) {
  std::vector<Tensor> ordered;
  for (const std::string& name : gru_layout_tensor_names(layout)) {
    const auto found = tensors.find(name);
    ordered.push_back(found == tensors.end() ? Tensor() : found->second);
  }
  return ordered;
}

void require_known_names(GruLayout layout, const std::map<std::string, Tensor>& tensors) {
  const auto& names = gru_layout_tensor_names(layout);
  for (const auto& [name, _] : tensors) {
    if (std::find(names.begin(), names.end(), name) == names.end()) {
      throw ValueError(std::string("gru_weights_from_map (") + gru_layout_name(layout) + ")",
                       "tensors named " + join(names), "\"" + name + "\"");
    }
  }
}

// The layout's tensors in the order of its names.
std::vector<Tensor> layout_tensors(GruLayout layout, const GruWeights& weights,
                                   const GruOptions& options) {
  switch (layout) {
    case GruLayout::internal:
      check_gru_weights(weights, options, "gru_weights_to_map (internal)");
      return {weights.kernel, weights.recurrent_kernel, weights.bias, weights.recurrent_bias};
    case GruLayout::keras: {
      const KerasGruWeights k = gru_to_keras(weights, options);
      return {k.kernel, k.recurrent_kernel, k.bias};
    }
    case GruLayout::pytorch: {
      const PytorchGruWeights p = gru_to_pytorch(weights, options);
      return {p.weight_ih, p.weight_hh, p.bias_ih, p.bias_hh};
    }
    case GruLayout::matlab: {
      const MatlabGruWeights m = gru_to_matlab(weights, options);
      return {m.input_weights, m.recurrent_weights, m.bias};
    }
    default: {
      const OnnxGruWeights o = gru_to_onnx(weights, options);
      return {o.w, o.r, o.b,
              Tensor::scalar(o.linear_before_reset ? 1.0 : 0.0, weights.kernel.dtype())};
    }
  }
}

// ONNX's attribute as a tensor: given, it must be one element 0 or 1; absent, the mode's value.
bool linear_before_reset(const Tensor& flag, const GruOptions& options) {
  if (!flag.defined()) return options.reset_gate_mode() != ResetGateMode::before_multiplication;
  const std::string where = "gru_weights_from_map (onnx): linear_before_reset";
  if (flag.size() != 1) {
    throw ShapeError(where, "one element", "shape " + shape_to_string(flag.shape()));
  }
  const double value = flag.item();
  if (value != 0.0 && value != 1.0) throw ValueError(where, "0 or 1", format_number(value));
  return value == 1.0;
}

}  // namespace

const char* gru_layout_name(GruLayout layout) {
  return enum_name(layout);
}

GruLayout gru_layout_from_name(const std::string& name) {
  return enum_from_name<GruLayout>(name, "gru_layout_from_name");
}

const std::vector<std::string>& gru_layout_tensor_names(GruLayout layout) {
  // The order of each list is the order layout_tensors writes and gru_weights_from_map reads.
  static const std::map<GruLayout, std::vector<std::string>> names = {
      {GruLayout::internal, {"kernel", "recurrent_kernel", "bias", "recurrent_bias"}},
      {GruLayout::keras, {"kernel", "recurrent_kernel", "bias"}},
      {GruLayout::pytorch, {"weight_ih", "weight_hh", "bias_ih", "bias_hh"}},
      {GruLayout::matlab, {"InputWeights", "RecurrentWeights", "Bias"}},
      {GruLayout::onnx, {"W", "R", "B", "linear_before_reset"}},
  };
  return names.at(layout);
}

GruWeights gru_weights_from_map(GruLayout layout, const std::map<std::string, Tensor>& tensors,
                                const GruOptions& options) {
  require_known_names(layout, tensors);
  const std::vector<Tensor> t = in_layout_order(layout, tensors);
  switch (layout) {
    case GruLayout::internal: {
      const GruWeights weights{t[0], t[1], t[2], t[3]};
      check_gru_weights(weights, options, "gru_weights_from_map (internal)");
      return weights;
    }
    case GruLayout::keras:
      return gru_from_keras({t[0], t[1], t[2]}, options);
    case GruLayout::pytorch:
      return gru_from_pytorch({t[0], t[1], t[2], t[3]}, options);
    case GruLayout::matlab:
      return gru_from_matlab({t[0], t[1], t[2]}, options);
    default:
      return gru_from_onnx({t[0], t[1], t[2], linear_before_reset(t[3], options)}, options);
  }
}

std::map<std::string, Tensor> gru_weights_to_map(GruLayout layout, const GruWeights& weights,
                                                 const GruOptions& options) {
  const std::vector<std::string>& names = gru_layout_tensor_names(layout);
  const std::vector<Tensor> tensors = layout_tensors(layout, weights, options);
  std::map<std::string, Tensor> map;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (tensors[i].defined()) map[names[i]] = tensors[i];
  }
  return map;
}

}  // namespace grutape
