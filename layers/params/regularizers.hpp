#pragma once
// Regularizers (Keras semantics): loss terms on parameters and on layer outputs, composed of
// primitive ops, so the tape differentiates them like the rest of the loss.
//
//   l1     l1 * sum |w|                   [l1 = 0.01]
//   l2     l2 * sum w^2                   [l2 = 0.01]
//   l1_l2  l1 * sum |w| + l2 * sum w^2    [l1 = 0, l2 = 0]
//
// Parameter terms: each tensor under its own spec, ParameterSettings::regularizer from its
// layer's options (GRU kernel / recurrent / bias, Dense kernel / bias, Embedding embeddings).
// Activity terms: the spec on a layer's output divided by the batch size, as tf.keras did, so
// that the term keeps its weight against a mean loss whatever the batch size; layers collect them
// at each call (Layer::activity_losses).
//
// These are loss terms. The optimizers' l2_regularization x l2 factor (MATLAB's L2) is a separate
// mechanism that adds to the gradient instead (docs/optimizers.md).

#include "layers/layer.hpp"
#include "layers/params/parameter_specs.hpp"

namespace grutape {

/// The term of `spec` on `tensor`, a scalar of its dtype; an undefined value for an empty spec.
/// A ValueError for an invalid spec, as validate_regularizer says.
Value regularization_term(const RegularizerSpec& spec, const Value& tensor);

/// regularization_term(spec, output) / batch, batch the first extent of `output` (rank >= 1,
/// batch > 0: a ShapeError otherwise); undefined for an empty spec.
Value activity_regularization_term(const RegularizerSpec& spec, const Value& output);

/// The sum of every parameter's term under its own regularizer, each tensor once; undefined
/// when no parameter has one.
Value parameter_regularization(const Layer& model);

/// The sum of model.activity_losses(); undefined when there are none.
Value activity_regularization(const Layer& model);

/// parameter_regularization + activity_regularization; undefined when both are.
Value regularization_loss(const Layer& model);

}  // namespace grutape
