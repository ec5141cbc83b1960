#pragma once
// Registers a model's parameters with an optimizer, each with the options its layer gives it:
// the learn-rate and L2 factors (per gate where the options say so, in the layer's gate order),
// the constraint, and frozen when the layer's update flag is
// off. fit() calls it at the start of every run, so flags and options changed between runs apply.

#include <cstddef>

#include "layers/layer.hpp"
#include "layers/params/parameter_specs.hpp"
#include "optim/optimizers/optimizer.hpp"
#include "optim/optimizers/param_options.hpp"

namespace grutape {

/// The optimizer options for a tensor with `settings`: its factors, its constraint (built by
/// make_constraint, a ValueError for an invalid one) and `frozen`.
ParamOptions param_options_from(const ParameterSettings& settings, bool frozen);

/// Registers every parameter of `model` (model_parameters order, each tensor once) under its
/// model name ("gru_1.kernel") with param_options_from(its owner's settings, !owner update).
/// A name already registered for the same tensor gets its options replaced (its state is kept).
/// Returns how many were newly registered. A ValueError for a name registered for another tensor.
std::size_t register_parameters(Optimizer& optimizer, const Layer& model);

}  // namespace grutape
