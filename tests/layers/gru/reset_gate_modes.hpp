#pragma once
// The GRU's reset-gate modes, for the suites that check a property under each of them.

#include "layers/gru/options.hpp"

namespace grutape::testing {

/// Every ResetGateMode.
inline constexpr ResetGateMode kResetGateModes[] = {
    ResetGateMode::before_multiplication, ResetGateMode::after_multiplication,
    ResetGateMode::recurrent_bias_after_multiplication};

}  // namespace grutape::testing
