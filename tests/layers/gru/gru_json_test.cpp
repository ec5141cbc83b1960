// The GRU through the layer registry: to_json carries the header keys and the options, from_json
// rebuilds the same layer, and errors name the key.
#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

#include "layers/gru/gru.hpp"
#include "layers/layer_registry.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;
using testing::require_error;

BOOST_AUTO_TEST_SUITE(gru_json_test)

BOOST_AUTO_TEST_CASE(the_registry_rebuilds_a_gru) {
  Gru gru(GruOptions(3)
              .depth(2)
              .reset_gate_mode(ResetGateMode::after_multiplication)
              .return_sequences(true)
              .dropout(0.25)
              .seed(9));
  gru.set_update(false);
  gru.set_lda_coeff(0.5);
  const nlohmann::json json = gru.to_json();
  BOOST_TEST(json.at("type") == "gru");
  BOOST_TEST(json.at("name") == gru.name());
  BOOST_TEST(json.at("update") == false);
  BOOST_TEST(json.at("lda_coeff") == 0.5);
  const auto back = layer_from_json(nlohmann::json::parse(json.dump()));
  auto* rebuilt = dynamic_cast<Gru*>(back.get());
  BOOST_REQUIRE(rebuilt);
  BOOST_TEST(rebuilt->name() == gru.name());
  BOOST_TEST(!rebuilt->flags().update);
  BOOST_TEST(rebuilt->flags().lda_coeff == 0.5);
  // The rebuilt options carry the name the original's left empty; all else is the same.
  BOOST_TEST(rebuilt->options().to_json() == GruOptions(gru.options()).name(gru.name()).to_json());
  BOOST_TEST(rebuilt->to_json() == json);
  const auto names = layer_type_names();
  BOOST_TEST((std::find(names.begin(), names.end(), "gru") != names.end()));
}

BOOST_AUTO_TEST_CASE(errors_name_the_key) {
  require_error<ValueError>(
      [] {
        Gru::from_json({{"type", "gru"}});
      },
      {"Gru::from_json", "the key \"options\""});
  require_error<ValueError>(
      [] {
        Gru::from_json({{"type", "gru"}, {"options", {{"units", 0}}}});
      },
      {"Gru::from_json: key \"options\"", "units >= 1", "0"});
  require_error<ValueError>(
      [] {
        Gru::from_json({{"type", "gru"}, {"options", {{"units", 2}}}, {"extra", 1}});
      },
      {"Gru::from_json", "\"extra\""});
  require_error<ValueError>(
      [] {
        Gru::from_json({{"type", "dense"}});
      },
      {"Gru::from_json", "\"gru\"", "\"dense\""});
}

BOOST_AUTO_TEST_SUITE_END()
