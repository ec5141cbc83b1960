#include "layers/gru/options.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "autodiff/ops/activation.hpp"
#include "core/detail/name_table.hpp"
#include "core/error.hpp"
#include "core/text.hpp"

namespace grutape {
namespace {

constexpr detail::NamedValue<ResetGateMode> kResetGateModeNames[] = {
    {ResetGateMode::before_multiplication, "before_multiplication"},
    {ResetGateMode::after_multiplication, "after_multiplication"},
    {ResetGateMode::recurrent_bias_after_multiplication, "recurrent_bias_after_multiplication"}};
constexpr detail::NamedValue<GruEngine> kGruEngineNames[] = {{GruEngine::composite, "composite"},
                                                             {GruEngine::fused, "fused"},
                                                             {GruEngine::automatic, "auto"}};

void require_activation(const std::string& name, const std::string& option) {
  const auto& names = gru_activation_names();
  if (std::find(names.begin(), names.end(), name) == names.end())
    throw ValueError("GruOptions: " + option, "one of " + join(names), double_quoted(name));
}

void require_rate(double rate, const std::string& option) {
  if (!(rate >= 0 && rate < 1))
    throw ValueError("GruOptions: " + option, "a rate in [0, 1)", format_number(rate));
}

bool valid_name(const std::string& name) {
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
  });
}

}  // namespace

const char* reset_gate_mode_name(ResetGateMode mode) {
  return detail::name_in(kResetGateModeNames, mode, "recurrent_bias_after_multiplication");
}

ResetGateMode reset_gate_mode_from_name(const std::string& name) {
  if (const auto mode = detail::value_named(kResetGateModeNames, name)) return *mode;
  throw ValueError("reset_gate_mode_from_name",
                   "before_multiplication, after_multiplication or "
                   "recurrent_bias_after_multiplication",
                   double_quoted(name));
}

bool has_recurrent_bias(ResetGateMode mode) {
  return mode == ResetGateMode::recurrent_bias_after_multiplication;
}

const char* engine_name(GruEngine engine) {
  return detail::name_in(kGruEngineNames, engine, "auto");
}

GruEngine engine_from_name(const std::string& name) {
  if (const auto engine = detail::value_named(kGruEngineNames, name)) return *engine;
  throw ValueError("engine_from_name", "composite, fused or auto", double_quoted(name));
}

const std::vector<std::string>& gru_activation_names() {
  // The activation family's elementwise functions: softmax and log_softmax normalise along an
  // axis, which would mix the units (and, in the joint update/reset block, the two gates).
  static const std::vector<std::string> names = [] {
    std::vector<std::string> elementwise;
    for (const std::string& name : activation_names())
      if (name != "softmax" && name != "log_softmax") elementwise.push_back(name);
    return elementwise;
  }();
  return names;
}

GruOptions& GruOptions::reset_after(bool value) {
  reset_gate_mode_ = value ? ResetGateMode::recurrent_bias_after_multiplication
                           : ResetGateMode::before_multiplication;
  return *this;
}

GruOptions& GruOptions::output_mode(const std::string& mode) {
  if (mode != "sequence" && mode != "last")
    throw ValueError("GruOptions::output_mode", "\"sequence\" or \"last\"", double_quoted(mode));
  return_sequences_ = mode == "sequence";
  return *this;
}

void GruOptions::validate() const {
  if (units_ == 0) throw ValueError("GruOptions: units", "units >= 1", "0");
  require_activation(activation_, "activation");
  require_activation(recurrent_activation_, "recurrent_activation");
  require_rate(dropout_, "dropout");
  require_rate(recurrent_dropout_, "recurrent_dropout");
  if (implementation_ != 1 && implementation_ != 2) {
    throw ValueError("GruOptions: implementation", "1 or 2", std::to_string(implementation_));
  }
  const PresetInitializers specs = initializers();
  validate_initializer(specs.kernel, "GruOptions: kernel_initializer");
  validate_initializer(specs.recurrent_kernel, "GruOptions: recurrent_initializer");
  validate_initializer(specs.bias, "GruOptions: bias_initializer");
  if (!(std::isfinite(weight_scaling_) && weight_scaling_ > 0)) {
    throw ValueError("GruOptions: weight_scaling", "a finite factor > 0",
                     format_number(weight_scaling_));
  }
  if (depth_ == 0) throw ValueError("GruOptions: depth", "depth >= 1", "0");
  if (!valid_name(name_)) {
    throw ValueError("GruOptions: name", "letters, digits, '_', '-' and '.' only",
                     double_quoted(name_));
  }
  validate_regularizer(kernel_regularizer_, "GruOptions: kernel_regularizer");
  validate_regularizer(recurrent_regularizer_, "GruOptions: recurrent_regularizer");
  validate_regularizer(bias_regularizer_, "GruOptions: bias_regularizer");
  validate_regularizer(activity_regularizer_, "GruOptions: activity_regularizer");
  validate_constraint(kernel_constraint_, "GruOptions: kernel_constraint");
  validate_constraint(recurrent_constraint_, "GruOptions: recurrent_constraint");
  validate_constraint(bias_constraint_, "GruOptions: bias_constraint");
  kernel_learn_rate_factor_.validate("GruOptions: kernel_learn_rate_factor");
  recurrent_learn_rate_factor_.validate("GruOptions: recurrent_learn_rate_factor");
  bias_learn_rate_factor_.validate("GruOptions: bias_learn_rate_factor");
  kernel_l2_factor_.validate("GruOptions: kernel_l2_factor");
  recurrent_l2_factor_.validate("GruOptions: recurrent_l2_factor");
  bias_l2_factor_.validate("GruOptions: bias_l2_factor");
}

PresetInitializers GruOptions::initializers() const {
  // The pytorch preset's bound depends on units; units 0 is reported by validate().
  PresetInitializers specs = preset_initializers(preset_, std::max<std::size_t>(units_, 1));
  if (kernel_initializer_) specs.kernel = *kernel_initializer_;
  if (recurrent_initializer_) specs.recurrent_kernel = *recurrent_initializer_;
  if (bias_initializer_) specs.bias = *bias_initializer_;
  return specs;
}

}  // namespace grutape
