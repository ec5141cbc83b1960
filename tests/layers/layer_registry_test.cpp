#include <boost/test/unit_test.hpp>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "core/json_reader.hpp"
#include "layers/basic/dense.hpp"
#include "layers/layer_registry.hpp"
#include "tests/layers/recording_layers.hpp"
#include "tests/registry_checks.hpp"

using namespace grutape;
using testing::require_error;

BOOST_AUTO_TEST_SUITE(layer_registry_test)

BOOST_AUTO_TEST_CASE(builtin_types_rebuild_their_layers) {
  const std::vector<std::string> names = layer_type_names();
  const std::vector<std::string> builtins{"activation", "dense",  "dropout", "embedding",
                                          "flatten",    "input",  "masking", "reshape",
                                          "sequential", "softmax"};
  for (const auto& type : builtins) {
    BOOST_TEST((std::find(names.begin(), names.end(), type) != names.end()), type);
  }
  BOOST_TEST(std::is_sorted(names.begin(), names.end()));
  Dense dense(DenseOptions(3).activation("tanh"));
  const auto back = layer_from_json(dense.to_json());
  BOOST_TEST(back->type() == "dense");
  BOOST_TEST(back->name() == dense.name());
  BOOST_TEST(back->to_json() == dense.to_json());
}

BOOST_AUTO_TEST_CASE(registered_types_and_their_errors) {
  auto factory = [](const nlohmann::json& json) -> std::shared_ptr<Layer> {
    JsonReader in(json, "mask_recorder");
    const LayerHeader header = read_layer_header(in, "mask_recorder");
    in.finish();
    auto layer = std::make_shared<testing::MaskRecorder>();
    apply_layer_header(header, *layer);
    return layer;
  };
  register_layer_type("mask_recorder", factory);
  testing::MaskRecorder recorder;
  recorder.set_name("rec");
  const auto back = layer_from_json(recorder.to_json());
  BOOST_TEST(back->name() == "rec");
  BOOST_TEST(dynamic_cast<testing::MaskRecorder*>(back.get()) != nullptr);
  require_error<ValueError>([&] { register_layer_type("mask_recorder", factory); },
                            {"register_layer_type", "a new type", "already known"});
  require_error<ValueError>([&] { register_layer_type("dense", factory); },
                            {"\"dense\", which is already known"});
  require_error<ValueError>([&] { register_layer_type("", factory); }, {"a non-empty type"});
  require_error<ValueError>([&] { register_layer_type("x", LayerFactory()); },
                            {"a factory", "an empty function for \"x\""});
  unregister_layer_type("mask_recorder");
  require_error<ValueError>([] { unregister_layer_type("mask_recorder"); },
                            {"unregister_layer_type", "which is not registered"});
  require_error<ValueError>([] { unregister_layer_type("dense"); },
                            {"the built-in type \"dense\""});
  require_error<ValueError>([&] { layer_from_json(recorder.to_json()); },
                            {"layer_from_json", "a type among activation, bidirectional, dense",
                             "got \"mask_recorder\""});
}

BOOST_AUTO_TEST_CASE(the_rules_every_registry_shares) {
  const LayerFactory factory = [](const nlohmann::json&) -> std::shared_ptr<Layer> {
    return std::make_shared<testing::MaskRecorder>();
  };
  register_layer_type("test_recorder", factory);
  BOOST_TEST(layer_from_json({{"type", "test_recorder"}})->type() == "mask_recorder");
  const testing::RegistryKind<LayerFactory> kind{
      "register_layer_type", "unregister_layer_type",
      register_layer_type,   unregister_layer_type,
      layer_type_names,      [](const std::string& type) { layer_from_json({{"type", type}}); },
      "layer_from_json"};
  testing::check_registry_rules(kind, "test_recorder", "gru", factory);
}

BOOST_AUTO_TEST_CASE(malformed_json) {
  require_error<ValueError>([] { layer_from_json(nlohmann::json::array()); },
                            {"layer_from_json", "a JSON object", "an array"});
  require_error<ValueError>(
      [] {
        layer_from_json({{"name", "x"}});
      },
      {"the key \"type\"", "an object without it"});
  require_error<ValueError>(
      [] {
        layer_from_json({{"type", 4}});
      },
      {"key \"type\"", "a string", "the number 4"});
  require_error<ValueError>(
      [] {
        layer_from_json({{"type", "dense"}, {"units", "many"}});
      },
      {"Dense::from_json", "key \"units\"", "a non-negative integer"});
}

BOOST_AUTO_TEST_SUITE_END()
