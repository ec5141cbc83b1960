#pragma once
// Gradient clipping before an optimizer step (Keras' clipvalue / clipnorm / global_clipnorm,
// MATLAB's absolute-value / l2norm / global-l2norm thresholds).
//
// Each function replaces the gradients of `parameters` (a parameter without a gradient is
// skipped) with new tensors; the old gradient tensors are not written. Norms are summed in double
// in a fixed order, so the result does not depend on the thread count.

#include <vector>

#include "autodiff/value.hpp"

namespace grutape {

/// g <- clip(g, -limit, limit) elementwise; a ValueError carrying `limit` unless it is > 0.
void clip_by_value(const std::vector<Value>& parameters, double limit);

/// Per tensor: g <- g * max_norm / ||g|| where ||g|| > max_norm. Returns each ||g|| before
/// clipping (0 for a parameter without gradient); a ValueError carrying `max_norm` unless > 0.
std::vector<double> clip_by_norm(const std::vector<Value>& parameters, double max_norm);

/// All together: with N = sqrt(sum over every gradient of ||g||^2), g <- g * max_norm / N for
/// every g when N > max_norm. Returns N before clipping (a NaN N leaves the gradients alone);
/// a ValueError carrying `max_norm` unless > 0.
double clip_by_global_norm(const std::vector<Value>& parameters, double max_norm);

}  // namespace grutape
