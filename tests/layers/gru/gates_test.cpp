// The GRU's gate order and its per-gate factors named by gate, in options JSON and messages.
#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

#include "layers/gru/gates.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;
using testing::require_error;

BOOST_AUTO_TEST_SUITE(gates_test)

BOOST_AUTO_TEST_CASE(gate_factors_name_their_gates) {
  const GateFactors f = GateFactors::per_gate(1, 2, 3);
  BOOST_TEST(f[gate_index(GruGate::update)] == 1.0);
  BOOST_TEST(f[gate_index(GruGate::reset)] == 2.0);
  BOOST_TEST(f[gate_index(GruGate::candidate)] == 3.0);
  // The blocks follow the internal gate order update, reset, candidate.
  BOOST_TEST(f.values()[gate_index(GruGate::reset)] == 2.0);
  BOOST_TEST(gate_index(GruGate::reset) == 1u);
  BOOST_TEST(!f.uniform());
  BOOST_TEST(GateFactors(0.5).uniform());
  BOOST_TEST(gru_gate_factors_to_string(f) == "(update 1, reset 2, candidate 3)");
  BOOST_TEST(gru_gate_factors_to_string(GateFactors(0.5)) == "0.5");
}

BOOST_AUTO_TEST_CASE(gate_factors_round_trip_through_json) {
  const GateFactors f = GateFactors::per_gate(0.25, 1, 4);
  BOOST_TEST(gru_gate_factors_to_json(f) ==
             nlohmann::json({{"update", 0.25}, {"reset", 1}, {"candidate", 4}}));
  BOOST_TEST((gru_gate_factors_from_json(gru_gate_factors_to_json(f), "t") == f));
  BOOST_TEST(gru_gate_factors_to_json(GateFactors(2)) == nlohmann::json(2.0));
  BOOST_TEST((gru_gate_factors_from_json(2, "t") == GateFactors(2)));
  require_error<ValueError>([] { gru_gate_factors_from_json("1", "factor"); },
                            {"factor", "a number or an object", "the string \"1\""});
  require_error<ValueError>(
      [] {
        gru_gate_factors_from_json({{"update", 1}, {"reset", 1}, {"candidate", 1}, {"forget", 1}},
                                   "factor");
      },
      {"factor", "the unknown key \"forget\""});
  require_error<ValueError>(
      [] {
        gru_gate_factors_from_json({{"update", 1}, {"reset", true}, {"candidate", 1}}, "factor");
      },
      {"factor: key \"reset\"", "a number", "the boolean true"});
}

BOOST_AUTO_TEST_CASE(a_gru_takes_one_factor_or_one_per_gate) {
  validate_gru_gate_factors(GateFactors(0), "lr");
  validate_gru_gate_factors(GateFactors::per_gate(0, 1, 2), "lr");
  require_error<ValueError>(
      [] { validate_gru_gate_factors(GateFactors::per_gate(1, 1, -1), "lr"); },
      {"lr", "finite factors >= 0", "candidate -1"});
  require_error<ValueError>(
      [] { validate_gru_gate_factors(GateFactors::per_gate(1, 2, 3, 4), "lr"); },
      {"lr", "one factor or one per gate (update, reset, candidate)", "got 4 factors"});
}

BOOST_AUTO_TEST_SUITE_END()
