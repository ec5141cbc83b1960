#pragma once
// Weight constraints (Keras semantics): projections an optimizer applies to a parameter after each
// step. Norms run over `axis` (default 0: for a kernel (input, units), the norm of each unit's
// incoming weights, as Keras), one norm per position of the other axes; a negative axis counts
// from the end.
//
//   max_norm      w <- w * min(n, max_value) / (eps + n)
//   non_neg       w <- max(w, 0)   (NaN becomes 0 as well)
//   unit_norm     w <- w / (eps + n)
//   min_max_norm  w <- w * (rate * clip(n, min_value, max_value) + (1 - rate) * n) / (eps + n)
//
// with n the L2 norm along the axis and eps = 1e-7 (Keras' fuzz factor, which keeps an all-zero
// column at zero). Norms are summed in double in a fixed order.
//
// Configs name a constraint as {"name": "max_norm", "parameters": {"max_value": 2, "axis": 0}}
// (a NamedSpec). The names are a registry (core/registry.hpp): the four above and every
// constraint a program registers, which options, model files and configs then name like a
// built-in one.

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/tensor.hpp"
#include "layers/params/named_spec.hpp"

namespace grutape {

class Constraint {
 public:
  virtual ~Constraint() = default;
  /// Projects `tensor` in place (an optimizer's own parameter).
  virtual void apply(Tensor& tensor) const = 0;
  /// The name it is registered under: "max_norm", "non_neg", "unit_norm", "min_max_norm", ...
  virtual std::string name() const = 0;
  /// Every numeric parameter by name, so that make_constraint(name(), parameters()) rebuilds it.
  virtual std::map<std::string, double> parameters() const = 0;
};

/// The norm-based constraints: one factor per norm along `axis`.
class NormConstraint : public Constraint {
 public:
  /// A ShapeError naming the constraint when `axis` is out of range for the tensor.
  void apply(Tensor& tensor) const override;
  long axis() const { return axis_; }

 protected:
  explicit NormConstraint(long axis) : axis_(axis) {}
  /// The factor that multiplies every element whose norm along the axis is `norm`.
  virtual double factor(double norm) const = 0;

 private:
  long axis_;
};

class MaxNorm : public NormConstraint {
 public:
  /// A ValueError carrying the value unless max_value > 0 and finite.
  explicit MaxNorm(double max_value = 2, long axis = 0);
  std::string name() const override { return "max_norm"; }
  std::map<std::string, double> parameters() const override;

 protected:
  double factor(double norm) const override;

 private:
  double max_value_;
};

class NonNeg : public Constraint {
 public:
  void apply(Tensor& tensor) const override;
  std::string name() const override { return "non_neg"; }
  std::map<std::string, double> parameters() const override { return {}; }
};

class UnitNorm : public NormConstraint {
 public:
  explicit UnitNorm(long axis = 0) : NormConstraint(axis) {}
  std::string name() const override { return "unit_norm"; }
  std::map<std::string, double> parameters() const override;

 protected:
  double factor(double norm) const override;
};

class MinMaxNorm : public NormConstraint {
 public:
  /// A ValueError carrying the value unless 0 <= min_value <= max_value, max_value > 0 and
  /// rate in [0, 1].
  explicit MinMaxNorm(double min_value = 0, double max_value = 1, double rate = 1, long axis = 0);
  std::string name() const override { return "min_max_norm"; }
  std::map<std::string, double> parameters() const override;

 protected:
  double factor(double norm) const override;

 private:
  double min_value_, max_value_, rate_;
};

/// Builds the constraint a spec names from its parameters; a ValueError naming `where` for a
/// parameter it does not take or a value out of range (require_parameters helps).
using ConstraintFactory = std::function<std::shared_ptr<const Constraint>(
    const NamedSpec& spec, const std::string& where)>;

/// Makes specs naming `name` build their constraint with `factory`; the constraint's name()
/// should be `name`, so that constraint_to_json names it too. A ValueError for an empty name or
/// factory, a built-in name or one registered already.
void register_constraint(const std::string& name, ConstraintFactory factory);
/// Forgets a registered constraint; a ValueError for a built-in name or one not registered.
void unregister_constraint(const std::string& name);

/// The built-ins max_norm, min_max_norm, non_neg and unit_norm, then the registered names, sorted.
std::vector<std::string> constraint_names();

/// The constraint `spec` names; a ValueError naming `where` for an unknown name (listing the
/// known ones), an unknown parameter, a non-integer axis or a value out of range.
std::shared_ptr<const Constraint> constraint_from_spec(const NamedSpec& spec,
                                                       const std::string& where);

/// The constraint `name` with `parameters` (absent ones take the defaults above), as
/// constraint_from_spec.
std::shared_ptr<const Constraint> make_constraint(
    const std::string& name, const std::map<std::string, double>& parameters = {});

/// {"name": ..., "parameters": {...}}.
nlohmann::json constraint_to_json(const Constraint& constraint);

/// The inverse of constraint_to_json; a ValueError for a malformed object, as make_constraint.
std::shared_ptr<const Constraint> constraint_from_json(const nlohmann::json& json);

}  // namespace grutape
