#include "optim/callbacks/callback_config.hpp"

#include <filesystem>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/json_reader.hpp"
#include "core/text.hpp"
#include "optim/callbacks/csv_logger.hpp"
#include "optim/callbacks/early_stopping.hpp"
#include "optim/callbacks/rate_callbacks.hpp"
#include "optim/data/data_config.hpp"

namespace grutape {
namespace {

// The library's own range checks name the callback's constructor; the config's key path says
// where in the file the value is.
template <class Make>
std::shared_ptr<Callback> with_where(const std::string& where, Make&& make) {
  try {
    return make();
  } catch (const ValueError& error) {
    throw ValueError(where + ": " + error.what());
  }
}

std::shared_ptr<Callback> early_stopping(JsonReader& in, const std::string& where) {
  EarlyStoppingOptions options;
  options.monitor(in.string("monitor", "val_loss"))
      .min_delta(in.number("min_delta", 0.0))
      .patience(in.size("patience", 0))
      .mode(monitor_mode_from_name(in.string("mode", "auto"), in.where("mode")))
      .restore_best_weights(in.boolean("restore_best_weights", false))
      .start_from_epoch(in.size("start_from_epoch", 0));
  if (in.has("baseline") && !in.value("baseline").is_null()) {
    options.baseline(in.number("baseline"));
  }
  in.finish();
  return with_where(where, [&] { return std::make_shared<EarlyStopping>(options); });
}

std::shared_ptr<Callback> model_checkpoint(JsonReader& in, const std::string& where,
                                           const std::string& base_dir, ModelSaver saver) {
  const std::string path = resolve_config_path(in.string("path"), base_dir);
  ModelCheckpointOptions options;
  options.monitor(in.string("monitor", "val_loss"))
      .save_best_only(in.boolean("save_best_only", false))
      .mode(monitor_mode_from_name(in.string("mode", "auto"), in.where("mode")));
  in.finish();
  return with_where(
      where, [&] { return std::make_shared<ModelCheckpoint>(path, std::move(saver), options); });
}

std::shared_ptr<Callback> csv_logger(JsonReader& in, const std::string& where,
                                     const std::string& base_dir) {
  const std::string path = resolve_config_path(in.string("path"), base_dir);
  const std::string delimiter = in.string("delimiter", ",");
  if (delimiter.size() != 1) {
    throw ValueError(in.where("delimiter"), "one character", "\"" + delimiter + "\"");
  }
  CsvLoggerOptions options;
  options.delimiter(delimiter[0]).append(in.boolean("append", false));
  in.finish();
  return with_where(where, [&] { return std::make_shared<CsvLogger>(path, options); });
}

std::shared_ptr<Callback> scheduler(JsonReader& in, const std::string& where) {
  const nlohmann::json& schedule = in.value("schedule");
  in.finish();
  return with_where(where + ": key \"schedule\"", [&] {
    return std::make_shared<LearningRateScheduler>(schedule_from_json(schedule));
  });
}

std::shared_ptr<Callback> plateau(JsonReader& in, const std::string& where) {
  const std::string monitor = in.string("monitor", "val_loss");
  const std::string mode = in.string("mode", "min");
  if (mode != "min" && mode != "max") {
    throw ValueError(in.where("mode"), "\"min\" or \"max\"", "\"" + mode + "\"");
  }
  ReduceOnPlateauOptions options;
  options.mode(mode == "min" ? PlateauMode::min : PlateauMode::max)
      .factor(in.number("factor", 0.1))
      .patience(in.size("patience", 10))
      .min_delta(in.number("min_delta", 1e-4))
      .cooldown(in.size("cooldown", 0))
      .min_rate(in.number("min_rate", 0.0));
  in.finish();
  return with_where(where, [&] { return std::make_shared<ReduceLrOnPlateau>(monitor, options); });
}

}  // namespace

const std::vector<std::string>& callback_type_names() {
  static const std::vector<std::string> names = {"early_stopping", "model_checkpoint", "csv_logger",
                                                 "learning_rate_scheduler", "reduce_lr_on_plateau"};
  return names;
}

MonitorMode monitor_mode_from_name(const std::string& name, const std::string& where) {
  if (name == "auto") return MonitorMode::automatic;
  if (name == "min") return MonitorMode::min;
  if (name == "max") return MonitorMode::max;
  throw ValueError(where, "one of \"auto\", \"min\", \"max\"", "\"" + name + "\"");
}

std::shared_ptr<Callback> make_callback(const nlohmann::json& config, const std::string& where,
                                        const std::string& base_dir, ModelSaver saver) {
  JsonReader in(config, where);
  const std::string type = in.string("type");
  if (type == "early_stopping") return early_stopping(in, where);
  if (type == "model_checkpoint") return model_checkpoint(in, where, base_dir, std::move(saver));
  if (type == "csv_logger") return csv_logger(in, where, base_dir);
  if (type == "learning_rate_scheduler") return scheduler(in, where);
  if (type == "reduce_lr_on_plateau") return plateau(in, where);
  throw ValueError(in.where("type"), "one of " + join(callback_type_names()), "\"" + type + "\"");
}

}  // namespace grutape
