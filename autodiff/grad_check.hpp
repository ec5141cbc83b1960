#pragma once
// The public gradient checker: float64 central differences against the tape's backward, for
// library ops and for users' own ops and layers.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "autodiff/value.hpp"

namespace grutape {

struct GradCheckOptions {
  /// Central-difference step h; default 1e-6.
  double step = 1e-6;
  /// Largest accepted error |analytic - numeric| / max(1, |analytic|, |numeric|); default 1e-7.
  double tolerance = 1e-7;
  /// Seeds the random weights w of the checked loss sum(w * f(x)); default 7.
  std::uint64_t seed = 7;
};

struct GradCheckResult {
  bool passed = true;
  /// The worst error and where it was: input index, element (row-major) and both derivatives.
  double max_error = 0;
  std::size_t input = 0;
  std::size_t element = 0;
  double analytic = 0;
  double numeric = 0;
  /// "worst error 3.1e-10 at input 1, element 4: analytic 0.25, numeric 0.25000000003"
  std::string report() const;
};

/// Checks d(sum(w * f(x)))/dx for every element of every input. Inputs must be float64 (a
/// ValueError otherwise); f must be deterministic.
GradCheckResult check_gradients(const std::function<Value(const std::vector<Value>&)>& f,
                                const std::vector<Tensor>& inputs,
                                const GradCheckOptions& options = {});

}  // namespace grutape
