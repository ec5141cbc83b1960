#pragma once
// Optimizers from configs: {"name": "adam", "parameters": {"learning_rate": 0.01, "beta1": 0.8}}.
// An absent parameter takes the options struct's default, so Optimizer::config() and a
// hand-written config with only the changed options both work.

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "optim/optimizers/optimizer.hpp"

namespace grutape {

/// "sgd", "adam", "adamw", "adamax", "nadam", "rmsprop", "adagrad", "adadelta".
const std::vector<std::string>& optimizer_names();

/// The optimizer a config names, with no parameters registered yet; a ValueError naming the key
/// for an unknown name, an unknown or ill-typed parameter, or an option out of range.
std::unique_ptr<Optimizer> make_optimizer(const nlohmann::json& config);

}  // namespace grutape
