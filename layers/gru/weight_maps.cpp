#include "layers/gru/weight_maps.hpp"

#include <algorithm>

#include "core/text.hpp"
#include "layers/gru/layouts/layouts.hpp"

namespace grutape {
namespace {

Tensor entry(const std::map<std::string, Tensor>& tensors, const std::string& name) {
  const auto found = tensors.find(name);
  return found == tensors.end() ? Tensor() : found->second;
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

void put(std::map<std::string, Tensor>& tensors, const std::string& name, const Tensor& tensor) {
  if (tensor.defined()) tensors[name] = tensor;
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
  static const std::map<GruLayout, std::vector<std::string>> names = {
      {GruLayout::internal, {"kernel", "recurrent_kernel", "bias", "recurrent_bias"}},
      {GruLayout::keras, {"kernel", "recurrent_kernel", "bias"}},
      {GruLayout::pytorch, {"weight_ih", "weight_hh", "bias_ih", "bias_hh"}},
      {GruLayout::matlab, {"InputWeights", "RecurrentWeights", "Bias"}},
      {GruLayout::onnx, {"W", "R", "B", "linear_before_reset"}},
  };
  return names.at(layout);
}

GruWeights gru_weights_from_map(GruLayout layout, const std::map<std::string, Tensor>& t,
                                const GruOptions& options) {
  require_known_names(layout, t);
  switch (layout) {
    case GruLayout::internal: {
      const GruWeights weights{entry(t, "kernel"), entry(t, "recurrent_kernel"), entry(t, "bias"),
                               entry(t, "recurrent_bias")};
      check_gru_weights(weights, options, "gru_weights_from_map (internal)");
      return weights;
    }
    case GruLayout::keras:
      return gru_from_keras({entry(t, "kernel"), entry(t, "recurrent_kernel"), entry(t, "bias")},
                            options);
    case GruLayout::pytorch:
      return gru_from_pytorch(
          {entry(t, "weight_ih"), entry(t, "weight_hh"), entry(t, "bias_ih"), entry(t, "bias_hh")},
          options);
    case GruLayout::matlab:
      return gru_from_matlab(
          {entry(t, "InputWeights"), entry(t, "RecurrentWeights"), entry(t, "Bias")}, options);
    default:
      return gru_from_onnx({entry(t, "W"), entry(t, "R"), entry(t, "B"),
                            linear_before_reset(entry(t, "linear_before_reset"), options)},
                           options);
  }
}

std::map<std::string, Tensor> gru_weights_to_map(GruLayout layout, const GruWeights& weights,
                                                 const GruOptions& options) {
  std::map<std::string, Tensor> t;
  switch (layout) {
    case GruLayout::internal:
      check_gru_weights(weights, options, "gru_weights_to_map (internal)");
      put(t, "kernel", weights.kernel);
      put(t, "recurrent_kernel", weights.recurrent_kernel);
      put(t, "bias", weights.bias);
      put(t, "recurrent_bias", weights.recurrent_bias);
      break;
    case GruLayout::keras: {
      const KerasGruWeights k = gru_to_keras(weights, options);
      put(t, "kernel", k.kernel);
      put(t, "recurrent_kernel", k.recurrent_kernel);
      put(t, "bias", k.bias);
      break;
    }
    case GruLayout::pytorch: {
      const PytorchGruWeights p = gru_to_pytorch(weights, options);
      put(t, "weight_ih", p.weight_ih);
      put(t, "weight_hh", p.weight_hh);
      put(t, "bias_ih", p.bias_ih);
      put(t, "bias_hh", p.bias_hh);
      break;
    }
    case GruLayout::matlab: {
      const MatlabGruWeights m = gru_to_matlab(weights, options);
      put(t, "InputWeights", m.input_weights);
      put(t, "RecurrentWeights", m.recurrent_weights);
      put(t, "Bias", m.bias);
      break;
    }
    default: {
      const OnnxGruWeights o = gru_to_onnx(weights, options);
      put(t, "W", o.w);
      put(t, "R", o.r);
      put(t, "B", o.b);
      t["linear_before_reset"] =
          Tensor::scalar(o.linear_before_reset ? 1.0 : 0.0, weights.kernel.dtype());
      break;
    }
  }
  return t;
}

}  // namespace grutape
