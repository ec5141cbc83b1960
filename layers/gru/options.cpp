#include "layers/gru/options.hpp"

#include <algorithm>
#include <cctype>

#include <nlohmann/json.hpp>

#include "autodiff/ops/activation.hpp"
#include "core/error.hpp"
#include "core/json_reader.hpp"

namespace grutape {

const char* reset_gate_mode_name(ResetGateMode mode) {
  return enum_name(mode);
}

ResetGateMode reset_gate_mode_from_name(const std::string& name) {
  return enum_from_name<ResetGateMode>(name, "reset_gate_mode_from_name");
}

bool has_recurrent_bias(ResetGateMode mode) {
  return mode == ResetGateMode::recurrent_bias_after_multiplication;
}

const char* engine_name(GruEngine engine) {
  return enum_name(engine);
}

GruEngine engine_from_name(const std::string& name) {
  return enum_from_name<GruEngine>(name, "engine_from_name");
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
    throw ValueError("GruOptions::output_mode", "\"sequence\" or \"last\"", "\"" + mode + "\"");
  return_sequences_ = mode == "sequence";
  return *this;
}

void GruOptions::check_name(const std::string& name, const std::string& where) {
  const bool valid = std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
  });
  if (!valid) throw ValueError(where, "letters, digits, '_', '-' and '.' only", "\"" + name + "\"");
}

void GruOptions::validate() const {
  check_fields(*this, "GruOptions");
}

PresetInitializers GruOptions::initializers() const {
  // The pytorch preset's bound depends on units; units 0 is reported by validate().
  PresetInitializers specs = preset_initializers(preset_, std::max<std::size_t>(units_, 1));
  if (kernel_initializer_) specs.kernel = *kernel_initializer_;
  if (recurrent_initializer_) specs.recurrent_kernel = *recurrent_initializer_;
  if (bias_initializer_) specs.bias = *bias_initializer_;
  return specs;
}

nlohmann::json GruOptions::to_json() const {
  return fields_to_json(*this);
}

GruOptions GruOptions::from_json(const nlohmann::json& json) {
  JsonReader in(json, "GruOptions::from_json");
  GruOptions options(in.size("units"));
  fields_from_json(options, in);
  in.finish();
  options.validate();
  return options;
}

}  // namespace grutape
