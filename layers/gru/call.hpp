#pragma once
// What every GRU engine does before it computes: the checks of a call's input, weights, initial
// states, dropout masks and mask, with the messages the layer documents, and the defaults they
// leave (zero initial states, the mask from lengths). Shared by the composite engine
// (layers/gru/composite/engine.hpp) and the fused one (layers/gru/fused/engine.hpp), so that both
// accept and refuse exactly the same calls with the same words.

#include <string>
#include <vector>

#include "autodiff/value.hpp"
#include "layers/gru/inputs.hpp"
#include "layers/gru/options.hpp"

namespace grutape {

/// One level's weights as values, in the internal layout of layers/gru/weights.hpp: the layer's
/// parameters, or any values (the gradient checks differentiate with respect to them).
struct GruLevelWeights {
  /// W (features, 3 * units); level k >= 2 reads units features.
  Value kernel;
  /// U (units, 3 * units).
  Value recurrent_kernel;
  /// b (3 * units), or undefined without use_bias.
  Value bias;
  /// rb (3 * units), or undefined unless use_bias and recurrent_bias_after_multiplication.
  Value recurrent_bias;
};

/// A ShapeError naming `where`, "expected input of rank 3 (batch, timesteps, features), got shape
/// (4, 7)", unless `shape` has rank 3.
void require_gru_input_rank(const Shape& shape, const std::string& where);

/// A call after the checks: its extents and the operands with their defaults filled in.
struct GruCall {
  std::size_t batch = 0, steps = 0, features = 0;
  /// The input's dtype, which every operand has.
  DType dtype = DType::float32;
  /// One (batch, units) state per level: the given ones, else zeros.
  std::vector<Value> initial_states;
  /// (batch, steps) of 0 and 1 in `dtype`, from the mask or the lengths; undefined: none.
  Tensor mask;
};

/// Checks a call of the GRU of `options` on x with `levels` (one per level) and `inputs`: every
/// bad argument is a ShapeError or ValueError whose message starts with `where` (the layer's
/// name, ": level k" for a level of a deep layer) and names what was expected and what came.
/// check_nan looks at the input and the initial states.
GruCall check_gru_call(const GruOptions& options, const std::vector<GruLevelWeights>& levels,
                       const Value& x, const GruInputs& inputs, const std::string& where);

/// `where` for level `level` (0-based) of a layer of `depth` levels: "where: level k" when deep.
std::string gru_level_where(const std::string& where, std::size_t level, std::size_t depth);

}  // namespace grutape
