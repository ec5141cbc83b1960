#pragma once
// Adamax (Adam with the infinity norm), as PyTorch's Adamax, with Keras' defaults.

#include "core/option_arg.hpp"
#include "optim/optimizers/optimizer.hpp"

namespace grutape {

struct AdamaxOptions {
  /// Global learning rate, >= 0; default 1e-3.
  GRUTAPE_ARG_DEFAULT(double, learning_rate, 1e-3);
  /// Decay of the first moment, in [0, 1); default 0.9.
  GRUTAPE_ARG_DEFAULT(double, beta1, 0.9);
  /// Decay of the infinity norm, in [0, 1); default 0.999.
  GRUTAPE_ARG_DEFAULT(double, beta2, 0.999);
  /// Added to |g| in the infinity norm, >= 0; default 1e-7.
  GRUTAPE_ARG_DEFAULT(double, epsilon, 1e-7);
  /// Coupled L2 coefficient added to the gradient (x each parameter's l2 factor); default 0.
  GRUTAPE_ARG_DEFAULT(double, l2_regularization, 0.0);

 public:
  /// The fields as configs name them (core/fields.hpp).
  template <class Self, class Visit>
  static void fields(Self& self, Visit&& visit) {
    visit("learning_rate", self.learning_rate_, ranges::non_negative);
    visit_moment_fields(visit, self.beta1_, self.beta2_, self.epsilon_);
    visit("l2_regularization", self.l2_regularization_, ranges::non_negative);
  }
};

class Adamax : public OptimizerWith<AdamaxOptions> {
 public:
  /// A ValueError carrying the bad value for an option out of the ranges above.
  explicit Adamax(AdamaxOptions options = {});

 protected:
  void update(Tensor& parameter, const Tensor& grad, ParamState& state,
              const UpdateBlocks& blocks) override;
  std::vector<std::string> slot_names() const override { return {"m", "u"}; }
};

}  // namespace grutape
