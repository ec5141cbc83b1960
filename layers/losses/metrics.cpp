#include "layers/losses/metrics.hpp"

#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

#include "core/json_reader.hpp"
#include "core/registry.hpp"
#include "core/tensor_math.hpp"
#include "core/text.hpp"
#include "layers/losses/sample_weights.hpp"

namespace grutape {
namespace {

// Predictions read as rows: one row per sample or step, the last axis along the row.
struct Rows {
  const double* data;
  std::size_t count;
  std::size_t width;
  /// The shape of one value per row: the predictions' shape without its last axis.
  Shape shape;
};

Rows rows_of(const Tensor& y64) {
  Shape shape = y64.shape();
  const std::size_t width = shape.size() == 1 ? 1 : shape.back();
  if (shape.size() > 1) shape.pop_back();
  return {y64.array<double>().data(), shape_size(shape), width, shape};
}

// The first index of the largest element of a row.
std::size_t argmax(const double* row, std::size_t width) {
  return static_cast<std::size_t>(std::max_element(row, row + width) - row);
}

void require_rank(const Tensor& y_pred, std::size_t rank, const std::string& where) {
  if (y_pred.rank() < rank) {
    throw ShapeError(where,
                     rank == 1 ? "predictions with a batch axis (rank >= 1)"
                               : "predictions (batch, ..., classes) of rank >= 2",
                     shape_to_string(y_pred.shape()));
  }
}

void require_same_shape(const Tensor& y_true, const Tensor& y_pred, const std::string& where) {
  if (y_true.shape() != y_pred.shape()) {
    throw ShapeError(where, "targets of the predictions' shape " + shape_to_string(y_pred.shape()),
                     "targets " + shape_to_string(y_true.shape()));
  }
}

using Parameters = std::map<std::string, double>;

// Per row, the mean over the last axis of `score(truth, prediction)` (with per_element, the sum,
// each element then weighing alone in the pooled mean).
template <class Score>
MetricScores elementwise_scores(const std::string& name, const Tensor& y_true, const Tensor& y_pred,
                                bool per_element, Score score) {
  require_rank(y_pred, 1, name);
  require_same_shape(y_true, y_pred, name);
  const Tensor pred = y_pred.to(DType::float64), truth = y_true.to(DType::float64);
  const Rows p = rows_of(pred), t = rows_of(truth);
  MetricScores scores{std::vector<double>(p.count), per_element ? double(p.width) : 1.0};
  for (std::size_t r = 0; r < p.count; ++r) {
    double sum = 0;
    for (std::size_t j = 0; j < p.width; ++j)
      sum += score(t.data[r * p.width + j], p.data[r * p.width + j]);
    scores.sums[r] = per_element ? sum : sum / static_cast<double>(p.width);
  }
  return scores;
}

MetricScores binary_accuracy_scores(const Tensor& y_true, const Tensor& y_pred,
                                    const Parameters& parameters) {
  const double threshold = parameters.at("threshold");
  return elementwise_scores(
      "binary_accuracy", y_true, y_pred, false,
      [threshold](double t, double p) { return t == (p > threshold ? 1.0 : 0.0) ? 1.0 : 0.0; });
}

MetricScores categorical_accuracy_scores(const Tensor& y_true, const Tensor& y_pred,
                                         const Parameters&) {
  const std::string name = "categorical_accuracy";
  require_rank(y_pred, 2, name);
  require_same_shape(y_true, y_pred, name);
  const Tensor pred = y_pred.to(DType::float64), truth = y_true.to(DType::float64);
  const Rows p = rows_of(pred), t = rows_of(truth);
  MetricScores scores{std::vector<double>(p.count)};
  for (std::size_t r = 0; r < p.count; ++r) {
    const bool same =
        argmax(t.data + r * p.width, p.width) == argmax(p.data + r * p.width, p.width);
    scores.sums[r] = same ? 1.0 : 0.0;
  }
  return scores;
}

MetricScores sparse_categorical_accuracy_scores(const Tensor& y_true, const Tensor& y_pred,
                                                const Parameters&) {
  const std::string name = "sparse_categorical_accuracy";
  require_rank(y_pred, 2, name);
  const Tensor pred = y_pred.to(DType::float64);
  const Rows p = rows_of(pred);
  Shape with_axis = p.shape;
  with_axis.push_back(1);
  if (y_true.shape() != p.shape && y_true.shape() != with_axis) {
    throw ShapeError(
        name,
        "class ids of shape " + shape_to_string(p.shape) + " or " + shape_to_string(with_axis),
        "targets " + shape_to_string(y_true.shape()));
  }
  MetricScores scores{std::vector<double>(p.count)};
  for (std::size_t r = 0; r < p.count; ++r) {
    const double predicted = static_cast<double>(argmax(p.data + r * p.width, p.width));
    scores.sums[r] = y_true.flat(r) == predicted ? 1.0 : 0.0;
  }
  return scores;
}

MetricScores mean_absolute_error_scores(const Tensor& y_true, const Tensor& y_pred,
                                        const Parameters&) {
  return elementwise_scores("mean_absolute_error", y_true, y_pred, false,
                            [](double t, double p) { return std::abs(p - t); });
}

// RMSE weighs every element, not every row: rows of batches of other widths pool correctly.
MetricScores root_mean_squared_error_scores(const Tensor& y_true, const Tensor& y_pred,
                                            const Parameters&) {
  return elementwise_scores("root_mean_squared_error", y_true, y_pred, true,
                            [](double t, double p) {
                              const double e = p - t;
                              return e * e;
                            });
}

Registry<MetricDefinition>& metric_registry() {
  static Registry<MetricDefinition> registry(
      {"name", "a metric", "register_metric", "unregister_metric"},
      {
          {"binary_accuracy", {{{"threshold", 0.5}}, binary_accuracy_scores, {}}},
          {"categorical_accuracy", {{}, categorical_accuracy_scores, {}}},
          {"sparse_categorical_accuracy", {{}, sparse_categorical_accuracy_scores, {}}},
          {"mean_absolute_error", {{}, mean_absolute_error_scores, {}}},
          {"root_mean_squared_error",
           {{}, root_mean_squared_error_scores, [](double mean) { return std::sqrt(mean); }}},
      });
  return registry;
}

// Short names Keras also accepts.
std::string canonical_metric_name(const std::string& name) {
  static const std::map<std::string, std::string> aliases = {{"mae", "mean_absolute_error"},
                                                             {"rmse", "root_mean_squared_error"}};
  const auto found = aliases.find(name);
  return found == aliases.end() ? name : found->second;
}

// The metrics that take parameter `key`, for the message of one that does not.
std::vector<std::string> metrics_taking(const std::string& key) {
  std::vector<std::string> names;
  for (const std::string& name : metric_registry().names()) {
    if (metric_registry().find(name, "metrics_taking").parameters.count(key)) names.push_back(name);
  }
  return names;
}

}  // namespace

void register_metric(const std::string& name, MetricDefinition definition) {
  metric_registry().add(name, std::move(definition));
}

void unregister_metric(const std::string& name) {
  metric_registry().remove(name);
}

std::vector<std::string> metric_names() {
  return metric_registry().names();
}

Metric::Metric(const std::string& name)
    : name_(canonical_metric_name(name)),
      definition_(metric_registry().find(name_, "Metric")),
      parameters_(definition_.parameters) {}

Metric& Metric::parameter(const std::string& key, double value) {
  const std::string where = "Metric " + name_ + ": " + key;
  if (parameters_.count(key) == 0) {
    const std::vector<std::string> takers = metrics_taking(key);
    throw ValueError(where,
                     takers.empty() ? "a parameter the metric takes"
                                    : "a metric that takes it, as " + join(takers) + " does",
                     name_);
  }
  if (!std::isfinite(value)) throw ValueError(where, "a finite " + key, format_number(value));
  parameters_[key] = value;
  return *this;
}

double Metric::parameter(const std::string& key) const {
  const auto found = parameters_.find(key);
  if (found == parameters_.end()) {
    throw ValueError("Metric " + name_ + ": " + key, "a parameter the metric takes", name_);
  }
  return found->second;
}

void Metric::update(const Tensor& y_true, const Tensor& y_pred, const Tensor& mask,
                    const Tensor& sample_weight) {
  const MetricScores scores = definition_.scores(y_true, y_pred, parameters_);
  Shape rows = y_pred.shape();
  if (rows.size() > 1) rows.pop_back();
  if (scores.sums.size() != shape_size(rows)) {
    throw ValueError("Metric " + name_, std::to_string(shape_size(rows)) + " scores, one per row",
                     std::to_string(scores.sums.size()));
  }
  Tensor weights = Tensor::ones(rows, DType::float64);
  if (sample_weight.defined()) {
    weights = mul(weights, align_sample_weight(sample_weight, rows, DType::float64,
                                               name_ + ": sample_weight"));
  }
  if (mask.defined()) {
    weights = mul(weights, valid_steps(mask, rows, DType::float64, name_ + ": mask"));
  }
  // Summed in row order in double: the same numbers give the same result.
  for (std::size_t r = 0; r < scores.sums.size(); ++r) {
    const double w = weights.flat(r);
    total_ += w * scores.sums[r];
    weight_ += w * scores.elements_per_row;
  }
}

double Metric::result() const {
  if (weight_ == 0) return 0.0;
  const double mean = total_ / weight_;
  return definition_.result ? definition_.result(mean) : mean;
}

void Metric::reset() {
  total_ = 0;
  weight_ = 0;
}

nlohmann::json Metric::to_json() const {
  nlohmann::json json = {{"name", name_}};
  for (const auto& [key, value] : parameters_) json[key] = value;
  return json;
}

Metric Metric::from_json(const nlohmann::json& json) {
  const std::string where = "Metric::from_json";
  // The metric's own checks name the metric; the prefix says that the JSON held it.
  const auto from_json_at = [&where](auto&& action) -> decltype(auto) {
    try {
      return action();
    } catch (const ValueError& error) {
      throw ValueError(where + ": " + error.what());
    }
  };
  JsonReader in(json, where);
  const std::string name = in.string("name");
  Metric metric = from_json_at([&] { return Metric(name); });
  for (const auto& item : json.items()) {
    // A key no metric takes is left to finish(), which lists the accepted ones.
    if (item.key() == "name" || metrics_taking(item.key()).empty()) continue;
    const double value = in.number(item.key());
    from_json_at([&]() -> Metric& { return metric.parameter(item.key(), value); });
  }
  in.finish();
  return metric;
}

namespace metrics {
namespace {

double evaluate(Metric metric, const Tensor& y_true, const Tensor& y_pred, const Tensor& mask) {
  metric.update(y_true, y_pred, mask);
  return metric.result();
}

}  // namespace

double binary_accuracy(const Tensor& y_true, const Tensor& y_pred, double threshold,
                       const Tensor& mask) {
  return evaluate(Metric("binary_accuracy").threshold(threshold), y_true, y_pred, mask);
}
double categorical_accuracy(const Tensor& y_true, const Tensor& y_pred, const Tensor& mask) {
  return evaluate(Metric("categorical_accuracy"), y_true, y_pred, mask);
}
double sparse_categorical_accuracy(const Tensor& y_true, const Tensor& y_pred, const Tensor& mask) {
  return evaluate(Metric("sparse_categorical_accuracy"), y_true, y_pred, mask);
}
double mean_absolute_error(const Tensor& y_true, const Tensor& y_pred, const Tensor& mask) {
  return evaluate(Metric("mean_absolute_error"), y_true, y_pred, mask);
}
double root_mean_squared_error(const Tensor& y_true, const Tensor& y_pred, const Tensor& mask) {
  return evaluate(Metric("root_mean_squared_error"), y_true, y_pred, mask);
}

}  // namespace metrics
}  // namespace grutape
