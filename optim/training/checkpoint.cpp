#include "optim/training/checkpoint.hpp"

#include "core/io/atomic_file.hpp"
#include "core/json_reader.hpp"
#include "core/random.hpp"
#include "layers/serialization/detail/header_fields.hpp"
#include "layers/serialization/detail/layer_entries.hpp"
#include "layers/serialization/detail/model_container.hpp"
#include "layers/serialization/detail/model_weights.hpp"
#include "optim/optimizers/detail/state_json.hpp"

namespace grutape {
namespace {

std::string checkpoint_where(const std::string& path) {
  return "checkpoint \"" + path + "\"";
}

// A generator state from the file, checked on a scratch generator.
std::string random_state(const nlohmann::json& value, const std::string& where) {
  if (!value.is_string())
    throw IoError(where, "a generator state (a string)", json_type_name(value));
  try {
    Random().set_state(value.get<std::string>());
  } catch (const Error& error) {
    throw IoError(where + ": " + error.what());
  }
  return value.get<std::string>();
}

std::map<std::string, std::string> random_states(const nlohmann::json& object,
                                                 const std::string& where) {
  if (!object.is_object()) throw IoError(where, "an object", json_type_name(object));
  std::map<std::string, std::string> states;
  for (const auto& item : object.items()) {
    states[item.key()] = random_state(item.value(), where + ": \"" + item.key() + "\"");
  }
  return states;
}

// The optimizer's state with its slot tensors moved into the data section.
nlohmann::json write_optimizer_state(nlohmann::json state, TensorWriter& writer) {
  for (auto& parameter : state.at("parameters").items()) {
    for (auto& slot : parameter.value().at("slots").items()) {
      slot.value() = writer.add(tensor_from_json(slot.value(), "save_checkpoint"));
    }
  }
  return state;
}

// The inverse: slot references read back into the tensor JSON that load_state takes.
nlohmann::json read_optimizer_state(nlohmann::json state, TensorReader& reader,
                                    const std::string& where) {
  const std::string at = where + ": \"optimizer\": \"state\"";
  required_object(state, "parameters", at);
  for (auto& parameter : state.at("parameters").items()) {
    const std::string what = "optimizer slot of \"" + parameter.key() + "\"";
    required_object(parameter.value(), "slots", at + ": \"" + parameter.key() + "\"");
    for (auto& slot : parameter.value().at("slots").items()) {
      slot.value() = tensor_to_json(reader.read(slot.value(), what + " \"" + slot.key() + "\""));
    }
  }
  return state;
}

nlohmann::json training_to_json(const TrainingState& training) {
  return {{"epoch", training.epoch},
          {"step", training.step},
          {"plateau", training.plateau},
          {"random_states", training.random_states},
          {"extra", training.extra}};
}

TrainingState training_from_json(const nlohmann::json& header, const std::string& where) {
  const std::string at = where + ": \"training\"";
  const nlohmann::json& json = required_object(header, "training", where);
  TrainingState training;
  training.epoch = required_count(json, "epoch", at);
  training.step = required_count(json, "step", at);
  training.plateau = required(json, "plateau", at);
  training.random_states =
      random_states(required(json, "random_states", at), at + ": \"random_states\"");
  training.extra = required(json, "extra", at);
  return training;
}

// What a checkpoint holds besides the model, read and checked before anything is restored.
struct Restorable {
  ModelWeights weights;
  std::vector<StateValue> carried_states;
  std::map<std::string, std::string> layer_random;
  std::string default_random;
  nlohmann::json optimizer_config;
  nlohmann::json optimizer_state;
  TrainingState training;
};

Restorable read_restorable(const Container& container, Layer& model, const std::string& where) {
  const nlohmann::json& header = container.header;
  TensorReader reader(container.data, where);
  Restorable r;
  r.weights = read_model_weights(header, reader, model, where);
  r.carried_states = read_carried_entries(header, reader, model, where);
  const nlohmann::json& optimizer = required_object(header, "optimizer", where);
  r.optimizer_config = required(optimizer, "config", where + ": \"optimizer\"");
  r.optimizer_state =
      read_optimizer_state(required(optimizer, "state", where + ": \"optimizer\""), reader, where);
  reader.finish();
  const nlohmann::json& random = required_object(header, "random", where);
  r.default_random = random_state(required(random, "default", where + ": \"random\""),
                                  where + ": \"random\": \"default\"");
  r.layer_random = random_states(required(random, "layers", where + ": \"random\""),
                                 where + ": \"random\": \"layers\"");
  r.training = training_from_json(header, where);
  return r;
}

// Restores the model's part; the optimizer is the caller's.
void restore_model(const Restorable& r, Layer& model, const std::string& where) {
  try {
    model.set_random_states(r.layer_random);
  } catch (const Error& error) {
    throw IoError(where + ": \"random\": \"layers\": " + error.what());
  }
  r.weights.assign(model, where);
  assign_states(model, r.carried_states, where);
  default_random().set_state(r.default_random);
}

}  // namespace

void save_checkpoint(const std::string& path, const Layer& model, const Optimizer& optimizer,
                     const TrainingState& training) {
  TensorWriter writer;
  nlohmann::json header = {{"format", kCheckpointFormat}, {"version", kModelFormatVersion}};
  header.update(write_model_section(model, writer, "save_checkpoint"));
  header[kCarriedStatesKey] = write_carried_entries(model, writer);
  header["optimizer"] = {{"config", optimizer.config()},
                         {"state", write_optimizer_state(optimizer.state(), writer)}};
  header["training"] = training_to_json(training);
  header["random"] = {{"default", default_random().state()}, {"layers", model.random_states()}};
  std::string bytes;
  try {
    bytes = pack_container(header, writer.data());
  } catch (const nlohmann::json::type_error& error) {
    throw ValueError("save_checkpoint", "names, options and extra data in UTF-8", error.what());
  }
  write_file_atomically(path, bytes);
}

Checkpoint load_checkpoint(const std::string& path) {
  return parse_checkpoint(read_file(path), path);
}

Checkpoint parse_checkpoint(const std::string& bytes, const std::string& source) {
  const std::string where = checkpoint_where(source);
  return as_io_error(where, [&] {
    const Container container = unpack_container(bytes, where, {kCheckpointFormat});
    Checkpoint checkpoint;
    checkpoint.model = rebuild_model(container.header, where);
    Restorable r = read_restorable(container, *checkpoint.model, where);
    restore_model(r, *checkpoint.model, where);
    checkpoint.optimizer_config = std::move(r.optimizer_config);
    checkpoint.optimizer_state = std::move(r.optimizer_state);
    checkpoint.training = std::move(r.training);
    return checkpoint;
  });
}

TrainingState load_checkpoint(const std::string& path, Layer& model, Optimizer& optimizer) {
  const std::string where = checkpoint_where(path);
  const std::string bytes = read_file(path);
  return as_io_error(where, [&] {
    const Container container = unpack_container(bytes, where, {kCheckpointFormat});
    Restorable r = read_restorable(container, model, where);
    // The optimizer checks its state against its parameters before it changes: first, so that
    // a mismatch there leaves everything as it was.
    try {
      optimizer.load_state(r.optimizer_state);
    } catch (const Error& error) {
      throw IoError(where + ": \"optimizer\": " + error.what());
    }
    restore_model(r, model, where);
    return r.training;
  });
}

}  // namespace grutape
