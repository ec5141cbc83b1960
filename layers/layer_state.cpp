// What a layer carries for model files and checkpoints (layer.hpp): the states it registers, by
// name and kind, and its generators, both visited through the sublayers; and the hooks through
// which a model file lists the layer.
#include <nlohmann/json.hpp>

#include "core/text.hpp"
#include "layers/layer.hpp"

namespace grutape {

void Layer::register_state(const std::string& name, StateKind kind, StateAccess access) {
  for (const RegisteredState& existing : registered_states_) {
    if (existing.name == name)
      throw ValueError(name_ + ": register_state", "a new name", "\"" + name + "\" twice");
  }
  if (!access.get || !access.set) {
    throw ValueError(name_ + ": register_state \"" + name + "\"",
                     "a function to read the state and one to replace it", "an empty one");
  }
  registered_states_.push_back({name, kind, std::move(access)});
}

void Layer::register_state(const std::string& name, StateKind kind, Tensor* tensor) {
  StateAccess access;
  access.get = [tensor] {
    return tensor->defined() ? std::vector<Tensor>{*tensor} : std::vector<Tensor>{};
  };
  access.set = [this, tensor, name](std::vector<Tensor> tensors) {
    if (tensors.size() > 1) {
      throw ValueError(name_ + ": state \"" + name + "\"", "at most one tensor",
                       std::to_string(tensors.size()));
    }
    *tensor = tensors.empty() ? Tensor() : tensors[0];
  };
  register_state(name, kind, std::move(access));
}

void Layer::register_random(const std::string& name, Random* generator) {
  for (const auto& [existing, _] : generators_) {
    if (existing == name)
      throw ValueError(name_ + ": register_random", "a new name", "\"" + name + "\" twice");
  }
  generators_.emplace_back(name, generator);
}

std::map<std::string, std::string> Layer::random_states() const {
  std::map<std::string, std::string> states;
  for (const auto& [name, generator] : generators_) states[name] = generator->state();
  for (const auto& [prefix, sublayer] : sublayers_) {
    for (const auto& [name, state] : sublayer->random_states()) states[prefix + "." + name] = state;
  }
  return states;
}

void Layer::set_random_states(const std::map<std::string, std::string>& states) {
  const std::string where = name_ + ": set_random_states";
  const std::map<std::string, std::string> current = random_states();
  for (const auto& [name, _] : current) {
    if (!states.count(name)) throw ValueError(where, "a state for \"" + name + "\"", "none");
  }
  for (const auto& [name, _] : states) {
    if (!current.count(name)) {
      throw ValueError(where, "generator names among the layer's", "\"" + name + "\"");
    }
  }
  // Every state is tried on a scratch generator first, so a bad one changes nothing.
  for (const auto& [name, state] : states) {
    try {
      Random().set_state(state);
    } catch (const Error& error) {
      throw ValueError(where + ": \"" + name + "\": " + error.what());
    }
  }
  apply_random_states(states, "");
}

void Layer::apply_random_states(const std::map<std::string, std::string>& states,
                                const std::string& prefix) {
  for (const auto& [name, generator] : generators_) generator->set_state(states.at(prefix + name));
  for (const auto& [sub_name, sublayer] : sublayers_)
    sublayer->apply_random_states(states, prefix + sub_name + ".");
}

void Layer::reset_states() {
  for (const RegisteredState& state : registered_states_) {
    if (state.kind == StateKind::carried) state.access.set({});
  }
  for (auto& [_, sublayer] : sublayers_) sublayer->reset_states();
}

std::vector<std::pair<std::string, std::vector<Tensor>>> Layer::own_states(StateKind kind) const {
  std::vector<std::pair<std::string, std::vector<Tensor>>> result;
  for (const RegisteredState& state : registered_states_) {
    if (state.kind == kind) result.emplace_back(state.name, state.access.get());
  }
  return result;
}

std::vector<std::pair<std::string, std::vector<Tensor>>> Layer::named_states(StateKind kind) const {
  std::vector<std::pair<std::string, std::vector<Tensor>>> result = own_states(kind);
  for (const auto& [prefix, sublayer] : sublayers_) {
    for (auto& [name, tensors] : sublayer->named_states(kind))
      result.emplace_back(prefix + "." + name, std::move(tensors));
  }
  return result;
}

const StateAccess* Layer::find_state(const std::string& name) const {
  for (const RegisteredState& state : registered_states_) {
    if (state.name == name) return &state.access;
  }
  for (const auto& [prefix, sublayer] : sublayers_) {
    const std::string head = prefix + ".";
    if (name.compare(0, head.size(), head) != 0) continue;
    if (const StateAccess* found = sublayer->find_state(name.substr(head.size()))) return found;
  }
  return nullptr;
}

const StateAccess& Layer::require_state(const std::string& name) const {
  if (const StateAccess* access = find_state(name)) return *access;
  std::vector<std::string> names;
  for (StateKind kind : {StateKind::stored, StateKind::carried}) {
    for (const auto& [existing, _] : named_states(kind)) names.push_back(existing);
  }
  throw ValueError(name_ + ": state", "one of [" + join(names) + "]", "\"" + name + "\"");
}

std::vector<Tensor> Layer::state(const std::string& name) const {
  return require_state(name).get();
}

void Layer::set_state(const std::string& name, std::vector<Tensor> tensors) {
  require_state(name).set(std::move(tensors));
}

FileSection Layer::file_section() const {
  return {"layer_states", "layer"};
}

nlohmann::json Layer::file_statement(const std::string&) const {
  return nullptr;
}

}  // namespace grutape
