#pragma once
// GRU weights as named tensors in any layout, for set_weights / get_weights and files: a map from
// the layout's own tensor names to tensors, converted with layers/gru/layouts/layouts.hpp.
//
//   internal  kernel, recurrent_kernel, bias, recurrent_bias        (layers/gru/weights.hpp)
//   keras     kernel, recurrent_kernel, bias
//   pytorch   weight_ih, weight_hh, bias_ih, bias_hh
//   matlab    InputWeights, RecurrentWeights, Bias
//   onnx      W, R, B, linear_before_reset (a one-element tensor, 0 or 1; on import it may be
//             left out and then is the value the reset gate mode calls for)
//
// Biases the options do not call for are absent from a written map and must be absent from a
// read one.

#include <map>
#include <string>
#include <vector>

#include "core/enum_names.hpp"
#include "layers/gru/weights.hpp"

namespace grutape {

enum class GruLayout { internal, keras, pytorch, matlab, onnx };

template <>
struct EnumNames<GruLayout> {
  static constexpr NamedValue<GruLayout> values[] = {{GruLayout::internal, "internal"},
                                                     {GruLayout::keras, "keras"},
                                                     {GruLayout::pytorch, "pytorch"},
                                                     {GruLayout::matlab, "matlab"},
                                                     {GruLayout::onnx, "onnx"}};
};

/// "internal", "keras", "pytorch", "matlab", "onnx".
const char* gru_layout_name(GruLayout layout);
/// The inverse of gru_layout_name; a ValueError names the unknown string.
GruLayout gru_layout_from_name(const std::string& name);

/// The tensor names of `layout`, as listed above.
const std::vector<std::string>& gru_layout_tensor_names(GruLayout layout);

/// Internal weights from named tensors in `layout`; a ValueError names an unknown tensor name,
/// and the converters report tensors that do not fit the options.
GruWeights gru_weights_from_map(GruLayout layout, const std::map<std::string, Tensor>& tensors,
                                const GruOptions& options);

/// Named tensors in `layout` from internal weights (checked against the options).
std::map<std::string, Tensor> gru_weights_to_map(GruLayout layout, const GruWeights& weights,
                                                 const GruOptions& options);

}  // namespace grutape
