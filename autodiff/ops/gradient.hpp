#pragma once
// Ops that change how gradients flow without changing values: the gradient scale behind a layer's
// `lda coeff` flag (gradient reversal for domain adaptation when negative) and stop_gradient.

#include "autodiff/value.hpp"

namespace grutape {

/// x itself; backward multiplies the gradient by `c` (0 passes exact zeros, so no NaN or inf
/// comes through; a negative c reverses it). A ValueError when c is not finite.
Value gradient_scale(const Value& x, double c);

/// The value of x as a new leaf that requires no gradient: nothing flows back into x through it.
Value stop_gradient(const Value& x);

}  // namespace grutape
