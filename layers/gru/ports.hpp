#pragma once
// The GRU's graph ports, as MATLAB names them: inputs "in" (the sequence) and "hidden" (the
// initial states), outputs "out" (the layer's output) and "hidden" (the final states).
//
// A "hidden" value is the (batch, units) state at depth 1. A deep GRU (depth > 1) has one state
// per level, and its "hidden" value stacks them as (depth, batch, units), level 1 first, the
// layout of PyTorch's h_n: an encoder's final "hidden" feeds a decoder of the same depth and
// units directly, and select(hidden, 0, depth - 1) is the top level's state.

#include <string>
#include <vector>

#include "autodiff/value.hpp"

namespace grutape {

/// The "hidden" port value of one state per level (see above).
Value gru_hidden_from_states(const std::vector<Value>& states);

/// One (batch, units) state per level of a `depth` GRU from a "hidden" port value; a ShapeError
/// naming `where` for a value of rank other than 2 (depth 1) or 3 with leading extent `depth`.
/// The states' extents are checked by the GRU's call.
std::vector<Value> gru_states_from_hidden(const Value& hidden, std::size_t depth,
                                          const std::string& where);

/// `x` (batch, timesteps, ...) with its time axis reversed: step t holds x's step T - 1 - t.
Value reverse_time(const Value& x);

}  // namespace grutape
