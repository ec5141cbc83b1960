#pragma once
// Adam (coupled L2) and AdamW (decoupled weight decay), as PyTorch's Adam and AdamW, with Keras'
// defaults (epsilon 1e-7, AdamW weight decay 0.004). The two share one update kernel.

#include "core/option_arg.hpp"
#include "optim/optimizers/optimizer.hpp"

namespace grutape {

struct AdamOptions {
  /// Global learning rate, >= 0; default 1e-3.
  GRUTAPE_ARG_DEFAULT(double, learning_rate, 1e-3);
  /// Decay of the first moment, in [0, 1); default 0.9.
  GRUTAPE_ARG_DEFAULT(double, beta1, 0.9);
  /// Decay of the second moment, in [0, 1); default 0.999.
  GRUTAPE_ARG_DEFAULT(double, beta2, 0.999);
  /// Added to the root of the second moment, >= 0; default 1e-7 (Keras; PyTorch uses 1e-8).
  GRUTAPE_ARG_DEFAULT(double, epsilon, 1e-7);
  /// Divide by the running maximum of the second moment (AMSGrad); default false.
  GRUTAPE_ARG_DEFAULT(bool, amsgrad, false);
  /// Coupled L2 coefficient added to the gradient (x each parameter's l2 factor); default 0.
  GRUTAPE_ARG_DEFAULT(double, l2_regularization, 0.0);

 public:
  /// The fields as configs name them (core/fields.hpp).
  template <class Self, class Visit>
  static void fields(Self& self, Visit&& visit) {
    visit("learning_rate", self.learning_rate_, ranges::non_negative);
    visit_moment_fields(visit, self.beta1_, self.beta2_, self.epsilon_);
    visit("amsgrad", self.amsgrad_);
    visit("l2_regularization", self.l2_regularization_, ranges::non_negative);
  }
};

struct AdamWOptions {
  /// Global learning rate, >= 0; default 1e-3.
  GRUTAPE_ARG_DEFAULT(double, learning_rate, 1e-3);
  /// Decoupled weight decay lambda (x each parameter's l2 factor), >= 0; default 0.004 (Keras).
  GRUTAPE_ARG_DEFAULT(double, weight_decay, 0.004);
  /// Decay of the first moment, in [0, 1); default 0.9.
  GRUTAPE_ARG_DEFAULT(double, beta1, 0.9);
  /// Decay of the second moment, in [0, 1); default 0.999.
  GRUTAPE_ARG_DEFAULT(double, beta2, 0.999);
  /// Added to the root of the second moment, >= 0; default 1e-7.
  GRUTAPE_ARG_DEFAULT(double, epsilon, 1e-7);
  /// Divide by the running maximum of the second moment (AMSGrad); default false.
  GRUTAPE_ARG_DEFAULT(bool, amsgrad, false);
  /// Coupled L2 coefficient added to the gradient as in Adam; default 0.
  GRUTAPE_ARG_DEFAULT(double, l2_regularization, 0.0);

 public:
  /// The fields as configs name them (core/fields.hpp).
  template <class Self, class Visit>
  static void fields(Self& self, Visit&& visit) {
    visit("learning_rate", self.learning_rate_, ranges::non_negative);
    visit("weight_decay", self.weight_decay_, ranges::non_negative);
    visit_moment_fields(visit, self.beta1_, self.beta2_, self.epsilon_);
    visit("amsgrad", self.amsgrad_);
    visit("l2_regularization", self.l2_regularization_, ranges::non_negative);
  }
};

/// Adam's update for either options struct; AdamW adds its decoupled weight decay.
template <class Options>
class AdamFamily : public OptimizerWith<Options> {
 protected:
  using OptimizerWith<Options>::OptimizerWith;
  void update(Tensor& parameter, const Tensor& grad, Optimizer::ParamState& state,
              const UpdateBlocks& blocks) override;
  std::vector<std::string> slot_names() const override;
};

// Defined in adam.cpp for the two options structs.
extern template class AdamFamily<AdamOptions>;
extern template class AdamFamily<AdamWOptions>;

class Adam : public AdamFamily<AdamOptions> {
 public:
  /// A ValueError carrying the bad value for an option out of the ranges above.
  explicit Adam(AdamOptions options = {});
};

class AdamW : public AdamFamily<AdamWOptions> {
 public:
  /// A ValueError carrying the bad value for an option out of the ranges above.
  explicit AdamW(AdamWOptions options = {});
};

}  // namespace grutape
