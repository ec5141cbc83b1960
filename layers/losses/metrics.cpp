#include "layers/losses/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <optional>

#include <nlohmann/json.hpp>

#include "core/json_reader.hpp"
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

// Per row: the sum of the row's values and how many elements it stands for in the mean.
struct RowValues {
  std::vector<double> sums;
  double elements_per_row = 1;
  Shape shape;
};

RowValues row_values(const std::string& name, double threshold, const Tensor& y_true,
                     const Tensor& y_pred) {
  const bool categorical = name.find("categorical") != std::string::npos;
  require_rank(y_pred, categorical ? 2 : 1, name);
  const Tensor pred = y_pred.to(DType::float64);
  const Rows p = rows_of(pred);
  RowValues values{std::vector<double>(p.count), 1, p.shape};
  if (name == "sparse_categorical_accuracy") {
    Shape with_axis = p.shape;
    with_axis.push_back(1);
    if (y_true.shape() != p.shape && y_true.shape() != with_axis) {
      throw ShapeError(
          name,
          "class ids of shape " + shape_to_string(p.shape) + " or " + shape_to_string(with_axis),
          "targets " + shape_to_string(y_true.shape()));
    }
    for (std::size_t r = 0; r < p.count; ++r) {
      const double predicted = static_cast<double>(argmax(p.data + r * p.width, p.width));
      values.sums[r] = y_true.flat(r) == predicted ? 1.0 : 0.0;
    }
    return values;
  }
  require_same_shape(y_true, y_pred, name);
  const Tensor truth = y_true.to(DType::float64);
  const Rows t = rows_of(truth);
  for (std::size_t r = 0; r < p.count; ++r) {
    const double* pr = p.data + r * p.width;
    const double* tr = t.data + r * p.width;
    double sum = 0;
    if (name == "categorical_accuracy") {
      sum = argmax(tr, p.width) == argmax(pr, p.width) ? 1.0 : 0.0;
    } else {
      for (std::size_t j = 0; j < p.width; ++j) {
        const double e = pr[j] - tr[j];
        if (name == "binary_accuracy") sum += tr[j] == (pr[j] > threshold ? 1.0 : 0.0);
        if (name == "mean_absolute_error") sum += std::abs(e);
        if (name == "root_mean_squared_error") sum += e * e;
      }
      // RMSE weighs every element; the others average each row first.
      if (name == "root_mean_squared_error") {
        values.elements_per_row = static_cast<double>(p.width);
      } else {
        sum /= static_cast<double>(p.width);
      }
    }
    values.sums[r] = sum;
  }
  return values;
}

}  // namespace

const std::vector<std::string>& metric_names() {
  static const std::vector<std::string> names = {"binary_accuracy", "categorical_accuracy",
                                                 "sparse_categorical_accuracy",
                                                 "mean_absolute_error", "root_mean_squared_error"};
  return names;
}

Metric::Metric(const std::string& name) : name_(name) {
  if (name == "mae") name_ = "mean_absolute_error";
  if (name == "rmse") name_ = "root_mean_squared_error";
  const auto& names = metric_names();
  if (std::find(names.begin(), names.end(), name_) == names.end()) {
    throw ValueError("Metric", "one of " + join(names) + " (or mae, rmse)", "\"" + name + "\"");
  }
}

Metric& Metric::threshold(double threshold) {
  if (name_ != "binary_accuracy") {
    throw ValueError("Metric " + name_ + ": threshold", "binary_accuracy", name_);
  }
  if (!std::isfinite(threshold)) {
    throw ValueError("Metric binary_accuracy: threshold", "a finite threshold",
                     format_number(threshold));
  }
  threshold_ = threshold;
  return *this;
}

void Metric::update(const Tensor& y_true, const Tensor& y_pred, const Tensor& mask,
                    const Tensor& sample_weight) {
  const RowValues values = row_values(name_, threshold_, y_true, y_pred);
  Tensor weights = Tensor::ones(values.shape, DType::float64);
  if (sample_weight.defined()) {
    weights = mul(weights, align_sample_weight(sample_weight, values.shape, DType::float64,
                                               name_ + ": sample_weight"));
  }
  if (mask.defined()) {
    weights = mul(weights, valid_steps(mask, values.shape, DType::float64, name_ + ": mask"));
  }
  // Summed in row order in double: the same numbers give the same result.
  for (std::size_t r = 0; r < values.sums.size(); ++r) {
    const double w = weights.flat(r);
    total_ += w * values.sums[r];
    weight_ += w * values.elements_per_row;
  }
}

double Metric::result() const {
  if (weight_ == 0) return 0.0;
  const double mean = total_ / weight_;
  return name_ == "root_mean_squared_error" ? std::sqrt(mean) : mean;
}

void Metric::reset() {
  total_ = 0;
  weight_ = 0;
}

nlohmann::json Metric::to_json() const {
  nlohmann::json json = {{"name", name_}};
  if (name_ == "binary_accuracy") json["threshold"] = threshold_;
  return json;
}

Metric Metric::from_json(const nlohmann::json& json) {
  JsonReader in(json, "Metric::from_json");
  const std::string name = in.string("name");
  const std::optional<double> threshold =
      in.has("threshold") ? std::optional<double>(in.number("threshold")) : std::nullopt;
  in.finish();
  try {
    Metric metric(name);
    if (threshold) metric.threshold(*threshold);
    return metric;
  } catch (const ValueError& error) {
    throw ValueError(std::string("Metric::from_json: ") + error.what());
  }
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
