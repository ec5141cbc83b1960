#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

#include "optim/optimizers/adam.hpp"
#include "optim/optimizers/optimizer_config.hpp"
#include "optim/optimizers/rmsprop.hpp"
#include "optim/optimizers/sgd.hpp"
#include "tests/optim/quadratic.hpp"

using namespace grutape;
using namespace grutape::testing;

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

BOOST_AUTO_TEST_SUITE_END()
