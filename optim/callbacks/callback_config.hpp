#pragma once
// Callbacks from configs, as a training config lists them (docs/config.md):
//   {"type": "early_stopping", "monitor": "val_loss", "patience": 5, ...}
//   {"type": "model_checkpoint", "path": "ckpt-{epoch}.grutape", "save_best_only": true, ...}
//   {"type": "csv_logger", "path": "log.csv", "delimiter": ",", "append": false}
//   {"type": "learning_rate_scheduler", "schedule": {"name": "step_decay", "parameters": {...}}}
//   {"type": "reduce_lr_on_plateau", "monitor": "val_loss", "factor": 0.5, ...}
// Every option is the callback's options field of the same name (its field list); an absent one
// keeps its default. The types are a registry (core/registry.hpp): the five above and every
// callback type a program registers, which configs (and so `grutape train`) then name like a
// built-in one.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "optim/callbacks/callback.hpp"
#include "optim/callbacks/model_checkpoint.hpp"

namespace grutape {

/// What a callback's factory gets besides its config.
struct CallbackContext {
  /// The config's place, for messages ("train.json: key \"training\": ...[0]").
  std::string where;
  /// The folder relative paths are taken from (resolve_config_path).
  std::string base_dir;
  /// How the run saves its model (model checkpoints call it).
  ModelSaver saver;
};

/// Builds a callback from its config (the object, "type" included); a ValueError naming
/// context.where and the key for an unknown key, a wrong type or a value out of range.
using CallbackFactory = std::function<std::shared_ptr<Callback>(const nlohmann::json& config,
                                                                const CallbackContext& context)>;

/// Makes make_callback call `factory` for configs with "type": `type`. A ValueError for an empty
/// type or factory, a built-in type or one registered already.
void register_callback_type(const std::string& type, CallbackFactory factory);
/// Forgets a registered type; a ValueError for a built-in type or one not registered.
void unregister_callback_type(const std::string& type);

/// "early_stopping", "model_checkpoint", "csv_logger", "learning_rate_scheduler",
/// "reduce_lr_on_plateau", then the registered types, sorted.
std::vector<std::string> callback_type_names();

/// "auto", "min" or "max" as a MonitorMode; a ValueError naming `where` otherwise.
MonitorMode monitor_mode_from_name(const std::string& name, const std::string& where);

/// The callback `config` describes. Paths ("path") are taken relative to `base_dir` unless
/// absolute; a model checkpoint saves through `saver`. A ValueError names `where` and the key for
/// an unknown type (listing the known ones) or key, a wrong type or a value out of range.
std::shared_ptr<Callback> make_callback(const nlohmann::json& config, const std::string& where,
                                        const std::string& base_dir, ModelSaver saver);

}  // namespace grutape
