#pragma once
// The fused GRU engine behind the layer: the levels of a GRU call, each one node of the fused
// kernel (layers/gru/fused/node.hpp), with the same arguments, checks and results as the composite
// engine (layers/gru/composite/engine.hpp), which is its reference.
//
// Level 1 reads the input in the options' direction; its sequence output is in reading order, so
// level k + 1 reads level k's sequence forwards, with the mask turned into reading order too.
// Dropout masks (3, batch, features) reach the kernel gate by gate. The kernel's numbers do not
// depend on `implementation` or `unroll` (it always projects the input of every step and gate
// with one product and keeps its own loop), which leave the results of the composite engine
// unchanged too.

#include <string>
#include <vector>

#include "autodiff/value.hpp"
#include "layers/gru/call.hpp"
#include "layers/gru/inputs.hpp"
#include "layers/gru/options.hpp"

namespace grutape {

/// run_gru_composite's contract (same arguments, same checks and messages, same results up to
/// rounding) on the fused kernel: one tape node per level.
GruResult run_gru_fused(const GruOptions& options, const std::vector<GruLevelWeights>& levels,
                        const Value& x, const GruInputs& inputs, const std::string& where = "gru");

}  // namespace grutape
