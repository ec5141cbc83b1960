#include "layers/layer.hpp"

#include <mutex>
#include <sstream>

#include "autodiff/grad_mode.hpp"
#include "autodiff/ops/gradient.hpp"
#include "core/text.hpp"
#include "layers/params/regularizers.hpp"

namespace grutape {
namespace {

// How many layer calls are running in this thread: 0 outside any.
thread_local std::size_t call_depth = 0;

}  // namespace

std::string unique_layer_name(const std::string& prefix) {
  static std::mutex mutex;
  static std::map<std::string, std::size_t> counters;
  std::lock_guard<std::mutex> lock(mutex);
  return prefix + "_" + std::to_string(++counters[prefix]);
}

Layer::Layer(std::string prefix)
    : type_(prefix),
      prefix_(std::move(prefix)),
      name_(unique_layer_name(prefix_)),
      store_(std::make_shared<GradientStore>()) {}

Layer::~Layer() = default;

void Layer::set_name(std::string name) {
  if (name.empty()) throw ValueError("Layer::set_name", "a non-empty name", "\"\"");
  name_ = std::move(name);
  explicitly_named_ = true;
}

void Layer::set_prefix(std::string prefix) {
  if (prefix.empty()) throw ValueError(name_ + ": set_prefix", "a non-empty prefix", "\"\"");
  prefix_ = std::move(prefix);
  if (!explicitly_named_) name_ = unique_layer_name(prefix_);
}

void Layer::set_flags(const LayerFlags& flags) {
  flags_ = flags;
  store_->enabled = flags.store;
  for (auto& [_, sublayer] : sublayers_) sublayer->set_flags(flags);
}

void Layer::set_training(bool training) {
  flags_.training = training;
  for (auto& [_, sublayer] : sublayers_) sublayer->set_training(training);
}

void Layer::set_store(bool store) {
  flags_.store = store;
  store_->enabled = store;
  for (auto& [_, sublayer] : sublayers_) sublayer->set_store(store);
}

void Layer::set_update(bool update) {
  flags_.update = update;
  for (auto& [_, sublayer] : sublayers_) sublayer->set_update(update);
}

void Layer::set_lda_coeff(double lda_coeff) {
  // Only the outermost layer's input sees the factor: sublayers pass gradients inside the layer.
  flags_.lda_coeff = lda_coeff;
}

void Layer::build(const Shape& input_shape, DType dtype) {
  if (built_) return;
  build_parameters(input_shape, dtype);
  built_input_shape_ = input_shape;
  built_dtype_ = dtype;
  built_ = true;
  // A build may run sample calls (Sequential measures its shapes): their activity terms are not
  // part of any call of the caller's.
  clear_activity_losses();
}

Value Layer::prepare_input(const Value& input) const {
  if (flags_.lda_coeff == 1.0 || !flags_.training) return input;
  return gradient_scale(input, flags_.lda_coeff);
}

Value Layer::operator()(const Value& input) {
  return (*this)(input, Tensor());
}

Layer::CallScope::CallScope(Layer& layer) {
  if (call_depth == 0) layer.clear_activity_losses();
  ++call_depth;
}

Layer::CallScope::~CallScope() {
  --call_depth;
}

void Layer::clear_activity_losses() {
  activity_losses_.clear();
  for (auto& [_, sublayer] : sublayers_) sublayer->clear_activity_losses();
}

std::vector<Value> Layer::activity_losses() const {
  std::vector<Value> result = activity_losses_;
  for (const auto& [_, sublayer] : sublayers_) {
    for (const Value& term : sublayer->activity_losses()) result.push_back(term);
  }
  return result;
}

void Layer::add_activity_regularization(const RegularizerSpec& spec, const Value& output) {
  if (spec.empty() || output.rank() == 0 || output.shape()[0] == 0) return;
  activity_losses_.push_back(activity_regularization_term(spec, output));
}

void Layer::require_own_parameter(const std::string& name, const std::string& where) const {
  std::vector<std::string> names;
  for (const auto& [existing, _] : parameters_) {
    if (existing == name) return;
    names.push_back(existing);
  }
  throw ValueError(name_ + ": " + where, "an own parameter among [" + join(names) + "]",
                   "\"" + name + "\"");
}

ParameterSettings Layer::parameter_settings(const std::string& name) const {
  require_own_parameter(name, "parameter_settings");
  return {};
}

Value Layer::operator()(const Value& input, const Tensor& mask) {
  CallScope scope(*this);
  if (!built_) build(input.shape(), input.dtype());
  auto run = [&](const Value& x) { return mask.defined() ? forward_masked(x, mask) : forward(x); };
  if (!flags_.training) {
    NoGradScope inference;
    return run(input);
  }
  return run(prepare_input(input));
}

Value Layer::forward_masked(const Value& input, const Tensor&) {
  return forward(input);
}

Tensor Layer::output_mask(const Value&, const Tensor& input_mask) const {
  return input_mask;
}

Value Layer::register_parameter(const std::string& name, Tensor initial) {
  for (const auto& [existing, _] : parameters_) {
    if (existing == name)
      throw ValueError(name_ + ": register_parameter", "a new name", "\"" + name + "\" twice");
  }
  Value parameter(std::move(initial), true);
  attach_store_hook(name, parameter);
  parameters_.emplace_back(name, parameter);
  return parameter;
}

void Layer::attach_store_hook(const std::string& name, Value& parameter) {
  // The hook holds the store, not the layer: it stays valid if the layer is freed first.
  parameter.add_hook([store = store_, name](Tensor& grad) {
    if (store->enabled) store->gradients[name] = grad.clone();
  });
}

void Layer::register_sublayer(const std::string& name, std::shared_ptr<Layer> layer) {
  for (const auto& [existing, _] : sublayers_) {
    if (existing == name)
      throw ValueError(name_ + ": register_sublayer", "a new name", "\"" + name + "\" twice");
  }
  sublayers_.emplace_back(name, std::move(layer));
}

std::vector<std::pair<std::string, Value>> Layer::named_parameters() const {
  std::vector<std::pair<std::string, Value>> result = parameters_;
  for (const auto& [prefix, sublayer] : sublayers_) {
    for (const auto& [name, value] : sublayer->named_parameters())
      result.emplace_back(prefix + "." + name, value);
  }
  return result;
}

std::vector<Value> Layer::parameters() const {
  std::vector<Value> result;
  for (const auto& [_, value] : named_parameters()) result.push_back(value);
  return result;
}

std::size_t Layer::parameter_count() const {
  std::size_t count = 0;
  for (const auto& [_, value] : named_parameters()) count += value.value().size();
  return count;
}

Value Layer::parameter(const std::string& name) const {
  std::string known;
  for (const auto& [existing, value] : named_parameters()) {
    if (existing == name) return value;
    known += (known.empty() ? "" : ", ") + existing;
  }
  throw ValueError(name_ + ": parameter", "one of [" + known + "]", "\"" + name + "\"");
}

std::map<std::string, Tensor> Layer::stored_gradients() const {
  std::map<std::string, Tensor> result = store_->gradients;
  for (const auto& [prefix, sublayer] : sublayers_) {
    for (const auto& [name, grad] : sublayer->stored_gradients())
      result[prefix + "." + name] = grad;
  }
  return result;
}

std::string Layer::describe() const {
  std::ostringstream out;
  out << name_ << " (" << type_ << "): " << named_parameters().size() << " parameters, "
      << parameter_count() << " weights";
  return out.str();
}

}  // namespace grutape
