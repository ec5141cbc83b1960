#pragma once
// The model part of a model file's header (docs/model_files.md): the architecture, the input the
// model was built for, its weights by parameter name and the layers' entries (layer_entries.hpp:
// what each layer states about its weights' layout, its stored states), written out and read
// back through the container's data section (model_container.hpp).
//
//   "model":      the model's to_json(), rebuilt with layer_from_json
//   "input":      {"shape": [1, ...], "dtype": "float32"}: the built input shape (batch axis 1)
//   "weights":    [{"name": "gru_1.kernel", "dtype", "shape", "offset", "bytes"}, ...] in the
//                 order of named_parameters()
//   "gru_layers": [{"path", "name", "reset_gate_mode", "layout": "internal", "gate_order":
//                 ["update", "reset", "candidate"], "gate_axis": "last", "parameters": [...],
//                 "initial_states": [tensor references]}] for every GRU in the model (its
//                 file_statement and its stored state "initial_states")
//   "layer_states": the same for other layers with stored states: {"path", "name", <state>: [...]}

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "layers/layer.hpp"
#include "layers/serialization/detail/layer_entries.hpp"
#include "layers/serialization/detail/model_container.hpp"

namespace grutape {

/// The header keys above for `model`, its tensors appended to `writer`. A ValueError naming
/// `where` for a model that is not built, a weight that is NaN or infinite, or a layer entry
/// write_stored_entries refuses.
nlohmann::json write_model_section(const Layer& model, TensorWriter& writer,
                                   const std::string& where);

/// The model `header` describes, without its weights: rebuilt from "model" through the layer
/// registry and built for "input". An IoError naming `where` for a missing or ill-typed key, an
/// architecture the registry refuses or one that does not build for the input.
std::shared_ptr<Layer> rebuild_model(const nlohmann::json& header, const std::string& where);

/// A model's weights and stored states, read and checked, not yet assigned.
struct ModelWeights {
  /// Each parameter with the tensor it gets.
  std::vector<std::pair<Value, Tensor>> parameters;
  /// Each stored state with the tensors it gets.
  std::vector<StateValue> states;

  /// Gives the parameters and states of `model` (the one they were read for) their values; an
  /// IoError naming `where` when a layer refuses a state, nothing assigned then.
  void assign(Layer& model, const std::string& where) const;
};

/// The weights of `header` for `model` (an unbuilt model is first built for "input"), matched by
/// parameter name, and its layers' stored states. An IoError naming `where` for a missing or
/// ill-typed key, a parameter without weights, weights for no parameter, a shape or dtype that
/// differs from the parameter's, a non-finite weight, or a layer entry read_stored_entries
/// refuses (a GRU's missing, or not stating its reset gate mode, the internal layout and gate
/// order).
ModelWeights read_model_weights(const nlohmann::json& header, TensorReader& reader, Layer& model,
                                const std::string& where);

}  // namespace grutape
