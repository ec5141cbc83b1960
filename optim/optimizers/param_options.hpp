#pragma once
// How an optimizer treats one parameter tensor besides its gradient: learn-rate and L2 factors
// (GateFactors, layers/params/gate_factors.hpp: whole-tensor or per gate block), whether it is
// frozen (update = false) and the constraint projected after each step.
//
// Per-gate factors split the tensor's last axis into equal column blocks, one per gate, in the
// order the layer lays its gates out (a GRU: update | reset | candidate, layers/gru/gates.hpp).
// The effective rate of a block is the global rate x its factor; its L2 coefficient is the
// global L2 regularization x its factor.

#include <cstddef>
#include <memory>
#include <string>

#include "core/shape.hpp"
#include "layers/params/gate_factors.hpp"

namespace grutape {

class Constraint;

class ParamOptions {
 public:
  /// The learn-rate factor: one for the whole tensor (a number) or one per gate block
  /// (GateFactors::per_gate); default 1.
  ParamOptions& learn_rate_factor(GateFactors factors);
  const GateFactors& learn_rate_factor() const { return learn_rate_factor_; }

  /// The L2 factor, one or per gate block; default 1.
  ParamOptions& l2_factor(GateFactors factors);
  const GateFactors& l2_factor() const { return l2_factor_; }

  /// True leaves the tensor bitwise unchanged and creates no optimizer state for it; default false.
  ParamOptions& frozen(bool frozen);
  bool frozen() const { return frozen_; }

  /// Projected onto after every step that changed the tensor; default none (nullptr).
  ParamOptions& constraint(std::shared_ptr<const Constraint> constraint);
  const std::shared_ptr<const Constraint>& constraint() const { return constraint_; }

  /// True when some factor differs between the gate blocks.
  bool per_gate() const;
  /// The number of gate blocks the factors split the last axis into: 1 unless per_gate().
  std::size_t gates() const;

  /// A ValueError naming `where` unless every factor is finite and >= 0 and both factors that
  /// are per gate have the same number of gates; a ShapeError unless the last axis of `shape`
  /// splits into that many blocks.
  void validate(const Shape& shape, const std::string& where) const;

 private:
  GateFactors learn_rate_factor_ = 1.0;
  GateFactors l2_factor_ = 1.0;
  bool frozen_ = false;
  std::shared_ptr<const Constraint> constraint_;
};

}  // namespace grutape
