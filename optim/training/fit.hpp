#pragma once
// Training, evaluation and inference of a model (Keras' fit / evaluate / predict) for any Layer:
// a Sequential, a single layer, or a user's container.
//
// fit() builds an unbuilt model from the first sample, converts x to the model's dtype, registers
// the model's parameters with the optimizer (optim/optimizers/parameter_registration.hpp: per-gate
// factors, constraints, frozen layers), and then per epoch: drops the model's carried states
// (reset_each_epoch), trains batch by batch with training on, validates with training off, and runs
// the callbacks (optim/callbacks/callback.hpp). The loss minimised and reported is the data loss
// plus every regularization term (layers/params/regularizers.hpp); training metrics are measured on
// the training batches as they are trained (dropout on). Every layer's training flag is restored
// afterwards.
//
// Shapes: x (samples, timesteps, features) for a GRU, or pre-batched (number of batches, batch,
// timesteps, features) as LabVIEW passes it (InputBatching); y as the loss wants it: values,
// class ids (samples) or (samples, 1), or one-hot rows; for sequence outputs an optional
// (samples, timesteps) mask.
//
// Stateful GRUs: the carried state needs every batch of the same size, so use a batch size that
// divides the rows (or pre-batched input) and shuffle off. To predict from such a model with
// another batch size, drop the carried states (reset_states()) first, or call the GRU directly
// with explicit states (Gru::run with GruInputs::initial_states), as
// tests/optim/training/fit_stateful_test.cpp shows.

#include "layers/layer.hpp"
#include "optim/training/fit_options.hpp"
#include "optim/training/history.hpp"

namespace grutape {

/// Trains `model` on `data` as `options` say (validated first) and returns the epochs' logs.
/// ShapeErrors and ValueErrors name "fit" and what was wrong with the data or options.
History fit(Layer& model, const LabeledData& data, const FitOptions& options);

/// fit() with inputs x and targets y only.
History fit(Layer& model, const Tensor& x, const Tensor& y, const FitOptions& options);

/// The loss (with regularization terms) and metrics of `model` on `data`, in batches, training
/// off and nothing recorded: {"loss", metrics...}. A ValueError for a loss with reduction none.
Logs evaluate(Layer& model, const LabeledData& data, const EvaluateOptions& options = {});

/// evaluate() with inputs x and targets y only.
Logs evaluate(Layer& model, const Tensor& x, const Tensor& y, const EvaluateOptions& options = {});

/// The model's outputs for x in batches of `batch_size` (>= 1), training off and nothing
/// recorded, joined along the sample axis; pre-batched x keeps its batches and gives
/// (number of batches, batch, ...). x is converted to the model's dtype.
Tensor predict(Layer& model, const Tensor& x, std::size_t batch_size = 32,
               InputBatching batching = InputBatching::automatic);

}  // namespace grutape
