#pragma once
// What an optimizer applies to one parameter tensor besides its gradient, stored with the layer's
// options and serialized with them: a regularizer (a loss term), a constraint (a projection after
// each step) and per-gate learn-rate and L2 factors (MATLAB's *LearnRateFactor, *L2Factor).
//
// Regularizers (Keras): l1 [l1 = 0.01], l2 [l2 = 0.01], l1_l2 [l1 = 0, l2 = 0]; all >= 0.
// Constraints: those of layers/params/constraint.hpp, built-in (max_norm [max_value = 2, axis = 0],
//   min_max_norm [min_value = 0, max_value = 1, rate = 1, axis = 0], non_neg, unit_norm
//   [axis = 0]) or registered; a spec is valid when its constraint can be built from it.
// An empty name means none.

#include <array>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "layers/gru/gates.hpp"
#include "layers/params/named_spec.hpp"

namespace grutape {

using RegularizerSpec = NamedSpec;
using ConstraintSpec = NamedSpec;

/// A ValueError naming `where` unless `spec` is empty or a valid regularizer as listed above.
void validate_regularizer(const RegularizerSpec& spec, const std::string& where = "regularizer");
/// A ValueError naming `where` unless `spec` is empty or names a built-in or registered
/// constraint that can be built from its parameters (constraint_from_spec).
void validate_constraint(const ConstraintSpec& spec, const std::string& where = "constraint");

/// One factor for a whole GRU tensor, or one per gate. Per-gate values are stored in the internal
/// gate order update, reset, candidate (layers/gru/gates.hpp); MATLAB lists the same three as
/// reset, update, candidate, so per_gate and the JSON form name each gate instead of relying on
/// order.
class GateFactors {
 public:
  /// The same factor for every gate (implicit, so that a plain number can be passed).
  GateFactors(double all = 1.0) : values_{all, all, all} {}
  /// One factor per gate, in the internal order.
  static GateFactors per_gate(double update, double reset, double candidate);

  /// The factors in internal gate order.
  const std::array<double, gru_gate_count>& values() const { return values_; }
  /// The factor of one gate.
  double operator[](GruGate gate) const { return values_[gate_index(gate)]; }
  /// True when all three factors are equal.
  bool uniform() const { return values_[0] == values_[1] && values_[1] == values_[2]; }

  /// A ValueError naming `where` unless every factor is finite and >= 0.
  void validate(const std::string& where) const;
  /// A number when uniform, else {"update": u, "reset": r, "candidate": c}.
  nlohmann::json to_json() const;
  /// The inverse of to_json; a ValueError naming `where` and the key for anything else.
  static GateFactors from_json(const nlohmann::json& json, const std::string& where);

  bool operator==(const GateFactors& other) const { return values_ == other.values_; }
  bool operator!=(const GateFactors& other) const { return !(*this == other); }

 private:
  std::array<double, gru_gate_count> values_;
};

/// "2" or "(update 1, reset 2, candidate 3)", for messages.
std::string to_string(const GateFactors& factors);

/// What a layer's options say about one of its parameter tensors: read by the loss (the
/// regularizer, layers/params/regularizers.hpp) and by the optimizer (optim/model_parameters.hpp).
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
