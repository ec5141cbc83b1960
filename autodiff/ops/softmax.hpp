#pragma once
// Softmax and log-softmax along one axis. Both subtract the maximum along the axis first, so any
// finite input gives a finite result; the reductions run in a fixed order, so results are bitwise
// the same for any thread count.

#include "autodiff/value.hpp"

namespace grutape {

/// e^x / sum(e^x) along `axis` (negative counts from the last); a ShapeError for an axis out of
/// range. An empty axis gives an empty result.
Value softmax(const Value& x, long axis = -1);

/// x - ln(sum(e^x)) along `axis`, the logarithm of softmax without its underflow.
Value log_softmax(const Value& x, long axis = -1);

}  // namespace grutape
