#pragma once
// The optimizer base: named parameters with their options and state, one step over all of them.
//
// step() reads each parameter's gradient and updates the parameter's tensor in place (the one
// place the library writes into tensors it did not create). A parameter without a gradient is
// skipped, as is a frozen one, which then also gets no state. Each derived optimizer supplies the
// update of one tensor as a single fused pass over its elements.
//
// Coupled L2 (MATLAB's L2Regularization x L2Factor) is added to the gradient before the update:
// g <- g + l2 * w. AdamW's decoupled weight decay is its own option.

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "autodiff/value.hpp"
#include "core/fields.hpp"
#include "optim/optimizers/param_options.hpp"

namespace grutape {

/// The rates of one block of a parameter's elements (the whole tensor or one gate block).
struct BlockRates {
  /// The global learning rate x the block's learn-rate factor.
  double learning_rate;
  /// The global L2 regularization x the block's L2 factor.
  double l2;
  /// The block's L2 factor alone (scales AdamW's decoupled decay).
  double l2_factor;
};

/// Element i of a parameter uses rates[(i / run_length) % rates.size()]: one run for a whole
/// tensor, runs of last_extent / gates cycling through the gate blocks for per-gate factors.
struct UpdateBlocks {
  std::size_t run_length = 0;
  std::vector<BlockRates> rates;
};

class Optimizer {
 public:
  virtual ~Optimizer() = default;
  Optimizer(const Optimizer&) = delete;
  Optimizer& operator=(const Optimizer&) = delete;

  /// The algorithm's name ("sgd", "adam", ...), as written in state().
  const std::string& type() const { return type_; }
  /// {"name": type(), "parameters": {every option}}, rebuilt by make_optimizer
  /// (optim/optimizers/optimizer_config.hpp). The learning rate is the options' initial one.
  nlohmann::json config() const;

  /// Registers `parameter` (float32 or float64) under `name`; a ValueError for a used name, a
  /// parameter registered twice or invalid options, a ShapeError for per-gate factors on a
  /// tensor whose last axis does not split into 3 blocks.
  void add_parameter(const std::string& name, Value parameter, ParamOptions options = {});
  /// The registered names in registration order.
  std::vector<std::string> names() const;
  /// The registered parameters in registration order (for the gradient clipping functions).
  std::vector<Value> parameters() const;
  /// The parameter registered as `name`; a ValueError for an unknown name.
  const Value& parameter(const std::string& name) const;
  const ParamOptions& param_options(const std::string& name) const;
  /// Replaces the options of `name`, validated as in add_parameter; its state is kept.
  void set_param_options(const std::string& name, ParamOptions options);

  /// Updates every registered parameter that has a gradient and is not frozen, then applies its
  /// constraint.
  void step();
  /// Drops the gradient of every registered parameter.
  void zero_grad();

  /// The current global learning rate (options' learning_rate until set_learning_rate).
  double learning_rate() const { return learning_rate_; }
  /// A ValueError carrying the value unless `rate` is finite and >= 0.
  void set_learning_rate(double rate);
  /// The number of step() calls so far.
  std::size_t step_count() const { return step_count_; }
  /// True once a step has updated `name` (never for a frozen parameter).
  bool has_state(const std::string& name) const;

  /// Step count, learning rate and every parameter's state (steps, moment tensors) exactly:
  /// {"type", "step_count", "learning_rate", "parameters": {name: {"steps", "slots", "scalars"}}}.
  nlohmann::json state() const;
  /// Restores state() output; a registered parameter absent from it starts fresh. A ValueError or
  /// ShapeError naming the parameter and slot for another optimizer type, an unknown name, a
  /// missing or extra slot, or a slot whose shape or dtype differs from its parameter. The
  /// optimizer is unchanged when it throws.
  void load_state(const nlohmann::json& state);

 protected:
  Optimizer(std::string type, double learning_rate, double l2_regularization);

  /// What one parameter's updates carry from step to step.
  struct ParamState {
    /// Updates so far, including the one running (1 in the first update).
    std::size_t steps = 0;
    /// Tensors shaped like the parameter (moments, accumulators), by name.
    std::map<std::string, Tensor> slots;
    /// Per-parameter numbers (e.g. Nadam's running momentum product), by name.
    std::map<std::string, double> scalars;
  };

  /// Updates `parameter` in place from `grad` (same shape and dtype).
  virtual void update(Tensor& parameter, const Tensor& grad, ParamState& state,
                      const UpdateBlocks& blocks) = 0;
  /// The slots a parameter's state holds under the current options.
  virtual std::vector<std::string> slot_names() const = 0;
  /// Every option by its name in the options struct.
  virtual nlohmann::json options_json() const = 0;
  /// The scalars a parameter's state holds.
  virtual std::vector<std::string> scalar_names() const { return {}; }

  /// The slot `name` of `state`, created shaped like `like` and filled with `initial` if absent.
  static Tensor& slot(ParamState& state, const std::string& name, const Tensor& like,
                      double initial);

 private:
  struct Entry {
    std::string name;
    Value parameter;
    ParamOptions options;
    std::optional<ParamState> state;
  };
  const Entry& entry(const std::string& name, const std::string& where) const;
  Entry& entry(const std::string& name, const std::string& where);
  UpdateBlocks blocks_for(const Entry& entry) const;
  ParamState state_from_json(const Entry& entry, const nlohmann::json& json,
                             const std::string& where) const;

  std::string type_;
  double learning_rate_;
  double l2_regularization_;
  std::size_t step_count_ = 0;
  std::vector<Entry> entries_;
};

/// The fields Adam's family of options shares (Adam, AdamW, Adamax, Nadam), for their field
/// lists: the decays of the two moment estimates and the epsilon of the denominator.
template <class Visit, class Number>
void visit_moment_fields(Visit& visit, Number& beta1, Number& beta2, Number& epsilon) {
  visit("beta1", beta1, ranges::unit_open);
  visit("beta2", beta2, ranges::unit_open);
  visit("epsilon", epsilon, ranges::non_negative);
}

/// An optimizer configured by one options struct with a field list (core/fields.hpp), as every
/// built-in one is: it checks the fields, keeps the options and writes them as its config's
/// parameters. The struct has learning_rate and l2_regularization among its fields.
template <class Options>
class OptimizerWith : public Optimizer {
 public:
  /// The options, as checked.
  const Options& options() const { return options_; }

 protected:
  /// A ValueError naming `type` and the field for a value out of its range.
  OptimizerWith(const std::string& type, Options options)
      : Optimizer(type, checked(options, type).learning_rate(), options.l2_regularization()),
        options_(std::move(options)) {}
  nlohmann::json options_json() const override { return fields_to_json(options_); }

 private:
  static const Options& checked(const Options& options, const std::string& type) {
    check_fields(options, type);
    return options;
  }

  Options options_;
};

}  // namespace grutape
