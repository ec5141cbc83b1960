#pragma once
// The composite GRU engine: the whole layer (levels, masks, dropout, direction) written from
// primitive ops on the tape, with the step in layers/gru/composite/cell.hpp. It has no backward of
// its own: the tape differentiates it, which makes it the reference for every other engine.
//
// The work is arranged so that few ops touch large blocks. The input (batch, timesteps, features)
// is permuted once to time-major rows (timesteps * batch, features). The input projection x W + b
// of every step is then one matmul (implementation 2) or one per gate (implementation 1, and
// whenever input dropout gives each gate its own masked input), and one split cuts it into the
// steps' (batch, 2u) and (batch, u) blocks. Level k + 1 reads level k's states, joined along the
// same rows in reading order. A step where no sample is valid is skipped (the state carries); a
// step where some are runs one `where` op.
//
// With go_backwards the first level reads time steps - 1 first; every level and the returned
// sequence are in that reading order (Keras). Options `unroll` and `engine` play no part here:
// the tape already holds every step, and this is the composite engine.

#include <string>
#include <vector>

#include "autodiff/value.hpp"
#include "layers/gru/call.hpp"
#include "layers/gru/inputs.hpp"
#include "layers/gru/options.hpp"

namespace grutape {

/// The GRU of `options` over x (batch, timesteps, features) with one GruLevelWeights per level
/// (options.depth()). Of `inputs`: no initial states means zeros; no dropout masks means no
/// dropout (the options' rates are the caller's business: it draws the masks when training).
/// return_sequences, return_state, go_backwards, implementation, the activations, the reset gate
/// mode and check_nan come from `options`. The arguments are checked by check_gru_call
/// (layers/gru/call.hpp).
GruResult run_gru_composite(const GruOptions& options, const std::vector<GruLevelWeights>& levels,
                            const Value& x, const GruInputs& inputs,
                            const std::string& where = "gru");

}  // namespace grutape
