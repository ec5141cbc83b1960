#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

#include "optim/callbacks/plateau.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;
using boost::test_tools::tolerance;
using testing::require_error;

BOOST_AUTO_TEST_SUITE(plateau_test)

BOOST_AUTO_TEST_CASE(reduces_after_patience_then_cools_down) {
  ReduceOnPlateau plateau(
      1.0, ReduceOnPlateauOptions().factor(0.5).patience(2).cooldown(2).min_delta(0.01));
  // metric, expected rate after observing it, with the reason.
  const std::vector<std::pair<double, double>> sequence{
      {1.0, 1.0},    // improves on +inf: best 1.0
      {0.995, 1.0},  // within min_delta of the best: wait 1
      {0.999, 0.5},  // wait 2 = patience: halve, cooldown counter 2, wait 0
      {2.0, 0.5},    // counter 2 -> 1: still cooling, nothing counted
      {2.0, 0.5},    // counter 1 -> 0: cooldown over, wait 1
      {2.0, 0.25},   // wait 2: halve again, counter 2
      {0.5, 0.25},   // counter 2 -> 1; improves: best 0.5
      {0.6, 0.25},   // counter 1 -> 0; wait 1
      {0.6, 0.125},  // wait 2: halve
  };
  for (std::size_t i = 0; i < sequence.size(); ++i) {
    BOOST_TEST_INFO("observation " << i);
    BOOST_TEST(plateau.observe(sequence[i].first) == sequence[i].second, tolerance(1e-15));
  }
  BOOST_TEST(plateau.best() == 0.5);
}

BOOST_AUTO_TEST_CASE(max_mode_and_minimum_rate) {
  ReduceOnPlateau plateau(0.1, ReduceOnPlateauOptions()
                                   .mode(PlateauMode::max)
                                   .factor(0.1)
                                   .patience(1)
                                   .min_delta(0)
                                   .min_rate(0.005));
  BOOST_TEST(plateau.best() == -std::numeric_limits<double>::infinity());
  BOOST_TEST(plateau.observe(0.8) == 0.1);                     // improves
  BOOST_TEST(plateau.observe(0.7) == 0.01, tolerance(1e-15));  // worse: reduce
  BOOST_TEST(plateau.observe(0.8) == 0.005);                   // equal is no improvement: floor
  BOOST_TEST(plateau.observe(0.1) == 0.005);                   // at the floor it stays
  BOOST_TEST(plateau.observe(std::nan("")) == 0.005);          // NaN never improves
  BOOST_TEST(plateau.best() == 0.8);
}

BOOST_AUTO_TEST_CASE(state_round_trip_continues_identically) {
  const auto options = ReduceOnPlateauOptions().factor(0.5).patience(2).cooldown(2);
  ReduceOnPlateau first(1.0, options);
  for (double m : {1.0, 1.5, 1.5, 1.2}) first.observe(m);
  const std::string saved = first.state().dump();
  ReduceOnPlateau second(1.0, options);
  second.load_state(nlohmann::json::parse(saved));
  for (double m : {1.3, 1.4, 1.4, 1.4, 0.2, 0.3}) BOOST_TEST(second.observe(m) == first.observe(m));
  BOOST_TEST(second.state() == first.state());
  // A fresh one keeps +inf as best through the text form.
  ReduceOnPlateau fresh(1.0);
  ReduceOnPlateau restored(2.0);
  restored.load_state(nlohmann::json::parse(fresh.state().dump()));
  BOOST_TEST(restored.best() == std::numeric_limits<double>::infinity());
  BOOST_TEST(restored.rate() == 1.0);
}

BOOST_AUTO_TEST_CASE(bad_options_and_states_are_errors) {
  require_error<ValueError>([] { ReduceOnPlateau(-0.1); },
                            {"reduce_on_plateau", "initial_rate", "-0.1"});
  require_error<ValueError>([] { ReduceOnPlateau(0.1, ReduceOnPlateauOptions().factor(1.0)); },
                            {"reduce_on_plateau", "factor in (0, 1)", "factor = 1"});
  require_error<ValueError>([] { ReduceOnPlateau(0.1, ReduceOnPlateauOptions().min_delta(-1)); },
                            {"reduce_on_plateau", "min_delta", "-1"});
  require_error<ValueError>([] { ReduceOnPlateau(0.1, ReduceOnPlateauOptions().min_rate(-0.01)); },
                            {"reduce_on_plateau", "min_rate", "-0.01"});
  ReduceOnPlateau plateau(0.1);
  nlohmann::json state = plateau.state();
  state.erase("wait");
  require_error<ValueError>([&] { plateau.load_state(state); },
                            {"reduce_on_plateau::load_state", "\"wait\""});
  state = plateau.state();
  state["best"] = "xyz";
  require_error<ValueError>([&] { plateau.load_state(state); },
                            {"best", "16 hex digits", "\"xyz\""});
}

BOOST_AUTO_TEST_SUITE_END()
