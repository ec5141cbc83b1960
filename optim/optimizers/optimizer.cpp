#include "optim/optimizers/optimizer.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "core/detail/option_checks.hpp"
#include "layers/params/constraint.hpp"
#include "optim/optimizers/detail/state_json.hpp"

namespace grutape {
namespace {

std::string in_quotes(const std::string& name) {
  return "'" + name + "'";
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "" : ", ") + name;
  return out.empty() ? "none" : out;
}

// json[key], or a ValueError naming `where` and the key.
const nlohmann::json& member(const nlohmann::json& json, const std::string& key,
                             const std::string& where) {
  if (!json.is_object() || !json.contains(key)) {
    throw ValueError(where, "an object with key \"" + key + "\"", json.dump().substr(0, 80));
  }
  return json.at(key);
}

std::size_t count_member(const nlohmann::json& json, const std::string& key,
                         const std::string& where) {
  const auto& value = member(json, key, where);
  if (!value.is_number_unsigned()) {
    throw ValueError(where, "a non-negative integer \"" + key + "\"", value.dump());
  }
  return value.get<std::size_t>();
}

double hex_member(const nlohmann::json& json, const std::string& key, const std::string& where) {
  const auto& value = member(json, key, where);
  if (!value.is_string()) throw ValueError(where, "a hex string \"" + key + "\"", value.dump());
  return double_from_hex(value.get<std::string>(), where + " " + key);
}

// The keys of a JSON object, which must be exactly `expected` (in any order).
void require_keys(const nlohmann::json& json, std::vector<std::string> expected,
                  const std::string& where) {
  if (!json.is_object()) throw ValueError(where, "an object", json.dump().substr(0, 80));
  std::vector<std::string> got;
  for (const auto& item : json.items()) got.push_back(item.key());
  std::sort(expected.begin(), expected.end());
  std::sort(got.begin(), got.end());
  if (got != expected) throw ValueError(where, "keys (" + joined(expected) + ")", joined(got));
}

}  // namespace

Optimizer::Optimizer(std::string type, double learning_rate, double l2_regularization)
    : type_(std::move(type)), learning_rate_(learning_rate), l2_regularization_(l2_regularization) {
  detail::require_option(detail::finite_non_negative(learning_rate), type_, "learning_rate",
                         ">= 0 and finite", learning_rate);
  detail::require_option(detail::finite_non_negative(l2_regularization), type_, "l2_regularization",
                         ">= 0 and finite", l2_regularization);
}

void Optimizer::add_parameter(const std::string& name, Value parameter, ParamOptions options) {
  const std::string where = type_ + "::add_parameter " + in_quotes(name);
  if (!parameter.defined()) throw ValueError(where, "a defined parameter", "an undefined value");
  for (const auto& existing : entries_) {
    if (existing.name == name) throw ValueError(where, "a new name", "a name already registered");
    if (existing.parameter.slot() == parameter.slot()) {
      throw ValueError(where, "a parameter not yet registered",
                       "the parameter registered as " + in_quotes(existing.name));
    }
  }
  options.validate(parameter.shape(), where);
  entries_.push_back(Entry{name, std::move(parameter), std::move(options), std::nullopt});
}

nlohmann::json Optimizer::config() const {
  return {{"name", type_}, {"parameters", options_json()}};
}

std::vector<std::string> Optimizer::names() const {
  std::vector<std::string> result;
  for (const auto& e : entries_) result.push_back(e.name);
  return result;
}

std::vector<Value> Optimizer::parameters() const {
  std::vector<Value> result;
  for (const auto& e : entries_) result.push_back(e.parameter);
  return result;
}

const Optimizer::Entry& Optimizer::entry(const std::string& name, const std::string& where) const {
  for (const auto& e : entries_) {
    if (e.name == name) return e;
  }
  throw ValueError(where, "a registered parameter name (" + joined(names()) + ")", in_quotes(name));
}

Optimizer::Entry& Optimizer::entry(const std::string& name, const std::string& where) {
  return const_cast<Entry&>(static_cast<const Optimizer*>(this)->entry(name, where));
}

const Value& Optimizer::parameter(const std::string& name) const {
  return entry(name, type_ + "::parameter").parameter;
}

const ParamOptions& Optimizer::param_options(const std::string& name) const {
  return entry(name, type_ + "::param_options").options;
}

void Optimizer::set_param_options(const std::string& name, ParamOptions options) {
  Entry& e = entry(name, type_ + "::set_param_options");
  options.validate(e.parameter.shape(), type_ + "::set_param_options " + in_quotes(name));
  e.options = std::move(options);
}

void Optimizer::set_learning_rate(double rate) {
  detail::require_option(detail::finite_non_negative(rate), type_ + "::set_learning_rate",
                         "learning_rate", ">= 0 and finite", rate);
  learning_rate_ = rate;
}

bool Optimizer::has_state(const std::string& name) const {
  return entry(name, type_ + "::has_state").state.has_value();
}

UpdateBlocks Optimizer::blocks_for(const Entry& e) const {
  const GateFactors& lr_factors = e.options.learn_rate_factor();
  const GateFactors& l2_factors = e.options.l2_factor();
  UpdateBlocks blocks;
  const std::size_t gates = e.options.gates();
  const Shape shape = e.parameter.shape();
  blocks.run_length = gates == 1 ? shape_size(shape) : shape.back() / gates;
  for (std::size_t gate = 0; gate < gates; ++gate) {
    blocks.rates.push_back(BlockRates{learning_rate_ * lr_factors[gate],
                                      l2_regularization_ * l2_factors[gate], l2_factors[gate]});
  }
  return blocks;
}

void Optimizer::step() {
  for (auto& e : entries_) {
    if (e.options.frozen()) continue;
    const Tensor& grad = e.parameter.grad();
    if (!grad.defined()) continue;
    Tensor& value = e.parameter.mutable_value();
    const std::string where = type_ + "::step " + in_quotes(e.name);
    require_same_dtype(value, grad, where);
    require_shape(grad, value.shape(), where);
    // Assigned rather than emplace()d: clang rejects emplace() of a nested struct with default
    // member initializers inside the class that holds it.
    if (!e.state) e.state = ParamState();
    ++e.state->steps;
    if (value.size() > 0) update(value, grad, *e.state, blocks_for(e));
    if (e.options.constraint()) e.options.constraint()->apply(value);
  }
  ++step_count_;
}

void Optimizer::zero_grad() {
  for (auto& e : entries_) e.parameter.zero_grad();
}

Tensor& Optimizer::slot(ParamState& state, const std::string& name, const Tensor& like,
                        double initial) {
  auto found = state.slots.find(name);
  if (found == state.slots.end()) {
    found = state.slots.emplace(name, Tensor::full(like.shape(), initial, like.dtype())).first;
  }
  return found->second;
}

nlohmann::json Optimizer::state() const {
  nlohmann::json parameters = nlohmann::json::object();
  for (const auto& e : entries_) {
    if (!e.state) continue;
    nlohmann::json slots = nlohmann::json::object();
    for (const auto& [name, tensor] : e.state->slots) slots[name] = tensor_to_json(tensor);
    nlohmann::json scalars = nlohmann::json::object();
    for (const auto& [name, value] : e.state->scalars) scalars[name] = double_to_hex(value);
    parameters[e.name] = {{"steps", e.state->steps}, {"slots", slots}, {"scalars", scalars}};
  }
  return {{"type", type_},
          {"step_count", step_count_},
          {"learning_rate", double_to_hex(learning_rate_)},
          {"parameters", parameters}};
}

Optimizer::ParamState Optimizer::state_from_json(const Entry& e, const nlohmann::json& json,
                                                 const std::string& where) const {
  ParamState state;
  state.steps = count_member(json, "steps", where);
  const auto& slots = member(json, "slots", where);
  require_keys(slots, slot_names(), where + " slots");
  for (const auto& name : slot_names()) {
    const std::string slot_where = where + " slot " + in_quotes(name);
    Tensor tensor = tensor_from_json(slots.at(name), slot_where);
    require_shape(tensor, e.parameter.shape(), slot_where);
    if (tensor.dtype() != e.parameter.dtype()) {
      throw ValueError(slot_where, std::string("dtype ") + dtype_name(e.parameter.dtype()),
                       dtype_name(tensor.dtype()));
    }
    state.slots.emplace(name, std::move(tensor));
  }
  const auto& scalars = member(json, "scalars", where);
  require_keys(scalars, scalar_names(), where + " scalars");
  for (const auto& name : scalar_names()) {
    state.scalars.emplace(name, hex_member(scalars, name, where + " scalars"));
  }
  return state;
}

void Optimizer::load_state(const nlohmann::json& json) {
  const std::string where = type_ + "::load_state";
  const auto& type = member(json, "type", where);
  if (!type.is_string() || type.get<std::string>() != type_) {
    throw ValueError(where, "the state of a " + type_ + " optimizer", "type " + type.dump());
  }
  const std::size_t step_count = count_member(json, "step_count", where);
  const double rate = hex_member(json, "learning_rate", where);
  detail::require_option(detail::finite_non_negative(rate), where, "learning_rate",
                         ">= 0 and finite", rate);
  const auto& parameters = member(json, "parameters", where);
  if (!parameters.is_object()) throw ValueError(where, "a parameters object", parameters.dump());
  for (const auto& item : parameters.items()) entry(item.key(), where);  // unknown names throw

  std::vector<std::optional<ParamState>> states;
  for (const auto& e : entries_) {
    if (!parameters.contains(e.name)) {
      states.emplace_back();
      continue;
    }
    states.emplace_back(state_from_json(e, parameters.at(e.name), where + " " + in_quotes(e.name)));
  }
  // Every check passed: commit.
  for (std::size_t i = 0; i < entries_.size(); ++i) entries_[i].state = std::move(states[i]);
  step_count_ = step_count;
  learning_rate_ = rate;
}

}  // namespace grutape
