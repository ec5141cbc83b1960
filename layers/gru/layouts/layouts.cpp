#include "layers/gru/layouts/layouts.hpp"

#include <tuple>

#include "layers/gru/layouts/detail/blocks.hpp"

namespace grutape {
namespace {

using namespace detail;

std::string mode_text(const GruOptions& options) {
  return reset_gate_mode_name(options.reset_gate_mode());
}

void require_keras_mode(const GruOptions& options, const std::string& where) {
  if (options.reset_gate_mode() != ResetGateMode::after_multiplication) return;
  throw ValueError(where,
                   "a reset gate mode Keras has: before_multiplication (reset_after=False) or "
                   "recurrent_bias_after_multiplication (reset_after=True)",
                   "after_multiplication (no recurrent bias, which Keras' reset_after=True has)");
}

void require_pytorch_mode(const GruOptions& options, const std::string& where) {
  if (has_recurrent_bias(options.reset_gate_mode())) return;
  throw ValueError(where + ": reset_gate_mode",
                   "recurrent_bias_after_multiplication (the only mode of torch.nn.GRU)",
                   mode_text(options));
}

}  // namespace

GruWeights gru_from_keras(const KerasGruWeights& keras, const GruOptions& options) {
  const std::string where = "gru_from_keras";
  require_keras_mode(options, where);
  const std::size_t u = options.units();
  const std::size_t input = input_extent(keras.kernel, 0, 2, options, where + ": kernel");
  require_shape(keras.kernel, {input, 3 * u}, where + ": kernel");
  require_defined(keras.recurrent_kernel, where + ": recurrent_kernel");
  require_shape(keras.recurrent_kernel, {u, 3 * u}, where + ": recurrent_kernel");
  require_bias_presence(keras.bias, options, where + ": bias");
  const DType dtype = common_dtype({keras.kernel, keras.recurrent_kernel, keras.bias}, where);
  GruWeights weights{keras.kernel.clone(), keras.recurrent_kernel.clone(), {}, {}};
  if (!options.use_bias()) return weights;
  if (has_recurrent_bias(options.reset_gate_mode())) {
    require_shape(keras.bias, {2, 3 * u},
                  where + ": bias (reset_after=True: rows input bias, recurrent bias)");
    const Values both = keras.bias.to_vector();
    weights.bias = make({3 * u}, slice(both, 0, 3 * u), dtype);
    weights.recurrent_bias = make({3 * u}, slice(both, 3 * u, 3 * u), dtype);
  } else {
    require_shape(keras.bias, {3 * u}, where + ": bias (reset_after=False: no recurrent bias)");
    weights.bias = keras.bias.clone();
  }
  return weights;
}

KerasGruWeights gru_to_keras(const GruWeights& weights, const GruOptions& options) {
  const std::string where = "gru_to_keras";
  require_keras_mode(options, where);
  check_gru_weights(weights, options, where);
  KerasGruWeights keras{weights.kernel.clone(), weights.recurrent_kernel.clone(), {}};
  if (!options.use_bias()) return keras;
  if (has_recurrent_bias(options.reset_gate_mode())) {
    Values both = weights.bias.to_vector();
    const Values recurrent = weights.recurrent_bias.to_vector();
    both.insert(both.end(), recurrent.begin(), recurrent.end());
    keras.bias = make({2, 3 * options.units()}, both, weights.bias.dtype());
  } else {
    keras.bias = weights.bias.clone();
  }
  return keras;
}

GruWeights gru_from_pytorch(const PytorchGruWeights& pytorch, const GruOptions& options) {
  const std::string where = "gru_from_pytorch";
  require_pytorch_mode(options, where);
  const std::size_t u = options.units();
  const std::size_t input = check_gate_rows(pytorch.weight_ih, "weight_ih", pytorch.weight_hh,
                                            "weight_hh", {}, options, where);
  require_bias_presence(pytorch.bias_ih, options, where + ": bias_ih");
  require_bias_presence(pytorch.bias_hh, options, where + ": bias_hh");
  const DType dtype =
      common_dtype({pytorch.weight_ih, pytorch.weight_hh, pytorch.bias_ih, pytorch.bias_hh}, where);
  GruWeights weights =
      kernels_from_gate_rows(pytorch.weight_ih, pytorch.weight_hh, rzh_blocks, input, u, dtype);
  if (options.use_bias()) {
    require_shape(pytorch.bias_ih, {3 * u}, where + ": bias_ih");
    require_shape(pytorch.bias_hh, {3 * u}, where + ": bias_hh");
    weights.bias =
        make({3 * u}, blocks_to_internal(pytorch.bias_ih.to_vector(), rzh_blocks, u), dtype);
    weights.recurrent_bias =
        make({3 * u}, blocks_to_internal(pytorch.bias_hh.to_vector(), rzh_blocks, u), dtype);
  }
  return weights;
}

PytorchGruWeights gru_to_pytorch(const GruWeights& weights, const GruOptions& options) {
  const std::string where = "gru_to_pytorch";
  require_pytorch_mode(options, where);
  PytorchGruWeights pytorch;
  std::tie(pytorch.weight_ih, pytorch.weight_hh) =
      kernels_to_gate_rows(weights, options, rzh_blocks, {}, where);
  const std::size_t u = options.units();
  const DType dtype = weights.kernel.dtype();
  if (options.use_bias()) {
    Values bias_ih, bias_hh;
    append_blocks(bias_ih, weights.bias.to_vector(), rzh_blocks, u);
    append_blocks(bias_hh, weights.recurrent_bias.to_vector(), rzh_blocks, u);
    pytorch.bias_ih = make({3 * u}, bias_ih, dtype);
    pytorch.bias_hh = make({3 * u}, bias_hh, dtype);
  }
  return pytorch;
}

GruWeights gru_from_matlab(const MatlabGruWeights& matlab, const GruOptions& options) {
  const std::string where = "gru_from_matlab";
  const std::size_t u = options.units();
  const std::size_t input =
      check_gate_rows(matlab.input_weights, "InputWeights", matlab.recurrent_weights,
                      "RecurrentWeights", {}, options, where);
  require_bias_presence(matlab.bias, options, where + ": Bias");
  const DType dtype =
      common_dtype({matlab.input_weights, matlab.recurrent_weights, matlab.bias}, where);
  GruWeights weights = kernels_from_gate_rows(matlab.input_weights, matlab.recurrent_weights,
                                              rzh_blocks, input, u, dtype);
  if (!options.use_bias()) return weights;
  const Values bias = matlab.bias.to_vector();
  if (has_recurrent_bias(options.reset_gate_mode())) {
    require_shape(matlab.bias, {6 * u},
                  where + ": Bias (recurrent_bias_after_multiplication: input then recurrent)");
    weights.recurrent_bias = make({3 * u}, blocks_to_internal(bias, rzh_blocks, u, 3 * u), dtype);
  } else {
    require_shape(matlab.bias, {3 * u},
                  where + ": Bias (" + mode_text(options) + ": no recurrent bias)");
  }
  weights.bias = make({3 * u}, blocks_to_internal(bias, rzh_blocks, u), dtype);
  return weights;
}

MatlabGruWeights gru_to_matlab(const GruWeights& weights, const GruOptions& options) {
  const std::string where = "gru_to_matlab";
  MatlabGruWeights matlab;
  std::tie(matlab.input_weights, matlab.recurrent_weights) =
      kernels_to_gate_rows(weights, options, rzh_blocks, {}, where);
  const std::size_t u = options.units();
  const DType dtype = weights.kernel.dtype();
  if (options.use_bias()) {
    Values bias;
    append_blocks(bias, weights.bias.to_vector(), rzh_blocks, u);
    if (weights.recurrent_bias.defined())
      append_blocks(bias, weights.recurrent_bias.to_vector(), rzh_blocks, u);
    matlab.bias = make({bias.size()}, bias, dtype);
  }
  return matlab;
}

}  // namespace grutape
