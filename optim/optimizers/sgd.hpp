#pragma once
// Stochastic gradient descent with optional momentum (heavy ball or Nesterov), as PyTorch's SGD.

#include "core/option_arg.hpp"
#include "optim/optimizers/optimizer.hpp"

namespace grutape {

struct SgdOptions {
  /// Global learning rate, >= 0; default 0.01 (Keras).
  GRUTAPE_ARG_DEFAULT(double, learning_rate, 0.01);
  /// Momentum coefficient mu >= 0; default 0 (plain gradient descent).
  GRUTAPE_ARG_DEFAULT(double, momentum, 0.0);
  /// Dampening of the gradient in the momentum buffer, in [0, 1]; default 0.
  GRUTAPE_ARG_DEFAULT(double, dampening, 0.0);
  /// Nesterov momentum (needs momentum > 0 and dampening 0); default false.
  GRUTAPE_ARG_DEFAULT(bool, nesterov, false);
  /// Coupled L2 coefficient added to the gradient (x each parameter's l2 factor); default 0.
  GRUTAPE_ARG_DEFAULT(double, l2_regularization, 0.0);

 public:
  /// The fields as configs name them (core/fields.hpp).
  template <class Self, class Visit>
  static void fields(Self& self, Visit&& visit) {
    visit("learning_rate", self.learning_rate_, ranges::non_negative);
    visit("momentum", self.momentum_, ranges::non_negative);
    visit("dampening", self.dampening_, ranges::unit_closed);
    visit("nesterov", self.nesterov_);
    visit("l2_regularization", self.l2_regularization_, ranges::non_negative);
  }
};

class Sgd : public OptimizerWith<SgdOptions> {
 public:
  /// A ValueError carrying the bad value for an option out of the ranges above.
  explicit Sgd(SgdOptions options = {});

 protected:
  void update(Tensor& parameter, const Tensor& grad, ParamState& state,
              const UpdateBlocks& blocks) override;
  std::vector<std::string> slot_names() const override;
};

}  // namespace grutape
