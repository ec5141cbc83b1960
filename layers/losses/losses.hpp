#pragma once
// Losses with Keras' definitions, composed of primitive ops only: no backward of their own, so
// their gradients are right by construction.
//
// Each takes the targets y_true (a constant tensor, converted to the predictions' dtype) and the
// predictions y_pred, and reduces the last axis (features or classes) to one loss per sample,
// (batch), or per time step, (batch, timesteps). Predictions of rank 1 are read as (batch, 1).
// Then, as LossArgs says:
//   sample_weight  multiplies the losses: per sample (batch) or per step (batch, timesteps)
//   mask           (batch, timesteps), nonzero = valid: masked steps contribute nothing (their
//                  loss is replaced by 0, so even a NaN there does not leak in)
//   reduction      mean: the sum of the weighted losses over the number of valid entries (all
//                  entries without a mask), Keras' sum_over_batch_size: weights do not divide,
//                  and no valid entry gives 0; sum: their sum; none: the weighted losses.

#include <string>
#include <vector>

#include "autodiff/value.hpp"
#include "core/enum_names.hpp"
#include "core/option_arg.hpp"

namespace grutape {

enum class Reduction { mean, sum, none };

template <>
struct EnumNames<Reduction> {
  static constexpr NamedValue<Reduction> values[] = {
      {Reduction::mean, "mean"}, {Reduction::sum, "sum"}, {Reduction::none, "none"}};
};

/// "mean", "sum", "none".
const char* reduction_name(Reduction reduction);
/// The inverse of reduction_name; a ValueError names the unknown string.
Reduction reduction_from_name(const std::string& name);

/// Weighting and reduction of a loss (see above).
class LossArgs {
 public:
  /// How the per-sample losses combine; default mean.
  GRUTAPE_ARG_DEFAULT(Reduction, reduction, Reduction::mean);
  /// Weights per sample (batch) or per step (batch, timesteps); default none (all 1).
  GRUTAPE_ARG(Tensor, sample_weight);
  /// Valid steps (batch, timesteps), nonzero = valid; default none (all valid).
  GRUTAPE_ARG(Tensor, mask);
};

/// Keras' epsilon: probabilities are clipped to [eps, 1 - eps] before their logarithm.
constexpr double kProbabilityEpsilon = 1e-7;

namespace losses {

/// mean((y_pred - y_true)^2) over the last axis.
Value mean_squared_error(const Tensor& y_true, const Value& y_pred, const LossArgs& args = {});

/// mean(|y_pred - y_true|) over the last axis.
Value mean_absolute_error(const Tensor& y_true, const Value& y_pred, const LossArgs& args = {});

/// mean over the last axis of 0.5 e^2 where |e| <= delta, delta (|e| - 0.5 delta) elsewhere, with
/// e = y_pred - y_true; a ValueError unless delta is finite and > 0.
Value huber(const Tensor& y_true, const Value& y_pred, double delta = 1.0,
            const LossArgs& args = {});

/// mean over the last axis of -(y ln p + (1 - y) ln(1 - p)), p clipped to [eps, 1 - eps]; from
/// logits x it is the stable softplus(x) - x y, the same value without the clipping.
Value binary_crossentropy(const Tensor& y_true, const Value& y_pred, bool from_logits = false,
                          const LossArgs& args = {});

/// -sum(y ln p) over the last (class) axis, y one-hot or soft targets: from logits with p =
/// softmax(x) through log_softmax; from probabilities p normalised to sum 1 over the classes and
/// clipped to [eps, 1 - eps], as Keras does. Predictions of rank >= 2.
Value categorical_crossentropy(const Tensor& y_true, const Value& y_pred, bool from_logits = false,
                               const LossArgs& args = {});

/// categorical_crossentropy with the targets as class ids: y_true of the predictions' shape
/// without the class axis (or with it of extent 1), holding whole numbers in [0, classes). A
/// ValueError names the first other id and its position.
Value sparse_categorical_crossentropy(const Tensor& y_true, const Value& y_pred,
                                      bool from_logits = false, const LossArgs& args = {});

/// The weighting and reduction above applied to losses of shape (batch) or (batch, timesteps),
/// for users' own losses; `where` names the caller in errors.
Value reduce_loss(const Value& per_sample, const LossArgs& args, const std::string& where);

}  // namespace losses
}  // namespace grutape
