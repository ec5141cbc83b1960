#pragma once
// The GRU engines the end-to-end learning tests train with: each test runs once per entry, with
// the same thresholds for both.

#include <vector>

#include "layers/gru/options.hpp"

namespace grutape::testing {

inline const std::vector<GruEngine>& e2e_engines() {
  static const std::vector<GruEngine> engines = {GruEngine::composite, GruEngine::fused};
  return engines;
}

}  // namespace grutape::testing
