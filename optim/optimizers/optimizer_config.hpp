#pragma once
// Optimizers from configs: {"name": "adam", "parameters": {"learning_rate": 0.01, "beta1": 0.8}}.
// An absent parameter takes the options struct's default, so Optimizer::config() and a
// hand-written config with only the changed options both work.
//
// The names are a registry (core/registry.hpp): the built-ins sgd, adam, adamw, adamax, nadam,
// rmsprop, adagrad and adadelta, and every optimizer a program registers, which configs (and
// so `grutape train`) then name like a built-in one.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/fields.hpp"
#include "core/json_reader.hpp"
#include "optim/optimizers/optimizer.hpp"

namespace grutape {

/// Builds an optimizer from the "parameters" object of its config (an empty object when the
/// config has none); `where` names the config in messages. A ValueError for an unknown key, a
/// wrong type or a value out of range.
using OptimizerFactory = std::function<std::unique_ptr<Optimizer>(const nlohmann::json& parameters,
                                                                  const std::string& where)>;

/// Makes make_optimizer call `factory` for configs with "name": `name`; the optimizer's type()
/// should be `name`, so that its config() and state() name it too. A ValueError for an empty
/// name or factory, a built-in name or one registered already.
void register_optimizer(const std::string& name, OptimizerFactory factory);
/// Forgets a registered optimizer; a ValueError for a built-in name or one not registered.
void unregister_optimizer(const std::string& name);

/// The built-ins "sgd", "adam", "adamw", "adamax", "nadam", "rmsprop", "adagrad", "adadelta",
/// then the registered names, sorted.
std::vector<std::string> optimizer_names();

/// The optimizer a config names, with no parameters registered yet; a ValueError naming the key
/// for an unknown name (listing the known ones), an unknown or ill-typed parameter, or an option
/// out of range.
std::unique_ptr<Optimizer> make_optimizer(const nlohmann::json& config);

/// The factory of an optimizer class `O` configured by an options struct with a field list
/// (core/fields.hpp), as the built-ins are: reads the parameters into the struct and constructs.
template <class O, class Options>
OptimizerFactory options_factory() {
  return [](const nlohmann::json& parameters, const std::string& where) {
    Options options;
    JsonReader in(parameters, where);
    fields_from_json(options, in);
    in.finish();
    return std::unique_ptr<Optimizer>(std::make_unique<O>(options));
  };
}

}  // namespace grutape
