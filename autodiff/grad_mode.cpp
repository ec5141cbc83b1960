#include "autodiff/grad_mode.hpp"

namespace grutape {
namespace {
thread_local bool grad_mode_enabled = true;
}

bool grad_enabled() {
  return grad_mode_enabled;
}

NoGradScope::NoGradScope() : previous_(grad_mode_enabled) {
  grad_mode_enabled = false;
}

NoGradScope::~NoGradScope() {
  grad_mode_enabled = previous_;
}

}  // namespace grutape
