#include "optim/training/train_config.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/error.hpp"
#include "core/json_reader.hpp"
#include "layers/layer_registry.hpp"
#include "optim/callbacks/callback_config.hpp"
#include "optim/optimizers/optimizer_config.hpp"

namespace grutape {
namespace {

// A library function's ValueError with the config's key path in front.
template <class Make>
auto at_key(const std::string& where, Make&& make) {
  try {
    return make();
  } catch (const ValueError& error) {
    throw ValueError(where + ": " + error.what());
  }
}

Loss loss_from(const nlohmann::json& json, const std::string& where) {
  return at_key(where, [&] {
    if (json.is_string()) return Loss(json.get<std::string>());
    if (json.is_object()) return Loss::from_json(json);
    throw ValueError("loss", "a name or an object", json_type_name(json));
  });
}

std::vector<std::string> strings_from(const nlohmann::json& json, const std::string& where) {
  if (!json.is_array()) throw ValueError(where, "an array of strings", json_type_name(json));
  std::vector<std::string> items;
  for (std::size_t i = 0; i < json.size(); ++i) {
    if (!json[i].is_string()) {
      throw ValueError(where + "[" + std::to_string(i) + "]", "a string", json_type_name(json[i]));
    }
    items.push_back(json[i].get<std::string>());
  }
  return items;
}

std::optional<double> optional_positive(JsonReader& in, const std::string& key) {
  if (!in.has(key) || in.value(key).is_null()) return std::nullopt;
  const double value = in.number(key);
  if (!(value > 0)) throw ValueError(in.where(key), "a number > 0", std::to_string(value));
  return value;
}

TrainingConfig training_from(const nlohmann::json& json, const std::string& where) {
  JsonReader in(json, where);
  TrainingConfig training;
  training.epochs = in.size("epochs", 1);
  if (in.has("batch_size")) {
    const nlohmann::json& sizes = in.value("batch_size");
    if (sizes.is_array()) {
      training.batch_sizes.clear();
      for (std::size_t i = 0; i < sizes.size(); ++i) {
        if (!sizes[i].is_number_integer() || sizes[i].get<long long>() < 1) {
          throw ValueError(in.where("batch_size") + "[" + std::to_string(i) + "]",
                           "an integer >= 1", sizes[i].dump());
        }
        training.batch_sizes.push_back(sizes[i].get<std::size_t>());
      }
      if (training.batch_sizes.empty()) {
        throw ValueError(in.where("batch_size"), "at least one batch size", "[]");
      }
    } else {
      const std::size_t size = in.size("batch_size");
      if (size == 0) throw ValueError(in.where("batch_size"), "an integer >= 1", "0");
      training.batch_sizes = {size};
    }
  }
  training.shuffle = in.boolean("shuffle", true);
  if (in.has("seed")) training.seed = in.unsigned_integer("seed");
  training.clip_value = optional_positive(in, "clip_value");
  training.clip_norm = optional_positive(in, "clip_norm");
  training.global_clip_norm = optional_positive(in, "global_clip_norm");
  if (in.has("callbacks")) {
    training.callbacks = in.value("callbacks");
    if (!training.callbacks.is_array()) {
      throw ValueError(in.where("callbacks"), "an array", json_type_name(training.callbacks));
    }
  }
  in.finish();
  return training;
}

std::optional<std::string> output_file(JsonReader& in, const std::string& key,
                                       const std::string& fallback) {
  if (!in.has(key)) return fallback;
  if (in.value(key).is_null()) return std::nullopt;
  const std::string name = in.string(key);
  if (name.empty()) throw ValueError(in.where(key), "a file name or null", "\"\"");
  return name;
}

OutputConfig output_from(const nlohmann::json& json, const std::string& where,
                         const std::string& base_dir) {
  JsonReader in(json, where);
  OutputConfig output;
  output.directory = resolve_config_path(in.string("directory", "."), base_dir);
  output.model = output_file(in, "model", "model.grutape");
  output.log = output_file(in, "log", "history.csv");
  output.plot = output_file(in, "plot", "loss.svg");
  in.finish();
  return output;
}

}  // namespace

std::string OutputConfig::path(const std::string& name) const {
  return resolve_config_path(name, directory);
}

TrainConfig TrainConfig::from_json(const nlohmann::json& json, const std::string& source,
                                   const std::string& base_dir) {
  JsonReader in(json, source);
  TrainConfig config;
  config.source = source;
  config.base_dir = base_dir;
  config.model = in.value("model");
  if (!config.model.is_object()) {
    throw ValueError(in.where("model"), "a layer's JSON object", json_type_name(config.model));
  }
  if (in.has("optimizer")) config.optimizer = in.value("optimizer");
  if (in.has("loss")) config.loss = loss_from(in.value("loss"), in.where("loss"));
  if (in.has("metrics")) config.metrics = strings_from(in.value("metrics"), in.where("metrics"));
  config.data = DataConfig::from_json(in.value("data"), in.where("data"), base_dir);
  if (in.has("training"))
    config.training = training_from(in.value("training"), in.where("training"));
  config.output.directory = resolve_config_path(".", base_dir);
  if (in.has("output"))
    config.output = output_from(in.value("output"), in.where("output"), base_dir);
  in.finish();
  // Built once here so that a bad optimizer is reported before any data is read.
  at_key(in.where("optimizer"), [&] { return make_optimizer(config.optimizer); });
  return config;
}

TrainConfig TrainConfig::load(const std::string& path) {
  std::ifstream file(path);
  if (!file) throw IoError("config \"" + path + "\"", "a readable file", "none");
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(file);
  } catch (const nlohmann::json::parse_error& error) {
    throw IoError("config \"" + path + "\"", "JSON", error.what());
  }
  const std::string base_dir = std::filesystem::path(path).parent_path().string();
  return from_json(json, path, base_dir);
}

std::shared_ptr<Layer> TrainConfig::build_model() const {
  return at_key(source + ": key \"model\"", [&] { return layer_from_json(model); });
}

FitOptions TrainConfig::fit_options(const ModelSaver& saver) const {
  FitOptions options;
  options.loss(loss)
      .metrics(metrics)
      .optimizer(std::shared_ptr<Optimizer>(make_optimizer(optimizer)))
      .epochs(training.epochs)
      .batch_sizes(training.batch_sizes)
      .shuffle(training.shuffle)
      .seed(training.seed)
      .clip_value(training.clip_value)
      .clip_norm(training.clip_norm)
      .global_clip_norm(training.global_clip_norm);
  std::vector<std::shared_ptr<Callback>> callbacks;
  const std::string where = source + ": key \"training\": key \"callbacks\"";
  for (std::size_t i = 0; i < training.callbacks.size(); ++i) {
    callbacks.push_back(make_callback(training.callbacks[i], where + "[" + std::to_string(i) + "]",
                                      base_dir, saver));
  }
  options.callbacks(callbacks);
  return options;
}

nlohmann::json TrainConfig::evaluation_json() const {
  return {{"loss", loss.to_json()}, {"metrics", metrics}};
}

EvaluateOptions evaluate_options_from_json(const nlohmann::json& json, const std::string& where) {
  JsonReader in(json, where);
  EvaluateOptions options;
  options.loss(loss_from(in.value("loss"), in.where("loss")))
      .metrics(strings_from(in.value("metrics"), in.where("metrics")));
  in.finish();
  return options;
}

}  // namespace grutape
