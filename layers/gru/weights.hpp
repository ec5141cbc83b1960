#pragma once
// The GRU's weights in the internal layout (gate blocks as in layers/gru/gates.hpp):
//   kernel            W  (input, 3 * units)
//   recurrent_kernel  U  (units, 3 * units)
//   bias              b  (3 * units), when use_bias
//   recurrent_bias    rb (3 * units), when use_bias and the mode is
//                        recurrent_bias_after_multiplication
// An absent tensor is an undefined Tensor.

#include <cstddef>

#include "core/random.hpp"
#include "core/tensor.hpp"
#include "layers/gru/options.hpp"

namespace grutape {

struct GruWeights {
  /// W (input, 3 * units).
  Tensor kernel;
  /// U (units, 3 * units).
  Tensor recurrent_kernel;
  /// b (3 * units), or undefined without use_bias.
  Tensor bias;
  /// rb (3 * units), or undefined unless use_bias and recurrent_bias_after_multiplication.
  Tensor recurrent_bias;
};

/// The input size the weights are for: the kernel's first extent (a ShapeError naming `where`
/// when the kernel is undefined or not a matrix).
std::size_t gru_input_size(const GruWeights& weights, const std::string& where);

/// A ShapeError or ValueError naming `where` unless `weights` fit `options`: the shapes above,
/// one dtype, the bias and recurrent bias present exactly when the options call for them, and
/// the kernel's input extent equal to options.input_size() when that is given (not 0).
void check_gru_weights(const GruWeights& weights, const GruOptions& options,
                       const std::string& where);

/// New weights for `input_size` inputs drawn as options.initializers() say (the bias
/// initializer draws the bias, then the recurrent bias), the kernel and recurrent kernel
/// multiplied by options.weight_scaling(). Draws from `random` in the order kernel, recurrent
/// kernel, bias, recurrent bias. Validates the options; a ValueError when input_size is 0 or
/// differs from a given options.input_size().
GruWeights initialize_gru_weights(const GruOptions& options, std::size_t input_size, DType dtype,
                                  Random& random);

/// The same drawing from Random(seed) when options.seed() is set, else from default_random().
GruWeights initialize_gru_weights(const GruOptions& options, std::size_t input_size,
                                  DType dtype = DType::float32);

}  // namespace grutape
