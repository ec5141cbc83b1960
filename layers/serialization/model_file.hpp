#pragma once
// Model files: one file holding a model's architecture and options (each layer's to_json), the
// input it was built for, its weights bit-exact by parameter name and its layers' stored states
// by name (Layer::named_states: a GRU's initial states, any state a user's layer registers),
// with what each layer states about its weights' layout (Layer::file_statement: for a GRU, its
// reset gate mode, gate order and layout), in the container of model_container.hpp.
// docs/model_files.md describes every field.
//
// Saving is atomic (core/io/atomic_file.hpp): a failure leaves an existing file as it was. Loading
// rebuilds the model through the layer registry (layers of users' types must be registered),
// builds it for the saved input, and loads the weights. A truncated, damaged, hand-edited or
// other-version file is an IoError naming the file and what is wrong, never a crash.
//
// A model file may carry metadata: any JSON object the caller wants kept with the model (the
// command-line program keeps the data pipeline there: columns, windows, normalisers, loss), under
// the header key "metadata". Loading a model ignores it; load_model_metadata reads it.

#include <memory>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "layers/layer.hpp"

namespace grutape {

/// The format name in a model file's header.
constexpr const char* kModelFormat = "grutape-model";

/// The model file's bytes. A ValueError for a model that is not built or has a NaN or infinite
/// weight (the loader would refuse it) or a name that is not UTF-8.
std::string format_model(const Layer& model);
/// The same with `metadata` (a JSON object, else a ValueError) kept under "metadata".
std::string format_model(const Layer& model, const nlohmann::json& metadata);

/// Writes format_model(model) to `path` atomically; an IoError when the file cannot be written.
void save_model(const std::string& path, const Layer& model);
/// Writes format_model(model, metadata) to `path` atomically.
void save_model(const std::string& path, const Layer& model, const nlohmann::json& metadata);

/// The model in model-file `bytes` (a checkpoint's bytes work too); errors name `source` as the
/// file.
std::shared_ptr<Layer> parse_model(const std::string& bytes, const std::string& source = "<bytes>");

/// The model in the file at `path` (a model file or a checkpoint).
std::shared_ptr<Layer> load_model(const std::string& path);

/// The metadata of the model file or checkpoint at `path`: the object saved with it, or an
/// empty object when none was. An IoError names the file when it is damaged or the metadata is
/// not an object.
nlohmann::json load_model_metadata(const std::string& path);

/// Loads the weights (and stored states) of the model file or checkpoint at `path` into
/// `model`, matched by parameter name: every parameter needs weights of its shape and dtype and
/// every weight a parameter, every layer with stored states an entry. An unbuilt model is first
/// built for the saved input. The weights and states are unchanged when it throws.
void load_weights(const std::string& path, Layer& model);

}  // namespace grutape
