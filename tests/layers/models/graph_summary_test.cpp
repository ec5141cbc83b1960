// Graph::summary: rows in running order with parameter counts worked out from the layers'
// shapes, the wiring per input port, and the totals.

#include <boost/test/unit_test.hpp>

#include "layers/basic/dense.hpp"
#include "layers/gru/gru.hpp"
#include "layers/models/graph.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;

BOOST_AUTO_TEST_SUITE(graph_summary_test)

BOOST_AUTO_TEST_CASE(rows_wiring_and_totals) {
  auto encoder = std::make_shared<Gru>(GruOptions(3).seed(1));
  encoder->set_name("encoder");
  auto decoder = std::make_shared<Gru>(GruOptions(3).seed(2));
  decoder->set_name("decoder");
  auto head = std::make_shared<Dense>(DenseOptions(2).seed(3));
  head->set_name("head");
  head->set_update(false);
  Graph graph;
  graph.set_name("seq2seq");
  graph.add_input("in", Shape{4, 2});
  // Added out of running order: the table follows the running order.
  graph.add_layer(head).add_layer(decoder).add_layer(encoder);
  graph.connect("in", "encoder");
  graph.connect("in", "decoder");
  graph.connect("encoder.hidden", "decoder.hidden");
  graph.connect("decoder", "head");
  graph.add_output("out", "head");
  graph.build({1, 4, 2}, DType::float32);
  const std::string table = graph.summary();
  BOOST_TEST_MESSAGE(table);
  // GRU of input 2 and 3 units: W 2x9 + U 3x9 + two biases of 9 = 63. Dense 3 -> 2: 6 + 2 = 8.
  const std::size_t encoder_at = table.find("encoder (gru)");
  const std::size_t decoder_at = table.find("decoder (gru)");
  const std::size_t head_at = table.find("head (dense)");
  BOOST_TEST(table.find("Model: \"seq2seq\"") == 0u);
  BOOST_TEST(encoder_at != std::string::npos);
  BOOST_TEST((encoder_at < decoder_at && decoder_at < head_at && head_at != std::string::npos));
  BOOST_TEST(table.find("63", encoder_at) < table.find('\n', encoder_at));
  BOOST_TEST(table.find("in -> in", decoder_at) != std::string::npos);
  BOOST_TEST(table.find("encoder.hidden -> hidden", decoder_at) < head_at);
  BOOST_TEST(table.find("decoder.out -> in", head_at) != std::string::npos);
  BOOST_TEST(table.find("Total params: 134\n") != std::string::npos);
  BOOST_TEST(table.find("Trainable params: 126\n") != std::string::npos);
  BOOST_TEST(table.find("Non-trainable params: 8\n") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
