#pragma once
// The GRU engines the end-to-end learning tests train with. Each test runs once per entry; when
// the fused engine is available, adding GruEngine::fused here runs every e2e test with it too.

#include <vector>

#include "layers/gru_options.hpp"

namespace grutape::testing {

inline const std::vector<GruEngine>& e2e_engines() {
  static const std::vector<GruEngine> engines = {GruEngine::composite};
  return engines;
}

}  // namespace grutape::testing
