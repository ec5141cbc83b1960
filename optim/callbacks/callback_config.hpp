#pragma once
// Callbacks from configs, as a training config lists them (docs/config.md):
//   {"type": "early_stopping", "monitor": "val_loss", "patience": 5, ...}
//   {"type": "model_checkpoint", "path": "ckpt-{epoch}.grutape", "save_best_only": true, ...}
//   {"type": "csv_logger", "path": "log.csv", "delimiter": ",", "append": false}
//   {"type": "learning_rate_scheduler", "schedule": {"name": "step_decay", "parameters": {...}}}
//   {"type": "reduce_lr_on_plateau", "monitor": "val_loss", "factor": 0.5, ...}
// Every option is the callback's options field of the same name; an absent one keeps its default.

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "optim/callbacks/callback.hpp"
#include "optim/callbacks/model_checkpoint.hpp"

namespace grutape {

/// "early_stopping", "model_checkpoint", "csv_logger", "learning_rate_scheduler",
/// "reduce_lr_on_plateau".
const std::vector<std::string>& callback_type_names();

/// "auto", "min" or "max" as a MonitorMode; a ValueError naming `where` otherwise.
MonitorMode monitor_mode_from_name(const std::string& name, const std::string& where);

/// The callback `config` describes. Paths ("path") are taken relative to `base_dir` unless
/// absolute; a model checkpoint saves through `saver`. A ValueError names `where` and the key for
/// an unknown type or key, a wrong type or a value out of range.
std::shared_ptr<Callback> make_callback(const nlohmann::json& config, const std::string& where,
                                        const std::string& base_dir, ModelSaver saver);

}  // namespace grutape
