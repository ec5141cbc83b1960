#pragma once
// The one table between grutape's activation names and ONNX: the GRU node's activation strings
// (with their activation_alpha / activation_beta) and the standalone operators. Internal to
// layers/onnx; docs/onnx.md shows the same table.

#include <optional>
#include <string>

namespace grutape::onnx_detail {

/// An activation as ONNX writes it: the GRU activation string or operator type, and the alpha and
/// beta it needs (none for most).
struct OnnxActivation {
  std::string op;
  std::optional<double> alpha;
  std::optional<double> beta;
};

/// Where an activation goes: into a GRU node's activations list, or as a node of its own.
enum class ActivationUse { gru, node };

/// The ONNX form of activation `name` for `use`; a ValueError naming `where` (the layer and its
/// option) and the activations ONNX can express there, for one it cannot (gelu; selu in a GRU).
OnnxActivation onnx_activation(const std::string& name, ActivationUse use,
                               const std::string& where);

/// The grutape activation of ONNX `activation` (op names compare without case for the GRU's
/// strings; absent alpha and beta take ONNX's defaults); a ValueError naming `where` for one with
/// no grutape equivalent. Empty for an op type that is no activation at all.
std::optional<std::string> activation_from_onnx(const OnnxActivation& activation,
                                                ActivationUse use, const std::string& where);

}  // namespace grutape::onnx_detail
