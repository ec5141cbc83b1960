// The ONNX GRU layout (operator GRU, one direction): W, R, B and linear_before_reset.

#include <tuple>

#include "core/text.hpp"
#include "layers/gru/layouts/detail/blocks.hpp"
#include "layers/gru/layouts/layouts.hpp"

namespace grutape {
namespace {

using namespace detail;

// ONNX's linear_before_reset = 1 applies r after h R_h + Rb_h: the two after modes.
bool wants_linear_before_reset(ResetGateMode mode) {
  return mode != ResetGateMode::before_multiplication;
}

}  // namespace

GruWeights gru_from_onnx(const OnnxGruWeights& onnx, const GruOptions& options) {
  const std::string where = "gru_from_onnx";
  const ResetGateMode mode = options.reset_gate_mode();
  if (onnx.linear_before_reset != wants_linear_before_reset(mode)) {
    throw ValueError(where + ": linear_before_reset",
                     std::string(wants_linear_before_reset(mode) ? "1" : "0") + " for " +
                         reset_gate_mode_name(mode),
                     onnx.linear_before_reset ? "1" : "0");
  }
  const std::size_t u = options.units();
  const std::size_t input = check_gate_rows(onnx.w, "W", onnx.r, "R", {1}, options, where);
  require_bias_presence(onnx.b, options, where + ": B");
  const DType dtype = common_dtype({onnx.w, onnx.r, onnx.b}, where);
  GruWeights weights = kernels_from_gate_rows(onnx.w, onnx.r, zrh_blocks, input, u, dtype);
  if (!options.use_bias()) return weights;
  require_shape(onnx.b, {1, 6 * u}, where + ": B");
  const Values b = onnx.b.to_vector();
  Values bias = slice(b, 0, 3 * u);
  const Values recurrent = slice(b, 3 * u, 3 * u);
  if (has_recurrent_bias(mode)) {
    weights.recurrent_bias = make({3 * u}, recurrent, dtype);
  } else {
    // Without a recurrent bias the mode adds Rb like Wb: z and r always, the candidate only
    // before multiplication (where ONNX adds Rb_h outside the reset product too).
    const std::size_t candidate = gate_index(GruGate::candidate) * u;
    for (std::size_t k = 0; k < 3 * u; ++k) {
      const bool on_candidate = k >= candidate && k < candidate + u;
      if (on_candidate && mode == ResetGateMode::after_multiplication) {
        if (recurrent[k] != 0) {
          throw ValueError(
              where + ": B",
              "Rb_h = 0 (after_multiplication has no recurrent bias; "
              "recurrent_bias_after_multiplication has)",
              "Rb_h[" + std::to_string(k - candidate) + "] = " + format_number(recurrent[k]));
        }
        continue;
      }
      bias[k] += recurrent[k];
    }
  }
  weights.bias = make({3 * u}, bias, dtype);
  return weights;
}

OnnxGruWeights gru_to_onnx(const GruWeights& weights, const GruOptions& options) {
  const std::string where = "gru_to_onnx";
  OnnxGruWeights onnx;
  std::tie(onnx.w, onnx.r) = kernels_to_gate_rows(weights, options, zrh_blocks, {1}, where);
  onnx.linear_before_reset = wants_linear_before_reset(options.reset_gate_mode());
  const std::size_t u = options.units();
  const DType dtype = weights.kernel.dtype();
  if (options.use_bias()) {
    Values b = weights.bias.to_vector();
    const Values recurrent =
        weights.recurrent_bias.defined() ? weights.recurrent_bias.to_vector() : Values(3 * u, 0.0);
    b.insert(b.end(), recurrent.begin(), recurrent.end());
    onnx.b = make({1, 6 * u}, b, dtype);
  }
  return onnx;
}

}  // namespace grutape
