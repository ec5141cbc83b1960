#pragma once
// Nadam (Adam with Nesterov momentum and the momentum-decay schedule of Dozat), as PyTorch's
// NAdam, with Keras' defaults.

#include "core/option_arg.hpp"
#include "optim/optimizers/optimizer.hpp"

namespace grutape {

struct NadamOptions {
  /// Global learning rate, >= 0; default 1e-3.
  GRUTAPE_ARG_DEFAULT(double, learning_rate, 1e-3);
  /// Decay of the first moment, in [0, 1); default 0.9.
  GRUTAPE_ARG_DEFAULT(double, beta1, 0.9);
  /// Decay of the second moment, in [0, 1); default 0.999.
  GRUTAPE_ARG_DEFAULT(double, beta2, 0.999);
  /// Added to the root of the second moment, >= 0; default 1e-7.
  GRUTAPE_ARG_DEFAULT(double, epsilon, 1e-7);
  /// psi in mu_t = beta1 (1 - 0.5 * 0.96^(t psi)), >= 0; default 0.004.
  GRUTAPE_ARG_DEFAULT(double, momentum_decay, 0.004);
  /// Coupled L2 coefficient added to the gradient (x each parameter's l2 factor); default 0.
  GRUTAPE_ARG_DEFAULT(double, l2_regularization, 0.0);

 public:
  /// The fields as configs name them (core/fields.hpp).
  template <class Self, class Visit>
  static void fields(Self& self, Visit&& visit) {
    visit("learning_rate", self.learning_rate_, ranges::non_negative);
    visit_moment_fields(visit, self.beta1_, self.beta2_, self.epsilon_);
    visit("momentum_decay", self.momentum_decay_, ranges::non_negative);
    visit("l2_regularization", self.l2_regularization_, ranges::non_negative);
  }
};

class Nadam : public OptimizerWith<NadamOptions> {
 public:
  /// A ValueError carrying the bad value for an option out of the ranges above.
  explicit Nadam(NadamOptions options = {});

 protected:
  void update(Tensor& parameter, const Tensor& grad, ParamState& state,
              const UpdateBlocks& blocks) override;
  std::vector<std::string> slot_names() const override { return {"m", "v"}; }
  std::vector<std::string> scalar_names() const override { return {"mu_product"}; }
};

}  // namespace grutape
