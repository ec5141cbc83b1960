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

BOOST_AUTO_TEST_SUITE_END()
