#pragma once
// A whole training run described in one JSON file, as `grutape train CONFIG.json` reads it
// (docs/config.md lists every field):
//
//   {"model": {...a layer's JSON, e.g. "type": "sequential"...},
//    "optimizer": {"name": "adam", "parameters": {"learning_rate": 0.005}},
//    "loss": "mean_squared_error", "metrics": ["mae"],
//    "data": {...optim/data/data_config.hpp...},
//    "training": {"epochs": 20, "batch_size": 16, "callbacks": [...]},
//    "output": {"directory": "run", "model": "model.grutape", "log": "history.csv",
//               "plot": "loss.svg"}}
//
// Relative paths are taken from the config file's folder. Every message of a bad config names
// the file and the key path ("train.json: key \"training\": key \"epochs\": expected a
// non-negative integer, got a string").

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "layers/layer.hpp"
#include "layers/losses/loss.hpp"
#include "optim/callbacks/model_checkpoint.hpp"
#include "optim/data/data_config.hpp"
#include "optim/training/fit_options.hpp"

namespace grutape {

/// The "training" section: fit()'s settings.
struct TrainingConfig {
  /// Epochs to train; default 1.
  std::size_t epochs = 1;
  /// One batch size, or one per epoch with the last repeated; default {32}.
  std::vector<std::size_t> batch_sizes = {32};
  /// Shuffle the training rows every epoch; default true.
  bool shuffle = true;
  /// The seed of the shuffles; default 0.
  std::uint64_t seed = 0;
  /// Gradient clipping (FitOptions); default none.
  std::optional<double> clip_value;
  std::optional<double> clip_norm;
  std::optional<double> global_clip_norm;
  /// The callbacks' configs (optim/callbacks/callback_config.hpp), built by
  /// TrainConfig::fit_options.
  nlohmann::json callbacks = nlohmann::json::array();
};

/// The "output" section: where the run's files go. A file set to null is not written.
struct OutputConfig {
  /// The folder of the outputs (created if missing); default the config's folder.
  std::string directory;
  /// The trained model file, with the data pipeline in its metadata; default "model.grutape".
  std::optional<std::string> model = std::string("model.grutape");
  /// The epochs' logs as CSV, rewritten after every epoch; default "history.csv".
  std::optional<std::string> log = std::string("history.csv");
  /// An SVG chart of the loss (and validation loss) per epoch; default "loss.svg".
  std::optional<std::string> plot = std::string("loss.svg");

  /// `name` inside directory (unless absolute).
  std::string path(const std::string& name) const;
};

struct TrainConfig {
  /// The model as a layer's JSON (layer_from_json).
  nlohmann::json model;
  /// The optimizer's config (make_optimizer); default Adam with its defaults.
  nlohmann::json optimizer = {{"name", "adam"}, {"parameters", nlohmann::json::object()}};
  /// The loss; default mean_squared_error.
  Loss loss = Loss("mean_squared_error");
  /// Metric names; default none.
  std::vector<std::string> metrics;
  DataConfig data;
  TrainingConfig training;
  OutputConfig output;
  /// The config file, for messages.
  std::string source;
  /// The folder relative paths are taken from.
  std::string base_dir;

  /// Reads a config; `source` names it in messages. A ValueError names the key path at fault.
  static TrainConfig from_json(const nlohmann::json& json, const std::string& source,
                               const std::string& base_dir);
  /// Reads the config file at `path` (relative paths from its folder); an IoError for a file
  /// that cannot be read or is not JSON, with the line and column of a syntax error.
  static TrainConfig load(const std::string& path);

  /// The model, not built; a ValueError naming the "model" key and the layer's own message.
  std::shared_ptr<Layer> build_model() const;
  /// fit()'s options: loss, metrics, optimizer, training settings and callbacks (model
  /// checkpoints save through `saver`).
  FitOptions fit_options(const ModelSaver& saver) const;
  /// {"loss", "metrics"}, kept with the model so that evaluate reports the same numbers.
  nlohmann::json evaluation_json() const;
};

/// The loss and metrics of evaluation_json(); a ValueError names `where` and the key.
EvaluateOptions evaluate_options_from_json(const nlohmann::json& json, const std::string& where);

}  // namespace grutape
