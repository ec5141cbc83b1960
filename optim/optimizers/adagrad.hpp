#pragma once
// Adagrad, as PyTorch's Adagrad, with Keras' defaults (initial accumulator 0.1).

#include "core/option_arg.hpp"
#include "optim/optimizers/optimizer.hpp"

namespace grutape {

struct AdagradOptions {
  /// Global learning rate, >= 0; default 1e-3.
  GRUTAPE_ARG_DEFAULT(double, learning_rate, 1e-3);
  /// Starting value of the sum of squared gradients, >= 0; default 0.1 (Keras; PyTorch uses 0).
  GRUTAPE_ARG_DEFAULT(double, initial_accumulator_value, 0.1);
  /// Added to the root of the sum, >= 0; default 1e-7.
  GRUTAPE_ARG_DEFAULT(double, epsilon, 1e-7);
  /// Coupled L2 coefficient added to the gradient (x each parameter's l2 factor); default 0.
  GRUTAPE_ARG_DEFAULT(double, l2_regularization, 0.0);

 public:
  /// The fields as configs name them (core/fields.hpp).
  template <class Self, class Visit>
  static void fields(Self& self, Visit&& visit) {
    visit("learning_rate", self.learning_rate_, ranges::non_negative);
    visit("initial_accumulator_value", self.initial_accumulator_value_, ranges::non_negative);
    visit("epsilon", self.epsilon_, ranges::non_negative);
    visit("l2_regularization", self.l2_regularization_, ranges::non_negative);
  }
};

class Adagrad : public OptimizerWith<AdagradOptions> {
 public:
  /// A ValueError carrying the bad value for an option out of the ranges above.
  explicit Adagrad(AdagradOptions options = {});

 protected:
  void update(Tensor& parameter, const Tensor& grad, ParamState& state,
              const UpdateBlocks& blocks) override;
  std::vector<std::string> slot_names() const override { return {"sum"}; }
};

}  // namespace grutape
