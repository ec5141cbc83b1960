#include "optim/training/detail/data_parallel.hpp"

#include <algorithm>
#include <cstdlib>
#include <exception>
#include <iostream>

#include "core/batch_shard.hpp"
#include "layers/models/model_parameters.hpp"
#include "optim/optimizers/clipping.hpp"

namespace grutape {
namespace {

// Rows [begin, end) of a global batch of `rows` rows for `rank` of `ranks`: a partition in rank
// order, as even as the division allows.
std::pair<std::size_t, std::size_t> shard_range(std::size_t rows, std::size_t rank,
                                                std::size_t ranks) {
  return {rows * rank / ranks, rows * (rank + 1) / ranks};
}

void append_tensor(std::vector<double>& buffer, const Tensor& tensor, double scale) {
  tensor.visit([&](const auto& array) {
    for (std::size_t i = 0; i < array.size(); ++i) buffer.push_back(array.data()[i] * scale);
  });
}

Tensor tensor_from(const double* values, const Tensor& like) {
  Tensor tensor = Tensor::zeros(like.shape(), like.dtype());
  tensor.visit([&](auto& array) {
    using T = typename std::decay_t<decltype(array)>::value_type;
    for (std::size_t i = 0; i < array.size(); ++i) array.data()[i] = static_cast<T>(values[i]);
  });
  return tensor;
}

}  // namespace

DataParallel::DataParallel(std::shared_ptr<Communicator> communicator, std::vector<Value> trainable)
    : communicator_(std::move(communicator)), trainable_(std::move(trainable)) {}

void DataParallel::broadcast_parameters(const Layer& model) {
  std::vector<double> buffer;
  const std::vector<ModelParameter> parameters = model_parameters(model);
  for (const ModelParameter& parameter : parameters) append_tensor(buffer, parameter.value.value(), 1);
  communicator_->broadcast(buffer, 0);
  const double* values = buffer.data();
  for (const ModelParameter& parameter : parameters) {
    Value handle = parameter.value;
    const Tensor fresh = tensor_from(values, handle.value());
    handle.mutable_value().visit([&](auto& array) {
      fresh.visit([&](const auto& from) {
        std::copy(from.data(), from.data() + from.size(), array.data());
      });
    });
    values += handle.value().size();
  }
}

GlobalLogs DataParallel::train_step(Layer& model, const RowData& train,
                                    const std::vector<std::size_t>& global_batch,
                                    const FitOptions& options, MetricSet& metrics,
                                    LossMean& loss) {
  const auto [begin, end] = shard_range(global_batch.size(), rank(), communicator_->size());
  // A process with no rows of a short last batch computes row 0 with weight 0, so that its
  // per-row draws (dropout) stay in step with the others'.
  const std::size_t offset = begin < end ? begin : 0;
  const std::vector<std::size_t> rows(global_batch.begin() + offset,
                                      global_batch.begin() + std::max(end, offset + 1));
  std::string error;
  try {
    for (const ModelParameter& parameter : model_parameters(model)) {
      Value handle = parameter.value;
      handle.zero_grad();
    }
    const LabeledData batch = take_batch(train.rows, rows);
    const BatchShardScope shard({offset, global_batch.size()});
    BatchLoss step = batch_loss(model, batch, options.loss());
    step.total.backward();
    if (begin < end) {
      metrics.update(step.targets, step.predictions.value(), step.mask, batch.sample_weight);
      loss.add(step.total.value().item(), rows.size());
    }
  } catch (const std::exception& failure) {
    error = failure.what();
  }
  const double share = static_cast<double>(end - begin) / global_batch.size();
  const std::vector<double> sums = reduced_buffer(share, loss, metrics, !error.empty());
  if (sums.back() > 0) throw_failures(error);

  const double* values = sums.data();
  for (Value& parameter : trainable_) {
    if (*values++ > 0) parameter.set_grad(tensor_from(values, parameter.value()));
    values += parameter.value().size();
  }
  if (options.clip_value()) clip_by_value(trainable_, *options.clip_value());
  if (options.clip_norm()) clip_by_norm(trainable_, *options.clip_norm());
  if (options.global_clip_norm()) clip_by_global_norm(trainable_, *options.global_clip_norm());
  options.optimizer()->step();

  GlobalLogs logs;
  logs.loss = LossMean::of_sums(values[0], values[1]);
  logs.metric_sums.assign(values + 2, sums.data() + sums.size() - 1);
  return logs;
}

// [per parameter: whether it has a gradient, then its gradient x share] [loss total, rows]
// [metric sums] [failed], summed over the processes.
std::vector<double> DataParallel::reduced_buffer(double share, const LossMean& loss,
                                                 const MetricSet& metrics, bool failed) {
  std::vector<double> buffer;
  for (const Value& parameter : trainable_) {
    const bool present = !failed && parameter.has_grad();
    buffer.push_back(present ? 1 : 0);
    if (present) {
      append_tensor(buffer, parameter.grad(), share);
    } else {
      buffer.resize(buffer.size() + parameter.value().size(), 0.0);
    }
  }
  buffer.push_back(loss.total());
  buffer.push_back(loss.rows());
  for (double sum : metrics.sums()) buffer.push_back(sum);
  buffer.push_back(failed ? 1 : 0);
  communicator_->allreduce_sum(buffer);
  return buffer;
}

void DataParallel::throw_failures(const std::string& error) {
  const std::vector<std::string> errors = communicator_->allgather_text(error);
  for (std::size_t r = 0; r < errors.size(); ++r) {
    if (errors[r].empty()) continue;
    throw DistributedError("fit: rank " + std::to_string(r) + " of " +
                           std::to_string(errors.size()) + " failed: " + errors[r]);
  }
  throw DistributedError("fit: a rank failed without a message");
}

bool DataParallel::any(bool flag) {
  std::vector<double> flags{flag ? 1.0 : 0.0};
  communicator_->allreduce_sum(flags);
  return flags[0] > 0;
}

void DataParallel::abort_all(const std::string& cause) {
  std::cerr << "grutape: rank " << rank() << " of " << communicator_->size()
            << " failed: " << cause << std::endl;
  communicator_->abort(1);
  std::abort();  // abort() ends the process; this tells the compiler so too
}

}  // namespace grutape
