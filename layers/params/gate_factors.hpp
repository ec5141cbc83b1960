#pragma once
// Factors on one parameter tensor's learn rate or L2 coefficient (MATLAB's *LearnRateFactor and
// *L2Factor): one for the whole tensor, or one per gate. Per gate, the tensor's last axis splits
// into equal column blocks, one per gate, in the order in which the layer that owns the tensor
// lays out its gates; the layer names them (a GRU: layers/gru/gates.hpp). Layers state the
// factors in ParameterSettings (parameter_specs.hpp), optimizers apply them
// (optim/optimizers/param_options.hpp): one type from the options to the update.

#include <cstddef>
#include <string>
#include <vector>

#include "core/shape.hpp"

namespace grutape {

class GateFactors {
 public:
  /// The same factor for the whole tensor (implicit, so that a plain number can be passed).
  GateFactors(double all = 1.0) : values_{all} {}
  /// One factor per gate block, in block order: per_gate(1, 2, 3). Equal factors are one factor
  /// for the whole tensor.
  template <class... Rest>
  static GateFactors per_gate(double first, Rest... rest) {
    return from_values({first, static_cast<double>(rest)...});
  }
  /// The same from a list; a ValueError for an empty one.
  static GateFactors from_values(std::vector<double> values);

  /// True when one factor holds for the whole tensor.
  bool uniform() const { return values_.size() == 1; }
  /// How many gate blocks the factors split the last axis into: 1 when uniform.
  std::size_t gates() const { return values_.size(); }
  /// The factor of gate block `gate` (from 0): the one factor when uniform. A ValueError for a
  /// block the factors do not have.
  double operator[](std::size_t gate) const;
  /// The factors in block order: one when uniform.
  const std::vector<double>& values() const { return values_; }

  /// A ValueError naming `where` unless every factor is finite and >= 0.
  void validate(const std::string& where) const;
  /// A ShapeError naming `where` unless the last axis of `shape` splits into gates() equal
  /// blocks; uniform factors fit any shape.
  void require_blocks(const Shape& shape, const std::string& where) const;

  bool operator==(const GateFactors& other) const { return values_ == other.values_; }
  bool operator!=(const GateFactors& other) const { return !(*this == other); }

 private:
  std::vector<double> values_;
};

/// "2" or "(1, 2, 3)", for messages.
std::string to_string(const GateFactors& factors);

}  // namespace grutape
