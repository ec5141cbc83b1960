#include "layers/gru/weight_maps.hpp"

#include <algorithm>

#include "core/detail/name_table.hpp"
#include "core/text.hpp"
#include "layers/gru/layouts/layouts.hpp"

namespace grutape {
namespace {

constexpr detail::NamedValue<GruLayout> kLayoutNames[] = {{GruLayout::internal, "internal"},
                                                          {GruLayout::keras, "keras"},
                                                          {GruLayout::pytorch, "pytorch"},
                                                          {GruLayout::matlab, "matlab"},
                                                          {GruLayout::onnx, "onnx"}};

// The tensors of `layout` in the order of gru_layout_tensor_names(layout), undefined where
// absent.
std::vector<Tensor> tensors_in_order(GruLayout layout,
                                     const std::map<std::string, Tensor>& tensors) {
  std::vector<Tensor> list;
  for (const std::string& name : gru_layout_tensor_names(layout)) {
    const auto found = tensors.find(name);
    list.push_back(found == tensors.end() ? Tensor() : found->second);
  }
  return list;
}

// The inverse: `list` in that order under the layout's names, the undefined ones left out.
std::map<std::string, Tensor> tensors_by_name(GruLayout layout, const std::vector<Tensor>& list) {
  const auto& names = gru_layout_tensor_names(layout);
  std::map<std::string, Tensor> tensors;
  for (std::size_t i = 0; i < list.size(); ++i)
    if (list[i].defined()) tensors[names[i]] = list[i];
  return tensors;
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
  return detail::name_in(kLayoutNames, layout, "onnx");
}

GruLayout gru_layout_from_name(const std::string& name) {
  if (const auto layout = detail::value_named(kLayoutNames, name)) return *layout;
  throw ValueError("gru_layout_from_name", "internal, keras, pytorch, matlab or onnx",
                   "\"" + name + "\"");
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
  const std::vector<Tensor> e = tensors_in_order(layout, t);
  switch (layout) {
    case GruLayout::internal: {
      const GruWeights weights{e[0], e[1], e[2], e[3]};
      check_gru_weights(weights, options, "gru_weights_from_map (internal)");
      return weights;
    }
    case GruLayout::keras:
      return gru_from_keras({e[0], e[1], e[2]}, options);
    case GruLayout::pytorch:
      return gru_from_pytorch({e[0], e[1], e[2], e[3]}, options);
    case GruLayout::matlab:
      return gru_from_matlab({e[0], e[1], e[2]}, options);
    default:
      return gru_from_onnx({e[0], e[1], e[2], linear_before_reset(e[3], options)}, options);
  }
}

std::map<std::string, Tensor> gru_weights_to_map(GruLayout layout, const GruWeights& weights,
                                                 const GruOptions& options) {
  switch (layout) {
    case GruLayout::internal:
      check_gru_weights(weights, options, "gru_weights_to_map (internal)");
      return tensors_by_name(
          layout, {weights.kernel, weights.recurrent_kernel, weights.bias, weights.recurrent_bias});
    case GruLayout::keras: {
      const KerasGruWeights k = gru_to_keras(weights, options);
      return tensors_by_name(layout, {k.kernel, k.recurrent_kernel, k.bias});
    }
    case GruLayout::pytorch: {
      const PytorchGruWeights p = gru_to_pytorch(weights, options);
      return tensors_by_name(layout, {p.weight_ih, p.weight_hh, p.bias_ih, p.bias_hh});
    }
    case GruLayout::matlab: {
      const MatlabGruWeights m = gru_to_matlab(weights, options);
      return tensors_by_name(layout, {m.input_weights, m.recurrent_weights, m.bias});
    }
    default: {
      const OnnxGruWeights o = gru_to_onnx(weights, options);
      return tensors_by_name(
          layout, {o.w, o.r, o.b,
                   Tensor::scalar(o.linear_before_reset ? 1.0 : 0.0, weights.kernel.dtype())});
    }
  }
}

}  // namespace grutape
