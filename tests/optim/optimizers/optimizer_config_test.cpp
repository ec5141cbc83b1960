#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "optim/optimizers/adam.hpp"
#include "optim/optimizers/optimizer_config.hpp"
#include "optim/optimizers/rmsprop.hpp"
#include "optim/optimizers/sgd.hpp"
#include "optim/training/train_config.hpp"
#include "tests/optim/quadratic.hpp"
#include "tests/registry_checks.hpp"

using namespace grutape;
using namespace grutape::testing;

namespace {

// A program's own optimizer, written on the Optimizer base with a factory of its own (the
// built-ins' options_factory is the other way): w <- w - lr clip(g, -limit, limit).
class ClippedSgd : public Optimizer {
 public:
  ClippedSgd(double learning_rate, double limit)
      : Optimizer("test_clipped_sgd", learning_rate, 0.0), limit_(limit) {
    if (!(limit > 0)) throw ValueError("test_clipped_sgd", "limit > 0", std::to_string(limit));
  }

 protected:
  void update(Tensor& parameter, const Tensor& grad, ParamState&,
              const UpdateBlocks& blocks) override {
    for (std::size_t i = 0; i < parameter.size(); ++i) {
      const double step = std::clamp(grad.flat(i), -limit_, limit_);
      const double rate = blocks.rates[(i / blocks.run_length) % blocks.rates.size()].learning_rate;
      parameter.visit([&](auto& w) { w.data()[i] -= rate * step; });
    }
  }
  std::vector<std::string> slot_names() const override { return {}; }
  nlohmann::json options_json() const override {
    return {{"learning_rate", learning_rate()}, {"limit", limit_}};
  }

 private:
  double limit_;
};

std::unique_ptr<Optimizer> clipped_sgd_factory(const nlohmann::json& parameters,
                                               const std::string& where) {
  JsonReader in(parameters, where);
  const double learning_rate = in.number("learning_rate", 0.1), limit = in.number("limit", 1.0);
  in.finish();
  return std::make_unique<ClippedSgd>(learning_rate, limit);
}

// The options cell of the row of `name` in docs/optimizers.md's table: {key: default as text}.
std::map<std::string, std::string> documented_options(const std::string& name) {
  std::ifstream file(GRUTAPE_SOURCE_DIR "/docs/optimizers.md");
  BOOST_REQUIRE(file);
  std::map<std::string, std::string> options;
  const std::string start = "| `" + name + "` ";
  for (std::string line; std::getline(file, line);) {
    if (line.rfind(start, 0) != 0) continue;
    const std::size_t from = line.find('|', 1) + 1, to = line.rfind('|');
    std::stringstream cell(line.substr(from, to - from));
    for (std::string item; std::getline(cell, item, ',');) {
      std::stringstream words(item);
      std::string key, value;
      words >> key >> value;
      options[key] = value;
    }
  }
  return options;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(optimizer_config_test)

BOOST_AUTO_TEST_CASE(every_optimizer_round_trips_through_its_config) {
  for (const auto& name : optimizer_names()) {
    const auto made = make_optimizer({{"name", name}});
    BOOST_TEST(made->type() == name);
    const auto text = made->config().dump();
    const auto again = make_optimizer(nlohmann::json::parse(text));
    BOOST_TEST(again->config() == made->config());
  }
}

BOOST_AUTO_TEST_CASE(docs_list_every_option_with_its_default) {
  for (const auto& name : optimizer_names()) {
    const nlohmann::json parameters = make_optimizer({{"name", name}})->config().at("parameters");
    const auto documented = documented_options(name);
    BOOST_TEST(documented.size() == parameters.size(), "docs/optimizers.md, " << name);
    for (const auto& item : parameters.items()) {
      BOOST_TEST_CONTEXT("docs/optimizers.md, " << name << ": " << item.key()) {
        BOOST_REQUIRE(documented.count(item.key()) == 1u);
        const std::string& text = documented.at(item.key());
        if (item.value().is_boolean()) {
          BOOST_TEST(text == (item.value().get<bool>() ? "true" : "false"));
        } else {
          BOOST_TEST(std::stod(text) == item.value().get<double>());
        }
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(configs_set_the_named_options_and_default_the_rest) {
  const auto made = make_optimizer(
      {{"name", "rmsprop"},
       {"parameters", {{"learning_rate", 0.01}, {"centered", true}, {"momentum", 0.5}}}});
  const auto& options = dynamic_cast<const Rmsprop&>(*made).options();
  BOOST_TEST(options.learning_rate() == 0.01);
  BOOST_TEST(options.centered());
  BOOST_TEST(options.momentum() == 0.5);
  BOOST_TEST(options.rho() == 0.9);  // the default
  BOOST_TEST(made->learning_rate() == 0.01);
  const nlohmann::json expected = {{"learning_rate", 0.01}, {"rho", 0.9},
                                   {"momentum", 0.5},       {"epsilon", 1e-7},
                                   {"centered", true},      {"l2_regularization", 0.0}};
  BOOST_TEST(made->config().at("parameters") == expected);
}

BOOST_AUTO_TEST_CASE(a_configured_optimizer_steps_like_a_constructed_one) {
  const auto options = AdamWOptions().learning_rate(0.1).weight_decay(0.2).beta2(0.9).amsgrad(true);
  AdamW direct(options);
  const auto from_config = make_optimizer(AdamW(options).config());
  const auto a = run_quadratic(direct, DType::float32, 3);
  const auto b = run_quadratic(*from_config, DType::float32, 3);
  BOOST_TEST(a == b);
}

BOOST_AUTO_TEST_CASE(bad_configs_are_errors_naming_the_key) {
  require_error<ValueError>(
      [] {
        make_optimizer({{"name", "lbfgs"}});
      },
      {"make_optimizer", "sgd, adam", "\"lbfgs\""});
  require_error<ValueError>(
      [] {
        make_optimizer({{"parameters", nlohmann::json::object()}});
      },
      {"make_optimizer", "the key \"name\""});
  require_error<ValueError>(
      [] {
        make_optimizer({{"name", "sgd"}, {"params", 1}});
      },
      {"make_optimizer", "\"params\""});
  require_error<ValueError>(
      [] {
        make_optimizer({{"name", "adam"}, {"parameters", {{"beta_1", 0.9}}}});
      },
      {"make_optimizer adam", "beta1", "the unknown key \"beta_1\""});
  require_error<ValueError>(
      [] {
        make_optimizer({{"name", "adamw"}, {"parameters", {{"amsgrad", 1}}}});
      },
      {"make_optimizer adamw: key \"amsgrad\"", "a boolean", "the number 1"});
  require_error<ValueError>(
      [] {
        make_optimizer({{"name", "sgd"}, {"parameters", {{"momentum", "high"}}}});
      },
      {"make_optimizer sgd: key \"momentum\"", "a number", "\"high\""});
  require_error<ValueError>(
      [] {
        make_optimizer({{"name", "adagrad"}, {"parameters", {{"learning_rate", -3}}}});
      },
      {"adagrad", "learning_rate >= 0", "-3"});
}

BOOST_AUTO_TEST_CASE(a_registered_optimizer_is_named_in_configs_like_a_builtin) {
  register_optimizer("test_clipped_sgd", clipped_sgd_factory);
  const nlohmann::json config = {{"name", "test_clipped_sgd"},
                                 {"parameters", {{"learning_rate", 0.5}}}};
  const auto made = make_optimizer(config);
  BOOST_TEST(made->type() == "test_clipped_sgd");
  BOOST_TEST(made->config() ==
             nlohmann::json({{"name", "test_clipped_sgd"},
                             {"parameters", {{"learning_rate", 0.5}, {"limit", 1.0}}}}));
  BOOST_TEST(make_optimizer(made->config())->config() == made->config());
  // One step from w = (1, -2, 3) with g = (0.1, -5, 0): w - 0.5 clip(g, -1, 1) = (0.95, -1.5, 3).
  Value w(Tensor::from_values({3}, {1, -2, 3}, DType::float64), true);
  made->add_parameter("w", w);
  w.set_grad(Tensor::from_values({3}, {0.1, -5, 0}, DType::float64));
  made->step();
  BOOST_TEST(w.value().to_vector() == std::vector<double>({0.95, -1.5, 3.0}),
             boost::test_tools::per_element());
  // A training config names it, and its fit options carry it.
  const nlohmann::json train = {{"model", {{"type", "dense"}, {"units", 1}}},
                                {"optimizer", config},
                                {"data", {{"file", "table.csv"}, {"target_columns", {"y"}}}}};
  const TrainConfig parsed = TrainConfig::from_json(train, "c.json", "");
  const auto optimizer = parsed.fit_options([](const std::string&) {}).optimizer();
  BOOST_TEST(optimizer->type() == "test_clipped_sgd");
  BOOST_TEST(optimizer->learning_rate() == 0.5);
  require_error<ValueError>(
      [] {
        make_optimizer({{"name", "test_clipped_sgd"}, {"parameters", {{"momentum", 0.9}}}});
      },
      {"make_optimizer test_clipped_sgd", "learning_rate, limit", "\"momentum\""});
  require_error<ValueError>(
      [] {
        make_optimizer({{"name", "test_clipped_sgd"}, {"parameters", {{"limit", 0}}}});
      },
      {"test_clipped_sgd", "limit > 0"});

  const RegistryKind<OptimizerFactory> kind{
      "register_optimizer", "unregister_optimizer",
      register_optimizer,   unregister_optimizer,
      optimizer_names,      [](const std::string& name) { make_optimizer({{"name", name}}); },
      "make_optimizer"};
  check_registry_rules(kind, "test_clipped_sgd", "adam", OptimizerFactory(clipped_sgd_factory));
}

BOOST_AUTO_TEST_SUITE_END()
