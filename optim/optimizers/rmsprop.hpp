#pragma once
// RMSProp, plain or centered, with optional momentum, as PyTorch's RMSprop, with Keras' defaults.

#include "core/option_arg.hpp"
#include "optim/optimizers/optimizer.hpp"

namespace grutape {

struct RmspropOptions {
  /// Global learning rate, >= 0; default 1e-3.
  GRUTAPE_ARG_DEFAULT(double, learning_rate, 1e-3);
  /// Decay of the mean square (PyTorch's alpha), in [0, 1); default 0.9.
  GRUTAPE_ARG_DEFAULT(double, rho, 0.9);
  /// Momentum coefficient >= 0 of the scaled step; default 0.
  GRUTAPE_ARG_DEFAULT(double, momentum, 0.0);
  /// Added to the root of the mean square, >= 0; default 1e-7.
  GRUTAPE_ARG_DEFAULT(double, epsilon, 1e-7);
  /// Divide by the variance estimate E[g^2] - E[g]^2 instead of E[g^2]; default false.
  GRUTAPE_ARG_DEFAULT(bool, centered, false);
  /// Coupled L2 coefficient added to the gradient (x each parameter's l2 factor); default 0.
  GRUTAPE_ARG_DEFAULT(double, l2_regularization, 0.0);

 public:
  /// The fields as configs name them (core/fields.hpp).
  template <class Self, class Visit>
  static void fields(Self& self, Visit&& visit) {
    visit("learning_rate", self.learning_rate_, ranges::non_negative);
    visit("rho", self.rho_, ranges::unit_open);
    visit("momentum", self.momentum_, ranges::non_negative);
    visit("epsilon", self.epsilon_, ranges::non_negative);
    visit("centered", self.centered_);
    visit("l2_regularization", self.l2_regularization_, ranges::non_negative);
  }
};

class Rmsprop : public OptimizerWith<RmspropOptions> {
 public:
  /// A ValueError carrying the bad value for an option out of the ranges above.
  explicit Rmsprop(RmspropOptions options = {});

 protected:
  void update(Tensor& parameter, const Tensor& grad, ParamState& state,
              const UpdateBlocks& blocks) override;
  std::vector<std::string> slot_names() const override;
};

}  // namespace grutape
