#pragma once
// What an optimizer applies to one parameter tensor besides its gradient, stored with the layer's
// options and serialized with them: a regularizer (a loss term), a constraint (a projection after
// each step) and learn-rate and L2 factors, whole or per gate (gate_factors.hpp).
//
// Regularizers (Keras): l1 [l1 = 0.01], l2 [l2 = 0.01], l1_l2 [l1 = 0, l2 = 0]; all >= 0.
// Constraints: those of layers/params/constraint.hpp, built-in (max_norm [max_value = 2, axis = 0],
//   min_max_norm [min_value = 0, max_value = 1, rate = 1, axis = 0], non_neg, unit_norm
//   [axis = 0]) or registered; a spec is valid when its constraint can be built from it.
// An empty name means none.

#include <string>

#include "layers/params/gate_factors.hpp"
#include "layers/params/named_spec.hpp"

namespace grutape {

using RegularizerSpec = NamedSpec;
using ConstraintSpec = NamedSpec;

/// A ValueError naming `where` unless `spec` is empty or a valid regularizer as listed above.
void validate_regularizer(const RegularizerSpec& spec, const std::string& where = "regularizer");
/// A ValueError naming `where` unless `spec` is empty or names a built-in or registered
/// constraint that can be built from its parameters (constraint_from_spec).
void validate_constraint(const ConstraintSpec& spec, const std::string& where = "constraint");

/// What a layer's options say about one of its parameter tensors: read by the loss (the
/// regularizer, layers/params/regularizers.hpp) and by the optimizer
/// (optim/optimizers/parameter_registration.hpp).
struct ParameterSettings {
  /// The loss term on the tensor; default none.
  RegularizerSpec regularizer;
  /// The projection after each optimizer step; default none.
  ConstraintSpec constraint;
  /// The learn-rate factor, one or per gate; default 1.
  GateFactors learn_rate_factor = 1.0;
  /// The factor on the optimizer's coupled L2, one or per gate; default 1.
  GateFactors l2_factor = 1.0;
};

}  // namespace grutape
