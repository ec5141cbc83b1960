#pragma once
// Adadelta, as PyTorch's Adadelta, with Keras' defaults (learning rate 1e-3, rho 0.95).

#include "core/option_arg.hpp"
#include "optim/optimizers/optimizer.hpp"

namespace grutape {

struct AdadeltaOptions {
  /// Global learning rate scaling the delta, >= 0; default 1e-3 (Keras; PyTorch uses 1).
  GRUTAPE_ARG_DEFAULT(double, learning_rate, 1e-3);
  /// Decay of both running averages, in [0, 1); default 0.95.
  GRUTAPE_ARG_DEFAULT(double, rho, 0.95);
  /// Added inside both roots, > 0 (with 0 the first delta, and so every delta, is 0); default
  /// 1e-7.
  GRUTAPE_ARG_DEFAULT(double, epsilon, 1e-7);
  /// Coupled L2 coefficient added to the gradient (x each parameter's l2 factor); default 0.
  GRUTAPE_ARG_DEFAULT(double, l2_regularization, 0.0);

 public:
  /// The fields as configs name them (core/fields.hpp).
  template <class Self, class Visit>
  static void fields(Self& self, Visit&& visit) {
    visit("learning_rate", self.learning_rate_, ranges::non_negative);
    visit("rho", self.rho_, ranges::unit_open);
    visit("epsilon", self.epsilon_, ranges::positive);
    visit("l2_regularization", self.l2_regularization_, ranges::non_negative);
  }
};

class Adadelta : public OptimizerWith<AdadeltaOptions> {
 public:
  /// A ValueError carrying the bad value for an option out of the ranges above.
  explicit Adadelta(AdadeltaOptions options = {});

 protected:
  void update(Tensor& parameter, const Tensor& grad, ParamState& state,
              const UpdateBlocks& blocks) override;
  std::vector<std::string> slot_names() const override { return {"v", "u"}; }
};

}  // namespace grutape
