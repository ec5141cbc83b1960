#pragma once
// Variational dropout masks of the GRU (layers/gru/inputs.hpp): drawn once per call, one per sample
// and gate, fixed over the time steps.

#include <string>

#include "core/random.hpp"
#include "layers/gru/inputs.hpp"

namespace grutape {

/// The masks of one level whose input has `features` features: each element kept with
/// probability 1 - rate (then 1 / (1 - rate), so that the expected value is unchanged), else 0.
/// A mask is undefined where its rate is 0. Draws the input mask first, then the recurrent one.
GruDropoutMasks draw_gru_dropout_masks(double rate, double recurrent_rate, std::size_t batch,
                                       std::size_t features, std::size_t units, DType dtype,
                                       Random& random);

/// A ShapeError or ValueError naming `where` unless each defined mask has the shape above
/// ((3, batch, features) and (3, batch, units)) and `dtype`.
void check_gru_dropout_masks(const GruDropoutMasks& masks, std::size_t batch, std::size_t features,
                             std::size_t units, DType dtype, const std::string& where);

}  // namespace grutape
