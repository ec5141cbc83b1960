#pragma once
// Whether ops record on the tape. Inside a NoGradScope nothing is recorded: inference keeps no
// saved tensors, only the results.

namespace grutape {

/// True unless a NoGradScope is active in this thread.
bool grad_enabled();

/// Records nothing while it lives (nests; restores the previous mode).
class NoGradScope {
 public:
  NoGradScope();
  ~NoGradScope();
  NoGradScope(const NoGradScope&) = delete;
  NoGradScope& operator=(const NoGradScope&) = delete;

 private:
  bool previous_;
};

}  // namespace grutape
