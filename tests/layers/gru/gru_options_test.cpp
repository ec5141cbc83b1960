#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <regex>
#include <set>

#include <nlohmann/json.hpp>

#include "autodiff/ops/activation.hpp"
#include "layers/gru/options.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;
using testing::require_error;

namespace {

// Options with every field away from its default.
GruOptions everything_set() {
  return GruOptions(7)
      .input_size(5)
      .activation("softsign")
      .recurrent_activation("hard_sigmoid")
      .use_bias(false)
      .reset_gate_mode(ResetGateMode::after_multiplication)
      .return_sequences(true)
      .return_state(true)
      .stateful(true)
      .go_backwards(true)
      .dropout(0.25)
      .recurrent_dropout(0.125)
      .unroll(true)
      .implementation(1)
      .kernel_initializer(InitializerSpec("he_normal"))
      .recurrent_initializer(InitializerSpec("orthogonal", {{"gain", 1.5}}))
      .bias_initializer(InitializerSpec("constant", {{"value", 0.1}}))
      .weight_scaling(0.5)
      .preset(InitializerPreset::matlab)
      .depth(3)
      .name("encoder.gru_2")
      .engine(GruEngine::composite)
      .kernel_regularizer(RegularizerSpec("l2", {{"l2", 0.001}}))
      .recurrent_regularizer(RegularizerSpec("l1"))
      .bias_regularizer(RegularizerSpec("l1_l2", {{"l1", 0.1}, {"l2", 0.2}}))
      .kernel_constraint(ConstraintSpec("max_norm", {{"max_value", 3}}))
      .recurrent_constraint(ConstraintSpec("unit_norm", {{"axis", 1}}))
      .bias_constraint(ConstraintSpec("non_neg"))
      .kernel_learn_rate_factor(GateFactors::per_gate(1, 2, 3))
      .recurrent_learn_rate_factor(0.5)
      .bias_learn_rate_factor(GateFactors::per_gate(0, 1, 0))
      .kernel_l2_factor(2.0)
      .recurrent_l2_factor(GateFactors::per_gate(4, 5, 6))
      .bias_l2_factor(1.0)
      .seed(12345678901234567890ull)
      .check_nan(true);
}

// Every getter of `o` has the value everything_set() gives it.
void require_everything_set(const GruOptions& o) {
  BOOST_TEST(o.units() == 7u);
  BOOST_TEST(o.input_size() == 5u);
  BOOST_TEST(o.activation() == "softsign");
  BOOST_TEST(o.recurrent_activation() == "hard_sigmoid");
  BOOST_TEST(!o.use_bias());
  BOOST_TEST((o.reset_gate_mode() == ResetGateMode::after_multiplication));
  BOOST_TEST(o.return_sequences());
  BOOST_TEST(o.return_state());
  BOOST_TEST(o.stateful());
  BOOST_TEST(o.go_backwards());
  BOOST_TEST(o.dropout() == 0.25);
  BOOST_TEST(o.recurrent_dropout() == 0.125);
  BOOST_TEST(o.unroll());
  BOOST_TEST(o.implementation() == 1);
  BOOST_TEST((o.kernel_initializer() == InitializerSpec("he_normal")));
  BOOST_TEST((o.recurrent_initializer() == InitializerSpec("orthogonal", {{"gain", 1.5}})));
  BOOST_TEST((o.bias_initializer() == InitializerSpec("constant", {{"value", 0.1}})));
  BOOST_TEST(o.weight_scaling() == 0.5);
  BOOST_TEST((o.preset() == InitializerPreset::matlab));
  BOOST_TEST(o.depth() == 3u);
  BOOST_TEST(o.name() == "encoder.gru_2");
  BOOST_TEST((o.engine() == GruEngine::composite));
  BOOST_TEST(o.kernel_regularizer() == RegularizerSpec("l2", {{"l2", 0.001}}));
  BOOST_TEST(o.recurrent_regularizer() == RegularizerSpec("l1"));
  BOOST_TEST(o.bias_regularizer() == RegularizerSpec("l1_l2", {{"l1", 0.1}, {"l2", 0.2}}));
  BOOST_TEST(o.kernel_constraint() == ConstraintSpec("max_norm", {{"max_value", 3}}));
  BOOST_TEST(o.recurrent_constraint() == ConstraintSpec("unit_norm", {{"axis", 1}}));
  BOOST_TEST(o.bias_constraint() == ConstraintSpec("non_neg"));
  BOOST_TEST((o.kernel_learn_rate_factor() == GateFactors::per_gate(1, 2, 3)));
  BOOST_TEST((o.recurrent_learn_rate_factor() == GateFactors(0.5)));
  BOOST_TEST((o.bias_learn_rate_factor() == GateFactors::per_gate(0, 1, 0)));
  BOOST_TEST((o.kernel_l2_factor() == GateFactors(2.0)));
  BOOST_TEST((o.recurrent_l2_factor() == GateFactors::per_gate(4, 5, 6)));
  BOOST_TEST((o.bias_l2_factor() == GateFactors(1.0)));
  BOOST_TEST((o.seed() == std::optional<std::uint64_t>(12345678901234567890ull)));
  BOOST_TEST(o.check_nan());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(gru_options_test)

BOOST_AUTO_TEST_CASE(defaults_are_keras_layer_defaults) {
  const GruOptions o(4);
  BOOST_TEST(o.units() == 4u);
  BOOST_TEST(o.input_size() == 0u);
  BOOST_TEST(o.activation() == "tanh");
  BOOST_TEST(o.recurrent_activation() == "sigmoid");
  BOOST_TEST(o.use_bias());
  BOOST_TEST((o.reset_gate_mode() == ResetGateMode::recurrent_bias_after_multiplication));
  BOOST_TEST(!o.return_sequences());
  BOOST_TEST(!o.return_state());
  BOOST_TEST(!o.stateful());
  BOOST_TEST(!o.go_backwards());
  BOOST_TEST(o.dropout() == 0.0);
  BOOST_TEST(o.recurrent_dropout() == 0.0);
  BOOST_TEST(!o.unroll());
  BOOST_TEST(o.implementation() == 2);
  BOOST_TEST(!o.kernel_initializer().has_value());
  BOOST_TEST(!o.recurrent_initializer().has_value());
  BOOST_TEST(!o.bias_initializer().has_value());
  BOOST_TEST(o.weight_scaling() == 1.0);
  BOOST_TEST((o.preset() == InitializerPreset::keras));
  BOOST_TEST(o.depth() == 1u);
  BOOST_TEST(o.name() == "");
  BOOST_TEST((o.engine() == GruEngine::automatic));
  for (const auto& spec : {o.kernel_regularizer(), o.recurrent_regularizer(), o.bias_regularizer(),
                           o.kernel_constraint(), o.recurrent_constraint(), o.bias_constraint()})
    BOOST_TEST(spec.empty());
  for (const auto& factors :
       {o.kernel_learn_rate_factor(), o.recurrent_learn_rate_factor(), o.bias_learn_rate_factor(),
        o.kernel_l2_factor(), o.recurrent_l2_factor()})
    BOOST_TEST((factors == GateFactors(1.0)));
  BOOST_TEST((o.bias_l2_factor() == GateFactors(0.0)));
  BOOST_TEST(!o.seed().has_value());
  BOOST_TEST(!o.check_nan());
  o.validate();
  const PresetInitializers specs = o.initializers();
  BOOST_TEST(specs.kernel == InitializerSpec("glorot_uniform"));
  BOOST_TEST(specs.recurrent_kernel == InitializerSpec("orthogonal"));
  BOOST_TEST(specs.bias == InitializerSpec("zeros"));
}

BOOST_AUTO_TEST_CASE(every_setter_sets_its_field_and_chains) {
  const GruOptions o = everything_set();
  require_everything_set(o);
  o.validate();
  GruOptions target(1);
  BOOST_TEST(&target.units(2).depth(2).name("x") == &target);
}

BOOST_AUTO_TEST_CASE(keras_and_matlab_spellings_map_onto_the_options) {
  GruOptions o(3);
  BOOST_TEST((o.reset_after(false).reset_gate_mode() == ResetGateMode::before_multiplication));
  BOOST_TEST((o.reset_after(true).reset_gate_mode() ==
              ResetGateMode::recurrent_bias_after_multiplication));
  BOOST_TEST(o.output_mode("sequence").return_sequences());
  BOOST_TEST(!o.output_mode("last").return_sequences());
  require_error<ValueError>([&] { o.output_mode("all"); },
                            {"GruOptions::output_mode", "\"sequence\" or \"last\"", "\"all\""});
}

BOOST_AUTO_TEST_CASE(explicit_initializers_override_the_preset) {
  const auto o = GruOptions(16).preset(InitializerPreset::pytorch);
  const InitializerSpec quarter("uniform", {{"minval", -0.25}, {"maxval", 0.25}});
  BOOST_TEST(o.initializers().kernel == quarter);
  BOOST_TEST(o.initializers().bias == quarter);
  const auto custom = GruOptions(16)
                          .preset(InitializerPreset::pytorch)
                          .recurrent_initializer(InitializerSpec("orthogonal"));
  BOOST_TEST(custom.initializers().recurrent_kernel == InitializerSpec("orthogonal"));
  BOOST_TEST(custom.initializers().kernel == quarter);
}

BOOST_AUTO_TEST_CASE(every_activation_name_is_accepted_for_both_activations) {
  for (const std::string& name : gru_activation_names())
    GruOptions(2).activation(name).recurrent_activation(name).validate();
  BOOST_TEST(gru_activation_names().size() == 11u);
  // The list is the activation family's, less the two that normalise along an axis.
  std::vector<std::string> expected = activation_names();
  expected.erase(std::remove(expected.begin(), expected.end(), "softmax"), expected.end());
  expected.erase(std::remove(expected.begin(), expected.end(), "log_softmax"), expected.end());
  BOOST_TEST(gru_activation_names() == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(validation_names_the_option_and_its_value) {
  const auto fails = [](const GruOptions& o, std::vector<std::string> fragments) {
    require_error<ValueError>([&] { o.validate(); }, fragments);
  };
  fails(GruOptions(0), {"GruOptions: units", "units >= 1", "got 0"});
  fails(GruOptions(2).activation("swish"), {"GruOptions: activation", "tanh", "\"swish\""});
  fails(GruOptions(2).recurrent_activation("Sigmoid"),
        {"GruOptions: recurrent_activation", "\"Sigmoid\""});
  fails(GruOptions(2).dropout(1.0), {"GruOptions: dropout", "[0, 1)", "got 1"});
  fails(GruOptions(2).dropout(-0.1), {"GruOptions: dropout", "got -0.1"});
  fails(GruOptions(2).recurrent_dropout(NAN), {"GruOptions: recurrent_dropout", "got nan"});
  fails(GruOptions(2).implementation(3), {"GruOptions: implementation", "1 or 2", "got 3"});
  fails(GruOptions(2).kernel_initializer(InitializerSpec("xavier")),
        {"GruOptions: kernel_initializer", "\"xavier\""});
  fails(GruOptions(2).recurrent_initializer(InitializerSpec("orthogonal", {{"scale", 2}})),
        {"GruOptions: recurrent_initializer", "\"scale\""});
  fails(GruOptions(2).bias_initializer(InitializerSpec("uniform", {{"minval", 1}, {"maxval", 0}})),
        {"GruOptions: bias_initializer", "minval <= maxval"});
  fails(GruOptions(2).weight_scaling(0), {"GruOptions: weight_scaling", "> 0", "got 0"});
  fails(GruOptions(2).weight_scaling(INFINITY), {"GruOptions: weight_scaling", "got inf"});
  fails(GruOptions(2).depth(0), {"GruOptions: depth", "depth >= 1", "got 0"});
  fails(GruOptions(2).name("enc/gru"), {"GruOptions: name", "letters, digits", "\"enc/gru\""});
  fails(GruOptions(2).kernel_regularizer(RegularizerSpec("l3")),
        {"GruOptions: kernel_regularizer", "l1, l2, l1_l2", "\"l3\""});
  fails(GruOptions(2).recurrent_regularizer(RegularizerSpec("l2", {{"l2", -1}})),
        {"GruOptions: recurrent_regularizer", "l2 >= 0", "l2(l2=-1)"});
  fails(GruOptions(2).bias_regularizer(RegularizerSpec("l1", {{"l2", 1}})),
        {"GruOptions: bias_regularizer", "\"l2\""});
  fails(GruOptions(2).kernel_constraint(ConstraintSpec("max_norm", {{"max_value", 0}})),
        {"GruOptions: kernel_constraint", "max_value > 0"});
  fails(GruOptions(2).recurrent_constraint(ConstraintSpec("unit_norm", {{"axis", 0.5}})),
        {"GruOptions: recurrent_constraint", "an integer axis", "axis=0.5"});
  fails(GruOptions(2).bias_constraint(ConstraintSpec("clip")),
        {"GruOptions: bias_constraint", "max_norm, min_max_norm", "\"clip\""});
  fails(GruOptions(2).kernel_learn_rate_factor(GateFactors::per_gate(1, -1, 1)),
        {"GruOptions: kernel_learn_rate_factor", ">= 0", "reset -1"});
  fails(GruOptions(2).recurrent_learn_rate_factor(-2),
        {"GruOptions: recurrent_learn_rate_factor", "got -2"});
  fails(GruOptions(2).bias_learn_rate_factor(NAN), {"GruOptions: bias_learn_rate_factor", "nan"});
  fails(GruOptions(2).kernel_l2_factor(-1), {"GruOptions: kernel_l2_factor", "got -1"});
  fails(GruOptions(2).recurrent_l2_factor(INFINITY), {"GruOptions: recurrent_l2_factor", "inf"});
  fails(GruOptions(2).bias_l2_factor(-0.5), {"GruOptions: bias_l2_factor", "got -0.5"});
}

BOOST_AUTO_TEST_CASE(every_field_round_trips_through_json_text) {
  const nlohmann::json json = everything_set().to_json();
  const GruOptions back = GruOptions::from_json(nlohmann::json::parse(json.dump()));
  require_everything_set(back);
  BOOST_TEST(back.to_json() == json);
  // Every option is written under its own name: 37 keys.
  BOOST_TEST(json.size() == 37u);
  BOOST_TEST(json.at("reset_gate_mode") == "after_multiplication");
  BOOST_TEST(json.at("engine") == "composite");
  BOOST_TEST(json.at("kernel_learn_rate_factor") ==
             nlohmann::json({{"update", 1}, {"reset", 2}, {"candidate", 3}}));
  const GruOptions defaults = GruOptions::from_json(GruOptions(3).to_json());
  BOOST_TEST(defaults.to_json() == GruOptions(3).to_json());
  BOOST_TEST(GruOptions(3).to_json().at("engine") == "auto");
  BOOST_TEST(GruOptions(3).to_json().at("seed").is_null());
  BOOST_TEST(GruOptions(3).to_json().at("kernel_initializer").is_null());
}

BOOST_AUTO_TEST_CASE(absent_keys_keep_defaults_and_units_is_required) {
  const GruOptions o =
      GruOptions::from_json({{"units", 8}, {"reset_gate_mode", "before_multiplication"}});
  BOOST_TEST(o.units() == 8u);
  BOOST_TEST((o.reset_gate_mode() == ResetGateMode::before_multiplication));
  BOOST_TEST(o.activation() == "tanh");
  require_error<ValueError>(
      [] {
        GruOptions::from_json({{"depth", 2}});
      },
      {"GruOptions::from_json", "the key \"units\""});
  require_error<ValueError>([] { GruOptions::from_json(nlohmann::json::array()); },
                            {"GruOptions::from_json", "a JSON object", "an array"});
}

BOOST_AUTO_TEST_CASE(unknown_keys_and_wrong_types_name_the_key) {
  const auto fails = [](const nlohmann::json& json, std::vector<std::string> fragments) {
    require_error<ValueError>([&] { GruOptions::from_json(json); }, fragments);
  };
  fails({{"units", 2}, {"unit", 3}}, {"GruOptions::from_json", "the unknown key \"unit\""});
  fails({{"units", "2"}}, {"key \"units\"", "a non-negative integer", "the string \"2\""});
  fails({{"units", -2}}, {"key \"units\"", "a non-negative integer", "-2"});
  fails({{"units", 2}, {"use_bias", 1}}, {"key \"use_bias\"", "a boolean", "the number 1"});
  fails({{"units", 2}, {"dropout", "0.5"}}, {"key \"dropout\"", "a number", "\"0.5\""});
  fails({{"units", 2}, {"seed", 1.5}}, {"key \"seed\"", "a non-negative integer", "1.5"});
  fails({{"units", 2}, {"reset_gate_mode", "reset_after"}},
        {"key \"reset_gate_mode\"", "before_multiplication", "\"reset_after\""});
  fails({{"units", 2}, {"engine", "gpu"}}, {"key \"engine\"", "composite, fused or auto"});
  fails({{"units", 2}, {"preset", "tf"}}, {"key \"preset\"", "keras, pytorch or matlab"});
  fails({{"units", 2}, {"kernel_initializer", {{"name", "ones"}, {"args", {}}}}},
        {"key \"kernel_initializer\"", "the unknown key \"args\""});
  fails({{"units", 2},
         {"kernel_initializer", {{"name", "uniform"}, {"parameters", {{"minval", "a"}}}}}},
        {"key \"kernel_initializer\": key \"parameters\".minval", "a number"});
  fails({{"units", 2}, {"bias_regularizer", "l2"}}, {"key \"bias_regularizer\"", "a JSON object"});
  fails({{"units", 2}, {"bias_l2_factor", {1, 2, 3}}},
        {"key \"bias_l2_factor\"", "a number or an object", "an array"});
  fails({{"units", 2}, {"kernel_l2_factor", {{"update", 1}, {"reset", 2}}}},
        {"key \"kernel_l2_factor\"", "the key \"candidate\""});
  fails({{"units", 2}, {"dropout", 1.5}}, {"GruOptions: dropout", "got 1.5"});
}

BOOST_AUTO_TEST_CASE(docs_gru_md_lists_every_option_and_no_other) {
  // The options named in the first cells of the table under "## Options".
  std::ifstream file(GRUTAPE_SOURCE_DIR "/docs/gru.md");
  BOOST_REQUIRE(file);
  std::set<std::string> documented;
  bool in_options = false;
  const std::regex name("`([a-z_0-9]+)`");
  for (std::string line; std::getline(file, line);) {
    if (line.rfind("## ", 0) == 0) in_options = line == "## Options";
    if (!in_options || line.rfind("| `", 0) != 0) continue;
    const std::string cell = line.substr(0, line.find('|', 1));
    for (std::sregex_iterator it(cell.begin(), cell.end(), name), end; it != end; ++it) {
      documented.insert((*it)[1]);
    }
  }
  const std::vector<std::string> keys = field_keys(GruOptions(1));
  BOOST_TEST(documented == std::set<std::string>(keys.begin(), keys.end()),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(enum_names_round_trip_and_unknown_names_are_errors) {
  for (auto mode : {ResetGateMode::before_multiplication, ResetGateMode::after_multiplication,
                    ResetGateMode::recurrent_bias_after_multiplication})
    BOOST_TEST((reset_gate_mode_from_name(reset_gate_mode_name(mode)) == mode));
  for (auto engine : {GruEngine::composite, GruEngine::fused, GruEngine::automatic})
    BOOST_TEST((engine_from_name(engine_name(engine)) == engine));
  require_error<ValueError>([] { reset_gate_mode_from_name("before-multiplication"); },
                            {"reset_gate_mode_from_name", "\"before-multiplication\""});
  require_error<ValueError>([] { engine_from_name("automatic"); },
                            {"engine_from_name", "\"automatic\""});
  BOOST_TEST(has_recurrent_bias(ResetGateMode::recurrent_bias_after_multiplication));
  BOOST_TEST(!has_recurrent_bias(ResetGateMode::after_multiplication));
  BOOST_TEST(!has_recurrent_bias(ResetGateMode::before_multiplication));
}

BOOST_AUTO_TEST_SUITE_END()
