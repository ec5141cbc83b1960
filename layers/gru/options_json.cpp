// GruOptions to and from JSON: one key per option, named like the option.

#include <algorithm>
#include <climits>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/json_reader.hpp"
#include "layers/gru/options.hpp"

namespace grutape {
namespace {

nlohmann::json optional_spec_to_json(const std::optional<InitializerSpec>& spec) {
  return spec ? spec->to_json() : nlohmann::json(nullptr);
}

std::optional<InitializerSpec> optional_spec_from_json(
    JsonReader& in, const std::string& key, const std::optional<InitializerSpec>& fallback) {
  if (!in.has(key)) return fallback;
  const nlohmann::json& json = in.value(key);
  if (json.is_null()) return std::nullopt;
  return NamedSpec::from_json(json, in.where(key));
}

NamedSpec spec_from_json(JsonReader& in, const std::string& key, const NamedSpec& fallback) {
  return in.has(key) ? NamedSpec::from_json(in.value(key), in.where(key)) : fallback;
}

GateFactors factors_from_json(JsonReader& in, const std::string& key, const GateFactors& fallback) {
  return in.has(key) ? gru_gate_factors_from_json(in.value(key), in.where(key)) : fallback;
}

// Reads an enum by name, rethrowing the parser's error under the key.
template <class Parse>
auto enum_from_json(JsonReader& in, const std::string& key, Parse parse, const char* fallback) {
  const std::string name = in.string(key, fallback);
  try {
    return parse(name);
  } catch (const ValueError& error) {
    throw ValueError(in.where(key) + ": " + error.what());
  }
}

}  // namespace

nlohmann::json GruOptions::to_json() const {
  nlohmann::json json;
  json["units"] = units_;
  json["input_size"] = input_size_;
  json["activation"] = activation_;
  json["recurrent_activation"] = recurrent_activation_;
  json["use_bias"] = use_bias_;
  json["reset_gate_mode"] = reset_gate_mode_name(reset_gate_mode_);
  json["return_sequences"] = return_sequences_;
  json["return_state"] = return_state_;
  json["stateful"] = stateful_;
  json["go_backwards"] = go_backwards_;
  json["dropout"] = dropout_;
  json["recurrent_dropout"] = recurrent_dropout_;
  json["unroll"] = unroll_;
  json["implementation"] = implementation_;
  json["kernel_initializer"] = optional_spec_to_json(kernel_initializer_);
  json["recurrent_initializer"] = optional_spec_to_json(recurrent_initializer_);
  json["bias_initializer"] = optional_spec_to_json(bias_initializer_);
  json["weight_scaling"] = weight_scaling_;
  json["preset"] = preset_name(preset_);
  json["depth"] = depth_;
  json["name"] = name_;
  json["engine"] = engine_name(engine_);
  json["kernel_regularizer"] = kernel_regularizer_.to_json();
  json["recurrent_regularizer"] = recurrent_regularizer_.to_json();
  json["bias_regularizer"] = bias_regularizer_.to_json();
  json["activity_regularizer"] = activity_regularizer_.to_json();
  json["kernel_constraint"] = kernel_constraint_.to_json();
  json["recurrent_constraint"] = recurrent_constraint_.to_json();
  json["bias_constraint"] = bias_constraint_.to_json();
  json["kernel_learn_rate_factor"] = gru_gate_factors_to_json(kernel_learn_rate_factor_);
  json["recurrent_learn_rate_factor"] = gru_gate_factors_to_json(recurrent_learn_rate_factor_);
  json["bias_learn_rate_factor"] = gru_gate_factors_to_json(bias_learn_rate_factor_);
  json["kernel_l2_factor"] = gru_gate_factors_to_json(kernel_l2_factor_);
  json["recurrent_l2_factor"] = gru_gate_factors_to_json(recurrent_l2_factor_);
  json["bias_l2_factor"] = gru_gate_factors_to_json(bias_l2_factor_);
  json["seed"] = seed_ ? nlohmann::json(*seed_) : nlohmann::json(nullptr);
  json["check_nan"] = check_nan_;
  return json;
}

GruOptions GruOptions::from_json(const nlohmann::json& json) {
  JsonReader in(json, "GruOptions::from_json");
  GruOptions o(in.size("units"));
  o.input_size(in.size("input_size", o.input_size()));
  o.activation(in.string("activation", o.activation()));
  o.recurrent_activation(in.string("recurrent_activation", o.recurrent_activation()));
  o.use_bias(in.boolean("use_bias", o.use_bias()));
  o.reset_gate_mode(enum_from_json(in, "reset_gate_mode", reset_gate_mode_from_name,
                                   reset_gate_mode_name(o.reset_gate_mode())));
  o.return_sequences(in.boolean("return_sequences", o.return_sequences()));
  o.return_state(in.boolean("return_state", o.return_state()));
  o.stateful(in.boolean("stateful", o.stateful()));
  o.go_backwards(in.boolean("go_backwards", o.go_backwards()));
  o.dropout(in.number("dropout", o.dropout()));
  o.recurrent_dropout(in.number("recurrent_dropout", o.recurrent_dropout()));
  o.unroll(in.boolean("unroll", o.unroll()));
  // Clamped so that a huge value is reported as itself-or-larger by validate(), not wrapped.
  o.implementation(static_cast<int>(
      std::min<std::size_t>(in.size("implementation", std::size_t(o.implementation())), INT_MAX)));
  o.kernel_initializer(optional_spec_from_json(in, "kernel_initializer", o.kernel_initializer()));
  o.recurrent_initializer(
      optional_spec_from_json(in, "recurrent_initializer", o.recurrent_initializer()));
  o.bias_initializer(optional_spec_from_json(in, "bias_initializer", o.bias_initializer()));
  o.weight_scaling(in.number("weight_scaling", o.weight_scaling()));
  o.preset(enum_from_json(in, "preset", preset_from_name, preset_name(o.preset())));
  o.depth(in.size("depth", o.depth()));
  o.name(in.string("name", o.name()));
  o.engine(enum_from_json(in, "engine", engine_from_name, engine_name(o.engine())));
  o.kernel_regularizer(spec_from_json(in, "kernel_regularizer", o.kernel_regularizer()));
  o.recurrent_regularizer(spec_from_json(in, "recurrent_regularizer", o.recurrent_regularizer()));
  o.bias_regularizer(spec_from_json(in, "bias_regularizer", o.bias_regularizer()));
  o.activity_regularizer(spec_from_json(in, "activity_regularizer", o.activity_regularizer()));
  o.kernel_constraint(spec_from_json(in, "kernel_constraint", o.kernel_constraint()));
  o.recurrent_constraint(spec_from_json(in, "recurrent_constraint", o.recurrent_constraint()));
  o.bias_constraint(spec_from_json(in, "bias_constraint", o.bias_constraint()));
  o.kernel_learn_rate_factor(
      factors_from_json(in, "kernel_learn_rate_factor", o.kernel_learn_rate_factor()));
  o.recurrent_learn_rate_factor(
      factors_from_json(in, "recurrent_learn_rate_factor", o.recurrent_learn_rate_factor()));
  o.bias_learn_rate_factor(
      factors_from_json(in, "bias_learn_rate_factor", o.bias_learn_rate_factor()));
  o.kernel_l2_factor(factors_from_json(in, "kernel_l2_factor", o.kernel_l2_factor()));
  o.recurrent_l2_factor(factors_from_json(in, "recurrent_l2_factor", o.recurrent_l2_factor()));
  o.bias_l2_factor(factors_from_json(in, "bias_l2_factor", o.bias_l2_factor()));
  if (in.has("seed")) {
    if (in.value("seed").is_null()) {
      o.seed(std::nullopt);
    } else {
      o.seed(in.unsigned_integer("seed"));
    }
  }
  o.check_nan(in.boolean("check_nan", o.check_nan()));
  in.finish();
  o.validate();
  return o;
}

}  // namespace grutape
