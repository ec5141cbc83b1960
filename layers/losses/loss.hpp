#pragma once
// A loss as a configurable object: its name and options, callable like the free functions of
// losses.hpp, and saved in configs as {"name": "huber", "delta": 1, "reduction": "mean"}.

#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "layers/losses/losses.hpp"

namespace grutape {

/// The canonical loss names: mean_squared_error, mean_absolute_error, huber,
/// binary_crossentropy, categorical_crossentropy, sparse_categorical_crossentropy.
const std::vector<std::string>& loss_names();

class Loss {
 public:
  /// One of loss_names() or the aliases "mse" and "mae"; a ValueError lists them otherwise.
  explicit Loss(const std::string& name);

  /// The canonical name.
  const std::string& name() const { return name_; }

  /// Whether predictions are logits; the crossentropy losses only (a ValueError for setting it
  /// on another loss); default false.
  Loss& from_logits(bool from_logits);
  bool from_logits() const { return from_logits_; }
  /// Huber's threshold, finite and > 0; huber only (a ValueError otherwise); default 1.
  Loss& delta(double delta);
  double delta() const { return delta_; }
  /// How per-sample losses combine; default mean.
  Loss& reduction(Reduction reduction);
  Reduction reduction() const { return reduction_; }

  /// The loss of `y_pred` against `y_true`, weighted and masked as losses.hpp says.
  Value operator()(const Tensor& y_true, const Value& y_pred,
                   const Tensor& sample_weight = Tensor(), const Tensor& mask = Tensor()) const;

  /// {"name", "reduction"} and "from_logits" or "delta" where the loss takes them.
  nlohmann::json to_json() const;
  /// The inverse of to_json: "name" is required; a ValueError names a key that is unknown, of
  /// the wrong type, or not taken by the loss.
  static Loss from_json(const nlohmann::json& json);

  bool operator==(const Loss& other) const;
  bool operator!=(const Loss& other) const { return !(*this == other); }

 private:
  bool takes_logits() const;

  std::string name_;
  bool from_logits_ = false;
  double delta_ = 1.0;
  Reduction reduction_ = Reduction::mean;
};

}  // namespace grutape
