#pragma once
// The steps fit() and evaluate() are made of: the metrics of a run, the loss of one batch (the
// data loss plus every regularization term), one optimizer step, and a pass over data with
// nothing recorded.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "layers/layer.hpp"
#include "layers/losses/loss.hpp"
#include "layers/losses/metrics.hpp"
#include "optim/training/detail/fit_data.hpp"
#include "optim/training/fit_options.hpp"
#include "optim/training/history.hpp"

namespace grutape {

/// The metric `name` means with `loss`: "accuracy" and "acc" become the sparse categorical,
/// categorical or binary accuracy of the sparse categorical, categorical or binary crossentropy
/// (binary from logits with threshold 0, since sigmoid(x) > 0.5 exactly when x > 0); any other
/// name goes to Metric. A ValueError for an accuracy with another loss or an unknown name.
Metric resolve_metric(const std::string& name, const Loss& loss);

/// The metrics of a run under the names asked for.
class MetricSet {
 public:
  /// resolve_metric for each name.
  MetricSet(const std::vector<std::string>& names, const Loss& loss);
  /// Adds one batch to every metric.
  void update(const Tensor& y_true, const Tensor& y_pred, const Tensor& mask,
              const Tensor& sample_weight);
  /// Forgets every update.
  void reset();
  /// Writes each result under prefix + name.
  void write(Logs& logs, const std::string& prefix = "") const;
  /// Every metric's Metric::sums(), in order: total then weight.
  std::vector<double> sums() const;
  /// The metrics with `sums` (as sums() gives them) in place of their own.
  MetricSet with_sums(const double* sums) const;

 private:
  std::vector<std::pair<std::string, Metric>> metrics_;
};

/// The mean of batch losses weighted by their rows: the loss of the epoch so far.
class LossMean {
 public:
  void add(double loss, std::size_t rows);
  /// The weighted mean; 0 before any row.
  double result() const { return rows_ == 0 ? 0.0 : total_ / rows_; }
  /// The sum of loss x rows, and the rows.
  double total() const { return total_; }
  double rows() const { return rows_; }
  /// The mean of `total` over `rows` (e.g. sums over processes).
  static LossMean of_sums(double total, double rows);

 private:
  double total_ = 0;
  double rows_ = 0;
};

/// What one batch gives.
struct BatchLoss {
  /// The model's output.
  Value predictions;
  /// The mask the loss and metrics used; undefined when none.
  Tensor mask;
  /// The targets the loss and metrics used: the batch's, 0 at masked steps.
  Tensor targets;
  /// The loss plus regularization_loss(model).
  Value total;
};

/// The model on batch.x, `loss` against batch.y with the batch's weights and mask (without a
/// mask: the model's output mask, for outputs of rank >= 3 it fits), plus the parameter and
/// activity regularization terms. Targets at masked steps are replaced by 0 first, so that
/// padding may hold NaN or any id.
BatchLoss batch_loss(Layer& model, const LabeledData& batch, const Loss& loss);

/// One training step: the model's gradients dropped, batch_loss, backward, the gradients of
/// `trainable` clipped as `options` say, one step of options.optimizer(); the metrics updated.
/// Returns the total loss.
double train_step(Layer& model, const LabeledData& batch, const FitOptions& options,
                  const std::vector<Value>& trainable, MetricSet& metrics);

/// prefix + "loss" (the row-weighted mean of the batches' total losses) and the metrics over
/// `data`, in batches of `batch_size` (pre-batched data in its own), with training off and
/// nothing recorded.
Logs evaluate_rows(Layer& model, const RowData& data, std::size_t batch_size, const Loss& loss,
                   const std::vector<std::string>& metric_names, const std::string& prefix);

/// The dtype of the model's parameters; none for a model without any (yet).
std::optional<DType> model_dtype(const Layer& model);

}  // namespace grutape
