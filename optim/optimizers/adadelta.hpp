#pragma once
// Adadelta, as PyTorch's Adadelta, with Keras' defaults (learning rate 1e-3, rho 0.95).

#include "core/option_arg.hpp"
#include "optim/optimizers/optimizer.hpp"

namespace grutape {

struct AdadeltaOptions {
  /// Global learning rate scaling the delta; default 1e-3 (Keras; PyTorch uses 1).
  GRUTAPE_ARG_DEFAULT(double, learning_rate, 1e-3);
  /// Decay of both running averages, in [0, 1); default 0.95.
  GRUTAPE_ARG_DEFAULT(double, rho, 0.95);
  /// Added inside both roots, > 0; default 1e-7.
  GRUTAPE_ARG_DEFAULT(double, epsilon, 1e-7);
  /// Coupled L2 coefficient added to the gradient (x each parameter's l2 factor); default 0.
  GRUTAPE_ARG_DEFAULT(double, l2_regularization, 0.0);
};

class Adadelta : public Optimizer {
 public:
  /// A ValueError carrying the bad value for an option out of the ranges above.
  explicit Adadelta(AdadeltaOptions options = {});
  const AdadeltaOptions& options() const { return options_; }

 protected:
  void update(Tensor& parameter, const Tensor& grad, ParamState& state,
              const UpdateBlocks& blocks) override;
  nlohmann::json options_json() const override;
  std::vector<std::string> slot_names() const override { return {"v", "u"}; }

 private:
  AdadeltaOptions options_;
};

}  // namespace grutape
