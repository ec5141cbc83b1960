// Graph::from_json: a graph read back from its to_json gives the same outputs, wiring and names,
// through the layer registry and through a model file; malformed JSON names the key.

#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

#include "layers/basic/dense.hpp"
#include "layers/gru/gru.hpp"
#include "layers/layer_registry.hpp"
#include "layers/models/graph.hpp"
#include "layers/serialization/model_file.hpp"
#include "tests/temp_dir.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;
using testing::require_error;

namespace {

// An encoder's final state starts a decoder; a dense head reads the decoder's last output.
std::shared_ptr<Graph> encoder_decoder() {
  auto encoder = std::make_shared<Gru>(GruOptions(3).seed(1));
  encoder->set_name("encoder");
  auto decoder = std::make_shared<Gru>(GruOptions(3).seed(2));
  decoder->set_name("decoder");
  auto head = std::make_shared<Dense>(DenseOptions(2).seed(3));
  head->set_name("head");
  auto graph = std::make_shared<Graph>();
  graph->add_input("in", Shape{4, 2});
  graph->add_layer(encoder).add_layer(decoder).add_layer(head);
  graph->connect("in", "encoder");
  graph->connect("in", "decoder");
  graph->connect("encoder.hidden", "decoder.hidden");
  graph->connect("decoder", "head");
  graph->add_output("out", "head");
  return graph;
}

Tensor sample_input() {
  std::vector<double> values(2 * 4 * 2);
  for (std::size_t i = 0; i < values.size(); ++i) values[i] = 0.1 * static_cast<double>(i) - 0.7;
  return Tensor::from_values({2, 4, 2}, values);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(graph_json_test)

BOOST_AUTO_TEST_CASE(round_trip_keeps_wiring_and_names) {
  const auto graph = encoder_decoder();
  const auto copy = std::dynamic_pointer_cast<Graph>(layer_from_json(graph->to_json()));
  BOOST_REQUIRE(copy);
  BOOST_TEST(copy->to_json() == graph->to_json());
  BOOST_TEST((copy->layer_names() == std::vector<std::string>{"encoder", "decoder", "head"}));
  BOOST_TEST(copy->connections() == graph->connections());
}

BOOST_AUTO_TEST_CASE(model_file_of_a_graph_gives_the_same_outputs) {
  testing::TempDir dir;
  const auto graph = encoder_decoder();
  const Tensor x = sample_input();
  const Tensor expected = (*graph)(Value(x)).value();
  save_model(dir.file("g.grutape"), *graph);
  const auto loaded = load_model(dir.file("g.grutape"));
  BOOST_TEST(loaded->type() == "graph");
  // Same weights, same arithmetic: bitwise the same outputs.
  BOOST_TEST(testing::bitwise_equal((*loaded)(Value(x)).value(), expected));
}

BOOST_AUTO_TEST_CASE(errors_name_the_key) {
  nlohmann::json json = encoder_decoder()->to_json();
  json["inputs"][0]["shape"] = {4, -2};
  require_error<ValueError>(
      [&] { Graph::from_json(json); },
      {"Graph::from_json: key \"inputs\"[0]: key \"shape\"", "non-negative integer extents"});
  json = encoder_decoder()->to_json();
  json["connections"][1]["to"] = "decoder.state";
  require_error<ValueError>([&] { Graph::from_json(json); },
                            {"layer \"decoder\"", "got \"state\""});
  json = encoder_decoder()->to_json();
  json["layers"][2]["extra"] = true;
  require_error<ValueError>([&] { Graph::from_json(json); },
                            {"Graph::from_json: key \"layers\"[2]", "the unknown key \"extra\""});
  json = encoder_decoder()->to_json();
  json.erase("outputs");
  require_error<ValueError>([&] { Graph::from_json(json); }, {"the key \"outputs\""});
}

BOOST_AUTO_TEST_SUITE_END()
