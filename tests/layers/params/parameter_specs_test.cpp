#include <boost/test/unit_test.hpp>

#include <cmath>

#include <nlohmann/json.hpp>

#include "layers/params/parameter_specs.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;
using testing::require_error;

BOOST_AUTO_TEST_SUITE(parameter_specs_test)

BOOST_AUTO_TEST_CASE(named_specs_round_trip_through_json) {
  const NamedSpec spec("min_max_norm", {{"min_value", 0.5}, {"max_value", 1e-300}, {"axis", 1}});
  const nlohmann::json json = spec.to_json();
  BOOST_TEST(json.at("name") == "min_max_norm");
  BOOST_TEST(NamedSpec::from_json(nlohmann::json::parse(json.dump()), "t") == spec);
  BOOST_TEST(NamedSpec().to_json().is_null());
  BOOST_TEST(NamedSpec::from_json(nullptr, "t").empty());
  BOOST_TEST(NamedSpec::from_json({{"name", "ones"}}, "t") == NamedSpec("ones"));
  BOOST_TEST(to_string(spec) == "min_max_norm(axis=1, max_value=1e-300, min_value=0.5)");
  BOOST_TEST(to_string(NamedSpec()) == "none");
  // Numbers print in the shortest form that reads back exactly, subnormals included.
  BOOST_TEST(to_string(NamedSpec("constant", {{"value", 0.1}})) == "constant(value=0.1)");
  BOOST_TEST(to_string(NamedSpec("constant", {{"value", 5e-324}})) == "constant(value=5e-324)");
}

BOOST_AUTO_TEST_CASE(named_spec_json_errors_name_the_key) {
  require_error<ValueError>(
      [] {
        NamedSpec::from_json({{"parameters", {}}}, "spec");
      },
      {"spec", "the key \"name\""});
  require_error<ValueError>(
      [] {
        NamedSpec::from_json({{"name", ""}}, "spec");
      },
      {"spec: key \"name\"", "a non-empty name"});
  require_error<ValueError>(
      [] {
        NamedSpec::from_json({{"name", 3}}, "spec");
      },
      {"spec: key \"name\"", "a string", "the number 3"});
  require_error<ValueError>(
      [] {
        NamedSpec::from_json({{"name", "l2"}, {"parameters", {1, 2}}}, "spec");
      },
      {"spec: key \"parameters\"", "an object", "an array"});
  require_error<ValueError>(
      [] {
        NamedSpec::from_json({{"name", "l2"}, {"config", {}}}, "spec");
      },
      {"spec", "the unknown key \"config\""});
  require_error<ValueError>([] { NamedSpec::from_json("l2", "spec"); },
                            {"spec", "a JSON object", "the string \"l2\""});
}

BOOST_AUTO_TEST_CASE(keras_regularizers_and_constraints_are_accepted) {
  for (const auto& spec : {RegularizerSpec(), RegularizerSpec("l1", {{"l1", 0.5}}),
                           RegularizerSpec("l2"), RegularizerSpec("l1_l2", {{"l1", 0}, {"l2", 1}})})
    validate_regularizer(spec);
  for (const auto& spec :
       {ConstraintSpec(), ConstraintSpec("max_norm", {{"max_value", 2}, {"axis", 0}}),
        ConstraintSpec("min_max_norm", {{"min_value", 0.1}, {"max_value", 1}, {"rate", 0.5}}),
        ConstraintSpec("non_neg"), ConstraintSpec("unit_norm", {{"axis", -1}})})
    validate_constraint(spec);
}

BOOST_AUTO_TEST_CASE(invalid_regularizers_and_constraints_say_why) {
  require_error<ValueError>(
      [] {
        validate_regularizer(RegularizerSpec("l2", {{"l2", INFINITY}}));
      },
      {"regularizer: l2", "finite parameters", "l2=inf"});
  require_error<ValueError>(
      [] {
        validate_regularizer(RegularizerSpec("l1_l2", {{"l1", -1}}));
      },
      {"regularizer: l1_l2", "l1 >= 0"});
  require_error<ValueError>(
      [] {
        validate_constraint(ConstraintSpec("min_max_norm", {{"min_value", 2}}));
      },
      {"constraint: min_max_norm", "min_value in [0, max_value = 1]", "min_value = 2"});
  require_error<ValueError>(
      [] {
        validate_constraint(ConstraintSpec("min_max_norm", {{"rate", 1.5}}));
      },
      {"constraint: min_max_norm", "rate in [0, 1]", "rate = 1.5"});
  require_error<ValueError>(
      [] {
        validate_constraint(ConstraintSpec("non_neg", {{"axis", 0}}));
      },
      {"constraint: non_neg", "no parameters", "\"axis\""});
}

BOOST_AUTO_TEST_CASE(gate_factors_name_their_gates) {
  const GateFactors f = GateFactors::per_gate(1, 2, 3);
  BOOST_TEST(f[GruGate::update] == 1.0);
  BOOST_TEST(f[GruGate::reset] == 2.0);
  BOOST_TEST(f[GruGate::candidate] == 3.0);
  // values() follows the internal gate order of layers/gru/gates.hpp.
  BOOST_TEST(f.values()[gate_index(GruGate::reset)] == 2.0);
  BOOST_TEST(!f.uniform());
  BOOST_TEST(GateFactors(0.5).uniform());
  BOOST_TEST(to_string(f) == "(update 1, reset 2, candidate 3)");
  BOOST_TEST(to_string(GateFactors(0.5)) == "0.5");
}

BOOST_AUTO_TEST_CASE(gate_factors_round_trip_through_json) {
  const GateFactors f = GateFactors::per_gate(0.25, 1, 4);
  BOOST_TEST(f.to_json() == nlohmann::json({{"update", 0.25}, {"reset", 1}, {"candidate", 4}}));
  BOOST_TEST((GateFactors::from_json(f.to_json(), "t") == f));
  BOOST_TEST(GateFactors(2).to_json() == nlohmann::json(2.0));
  BOOST_TEST((GateFactors::from_json(2, "t") == GateFactors(2)));
  require_error<ValueError>([] { GateFactors::from_json("1", "factor"); },
                            {"factor", "a number or an object", "the string \"1\""});
  require_error<ValueError>(
      [] {
        GateFactors::from_json({{"update", 1}, {"reset", 1}, {"candidate", 1}, {"forget", 1}},
                               "factor");
      },
      {"factor", "the unknown key \"forget\""});
  require_error<ValueError>(
      [] {
        GateFactors::from_json({{"update", 1}, {"reset", true}, {"candidate", 1}}, "factor");
      },
      {"factor: key \"reset\"", "a number", "the boolean true"});
  require_error<ValueError>([] { GateFactors::per_gate(1, 1, -1).validate("lr"); },
                            {"lr", "finite factors >= 0", "candidate -1"});
}

BOOST_AUTO_TEST_SUITE_END()
