#pragma once
// The fused GRU engine: a whole sequence of one GRU layer as ONE tape node with two outputs (the
// sequence and the final state), forward and backward written by hand and checked against the
// composite engine's equations (layers/gru/options.hpp) and the golden cases. The GRU layer stacks
// these nodes for depth > 1.
//
// Forward: one product x W for the input rows of every step, then per step the recurrent product
// h U and one fused pass over the gates, on threads that split the units and live for the whole
// sequence. Backward: per step a fused gate pass and the recurrent product for dh; dW, dU and dx
// as single large products after the time loop; bias gradients as fixed-order sums. Results are
// bitwise the same for any thread count. Under NoGradScope, or when no input requires a
// gradient, nothing is saved.

#include <array>
#include <string>
#include <vector>

#include "autodiff/value.hpp"
#include "layers/gru/options.hpp"

namespace grutape {

/// The operands of gru_fused, all of one dtype (float32 or float64).
struct GruFusedInputs {
  /// (batch, timesteps, input).
  Value input;
  /// h0 (batch, units); undefined: zeros.
  Value initial_state;
  /// W (input, 3 * units), gate blocks as in layers/gru/gates.hpp.
  Value kernel;
  /// U (units, 3 * units).
  Value recurrent_kernel;
  /// b (3 * units); undefined: no bias.
  Value bias;
  /// rb (3 * units), only with recurrent_bias_after_multiplication; undefined: none.
  Value recurrent_bias;
  /// (batch, timesteps) of 0/1 (any dtype): a step at 0 carries the state and outputs it;
  /// undefined: every step counts. Read in the same order as the input.
  Tensor mask;
  /// Per gate z, r, h: the (batch, input) input dropout mask, already scaled, multiplying x
  /// before that gate's input product; undefined: none for that gate.
  std::array<Tensor, 3> input_dropout;
  /// Per gate: the (batch, units) recurrent dropout mask multiplying h before that gate's
  /// recurrent product (for before_multiplication the candidate's is ((r * h) * mask) U_h).
  std::array<Tensor, 3> recurrent_dropout;
};

/// The cell's settings (the rest of GruOptions belongs to the layer).
struct GruFusedConfig {
  /// Where the reset gate enters the candidate; default recurrent_bias_after_multiplication.
  ResetGateMode reset_gate_mode = ResetGateMode::recurrent_bias_after_multiplication;
  /// State (candidate) activation, one of gru_activation_names(); default "tanh".
  std::string activation = "tanh";
  /// Gate activation of z and r, one of gru_activation_names(); default "sigmoid".
  std::string recurrent_activation = "sigmoid";
  /// Read the input last step first; the outputs are in reading order; default false.
  bool go_backwards = false;
};

/// The settings of `options` that the kernel uses.
GruFusedConfig gru_fused_config(const GruOptions& options);

/// Runs the GRU over the whole input and returns {sequence (batch, timesteps, units) in reading
/// order, final state (batch, units)} as the two outputs of one tape node "gru_fused". A
/// ShapeError or ValueError names the first operand that does not fit.
std::vector<Value> gru_fused(const GruFusedInputs& inputs, const GruFusedConfig& config);

}  // namespace grutape
