#pragma once
// The model part of a model file's header (docs/model_files.md): the architecture, the input the
// model was built for, its weights by parameter name and, for each GRU, its gate layout, written
// out and read back through the container's data section (model_container.hpp).
//
//   "model":      the model's to_json(), rebuilt with layer_from_json
//   "input":      {"shape": [1, ...], "dtype": "float32"}: the built input shape (batch axis 1)
//   "weights":    [{"name": "gru_1.kernel", "dtype", "shape", "offset", "bytes"}, ...] in the
//                 order of named_parameters()
//   "gru_layers": [{"path", "name", "reset_gate_mode", "layout": "internal", "gate_order":
//                 ["update", "reset", "candidate"], "gate_axis": "last", "parameters": [...],
//                 "initial_states": [tensor references]}] for every GRU in the model

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "layers/layer.hpp"
#include "layers/serialization/detail/model_container.hpp"

namespace grutape {

class Gru;

/// Every GRU in `model` (the model itself included) with its path: "" for the model, "a.b" for
/// sublayer b of sublayer a, the prefix of its parameters' names.
std::vector<std::pair<std::string, Gru*>> find_grus(Layer& model);
/// The same for a model that is not changed.
std::vector<std::pair<std::string, const Gru*>> find_grus(const Layer& model);

/// The header keys above for `model`, its tensors appended to `writer`. A ValueError naming
/// `where` for a model that is not built or a weight that is NaN or infinite.
nlohmann::json write_model_section(const Layer& model, TensorWriter& writer,
                                   const std::string& where);

/// The model `header` describes, without its weights: rebuilt from "model" through the layer
/// registry and built for "input". An IoError naming `where` for a missing or ill-typed key, an
/// architecture the registry refuses or one that does not build for the input.
std::shared_ptr<Layer> rebuild_model(const nlohmann::json& header, const std::string& where);

/// A model's weights and GRU initial states, read and checked, not yet assigned.
struct ModelWeights {
  /// Each parameter with the tensor it gets.
  std::vector<std::pair<Value, Tensor>> parameters;
  /// Each GRU with the initial states it gets.
  std::vector<std::pair<Gru*, std::vector<Tensor>>> gru_initial_states;

  /// Gives the parameters and GRUs their values; an IoError naming `where` when a GRU refuses
  /// its initial states, nothing assigned then.
  void assign(const std::string& where) const;
};

/// The weights of `header` for `model` (an unbuilt model is first built for "input"), matched by
/// parameter name, and its GRUs' initial states. An IoError naming `where` for a missing or
/// ill-typed key, a parameter without weights, weights for no parameter, a shape or dtype that
/// differs from the parameter's, a non-finite weight, or a GRU whose file entry is missing or
/// does not state its reset gate mode, the internal layout and gate order.
ModelWeights read_model_weights(const nlohmann::json& header, TensorReader& reader, Layer& model,
                                const std::string& where);

}  // namespace grutape
