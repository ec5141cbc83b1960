#include "layers/serialization/detail/layer_entries.hpp"

#include <algorithm>
#include <map>

#include "core/json_reader.hpp"
#include "layers/serialization/detail/header_fields.hpp"

namespace grutape {
namespace {

// The list of the carried states in checkpoints written before it had its name.
constexpr const char* kLegacyCarriedStatesKey = "gru_states";
// The other keys of model files and checkpoints, which no layer's list may take.
const std::vector<std::string> kHeaderKeys = {
    "format",   "version",   "model",    "input",  "weights",         "data",
    "metadata", "optimizer", "training", "random", kCarriedStatesKey, kLegacyCarriedStatesKey};

// One layer with an entry: where it is, its states of the entry's kind and its statement.
struct Listed {
  std::string path;
  const Layer* layer;
  std::vector<std::pair<std::string, std::vector<Tensor>>> states;
  nlohmann::json statement;
};

void walk(const Layer& layer, const std::string& path,
          std::vector<std::pair<std::string, const Layer*>>& found) {
  found.emplace_back(path, &layer);
  for (const auto& [name, sublayer] : layer.sublayers())
    walk(*sublayer, path.empty() ? name : path + "." + name, found);
}

// The layers of `model` whose entry has something to hold: states of `kind` or, in the stored
// kind's entries, a statement.
std::vector<Listed> listed_layers(const Layer& model, StateKind kind) {
  std::vector<std::pair<std::string, const Layer*>> layers;
  walk(model, "", layers);
  std::vector<Listed> listed;
  for (const auto& [path, layer] : layers) {
    Listed entry{path, layer, layer->own_states(kind), nullptr};
    if (kind == StateKind::stored) entry.statement = layer->file_statement(path);
    if (!entry.states.empty() || !entry.statement.is_null()) listed.push_back(std::move(entry));
  }
  return listed;
}

std::string state_name(const std::string& path, const std::string& name) {
  return path.empty() ? name : path + "." + name;
}

nlohmann::json write_entry(const Listed& listed, bool with_name, TensorWriter& writer,
                           const std::string& where) {
  const std::string at = where + ": layer \"" + listed.layer->name() + "\"";
  nlohmann::json entry = listed.statement.is_null() ? nlohmann::json::object() : listed.statement;
  if (!entry.is_object()) {
    throw ValueError(at + ": file_statement", "an object or null", json_type_name(entry));
  }
  auto add = [&](const std::string& key, nlohmann::json value) {
    if (entry.contains(key)) {
      throw ValueError(
          at, "state names and statement keys apart from each other and from \"path\" and \"name\"",
          "\"" + key + "\" twice");
    }
    entry[key] = std::move(value);
  };
  add("path", listed.path);
  if (with_name) add("name", listed.layer->name());
  for (const auto& [name, tensors] : listed.states) {
    nlohmann::json references = nlohmann::json::array();
    for (const Tensor& tensor : tensors) references.push_back(writer.add(tensor));
    add(name, references);
  }
  return entry;
}

void check_statement(const nlohmann::json& entry, const nlohmann::json& statement,
                     const std::string& at) {
  if (statement.is_null()) return;
  for (const auto& item : statement.items()) {
    const nlohmann::json& stated = required(entry, item.key(), at);
    if (stated != item.value()) {
      throw IoError(at + ": \"" + item.key() + "\"", item.value().dump() + " (the architecture's)",
                    stated.dump());
    }
  }
}

// Reads list `key` of `header` for `listed`, whose noun is `noun`: each layer's entry, its
// statement checked, its states appended to `out`.
void read_list(const nlohmann::json& header, const std::string& key, const std::string& noun,
               const std::vector<const Listed*>& listed, TensorReader& reader,
               const std::string& where, std::vector<StateValue>& out) {
  const std::string in_list = where + ": \"" + key + "\"";
  std::map<std::string, const nlohmann::json*> by_path =
      entries_by(required_array(header, key, where), "path", in_list, noun);
  for (const Listed* layer : listed) {
    const auto found = by_path.find(layer->path);
    if (found == by_path.end()) {
      throw IoError(in_list, "an entry for the " + noun + " at \"" + layer->path + "\"", "none");
    }
    const nlohmann::json& entry = *found->second;
    by_path.erase(found);
    const std::string at = in_list + " \"" + layer->path + "\"";
    check_statement(entry, layer->statement, at);
    for (const auto& [name, _] : layer->states) {
      const nlohmann::json& references = required_array(entry, name, at);
      StateValue value{key, state_name(layer->path, name), {}};
      for (std::size_t k = 0; k < references.size(); ++k) {
        value.tensors.push_back(reader.read(references[k], "\"" + key + "\" \"" + layer->path +
                                                               "\" \"" + name + "\" tensor " +
                                                               std::to_string(k + 1)));
      }
      out.push_back(std::move(value));
    }
  }
  if (!by_path.empty()) {
    throw IoError(in_list, "entries only for the model's " + noun + "s",
                  "one for \"" + by_path.begin()->first + "\"");
  }
}

std::vector<const Listed*> pointers(const std::vector<Listed>& listed) {
  std::vector<const Listed*> result;
  for (const Listed& layer : listed) result.push_back(&layer);
  return result;
}

}  // namespace

void write_stored_entries(const Layer& model, TensorWriter& writer, nlohmann::json& header,
                          const std::string& where) {
  for (const Listed& listed : listed_layers(model, StateKind::stored)) {
    const std::string key = listed.layer->file_section().key;
    if (key.empty() ||
        std::find(kHeaderKeys.begin(), kHeaderKeys.end(), key) != kHeaderKeys.end()) {
      throw ValueError(where + ": layer \"" + listed.layer->name() + "\": file_section",
                       "a key the header does not use otherwise", "\"" + key + "\"");
    }
    header[key].push_back(write_entry(listed, true, writer, where));
  }
}

nlohmann::json write_carried_entries(const Layer& model, TensorWriter& writer) {
  nlohmann::json entries = nlohmann::json::array();
  for (const Listed& listed : listed_layers(model, StateKind::carried))
    entries.push_back(write_entry(listed, false, writer, "save_checkpoint"));
  return entries;
}

std::vector<StateValue> read_stored_entries(const nlohmann::json& header, TensorReader& reader,
                                            const Layer& model, const std::string& where) {
  const std::vector<Listed> listed = listed_layers(model, StateKind::stored);
  // The lists in the order in which the model first names them.
  std::vector<std::pair<FileSection, std::vector<const Listed*>>> sections;
  for (const Listed& layer : listed) {
    const FileSection section = layer.layer->file_section();
    auto same = [&](const auto& known) { return known.first.key == section.key; };
    auto found = std::find_if(sections.begin(), sections.end(), same);
    if (found == sections.end()) {
      sections.emplace_back(section, std::vector<const Listed*>{});
      found = sections.end() - 1;
    }
    found->second.push_back(&layer);
  }
  std::vector<StateValue> states;
  for (const auto& [section, layers] : sections)
    read_list(header, section.key, section.noun, layers, reader, where, states);
  return states;
}

std::vector<StateValue> read_carried_entries(const nlohmann::json& header, TensorReader& reader,
                                             const Layer& model, const std::string& where) {
  const bool legacy =
      !header.contains(kCarriedStatesKey) && header.contains(kLegacyCarriedStatesKey);
  const std::vector<Listed> listed = listed_layers(model, StateKind::carried);
  std::vector<StateValue> states;
  read_list(header, legacy ? kLegacyCarriedStatesKey : kCarriedStatesKey, "layer", pointers(listed),
            reader, where, states);
  return states;
}

void assign_states(Layer& model, const std::vector<StateValue>& states, const std::string& where) {
  std::vector<std::vector<Tensor>> previous;
  for (const StateValue& state : states) {
    previous.push_back(model.state(state.name));
    try {
      model.set_state(state.name, state.tensors);
    } catch (const Error& error) {
      // Every earlier state fitted before, so setting it back cannot fail.
      for (std::size_t k = 0; k + 1 < previous.size(); ++k)
        model.set_state(states[k].name, previous[k]);
      throw IoError(where + ": \"" + state.section + "\": " + error.what());
    }
  }
}

}  // namespace grutape
