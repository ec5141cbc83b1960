#pragma once
// The layers' entries in a model file's or checkpoint's header (docs/model_files.md): what a
// layer states beside its weights (Layer::file_statement) and the tensors of the states it
// registered (Layer::own_states). The layers are found by walking the sublayers, so no layer
// type is known here.
//
//   in model files and checkpoints, for every layer with a stored state or a statement, in the
//   header list its file_section() names ("gru_layers" for a GRU, "layer_states" by default):
//       {"path", "name", <statement keys>, <stored state name>: [tensor references], ...}
//   in checkpoints, for every layer with a carried state, in "carried_states" (checkpoints
//   written before that name hold the same entries in "gru_states"):
//       {"path", <carried state name>: [tensor references], ...}
//
// "path" is the layer's place in the model: "" for the model itself, "a.b" for sublayer b of a.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "layers/layer.hpp"
#include "layers/serialization/detail/model_container.hpp"

namespace grutape {

/// The header list of the carried states in checkpoints.
constexpr const char* kCarriedStatesKey = "carried_states";

/// A state read from a file for the model's state of that name.
struct StateValue {
  /// The header list it was read from, for messages.
  std::string section;
  /// Its name in the model, as named_states() gives it: "gru_1.initial_states".
  std::string name;
  /// The tensors it gets.
  std::vector<Tensor> tensors;
};

/// Adds to `header` the lists of the entries of `model`'s layers with a stored state or a
/// statement, their tensors appended to `writer`. A ValueError naming `where` for a statement
/// that is not an object, a state named like a key of its entry, or a list named like another
/// key of the header.
void write_stored_entries(const Layer& model, TensorWriter& writer, nlohmann::json& header,
                          const std::string& where);
/// The "carried_states" list of `model`, its tensors appended to `writer`.
nlohmann::json write_carried_entries(const Layer& model, TensorWriter& writer);

/// The stored states `header` holds for `model`, each layer's statement checked against the one
/// the rebuilt layer makes. An IoError naming `where` for a missing list, an entry missing,
/// twice or for no such layer, a statement that differs, or a damaged tensor reference.
std::vector<StateValue> read_stored_entries(const nlohmann::json& header, TensorReader& reader,
                                            const Layer& model, const std::string& where);
/// The carried states a checkpoint's `header` holds for `model`; the same errors.
std::vector<StateValue> read_carried_entries(const nlohmann::json& header, TensorReader& reader,
                                             const Layer& model, const std::string& where);

/// Gives `model`'s states their values, in order. When a layer refuses one, the states already
/// given are set back and an IoError names `where`, the list and the layer's message.
void assign_states(Layer& model, const std::vector<StateValue>& states, const std::string& where);

}  // namespace grutape
