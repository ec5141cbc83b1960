#include "optim/training/fit.hpp"

#include "autodiff/grad_mode.hpp"
#include "autodiff/ops/shape.hpp"
#include "layers/models/model_parameters.hpp"
#include "layers/training_scope.hpp"
#include "optim/optimizers/parameter_registration.hpp"
#include "optim/training/detail/data_parallel.hpp"
#include "optim/training/detail/fit_data.hpp"
#include "optim/training/detail/trainer.hpp"

namespace grutape {
namespace {

// Builds an unbuilt model from one sample of `x` (rows), then gives x the model's dtype.
Tensor prepared_inputs(Layer& model, const Tensor& x) {
  if (!model.built()) {
    Shape sample = x.shape();
    sample[0] = 1;
    model.build(sample, x.dtype());
  }
  const std::optional<DType> dtype = model_dtype(model);
  return dtype && *dtype != x.dtype() ? x.to(*dtype) : x;
}

RowData prepared_rows(Layer& model, const LabeledData& data, InputBatching batching,
                      const std::string& where) {
  RowData rows = to_rows(data, batching, where);
  rows.rows.x = prepared_inputs(model, rows.rows.x);
  return rows;
}

// The gradients fit clips: those of parameters whose layer lets them update.
std::vector<Value> trainable_parameters(const Layer& model) {
  std::vector<Value> trainable;
  for (const ModelParameter& parameter : model_parameters(model)) {
    if (parameter.owner->flags().update) trainable.push_back(parameter.value);
  }
  return trainable;
}

void drop_gradients(const Layer& model) {
  for (const ModelParameter& parameter : model_parameters(model)) {
    Value handle = parameter.value;
    handle.zero_grad();
  }
}

// Runs every callback's hook in order.
template <class Hook>
void each(const std::vector<std::shared_ptr<Callback>>& callbacks, Hook hook) {
  for (const auto& callback : callbacks) hook(*callback);
}

// The processes the run trains on.
std::size_t ranks(const FitOptions& options) {
  return options.distributed() ? options.distributed()->size() : 1;
}

// The options' callbacks and the progress printer; processes other than the first run only the
// callbacks that write nothing (Callback::leader_only).
std::vector<std::shared_ptr<Callback>> run_callbacks(const FitOptions& options, bool leader) {
  std::vector<std::shared_ptr<Callback>> callbacks;
  for (const auto& callback : options.callbacks()) {
    if (leader || !callback->leader_only()) callbacks.push_back(callback);
  }
  if (options.output() && leader) {
    if (auto style = progress_style(options.verbosity(), *options.output())) {
      callbacks.push_back(std::make_shared<ProgressPrinter>(*options.output(), *style));
    }
  }
  return callbacks;
}

}  // namespace

History fit(Layer& model, const LabeledData& data, const FitOptions& options) {
  options.validate();
  RowData all = prepared_rows(model, data, options.input_batching(), "fit");
  RowData train = all, validation;
  const bool validating = options.validation_split() > 0 || options.validation_data();
  if (options.validation_split() > 0) {
    std::tie(train, validation) = split_validation(all, options.validation_split());
  } else if (options.validation_data()) {
    validation = prepared_rows(model, *options.validation_data(), options.input_batching(),
                               "fit: validation_data");
  }
  if (train.count() == 0) throw ValueError("fit", "at least one training sample", "none");

  Optimizer& optimizer = *options.optimizer();
  register_parameters(optimizer, model);
  const std::vector<Value> trainable = trainable_parameters(model);
  MetricSet metrics(options.metrics(), options.loss());
  std::optional<DataParallel> parallel;
  if (options.distributed() && options.distributed()->size() > 1) {
    parallel.emplace(options.distributed(), trainable);
    parallel->broadcast_parameters(model);
  }
  const bool leader = !parallel || parallel->rank() == 0;

  std::vector<std::shared_ptr<Callback>> callbacks = run_callbacks(options, leader);
  History history;
  TrainingRun run(model, optimizer, history, options.epochs());
  TrainingScope training(model, true);
  Logs last;
  try {
    each(callbacks, [&](Callback& c) { c.on_train_begin(run); });
    for (std::size_t epoch = options.initial_epoch(); epoch < options.epochs(); ++epoch) {
      if (options.reset_each_epoch()) model.reset_states();
      const std::size_t batch_size = options.epoch_batch_size(epoch) * ranks(options);
      const Batches batches =
          epoch_batches(train, batch_size, options.shuffle(), options.seed(), epoch);
      run.steps = batches.size();
      each(callbacks, [&](Callback& c) { c.on_epoch_begin(run, epoch); });
      metrics.reset();
      LossMean loss;
      Logs logs;
      logs.set("loss", 0.0);
      metrics.write(logs);
      for (std::size_t step = 0; step < batches.size() && !run.stop_training; ++step) {
        if (parallel) {
          const GlobalLogs global =
              parallel->train_step(model, train, batches[step], options, metrics, loss);
          logs.set("loss", global.loss.result());
          metrics.with_sums(global.metric_sums.data()).write(logs);
        } else {
          const LabeledData batch = take_batch(train.rows, batches[step]);
          loss.add(train_step(model, batch, options, trainable, metrics), batches[step].size());
          logs.set("loss", loss.result());
          metrics.write(logs);
        }
        each(callbacks, [&](Callback& c) { c.on_batch_end(run, step, logs); });
        if (parallel) run.stop_training = parallel->any(run.stop_training);
      }
      if (validating) {
        const Logs scores = evaluate_rows(model, validation, options.epoch_batch_size(epoch),
                                          options.loss(), options.metrics(), "val_");
        for (const auto& [key, value] : scores.items()) logs.set(key, value);
      }
      each(callbacks, [&](Callback& c) { c.on_epoch_end(run, epoch, logs); });
      if (parallel) run.stop_training = parallel->any(run.stop_training);
      history.append(epoch, logs);
      last = logs;
      if (run.stop_training) break;
    }
    each(callbacks, [&](Callback& c) { c.on_train_end(run, last); });
  } catch (const DistributedError&) {
    throw;
  } catch (const std::exception& error) {
    // The other processes wait in the next collective and cannot learn of this error.
    if (parallel) parallel->abort_all(error.what());
    throw;
  }
  drop_gradients(model);
  return history;
}

History fit(Layer& model, const Tensor& x, const Tensor& y, const FitOptions& options) {
  return fit(model, LabeledData{x, y, Tensor(), Tensor()}, options);
}

Logs evaluate(Layer& model, const LabeledData& data, const EvaluateOptions& options) {
  if (options.loss().reduction() == Reduction::none) {
    throw ValueError("evaluate: loss", "reduction mean or sum (one number per batch)",
                     "reduction none");
  }
  if (options.batch_size() == 0) throw ValueError("evaluate", "batch_size >= 1", "batch_size = 0");
  const RowData rows = prepared_rows(model, data, options.input_batching(), "evaluate");
  return evaluate_rows(model, rows, options.batch_size(), options.loss(), options.metrics(), "");
}

Logs evaluate(Layer& model, const Tensor& x, const Tensor& y, const EvaluateOptions& options) {
  return evaluate(model, LabeledData{x, y, Tensor(), Tensor()}, options);
}

Tensor predict(Layer& model, const Tensor& x, std::size_t batch_size, InputBatching batching) {
  if (batch_size == 0) throw ValueError("predict", "batch_size >= 1", "batch_size = 0");
  if (!x.defined()) throw ValueError("predict", "inputs x", "an undefined tensor");
  const bool batched = reads_as_batches(x, batching);
  if (x.rank() < (batched ? 2u : 1u)) {
    throw ShapeError("predict", batched ? "x (number of batches, batch, ...)" : "x (samples, ...)",
                     "x of shape " + shape_to_string(x.shape()));
  }
  // The targets are not used; x stands in for them so that the rows machinery applies.
  const RowData rows =
      prepared_rows(model, LabeledData{x, x, Tensor(), Tensor()}, batching, "predict");
  TrainingScope inference(model, false);
  NoGradScope no_grad;
  Tensor output;
  if (rows.count() == 0) {
    output = model(Value(rows.rows.x)).value();
  } else {
    std::vector<Value> outputs;
    for (const auto& indices : epoch_batches(rows, batch_size, false, 0, 0)) {
      outputs.push_back(model(Value(take_rows(rows.rows.x, indices))));
    }
    output = outputs.size() == 1 ? outputs.front().value() : concat(outputs, 0).value();
  }
  return batched ? unflatten_batches(output, x.shape()[0]) : output;
}

}  // namespace grutape
