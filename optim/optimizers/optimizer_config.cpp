#include "optim/optimizers/optimizer_config.hpp"

#include <algorithm>
#include <set>

#include <nlohmann/json.hpp>

#include "optim/optimizers/adadelta.hpp"
#include "optim/optimizers/adagrad.hpp"
#include "optim/optimizers/adam.hpp"
#include "optim/optimizers/adamax.hpp"
#include "optim/optimizers/nadam.hpp"
#include "optim/optimizers/rmsprop.hpp"
#include "optim/optimizers/sgd.hpp"

namespace grutape {
namespace {

// Reads options into a struct: each read names the key it accepts; finish() rejects the rest.
class OptionReader {
 public:
  OptionReader(const nlohmann::json& parameters, std::string where)
      : parameters_(parameters), where_(std::move(where)) {}

  // Calls set(value) when `key` is present, after checking its JSON type.
  template <class Options>
  void number(const std::string& key, Options& options, Options& (Options::*set)(double)) {
    known_.insert(key);
    if (!parameters_.contains(key)) return;
    const auto& value = parameters_.at(key);
    if (!value.is_number()) throw ValueError(where_, "a number \"" + key + "\"", value.dump());
    (options.*set)(value.get<double>());
  }
  template <class Options>
  void flag(const std::string& key, Options& options, Options& (Options::*set)(bool)) {
    known_.insert(key);
    if (!parameters_.contains(key)) return;
    const auto& value = parameters_.at(key);
    if (!value.is_boolean()) throw ValueError(where_, "a boolean \"" + key + "\"", value.dump());
    (options.*set)(value.get<bool>());
  }
  void finish() const {
    for (const auto& item : parameters_.items()) {
      if (known_.count(item.key()) == 0) {
        std::string list;
        for (const auto& k : known_) list += (list.empty() ? "" : ", ") + k;
        throw ValueError(where_, "parameters among (" + list + ")", "'" + item.key() + "'");
      }
    }
  }

 private:
  const nlohmann::json& parameters_;
  std::string where_;
  std::set<std::string> known_;
};

// The setters are overloaded (getter and setter share a name); these pick the setter.
template <class Options, class T>
using Setter = Options& (Options::*)(T);

std::unique_ptr<Optimizer> make_sgd(OptionReader& r) {
  SgdOptions o;
  r.number("learning_rate", o, Setter<SgdOptions, double>(&SgdOptions::learning_rate));
  r.number("momentum", o, Setter<SgdOptions, double>(&SgdOptions::momentum));
  r.number("dampening", o, Setter<SgdOptions, double>(&SgdOptions::dampening));
  r.flag("nesterov", o, Setter<SgdOptions, bool>(&SgdOptions::nesterov));
  r.number("l2_regularization", o, Setter<SgdOptions, double>(&SgdOptions::l2_regularization));
  r.finish();
  return std::make_unique<Sgd>(o);
}

// Adam and AdamW share every option but weight decay.
template <class Options>
void read_adam_family(OptionReader& r, Options& o) {
  r.number("learning_rate", o, Setter<Options, double>(&Options::learning_rate));
  r.number("beta1", o, Setter<Options, double>(&Options::beta1));
  r.number("beta2", o, Setter<Options, double>(&Options::beta2));
  r.number("epsilon", o, Setter<Options, double>(&Options::epsilon));
  r.flag("amsgrad", o, Setter<Options, bool>(&Options::amsgrad));
  r.number("l2_regularization", o, Setter<Options, double>(&Options::l2_regularization));
}

std::unique_ptr<Optimizer> make_adam(OptionReader& r) {
  AdamOptions o;
  read_adam_family(r, o);
  r.finish();
  return std::make_unique<Adam>(o);
}

std::unique_ptr<Optimizer> make_adamw(OptionReader& r) {
  AdamWOptions o;
  read_adam_family(r, o);
  r.number("weight_decay", o, Setter<AdamWOptions, double>(&AdamWOptions::weight_decay));
  r.finish();
  return std::make_unique<AdamW>(o);
}

std::unique_ptr<Optimizer> make_adamax(OptionReader& r) {
  using O = AdamaxOptions;
  O o;
  r.number("learning_rate", o, Setter<O, double>(&O::learning_rate));
  r.number("beta1", o, Setter<O, double>(&O::beta1));
  r.number("beta2", o, Setter<O, double>(&O::beta2));
  r.number("epsilon", o, Setter<O, double>(&O::epsilon));
  r.number("l2_regularization", o, Setter<O, double>(&O::l2_regularization));
  r.finish();
  return std::make_unique<Adamax>(o);
}

std::unique_ptr<Optimizer> make_nadam(OptionReader& r) {
  using O = NadamOptions;
  O o;
  r.number("learning_rate", o, Setter<O, double>(&O::learning_rate));
  r.number("beta1", o, Setter<O, double>(&O::beta1));
  r.number("beta2", o, Setter<O, double>(&O::beta2));
  r.number("epsilon", o, Setter<O, double>(&O::epsilon));
  r.number("momentum_decay", o, Setter<O, double>(&O::momentum_decay));
  r.number("l2_regularization", o, Setter<O, double>(&O::l2_regularization));
  r.finish();
  return std::make_unique<Nadam>(o);
}

std::unique_ptr<Optimizer> make_rmsprop(OptionReader& r) {
  using O = RmspropOptions;
  O o;
  r.number("learning_rate", o, Setter<O, double>(&O::learning_rate));
  r.number("rho", o, Setter<O, double>(&O::rho));
  r.number("momentum", o, Setter<O, double>(&O::momentum));
  r.number("epsilon", o, Setter<O, double>(&O::epsilon));
  r.flag("centered", o, Setter<O, bool>(&O::centered));
  r.number("l2_regularization", o, Setter<O, double>(&O::l2_regularization));
  r.finish();
  return std::make_unique<Rmsprop>(o);
}

std::unique_ptr<Optimizer> make_adagrad(OptionReader& r) {
  using O = AdagradOptions;
  O o;
  r.number("learning_rate", o, Setter<O, double>(&O::learning_rate));
  r.number("initial_accumulator_value", o, Setter<O, double>(&O::initial_accumulator_value));
  r.number("epsilon", o, Setter<O, double>(&O::epsilon));
  r.number("l2_regularization", o, Setter<O, double>(&O::l2_regularization));
  r.finish();
  return std::make_unique<Adagrad>(o);
}

std::unique_ptr<Optimizer> make_adadelta(OptionReader& r) {
  using O = AdadeltaOptions;
  O o;
  r.number("learning_rate", o, Setter<O, double>(&O::learning_rate));
  r.number("rho", o, Setter<O, double>(&O::rho));
  r.number("epsilon", o, Setter<O, double>(&O::epsilon));
  r.number("l2_regularization", o, Setter<O, double>(&O::l2_regularization));
  r.finish();
  return std::make_unique<Adadelta>(o);
}

}  // namespace

const std::vector<std::string>& optimizer_names() {
  static const std::vector<std::string> names{"sgd",   "adam",    "adamw",   "adamax",
                                              "nadam", "rmsprop", "adagrad", "adadelta"};
  return names;
}

std::unique_ptr<Optimizer> make_optimizer(const nlohmann::json& config) {
  const std::string where = "make_optimizer";
  if (!config.is_object() || !config.contains("name") || !config.at("name").is_string()) {
    throw ValueError(where, "an object with a string \"name\"", config.dump().substr(0, 80));
  }
  const std::string name = config.at("name").get<std::string>();
  for (const auto& item : config.items()) {
    if (item.key() != "name" && item.key() != "parameters") {
      throw ValueError(where, "keys \"name\" and \"parameters\"", "\"" + item.key() + "\"");
    }
  }
  static const nlohmann::json empty = nlohmann::json::object();
  const nlohmann::json& parameters =
      config.contains("parameters") ? config.at("parameters") : empty;
  if (!parameters.is_object()) {
    throw ValueError(where + " " + name, "a \"parameters\" object", parameters.dump());
  }
  OptionReader reader(parameters, where + " " + name);
  if (name == "sgd") return make_sgd(reader);
  if (name == "adam") return make_adam(reader);
  if (name == "adamw") return make_adamw(reader);
  if (name == "adamax") return make_adamax(reader);
  if (name == "nadam") return make_nadam(reader);
  if (name == "rmsprop") return make_rmsprop(reader);
  if (name == "adagrad") return make_adagrad(reader);
  if (name == "adadelta") return make_adadelta(reader);
  std::string known;
  for (const auto& n : optimizer_names()) known += (known.empty() ? "" : ", ") + n;
  throw ValueError(where, "an optimizer among (" + known + ")", "'" + name + "'");
}

}  // namespace grutape
