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
//
// The names are a registry (core/registry.hpp): the five above and every metric a program
// registers (register_metric), which fit's metric names and training configs then name like a
// built-in one.

#include <functional>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/tensor.hpp"

namespace grutape {

/// One batch's scores: one sum per row, in row order, the rows being the extents of the
/// predictions without their last axis (every element for predictions of rank 1), and how many
/// elements each sum stands for in the mean (1 for a metric that averages each row itself).
struct MetricScores {
  std::vector<double> sums;
  double elements_per_row = 1;
};

/// What a metric computes; the Metric accumulator weighs and pools the scores.
struct MetricDefinition {
  /// The parameters it takes, with their defaults (binary_accuracy: {"threshold", 0.5}).
  std::map<std::string, double> parameters;
  /// The scores of one batch under the parameters' values; a ShapeError naming the metric for
  /// targets that do not fit the predictions.
  std::function<MetricScores(const Tensor& y_true, const Tensor& y_pred,
                             const std::map<std::string, double>& parameters)>
      scores;
  /// The result from the pooled weighted mean of the sums; empty: the mean itself.
  std::function<double(double mean)> result;

  /// True when it can score (for the registry's check of an empty definition).
  explicit operator bool() const { return static_cast<bool>(scores); }
};

/// Makes Metric (and so fit's and configs' metric names) know `name`. A ValueError for an empty
/// name or definition, a built-in name or one registered already.
void register_metric(const std::string& name, MetricDefinition definition);
/// Forgets a registered metric; a ValueError for a built-in name or one not registered.
void unregister_metric(const std::string& name);

/// binary_accuracy, categorical_accuracy, sparse_categorical_accuracy, mean_absolute_error,
/// root_mean_squared_error, then the registered names, sorted.
std::vector<std::string> metric_names();

/// A streaming metric: update() with each batch, result() for everything since reset().
class Metric {
 public:
  /// One of metric_names() or the aliases "mae" and "rmse"; a ValueError lists them otherwise.
  explicit Metric(const std::string& name);

  /// The canonical name.
  const std::string& name() const { return name_; }
  /// Sets one of the metric's parameters; a ValueError naming the metric and the parameter when
  /// it takes no such parameter (naming the metrics that do) or the value is not finite.
  Metric& parameter(const std::string& key, double value);
  /// The parameter's value; a ValueError when the metric takes no such parameter.
  double parameter(const std::string& key) const;
  /// binary_accuracy's threshold (default 0.5), as parameter("threshold", threshold).
  Metric& threshold(double threshold) { return parameter("threshold", threshold); }
  double threshold() const { return parameter("threshold"); }

  /// Adds one batch. A ShapeError names mismatched targets, predictions, mask or weights.
  void update(const Tensor& y_true, const Tensor& y_pred, const Tensor& mask = Tensor(),
              const Tensor& sample_weight = Tensor());
  /// The weighted mean (its root for RMSE) over every update since reset; 0 before any weight.
  double result() const;
  /// Forgets every update.
  void reset();
  /// The weighted sum and the weight of every update since reset (result() is their mean), so
  /// that processes that each saw part of the data can add theirs; set_sums replaces them.
  std::pair<double, double> sums() const { return {total_, weight_}; }
  void set_sums(double total, double weight) {
    total_ = total;
    weight_ = weight;
  }

  /// {"name"} and every parameter ("threshold" for binary_accuracy).
  nlohmann::json to_json() const;
  /// The inverse of to_json: "name" is required, absent parameters keep their defaults.
  static Metric from_json(const nlohmann::json& json);

 private:
  std::string name_;
  MetricDefinition definition_;
  std::map<std::string, double> parameters_;
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
