#pragma once
// What a GRU call takes besides its input sequence, and what it returns: the values behind the
// graph ports "in", "hidden" -> "out", "hidden". Shared by the layer (gru.hpp) and the engines.

#include <cstddef>
#include <vector>

#include "autodiff/value.hpp"

namespace grutape {

/// Where the padding lies in a batch described by lengths: right padding puts the `length`
/// valid steps of a sample first, left padding last.
enum class GruPadding { right, left };

/// The variational dropout masks of one level (Gal and Ghahramani): one mask per sample and gate,
/// the same at every time step, holding 0 (dropped) or 1 / (1 - rate) (kept, inverted scaling).
/// Gate blocks in the order of layers/gru/gates.hpp.
struct GruDropoutMasks {
  /// (3, batch, features of the level's input), or undefined: no input dropout.
  Tensor input;
  /// (3, batch, units), or undefined: no recurrent dropout.
  Tensor recurrent;
};

struct GruInputs {
  /// One (batch, units) initial state per level; empty: the layer's default (the carried state
  /// of a stateful layer, else the stored initial state, else zeros).
  std::vector<Value> initial_states;
  /// (batch, timesteps) of 0 and 1, 1 where the step is valid; undefined: every step is valid.
  /// A masked step carries the state unchanged and outputs the carried state.
  Tensor mask;
  /// The valid steps of each sample, instead of a mask; empty: none given.
  std::vector<std::size_t> lengths;
  /// Where the padding of `lengths` lies; default right.
  GruPadding padding = GruPadding::right;
  /// One entry per level to use instead of drawn masks (fixed masks, e.g. for gradient checks);
  /// empty: the layer draws them when training with a dropout rate above 0.
  std::vector<GruDropoutMasks> dropout_masks;
};

struct GruResult {
  /// (batch, timesteps, units) in reading order with return_sequences, else (batch, units).
  Value output;
  /// The final state of each level, (batch, units).
  std::vector<Value> states;
  /// Whether `outputs()` lists the states (the return_state option).
  bool return_state = false;

  /// Keras' output list: {output}, or {output, state of each level} with return_state.
  std::vector<Value> outputs() const {
    std::vector<Value> list{output};
    if (return_state) list.insert(list.end(), states.begin(), states.end());
    return list;
  }
};

}  // namespace grutape
