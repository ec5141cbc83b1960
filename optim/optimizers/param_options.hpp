#pragma once
// How an optimizer treats one parameter tensor besides its gradient: learn-rate and L2 factors
// (MATLAB's *LearnRateFactor and *L2Factor, whole-tensor or per GRU gate), whether it is frozen
// (update = false) and the constraint projected after each step.
//
// Per-gate factors split the tensor's last axis into three equal column blocks in the GRU's
// internal gate order, update | reset | candidate (z | r | h). The factors are given in that same
// order; MATLAB lists the three as reset, update, candidate, so a MATLAB vector [r u c] becomes
// {u, r, c} here. The effective rate of a block is the global rate x its factor; its L2
// coefficient is the global L2 regularization x its factor.

#include <array>
#include <memory>
#include <string>

#include "core/shape.hpp"

namespace grutape {

class Constraint;

/// Factors per gate block in internal order: update, reset, candidate.
using GateFactorValues = std::array<double, 3>;

class ParamOptions {
 public:
  /// One learn-rate factor for the whole tensor; default 1.
  ParamOptions& learn_rate_factor(double all);
  /// One learn-rate factor per gate block {update, reset, candidate}; default {1, 1, 1}.
  ParamOptions& learn_rate_factors(const GateFactorValues& update_reset_candidate);
  const GateFactorValues& learn_rate_factors() const { return learn_rate_factors_; }

  /// One L2 factor for the whole tensor; default 1.
  ParamOptions& l2_factor(double all);
  /// One L2 factor per gate block {update, reset, candidate}; default {1, 1, 1}.
  ParamOptions& l2_factors(const GateFactorValues& update_reset_candidate);
  const GateFactorValues& l2_factors() const { return l2_factors_; }

  /// True leaves the tensor bitwise unchanged and creates no optimizer state for it; default false.
  ParamOptions& frozen(bool frozen);
  bool frozen() const { return frozen_; }

  /// Projected onto after every step that changed the tensor; default none (nullptr).
  ParamOptions& constraint(std::shared_ptr<const Constraint> constraint);
  const std::shared_ptr<const Constraint>& constraint() const { return constraint_; }

  /// True when some factor differs between the gate blocks.
  bool per_gate() const;

  /// A ValueError naming `where` unless every factor is finite and >= 0; a ShapeError unless the
  /// last axis of `shape` splits into three blocks when the factors are per gate.
  void validate(const Shape& shape, const std::string& where) const;

 private:
  GateFactorValues learn_rate_factors_{1, 1, 1};
  GateFactorValues l2_factors_{1, 1, 1};
  bool frozen_ = false;
  std::shared_ptr<const Constraint> constraint_;
};

}  // namespace grutape
