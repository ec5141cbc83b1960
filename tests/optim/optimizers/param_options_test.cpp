#include <boost/test/unit_test.hpp>

#include "layers/params/constraint.hpp"
#include "optim/optimizers/param_options.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;
using testing::require_error;

BOOST_AUTO_TEST_SUITE(param_options_test)

BOOST_AUTO_TEST_CASE(defaults_and_setters) {
  const ParamOptions defaults;
  BOOST_TEST((defaults.learn_rate_factors() == GateFactorValues{1, 1, 1}));
  BOOST_TEST((defaults.l2_factors() == GateFactorValues{1, 1, 1}));
  BOOST_TEST(!defaults.frozen());
  BOOST_TEST(!defaults.constraint());
  BOOST_TEST(!defaults.per_gate());
  const auto options =
      ParamOptions().learn_rate_factor(2).l2_factors({0, 1, 2}).frozen(true).constraint(
          std::make_shared<NonNeg>());
  BOOST_TEST((options.learn_rate_factors() == GateFactorValues{2, 2, 2}));
  BOOST_TEST((options.l2_factors() == GateFactorValues{0, 1, 2}));
  BOOST_TEST(options.per_gate());
  BOOST_TEST(options.frozen());
  BOOST_TEST(options.constraint()->name() == "non_neg");
}

BOOST_AUTO_TEST_CASE(validation_names_the_factor_and_gate) {
  ParamOptions().learn_rate_factors({1, 2, 3}).validate({4, 9}, "here");
  ParamOptions().learn_rate_factor(5).validate({}, "here");  // uniform: any shape
  require_error<ValueError>(
      [] { ParamOptions().learn_rate_factor(-1).validate({3}, "layer gru kernel"); },
      {"layer gru kernel", "learn_rate_factor (update) >= 0", "-1"});
  require_error<ValueError>(
      [] {
        ParamOptions().l2_factors({1, 1, std::nan("")}).validate({3}, "here");
      },
      {"here", "l2_factor (candidate)", "nan"});
  require_error<ShapeError>(
      [] {
        ParamOptions().l2_factors({1, 1, 2}).validate({3, 4}, "here");
      },
      {"here", "3 equal gate blocks", "shape (3, 4)"});
  require_error<ShapeError>(
      [] {
        ParamOptions().l2_factors({1, 1, 2}).validate({}, "here");
      },
      {"here", "shape ()"});
}

BOOST_AUTO_TEST_SUITE_END()
