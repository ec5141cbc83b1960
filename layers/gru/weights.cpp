#include "layers/gru/weights.hpp"

#include "core/tensor_math.hpp"

namespace grutape {
namespace {

void require_presence(const Tensor& tensor, bool wanted, const std::string& what,
                      const std::string& why, const std::string& where) {
  if (tensor.defined() == wanted) return;
  throw ValueError(where + ": " + what, wanted ? "a tensor (" + why + ")" : "none (" + why + ")",
                   wanted ? "none" : "a tensor of shape " + shape_to_string(tensor.shape()));
}

std::string bias_reason(const GruOptions& options) {
  return std::string("use_bias ") + (options.use_bias() ? "true" : "false");
}

std::string recurrent_bias_reason(const GruOptions& options) {
  if (!options.use_bias()) return "use_bias false";
  return std::string("reset_gate_mode ") + reset_gate_mode_name(options.reset_gate_mode());
}

Tensor scaled(const Tensor& tensor, double factor) {
  return factor == 1.0 ? tensor : scale(tensor, factor);
}

}  // namespace

std::size_t gru_input_size(const GruWeights& weights, const std::string& where) {
  if (!weights.kernel.defined()) throw ShapeError(where + ": kernel", "a tensor", "none");
  if (weights.kernel.rank() != 2) {
    throw ShapeError(where + ": kernel", "a matrix (input, 3 * units)",
                     "shape " + shape_to_string(weights.kernel.shape()));
  }
  return weights.kernel.shape()[0];
}

void check_gru_weights(const GruWeights& weights, const GruOptions& options,
                       const std::string& where) {
  const std::size_t units = options.units(), input = gru_input_size(weights, where);
  if (options.input_size() != 0 && options.input_size() != input) {
    throw ShapeError(where + ": kernel",
                     "input extent " + std::to_string(options.input_size()) + " (input_size)",
                     "shape " + shape_to_string(weights.kernel.shape()));
  }
  require_shape(weights.kernel, {input, 3 * units}, where + ": kernel");
  require_presence(weights.recurrent_kernel, true, "recurrent_kernel", "always", where);
  require_shape(weights.recurrent_kernel, {units, 3 * units}, where + ": recurrent_kernel");
  require_same_dtype(weights.kernel, weights.recurrent_kernel, where);
  const bool bias = options.use_bias();
  const bool recurrent_bias = bias && has_recurrent_bias(options.reset_gate_mode());
  require_presence(weights.bias, bias, "bias", bias_reason(options), where);
  require_presence(weights.recurrent_bias, recurrent_bias, "recurrent_bias",
                   recurrent_bias_reason(options), where);
  for (const auto& [tensor, what] :
       {std::pair{weights.bias, "bias"}, std::pair{weights.recurrent_bias, "recurrent_bias"}}) {
    if (!tensor.defined()) continue;
    require_shape(tensor, {3 * units}, where + ": " + what);
    require_same_dtype(weights.kernel, tensor, where);
  }
}

GruWeights initialize_gru_weights(const GruOptions& options, std::size_t input_size, DType dtype,
                                  Random& random) {
  const std::string where = "initialize_gru_weights";
  options.validate();
  if (input_size == 0) throw ValueError(where, "input_size >= 1", "0");
  if (options.input_size() != 0 && options.input_size() != input_size) {
    throw ValueError(where, "input_size " + std::to_string(options.input_size()) + " (options)",
                     std::to_string(input_size));
  }
  const std::size_t units = options.units();
  const PresetInitializers specs = options.initializers();
  GruWeights weights;
  weights.kernel = scaled(initialize(specs.kernel, {input_size, 3 * units}, dtype, random),
                          options.weight_scaling());
  weights.recurrent_kernel =
      scaled(initialize(specs.recurrent_kernel, {units, 3 * units}, dtype, random),
             options.weight_scaling());
  if (options.use_bias()) {
    weights.bias = initialize(specs.bias, {3 * units}, dtype, random);
    if (has_recurrent_bias(options.reset_gate_mode()))
      weights.recurrent_bias = initialize(specs.bias, {3 * units}, dtype, random);
  }
  return weights;
}

GruWeights initialize_gru_weights(const GruOptions& options, std::size_t input_size, DType dtype) {
  if (!options.seed()) return initialize_gru_weights(options, input_size, dtype, default_random());
  Random random(*options.seed());
  return initialize_gru_weights(options, input_size, dtype, random);
}

}  // namespace grutape
