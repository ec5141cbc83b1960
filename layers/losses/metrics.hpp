#pragma once
// Metrics with Keras' definitions, on plain tensors (nothing is recorded). Each reduces the last
// axis to one value per sample or time step and averages those, weighted: sample weights cover
// (batch) or (batch, timesteps) and a mask (batch, timesteps) gives masked steps no weight. The
// Metric accumulators keep the weighted sum and the total weight over the batches of an epoch.
//
//   binary_accuracy              mean over the last axis of [y_true == (y_pred > threshold)]
//   categorical_accuracy         [argmax y_true == argmax y_pred] (the first maximum counts)
//   sparse_categorical_accuracy  [y_true == argmax y_pred], y_true class ids shaped like y_pred
//                                without its class axis (or with it of extent 1)
//   mean_absolute_error          mean over the last axis of |y_pred - y_true|
//   root_mean_squared_error      sqrt of the weighted mean of (y_pred - y_true)^2 over every
//                                element (Keras' RootMeanSquaredError)
//
// Predictions of rank 1 are one value per sample. With no weight at all the result is 0.

#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/tensor.hpp"

namespace grutape {

/// binary_accuracy, categorical_accuracy, sparse_categorical_accuracy, mean_absolute_error,
/// root_mean_squared_error.
const std::vector<std::string>& metric_names();

/// A streaming metric: update() with each batch, result() for everything since reset().
class Metric {
 public:
  /// One of metric_names() or the aliases "mae" and "rmse"; a ValueError lists them otherwise.
  explicit Metric(const std::string& name);

  /// The canonical name.
  const std::string& name() const { return name_; }
  /// binary_accuracy's threshold, finite (a ValueError otherwise, and for other metrics);
  /// default 0.5.
  Metric& threshold(double threshold);
  double threshold() const { return threshold_; }

  /// Adds one batch. A ShapeError names mismatched targets, predictions, mask or weights.
  void update(const Tensor& y_true, const Tensor& y_pred, const Tensor& mask = Tensor(),
              const Tensor& sample_weight = Tensor());
  /// The weighted mean (its root for RMSE) over every update since reset; 0 before any weight.
  double result() const;
  /// Forgets every update.
  void reset();

  /// {"name"} and "threshold" for binary_accuracy.
  nlohmann::json to_json() const;
  /// The inverse of to_json: "name" is required.
  static Metric from_json(const nlohmann::json& json);

 private:
  std::string name_;
  double threshold_ = 0.5;
  double total_ = 0;
  double weight_ = 0;
};

namespace metrics {

double binary_accuracy(const Tensor& y_true, const Tensor& y_pred, double threshold = 0.5,
                       const Tensor& mask = Tensor());
double categorical_accuracy(const Tensor& y_true, const Tensor& y_pred,
                            const Tensor& mask = Tensor());
double sparse_categorical_accuracy(const Tensor& y_true, const Tensor& y_pred,
                                   const Tensor& mask = Tensor());
double mean_absolute_error(const Tensor& y_true, const Tensor& y_pred,
                           const Tensor& mask = Tensor());
double root_mean_squared_error(const Tensor& y_true, const Tensor& y_pred,
                               const Tensor& mask = Tensor());

}  // namespace metrics
}  // namespace grutape
