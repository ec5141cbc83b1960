#include <boost/test/unit_test.hpp>

#include "layers/params/constraint.hpp"
#include "optim/optimizers/param_options.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;
using testing::require_error;

BOOST_AUTO_TEST_SUITE(param_options_test)

BOOST_AUTO_TEST_CASE(defaults_and_setters) {
  const ParamOptions defaults;
  BOOST_TEST((defaults.learn_rate_factor() == GateFactors(1.0)));
  BOOST_TEST((defaults.l2_factor() == GateFactors(1.0)));
  BOOST_TEST(!defaults.frozen());
  BOOST_TEST(!defaults.constraint());
  BOOST_TEST(!defaults.per_gate());
  const auto options = ParamOptions()
                           .learn_rate_factor(2)
                           .l2_factor(GateFactors::per_gate(0, 1, 2))
                           .frozen(true)
                           .constraint(std::make_shared<NonNeg>());
  BOOST_TEST((options.learn_rate_factor() == GateFactors(2.0)));
  BOOST_TEST((options.l2_factor() == GateFactors::per_gate(0, 1, 2)));
  BOOST_TEST(options.per_gate());
  BOOST_TEST(options.gates() == 3u);
  BOOST_TEST(options.frozen());
  BOOST_TEST(options.constraint()->name() == "non_neg");
}

BOOST_AUTO_TEST_CASE(validation_names_the_factor_and_gate) {
  ParamOptions().learn_rate_factor(GateFactors::per_gate(1, 2, 3)).validate({4, 9}, "here");
  ParamOptions().learn_rate_factor(5).validate({}, "here");  // uniform: any shape
  require_error<ValueError>(
      [] { ParamOptions().learn_rate_factor(-1).validate({3}, "layer gru kernel"); },
      {"layer gru kernel", "learn_rate_factor >= 0", "-1"});
  require_error<ValueError>(
      [] {
        ParamOptions().l2_factor(GateFactors::per_gate(1, 1, std::nan(""))).validate({3}, "here");
      },
      {"here", "l2_factor (gate 3 of 3)", "nan"});
  require_error<ShapeError>(
      [] {
        ParamOptions().l2_factor(GateFactors::per_gate(1, 1, 2)).validate({3, 4}, "here");
      },
      {"here", "3 equal gate blocks", "shape (3, 4)"});
  require_error<ShapeError>(
      [] { ParamOptions().l2_factor(GateFactors::per_gate(1, 1, 2)).validate({}, "here"); },
      {"here", "shape ()"});
}

// The optimizer knows no gate names: any number of gate blocks, the same in both factors.
BOOST_AUTO_TEST_CASE(any_number_of_gates_the_same_in_both_factors) {
  const ParamOptions four = ParamOptions().learn_rate_factor(GateFactors::per_gate(1, 2, 3, 4));
  BOOST_TEST(four.gates() == 4u);
  four.validate({2, 8}, "here");
  require_error<ShapeError>(
      [&] {
        four.validate({2, 6}, "here");
      },
      {"here", "4 equal gate blocks", "shape (2, 6)"});
  require_error<ValueError>(
      [] {
        ParamOptions()
            .learn_rate_factor(GateFactors::per_gate(1, 2, 3))
            .l2_factor(GateFactors::per_gate(1, 2))
            .validate({6}, "here");
      },
      {"here", "the same number of gates in learn_rate_factor and l2_factor", "got 3 and 2"});
  // A per-gate factor and a whole-tensor one go together.
  const ParamOptions mixed =
      ParamOptions().learn_rate_factor(0.5).l2_factor(GateFactors::per_gate(0, 1));
  BOOST_TEST(mixed.gates() == 2u);
  mixed.validate({3, 4}, "here");
}

BOOST_AUTO_TEST_SUITE_END()
