#pragma once
// Every option of the GRU layer, with chained setters, documented defaults, validation and JSON;
// the one field list (GruOptions::fields, core/fields.hpp) gives the JSON keys and the checks.
// Where Keras, PyTorch and MATLAB differ the defaults are Keras' (reset_after=True, glorot_uniform
// / orthogonal / zeros, return_sequences false). The cell's equations for each reset gate mode
// are in layers/gru/composite/cell.hpp; the internal weights W (input, 3 * units), U (units, 3 *
// units), b and rb (3 * units, rb only in recurrent_bias_after_multiplication) in
// layers/gru/weights.hpp; the gate blocks in layers/gru/gates.hpp.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/enum_names.hpp"
#include "core/fields.hpp"
#include "core/option_arg.hpp"
#include "layers/gru/gates.hpp"
#include "layers/params/initializers.hpp"
#include "layers/params/parameter_specs.hpp"

namespace grutape {

/// Where the reset gate enters the candidate (see the equations above).
enum class ResetGateMode {
  before_multiplication,
  after_multiplication,
  recurrent_bias_after_multiplication
};

template <>
struct EnumNames<ResetGateMode> {
  static constexpr NamedValue<ResetGateMode> values[] = {
      {ResetGateMode::before_multiplication, "before_multiplication"},
      {ResetGateMode::after_multiplication, "after_multiplication"},
      {ResetGateMode::recurrent_bias_after_multiplication, "recurrent_bias_after_multiplication"}};
};

/// "before_multiplication", "after_multiplication", "recurrent_bias_after_multiplication".
const char* reset_gate_mode_name(ResetGateMode mode);
/// The inverse of reset_gate_mode_name; a ValueError names the unknown string.
ResetGateMode reset_gate_mode_from_name(const std::string& name);
/// True only for recurrent_bias_after_multiplication, the one mode with a recurrent bias.
bool has_recurrent_bias(ResetGateMode mode);

/// Which implementation runs the layer: the cell composed of primitive ops, the fused kernel, or
/// automatic (the fused kernel; the layer reports which one ran).
enum class GruEngine { composite, fused, automatic };

template <>
struct EnumNames<GruEngine> {
  static constexpr NamedValue<GruEngine> values[] = {{GruEngine::composite, "composite"},
                                                     {GruEngine::fused, "fused"},
                                                     {GruEngine::automatic, "auto"}};
};

/// "composite", "fused", "auto".
const char* engine_name(GruEngine engine);
/// The inverse of engine_name; a ValueError names the unknown string.
GruEngine engine_from_name(const std::string& name);

/// The activation names the GRU accepts for its state and gate activations: activation_names()
/// of autodiff/ops/activation.hpp without softmax and log_softmax, which are not elementwise.
const std::vector<std::string>& gru_activation_names();

class GruOptions {
 public:
  explicit GruOptions(std::size_t units) : units_(units) {}

  /// Hidden units (Keras units, MATLAB NumHiddenUnits, PyTorch hidden_size); no default.
  GRUTAPE_ARG(std::size_t, units);
  /// Input features; default 0: taken from the first input's last extent (MATLAB "auto").
  GRUTAPE_ARG_DEFAULT(std::size_t, input_size, 0);
  /// State (candidate) activation, any of gru_activation_names(); default "tanh".
  GRUTAPE_ARG_DEFAULT(std::string, activation, "tanh");
  /// Gate activation of z and r, any of gru_activation_names(); default "sigmoid".
  GRUTAPE_ARG_DEFAULT(std::string, recurrent_activation, "sigmoid");
  /// Whether the layer has a bias (and a recurrent bias where the mode has one); default true.
  GRUTAPE_ARG_DEFAULT(bool, use_bias, true);
  /// Where the reset gate enters the candidate; default recurrent_bias_after_multiplication.
  GRUTAPE_ARG_DEFAULT(ResetGateMode, reset_gate_mode,
                      ResetGateMode::recurrent_bias_after_multiplication);
  /// Output every step (batch, timesteps, units), not only the last (batch, units); default false.
  GRUTAPE_ARG_DEFAULT(bool, return_sequences, false);
  /// Also return the final state as a second output; default false.
  GRUTAPE_ARG_DEFAULT(bool, return_state, false);
  /// The final state of sample i is the initial state of sample i in the next call; default false.
  GRUTAPE_ARG_DEFAULT(bool, stateful, false);
  /// Read the sequence last step first; the output sequence is in reading order; default false.
  GRUTAPE_ARG_DEFAULT(bool, go_backwards, false);
  /// Variational dropout rate on the inputs, in [0, 1), training only; default 0.
  GRUTAPE_ARG_DEFAULT(double, dropout, 0.0);
  /// Variational dropout rate on the recurrent state, in [0, 1), training only; default 0.
  GRUTAPE_ARG_DEFAULT(double, recurrent_dropout, 0.0);
  /// Keras' unroll: accepted for compatibility, the numbers do not depend on it; default false.
  GRUTAPE_ARG_DEFAULT(bool, unroll, false);
  /// 1: input projection per gate, 2: one product for all gates (same numbers); default 2.
  GRUTAPE_ARG_DEFAULT(int, implementation, 2);
  /// Kernel initializer; default none: the preset's (keras: glorot_uniform).
  GRUTAPE_ARG(std::optional<InitializerSpec>, kernel_initializer);
  /// Recurrent kernel initializer; default none: the preset's (keras: orthogonal).
  GRUTAPE_ARG(std::optional<InitializerSpec>, recurrent_initializer);
  /// Bias and recurrent bias initializer; default none: the preset's (keras: zeros).
  GRUTAPE_ARG(std::optional<InitializerSpec>, bias_initializer);
  /// Multiplies the initial kernel and recurrent kernel (Korali's weight scaling); default 1.
  GRUTAPE_ARG_DEFAULT(double, weight_scaling, 1.0);
  /// The initializers of tensors without an explicit one; default keras.
  GRUTAPE_ARG_DEFAULT(InitializerPreset, preset, InitializerPreset::keras);
  /// Stacked copies, layer k + 1 reading layer k's sequence output (Korali's depth); default 1.
  GRUTAPE_ARG_DEFAULT(std::size_t, depth, 1);
  /// Layer name of letters, digits, '_', '-', '.'; default "": generated from "gru" + an index.
  GRUTAPE_ARG_DEFAULT(std::string, name, "");
  /// The implementation to run; default automatic ("auto": the fused kernel).
  GRUTAPE_ARG_DEFAULT(GruEngine, engine, GruEngine::automatic);
  /// Regularizer of the kernel; default none.
  GRUTAPE_ARG(RegularizerSpec, kernel_regularizer);
  /// Regularizer of the recurrent kernel; default none.
  GRUTAPE_ARG(RegularizerSpec, recurrent_regularizer);
  /// Regularizer of the bias and recurrent bias; default none.
  GRUTAPE_ARG(RegularizerSpec, bias_regularizer);
  /// Regularizer of the output (the sequence or the last state), a loss term per call
  /// (layers/params/regularizers.hpp); default none.
  GRUTAPE_ARG(RegularizerSpec, activity_regularizer);
  /// Constraint on the kernel; default none.
  GRUTAPE_ARG(ConstraintSpec, kernel_constraint);
  /// Constraint on the recurrent kernel; default none.
  GRUTAPE_ARG(ConstraintSpec, recurrent_constraint);
  /// Constraint on the bias and recurrent bias; default none.
  GRUTAPE_ARG(ConstraintSpec, bias_constraint);
  /// Learn-rate factor of the kernel, one or per gate; default 1.
  GRUTAPE_ARG(GateFactors, kernel_learn_rate_factor);
  /// Learn-rate factor of the recurrent kernel, one or per gate; default 1.
  GRUTAPE_ARG(GateFactors, recurrent_learn_rate_factor);
  /// Learn-rate factor of the bias and recurrent bias, one or per gate; default 1.
  GRUTAPE_ARG(GateFactors, bias_learn_rate_factor);
  /// L2 factor of the kernel, one or per gate; default 1.
  GRUTAPE_ARG(GateFactors, kernel_l2_factor);
  /// L2 factor of the recurrent kernel, one or per gate; default 1.
  GRUTAPE_ARG(GateFactors, recurrent_l2_factor);
  /// L2 factor of the bias and recurrent bias, one or per gate; default 0 (MATLAB's BiasL2Factor).
  GRUTAPE_ARG_DEFAULT(GateFactors, bias_l2_factor, 0.0);
  /// Seed of the initializers and the dropout masks; default none: the process-wide source.
  GRUTAPE_ARG(std::optional<std::uint64_t>, seed);
  /// Check every input for NaN and throw a ValueError naming where; default false.
  GRUTAPE_ARG_DEFAULT(bool, check_nan, false);

 public:
  /// Keras' reset_after: true sets recurrent_bias_after_multiplication, false
  /// before_multiplication.
  GruOptions& reset_after(bool value);
  /// MATLAB's OutputMode: "sequence" sets return_sequences, "last" clears it; a ValueError else.
  GruOptions& output_mode(const std::string& mode);

  /// A ValueError naming the first invalid option and carrying its value.
  void validate() const;
  /// The initializers in effect: each explicit one, else the preset's.
  PresetInitializers initializers() const;

  /// Every option under its own name; enums as their names, unset optionals as null.
  nlohmann::json to_json() const;
  /// The inverse of to_json: "units" is required, absent keys keep their defaults, unknown keys
  /// and wrong types are a ValueError naming the key; the result is validated.
  static GruOptions from_json(const nlohmann::json& json);

  /// Every option, in the order above, as its JSON key with its check (core/fields.hpp): the one
  /// list behind to_json, from_json and validate. The initializers are checked as given; unset,
  /// they are the preset's, which are valid.
  template <class Self, class Visit>
  static void fields(Self& self, Visit&& visit) {
    static constexpr Range implementations{"1 or 2", [](double v) { return v == 1 || v == 2; }};
    static constexpr OneOf activations{gru_activation_names};
    visit("units", self.units_, ranges::at_least_one);
    visit("input_size", self.input_size_);
    visit("activation", self.activation_, activations);
    visit("recurrent_activation", self.recurrent_activation_, activations);
    visit("use_bias", self.use_bias_);
    visit("reset_gate_mode", self.reset_gate_mode_);
    visit("return_sequences", self.return_sequences_);
    visit("return_state", self.return_state_);
    visit("stateful", self.stateful_);
    visit("go_backwards", self.go_backwards_);
    visit("dropout", self.dropout_, ranges::unit_open);
    visit("recurrent_dropout", self.recurrent_dropout_, ranges::unit_open);
    visit("unroll", self.unroll_);
    visit("implementation", self.implementation_, implementations);
    visit("kernel_initializer", self.kernel_initializer_, &validate_initializer);
    visit("recurrent_initializer", self.recurrent_initializer_, &validate_initializer);
    visit("bias_initializer", self.bias_initializer_, &validate_initializer);
    visit("weight_scaling", self.weight_scaling_, ranges::positive);
    visit("preset", self.preset_);
    visit("depth", self.depth_, ranges::at_least_one);
    visit("name", self.name_, &check_name);
    visit("engine", self.engine_);
    visit("kernel_regularizer", self.kernel_regularizer_, &validate_regularizer);
    visit("recurrent_regularizer", self.recurrent_regularizer_, &validate_regularizer);
    visit("bias_regularizer", self.bias_regularizer_, &validate_regularizer);
    visit("activity_regularizer", self.activity_regularizer_, &validate_regularizer);
    visit("kernel_constraint", self.kernel_constraint_, &validate_constraint);
    visit("recurrent_constraint", self.recurrent_constraint_, &validate_constraint);
    visit("bias_constraint", self.bias_constraint_, &validate_constraint);
    // Gate factors are written by gate name, and checked for the GRU's three gates.
    static constexpr JsonForm<GateFactors> by_gate{gru_gate_factors_to_json,
                                                   gru_gate_factors_from_json};
    constexpr auto gate_check = &validate_gru_gate_factors;
    visit("kernel_learn_rate_factor", self.kernel_learn_rate_factor_, by_gate, gate_check);
    visit("recurrent_learn_rate_factor", self.recurrent_learn_rate_factor_, by_gate, gate_check);
    visit("bias_learn_rate_factor", self.bias_learn_rate_factor_, by_gate, gate_check);
    visit("kernel_l2_factor", self.kernel_l2_factor_, by_gate, gate_check);
    visit("recurrent_l2_factor", self.recurrent_l2_factor_, by_gate, gate_check);
    visit("bias_l2_factor", self.bias_l2_factor_, by_gate, gate_check);
    visit("seed", self.seed_);
    visit("check_nan", self.check_nan_);
  }

 private:
  /// A ValueError naming `where` unless `name` has only letters, digits, '_', '-' and '.'.
  static void check_name(const std::string& name, const std::string& where);
};

}  // namespace grutape
