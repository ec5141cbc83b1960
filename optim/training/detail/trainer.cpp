#include "optim/training/detail/trainer.hpp"

#include <algorithm>

#include "autodiff/grad_mode.hpp"
#include "autodiff/ops/elementwise.hpp"
#include "layers/models/model_parameters.hpp"
#include "layers/params/regularizers.hpp"
#include "layers/training_scope.hpp"
#include "optim/optimizers/clipping.hpp"

namespace grutape {
namespace {

// The model's output mask when it marks the steps of a sequence output (batch, timesteps, ...).
Tensor sequence_mask(Layer& model, const Value& input, const Value& output) {
  if (output.rank() < 3) return Tensor();
  const Tensor mask = model.output_mask(input, Tensor());
  if (!mask.defined()) return mask;
  const Shape steps{output.shape()[0], output.shape()[1]};
  return mask.shape() == steps ? mask : Tensor();
}

// The targets with every masked step set to 0, when the mask covers their (batch, timesteps)
// axes: padding may then hold anything (NaN, ids out of range) without reaching the loss's value,
// its gradient (where() passes a zero gradient, but 0 x NaN would still be NaN) or the metrics.
Tensor clean_targets(const Tensor& y, const Tensor& mask) {
  if (!mask.defined() || mask.rank() != 2 || y.rank() < 2) return y;
  if (y.shape()[0] != mask.shape()[0] || y.shape()[1] != mask.shape()[1]) return y;
  const std::size_t steps = mask.size();
  if (steps == 0) return y;
  const std::size_t block = y.size() / steps;
  Tensor clean = y.clone();
  clean.visit([&](auto& array) {
    for (std::size_t s = 0; s < steps; ++s) {
      if (mask.flat(s) == 0) std::fill(array.data() + s * block, array.data() + (s + 1) * block, 0);
    }
  });
  return clean;
}

}  // namespace

Metric resolve_metric(const std::string& name, const Loss& loss) {
  if (name != "accuracy" && name != "acc") return Metric(name);
  if (loss.name() == "sparse_categorical_crossentropy") {
    return Metric("sparse_categorical_accuracy");
  }
  if (loss.name() == "categorical_crossentropy") return Metric("categorical_accuracy");
  if (loss.name() == "binary_crossentropy") {
    Metric metric("binary_accuracy");
    if (loss.from_logits()) metric.threshold(0.0);
    return metric;
  }
  throw ValueError("metric \"" + name + "\"",
                   "a crossentropy loss to choose the accuracy from (or a named accuracy)",
                   "loss " + loss.name());
}

MetricSet::MetricSet(const std::vector<std::string>& names, const Loss& loss) {
  for (const auto& name : names) metrics_.emplace_back(name, resolve_metric(name, loss));
}

void MetricSet::update(const Tensor& y_true, const Tensor& y_pred, const Tensor& mask,
                       const Tensor& sample_weight) {
  for (auto& [_, metric] : metrics_) metric.update(y_true, y_pred, mask, sample_weight);
}

void MetricSet::reset() {
  for (auto& [_, metric] : metrics_) metric.reset();
}

void MetricSet::write(Logs& logs, const std::string& prefix) const {
  for (const auto& [name, metric] : metrics_) logs.set(prefix + name, metric.result());
}

std::vector<double> MetricSet::sums() const {
  std::vector<double> sums;
  for (const auto& [_, metric] : metrics_) {
    sums.push_back(metric.sums().first);
    sums.push_back(metric.sums().second);
  }
  return sums;
}

MetricSet MetricSet::with_sums(const double* sums) const {
  MetricSet copy = *this;
  for (auto& [_, metric] : copy.metrics_) {
    metric.set_sums(sums[0], sums[1]);
    sums += 2;
  }
  return copy;
}

LossMean LossMean::of_sums(double total, double rows) {
  LossMean mean;
  mean.total_ = total;
  mean.rows_ = rows;
  return mean;
}

void LossMean::add(double loss, std::size_t rows) {
  total_ += loss * static_cast<double>(rows);
  rows_ += rows;
}

BatchLoss batch_loss(Layer& model, const LabeledData& batch, const Loss& loss) {
  const Value input(batch.x);
  BatchLoss result;
  result.predictions = model(input);
  result.mask = batch.mask.defined() ? batch.mask : sequence_mask(model, input, result.predictions);
  result.targets = clean_targets(batch.y, result.mask);
  result.total = loss(result.targets, result.predictions, batch.sample_weight, result.mask);
  const Value regularization = regularization_loss(model);
  if (regularization.defined()) result.total = result.total + regularization;
  return result;
}

double train_step(Layer& model, const LabeledData& batch, const FitOptions& options,
                  const std::vector<Value>& trainable, MetricSet& metrics) {
  for (const ModelParameter& parameter : model_parameters(model)) {
    Value handle = parameter.value;
    handle.zero_grad();
  }
  BatchLoss step = batch_loss(model, batch, options.loss());
  step.total.backward();
  if (options.clip_value()) clip_by_value(trainable, *options.clip_value());
  if (options.clip_norm()) clip_by_norm(trainable, *options.clip_norm());
  if (options.global_clip_norm()) clip_by_global_norm(trainable, *options.global_clip_norm());
  options.optimizer()->step();
  metrics.update(step.targets, step.predictions.value(), step.mask, batch.sample_weight);
  return step.total.value().item();
}

Logs evaluate_rows(Layer& model, const RowData& data, std::size_t batch_size, const Loss& loss,
                   const std::vector<std::string>& metric_names, const std::string& prefix) {
  TrainingScope inference(model, false);
  NoGradScope no_grad;
  MetricSet metrics(metric_names, loss);
  LossMean mean;
  for (const auto& rows : epoch_batches(data, batch_size, false, 0, 0)) {
    const LabeledData batch = take_batch(data.rows, rows);
    const BatchLoss result = batch_loss(model, batch, loss);
    mean.add(result.total.value().item(), rows.size());
    metrics.update(result.targets, result.predictions.value(), result.mask, batch.sample_weight);
  }
  Logs logs;
  logs.set(prefix + "loss", mean.result());
  metrics.write(logs, prefix);
  return logs;
}

std::optional<DType> model_dtype(const Layer& model) {
  const auto parameters = model.named_parameters();
  if (parameters.empty()) return std::nullopt;
  return parameters.front().second.dtype();
}

}  // namespace grutape
