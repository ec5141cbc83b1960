#include "layers/gru/gru.hpp"

#include <sstream>

#include <nlohmann/json.hpp>

#include "autodiff/grad_mode.hpp"
#include "core/json_reader.hpp"
#include "layers/gru/detail/dropout.hpp"
#include "layers/gru/fused/engine.hpp"
#include "layers/layer_json.hpp"

namespace grutape {
namespace {

// Mixed into the options' seed for the dropout source, so that masks do not repeat the draws of
// the initial weights (which use the seed itself).
constexpr std::uint64_t kDropoutSeedMix = 0x9E3779B97F4A7C15ull;

}  // namespace

std::string gru_parameter_name(const std::string& base, std::size_t level) {
  return level == 1 ? base : base + "_" + std::to_string(level);
}

Gru::Gru(GruOptions options) : Layer("gru"), options_(std::move(options)) {
  options_.validate();
  if (!options_.name().empty()) set_name(options_.name());
  if (options_.seed()) {
    dropout_random_.emplace(*options_.seed() ^ kDropoutSeedMix);
    register_random("dropout_masks", &*dropout_random_);
  }
  register_gru_states();
}

void Gru::build_parameters(const Shape& input_shape, DType dtype) {
  require_gru_input_rank(input_shape, name());
  const std::size_t features = input_shape[2];
  if (options_.input_size() != 0 && options_.input_size() != features) {
    throw ShapeError(name(),
                     "input of " + std::to_string(options_.input_size()) + " features (input_size)",
                     "shape " + shape_to_string(input_shape));
  }
  if (features == 0) throw ShapeError(name(), "input of at least 1 feature", "shape (..., 0)");
  dtype_ = dtype;
  features_ = features;
  // One source for every level, drawn level by level: a seed reproduces the whole stack.
  std::optional<Random> seeded;
  if (options_.seed()) seeded.emplace(*options_.seed());
  Random& random = seeded ? *seeded : default_random();
  const GruOptions drawing = GruOptions(options_).input_size(0);
  for (std::size_t level = 1; level <= options_.depth(); ++level) {
    const GruWeights w = initialize_gru_weights(drawing, level_features(level), dtype, random);
    GruLevelWeights values;
    values.kernel = register_parameter(gru_parameter_name("kernel", level), w.kernel);
    values.recurrent_kernel =
        register_parameter(gru_parameter_name("recurrent_kernel", level), w.recurrent_kernel);
    if (w.bias.defined())
      values.bias = register_parameter(gru_parameter_name("bias", level), w.bias);
    if (w.recurrent_bias.defined()) {
      values.recurrent_bias =
          register_parameter(gru_parameter_name("recurrent_bias", level), w.recurrent_bias);
    }
    levels_.push_back(values);
  }
}

Value Gru::forward(const Value& x) {
  return compute(x, {}).output;
}

GruResult Gru::run(const Value& x, const GruInputs& inputs) {
  CallScope scope(*this);
  if (!x.defined()) throw ValueError(name(), "an input value", "none");
  require_gru_input_rank(x.shape(), name());
  if (!flags().training) {
    NoGradScope inference;
    return compute(x, inputs);
  }
  GruInputs prepared = inputs;
  for (Value& state : prepared.initial_states)
    if (state.defined()) state = prepare_input(state);
  return compute(prepare_input(x), prepared);
}

GruResult Gru::compute(const Value& x, GruInputs inputs) {
  require_gru_input_rank(x.shape(), name());
  if (!built()) build(x.shape(), x.dtype());
  if (x.dtype() != dtype_) {
    throw ValueError(name(), std::string("input of dtype ") + dtype_name(dtype_) + " (the layer's)",
                     dtype_name(x.dtype()));
  }
  const std::size_t batch = x.shape()[0];
  if (inputs.initial_states.empty()) inputs.initial_states = default_states(batch);
  inputs.dropout_masks = dropout_masks(x, inputs);
  last_dropout_masks_ = inputs.dropout_masks;
  const GruEngine engine = this->engine();
  GruResult result = engine == GruEngine::fused
                         ? run_gru_fused(options_, levels_, x, inputs, name())
                         : run_gru_composite(options_, levels_, x, inputs, name());
  engine_used_ = engine;
  add_activity_regularization(options_.activity_regularizer(), result.output);
  if (options_.stateful()) {
    // Carried as plain tensors: the next call does not backpropagate into this one.
    states_.clear();
    for (const Value& state : result.states) states_.push_back(state.value());
  }
  return result;
}

std::vector<GruDropoutMasks> Gru::dropout_masks(const Value& x, const GruInputs& inputs) {
  if (!flags().training) return {};
  if (!inputs.dropout_masks.empty()) return inputs.dropout_masks;
  if (options_.dropout() == 0 && options_.recurrent_dropout() == 0) return {};
  Random& random = dropout_random_ ? *dropout_random_ : default_random();
  std::vector<GruDropoutMasks> masks;
  for (std::size_t level = 1; level <= options_.depth(); ++level) {
    masks.push_back(draw_gru_dropout_masks(
        options_.dropout(), options_.recurrent_dropout(), x.shape()[0],
        level == 1 ? x.shape()[2] : options_.units(), options_.units(), x.dtype(), random));
  }
  return masks;
}

GruEngine Gru::engine() const {
  return options_.engine() == GruEngine::composite ? GruEngine::composite : GruEngine::fused;
}

ParameterSettings Gru::parameter_settings(const std::string& name) const {
  require_own_parameter(name, "parameter_settings");
  // The name without its level suffix: "recurrent_kernel_2" -> "recurrent_kernel".
  std::string base = name;
  for (std::size_t level = 2; level <= options_.depth(); ++level) {
    const std::string suffix = "_" + std::to_string(level);
    if (base.size() > suffix.size() &&
        base.compare(base.size() - suffix.size(), suffix.size(), suffix) == 0) {
      base.resize(base.size() - suffix.size());
      break;
    }
  }
  ParameterSettings settings;
  if (base == "kernel") {
    settings = {options_.kernel_regularizer(), options_.kernel_constraint(),
                options_.kernel_learn_rate_factor(), options_.kernel_l2_factor()};
  } else if (base == "recurrent_kernel") {
    settings = {options_.recurrent_regularizer(), options_.recurrent_constraint(),
                options_.recurrent_learn_rate_factor(), options_.recurrent_l2_factor()};
  } else {
    settings = {options_.bias_regularizer(), options_.bias_constraint(),
                options_.bias_learn_rate_factor(), options_.bias_l2_factor()};
  }
  return settings;
}

std::size_t Gru::level_features(std::size_t level) const {
  return level == 1 ? features_ : options_.units();
}

void Gru::require_built(const std::string& where) const {
  if (!built()) {
    throw ValueError(name() + ": " + where, "a built layer (call it, or set level 1's weights)",
                     "one not built yet");
  }
}

void Gru::require_level(std::size_t level, const std::string& where) const {
  if (level == 0 || level > options_.depth()) {
    throw ValueError(name() + ": " + where,
                     "a level in 1.." + std::to_string(options_.depth()) + " (depth)",
                     std::to_string(level));
  }
}

GruWeights Gru::weights(std::size_t level) const {
  require_level(level, "weights");
  require_built("weights");
  const GruLevelWeights& w = levels_[level - 1];
  const auto copy = [](const Value& v) { return v.defined() ? v.value().clone() : Tensor(); };
  return {copy(w.kernel), copy(w.recurrent_kernel), copy(w.bias), copy(w.recurrent_bias)};
}

void Gru::set_weights(const GruWeights& weights, std::size_t level) {
  const std::string where = name() + ": set_weights";
  require_level(level, "set_weights");
  if (!built()) {
    if (level != 1) require_built("set_weights");
    const std::size_t features = gru_input_size(weights, where);
    build({0, 0, features}, weights.kernel.dtype());
  }
  check_gru_weights(weights, GruOptions(options_).input_size(level_features(level)), where);
  GruLevelWeights& w = levels_[level - 1];
  // Copies: the caller's tensors are not aliased by parameters that optimizers update in place.
  const auto assign = [this](Value& parameter, const Tensor& tensor) {
    if (parameter.defined()) parameter.mutable_value() = tensor.to(dtype_);
  };
  assign(w.kernel, weights.kernel);
  assign(w.recurrent_kernel, weights.recurrent_kernel);
  assign(w.bias, weights.bias);
  assign(w.recurrent_bias, weights.recurrent_bias);
}

std::map<std::string, Tensor> Gru::get_weights(GruLayout layout, std::size_t level) const {
  return gru_weights_to_map(layout, weights(level),
                            GruOptions(options_).input_size(level_features(level)));
}

void Gru::set_weights(GruLayout layout, const std::map<std::string, Tensor>& tensors,
                      std::size_t level) {
  require_level(level, "set_weights");
  const std::size_t features = built() ? level_features(level) : options_.input_size();
  set_weights(gru_weights_from_map(layout, tensors, GruOptions(options_).input_size(features)),
              level);
}

nlohmann::json Gru::to_json() const {
  nlohmann::json json = layer_json_header(*this);
  json["options"] = options_.to_json();
  json["options"]["name"] = name();
  return json;
}

std::shared_ptr<Gru> Gru::from_json(const nlohmann::json& json) {
  JsonReader in(json, "Gru::from_json");
  const LayerHeader header = read_layer_header(in, "gru");
  std::optional<GruOptions> options;
  try {
    options = GruOptions::from_json(in.value("options"));
  } catch (const ValueError& error) {
    throw ValueError(in.where("options") + ": " + error.what());
  }
  in.finish();
  auto layer = std::make_shared<Gru>(*options);
  apply_layer_header(header, *layer);
  return layer;
}

std::string Gru::summary_type() const {
  return type() + ", " + engine_name(engine());
}

std::string Gru::describe() const {
  std::ostringstream out;
  out << name() << " (gru): " << options_.units() << " units, depth " << options_.depth() << ", "
      << reset_gate_mode_name(options_.reset_gate_mode()) << ", " << options_.activation() << "/"
      << options_.recurrent_activation() << ", "
      << (options_.return_sequences() ? "sequence" : "last") << "; ";
  if (built()) {
    out << named_parameters().size() << " parameters, " << parameter_count() << " weights";
  } else {
    out << "not built";
  }
  return out.str();
}

}  // namespace grutape
