#include "optim/optimizers/optimizer_config.hpp"

#include <nlohmann/json.hpp>

#include "core/json_reader.hpp"
#include "core/registry.hpp"
#include "optim/optimizers/adadelta.hpp"
#include "optim/optimizers/adagrad.hpp"
#include "optim/optimizers/adam.hpp"
#include "optim/optimizers/adamax.hpp"
#include "optim/optimizers/nadam.hpp"
#include "optim/optimizers/rmsprop.hpp"
#include "optim/optimizers/sgd.hpp"

namespace grutape {
namespace {

Registry<OptimizerFactory>& optimizer_registry() {
  static Registry<OptimizerFactory> registry(
      {"name", "an optimizer", "register_optimizer", "unregister_optimizer"},
      {
          {"sgd", options_factory<Sgd, SgdOptions>()},
          {"adam", options_factory<Adam, AdamOptions>()},
          {"adamw", options_factory<AdamW, AdamWOptions>()},
          {"adamax", options_factory<Adamax, AdamaxOptions>()},
          {"nadam", options_factory<Nadam, NadamOptions>()},
          {"rmsprop", options_factory<Rmsprop, RmspropOptions>()},
          {"adagrad", options_factory<Adagrad, AdagradOptions>()},
          {"adadelta", options_factory<Adadelta, AdadeltaOptions>()},
      });
  return registry;
}

}  // namespace

void register_optimizer(const std::string& name, OptimizerFactory factory) {
  optimizer_registry().add(name, std::move(factory));
}

void unregister_optimizer(const std::string& name) {
  optimizer_registry().remove(name);
}

std::vector<std::string> optimizer_names() {
  return optimizer_registry().names();
}

std::unique_ptr<Optimizer> make_optimizer(const nlohmann::json& config) {
  const std::string where = "make_optimizer";
  JsonReader in(config, where);
  const std::string name = in.string("name");
  static const nlohmann::json none = nlohmann::json::object();
  const nlohmann::json& parameters = in.has("parameters") ? in.value("parameters") : none;
  in.finish();
  const OptimizerFactory factory = optimizer_registry().find(name, where);
  return factory(parameters, where + " " + name);
}

}  // namespace grutape
