#include "optim/callbacks/callback_config.hpp"

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/fields.hpp"
#include "core/json_reader.hpp"
#include "core/registry.hpp"
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

// A callback's options struct read from its config through the struct's field list, the keys
// `read_own` takes besides them accepted too ("type" always).
template <class Options, class ReadOwn>
Options options_from(const nlohmann::json& config, const std::string& where, ReadOwn&& read_own) {
  JsonReader in(config, where);
  in.has("type");
  Options options;
  fields_from_json(options, in);
  read_own(in);
  in.finish();
  return options;
}

std::shared_ptr<Callback> early_stopping_from_config(const nlohmann::json& config,
                                                     const CallbackContext& context) {
  const auto options =
      options_from<EarlyStoppingOptions>(config, context.where, [](JsonReader&) {});
  return with_where(context.where, [&] { return std::make_shared<EarlyStopping>(options); });
}

std::shared_ptr<Callback> model_checkpoint_from_config(const nlohmann::json& config,
                                                       const CallbackContext& context) {
  std::string path;
  const auto options = options_from<ModelCheckpointOptions>(
      config, context.where,
      [&](JsonReader& in) { path = resolve_config_path(in.string("path"), context.base_dir); });
  return with_where(context.where, [&] {
    return std::make_shared<ModelCheckpoint>(path, context.saver, options);
  });
}

std::shared_ptr<Callback> csv_logger_from_config(const nlohmann::json& config,
                                                 const CallbackContext& context) {
  std::string path;
  const auto options = options_from<CsvLoggerOptions>(config, context.where, [&](JsonReader& in) {
    path = resolve_config_path(in.string("path"), context.base_dir);
  });
  return with_where(context.where, [&] { return std::make_shared<CsvLogger>(path, options); });
}

std::shared_ptr<Callback> scheduler_from_config(const nlohmann::json& config,
                                                const CallbackContext& context) {
  JsonReader in(config, context.where);
  in.has("type");
  const nlohmann::json& schedule = in.value("schedule");
  in.finish();
  return with_where(context.where + ": key \"schedule\"", [&] {
    return std::make_shared<LearningRateScheduler>(schedule_from_json(schedule));
  });
}

std::shared_ptr<Callback> plateau_from_config(const nlohmann::json& config,
                                              const CallbackContext& context) {
  std::string monitor;
  const auto options = options_from<ReduceOnPlateauOptions>(
      config, context.where, [&](JsonReader& in) { monitor = in.string("monitor", "val_loss"); });
  return with_where(context.where,
                    [&] { return std::make_shared<ReduceLrOnPlateau>(monitor, options); });
}

Registry<CallbackFactory>& callback_registry() {
  static Registry<CallbackFactory> registry(
      {"type", "a callback type", "register_callback_type", "unregister_callback_type"},
      {{"early_stopping", early_stopping_from_config},
       {"model_checkpoint", model_checkpoint_from_config},
       {"csv_logger", csv_logger_from_config},
       {"learning_rate_scheduler", scheduler_from_config},
       {"reduce_lr_on_plateau", plateau_from_config}});
  return registry;
}

}  // namespace

void register_callback_type(const std::string& type, CallbackFactory factory) {
  callback_registry().add(type, std::move(factory));
}

void unregister_callback_type(const std::string& type) {
  callback_registry().remove(type);
}

std::vector<std::string> callback_type_names() {
  return callback_registry().names();
}

MonitorMode monitor_mode_from_name(const std::string& name, const std::string& where) {
  return enum_from_name<MonitorMode>(name, where);
}

std::shared_ptr<Callback> make_callback(const nlohmann::json& config, const std::string& where,
                                        const std::string& base_dir, ModelSaver saver) {
  JsonReader in(config, where);
  const CallbackFactory factory = callback_registry().find(in.string("type"), in.where("type"));
  return factory(config, CallbackContext{where, base_dir, std::move(saver)});
}

}  // namespace grutape
