// Graph models: values against the same layers run by hand, the order layers run in, fan-out and
// multi-port layers, a graph as a layer and inside another graph, deep GRU hidden ports, masks
// along "in" -> "out", float64 gradient checks and JSON.
#include <boost/test/unit_test.hpp>

#include "autodiff/ops/shape.hpp"
#include "autodiff/tape.hpp"
#include "layers/gru/gru.hpp"
#include "layers/models/graph.hpp"
#include "tests/layers/models/graph_support.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;
using testing::AddLayer;
using testing::AffineLayer;
using testing::bitwise_equal;
using testing::random_tensor;

namespace {

std::shared_ptr<Gru> seeded_gru(const std::string& name, std::size_t units, std::uint64_t seed,
                                bool sequences = false, std::size_t depth = 1) {
  return std::make_shared<Gru>(
      GruOptions(units).seed(seed).name(name).return_sequences(sequences).depth(depth));
}

std::shared_ptr<AffineLayer> affine(const std::string& name, std::size_t units,
                                    std::uint64_t seed) {
  auto layer = std::make_shared<AffineLayer>(units, seed);
  layer->set_name(name);
  return layer;
}

// source -> encoder; encoder.hidden -> decoder.hidden; target -> decoder -> head, the layers
// added in the reverse of their running order.
struct EncoderDecoder {
  std::shared_ptr<Gru> encoder = seeded_gru("encoder", 4, 1);
  std::shared_ptr<Gru> decoder = seeded_gru("decoder", 4, 2, true);
  std::shared_ptr<AffineLayer> head = affine("head", 2, 3);
  Graph graph;

  EncoderDecoder() {
    graph.add_input("source").add_input("target");
    graph.add_layer(head).add_layer(decoder).add_layer(encoder);
    graph.connect("source", "encoder.in");
    graph.connect("encoder.hidden", "decoder.hidden");
    graph.connect("target", "decoder");
    graph.connect("decoder", "head");
    graph.add_output("prediction", "head.out").add_output("state", "decoder.hidden");
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(graph_test)

BOOST_AUTO_TEST_CASE(wiring_gives_the_values_of_the_layers_run_by_hand) {
  EncoderDecoder model;
  const Tensor x = random_tensor({2, 5, 3}, 10), t = random_tensor({2, 4, 2}, 11);
  const auto y = model.graph.forward({{"source", Value(x)}, {"target", Value(t)}});
  BOOST_TEST(y.size() == 2u);

  const GruResult encoded = model.encoder->run(Value(x));
  GruInputs decoder_inputs;
  decoder_inputs.initial_states = encoded.states;
  const GruResult decoded = model.decoder->run(Value(t), decoder_inputs);
  const Value prediction = (*model.head)(decoded.output);
  BOOST_TEST((y.at("prediction").shape() == Shape{2, 4, 2}));
  BOOST_TEST(bitwise_equal(y.at("prediction").value(), prediction.value()));
  BOOST_TEST(bitwise_equal(y.at("state").value(), decoded.states[0].value()));
  BOOST_TEST(
      (model.graph.execution_order() == std::vector<std::string>{"encoder", "decoder", "head"}));
}

BOOST_AUTO_TEST_CASE(layers_are_sublayers_by_name) {
  EncoderDecoder model;
  model.graph.forward({{"source", Value(random_tensor({1, 2, 3}, 1))},
                       {"target", Value(random_tensor({1, 2, 2}, 2))}});
  std::vector<std::string> names;
  for (const auto& [name, _] : model.graph.named_parameters()) names.push_back(name);
  const std::vector<std::string> expected{"head.kernel",    "head.bias",
                                          "decoder.kernel", "decoder.recurrent_kernel",
                                          "decoder.bias",   "decoder.recurrent_bias",
                                          "encoder.kernel", "encoder.recurrent_kernel",
                                          "encoder.bias",   "encoder.recurrent_bias"};
  BOOST_TEST(names == expected, boost::test_tools::per_element());
  BOOST_TEST(model.graph.layer("decoder") == model.decoder);
  BOOST_TEST((model.graph.input_names() == std::vector<std::string>{"source", "target"}));
  BOOST_TEST((model.graph.output_names() == std::vector<std::string>{"prediction", "state"}));
  BOOST_TEST((model.graph.layer_names() == std::vector<std::string>{"head", "decoder", "encoder"}));
  const std::vector<std::pair<std::string, std::string>> connections{
      {"source", "encoder.in"},
      {"encoder.hidden", "decoder.hidden"},
      {"target", "decoder.in"},
      {"decoder.out", "head.in"}};
  BOOST_TEST((model.graph.connections() == connections));
}

BOOST_AUTO_TEST_CASE(flags_reach_the_layers_and_training_off_records_nothing) {
  EncoderDecoder model;
  model.graph.set_training(false);
  BOOST_TEST(!model.encoder->flags().training);
  BOOST_TEST(!model.head->flags().training);
  Value x(random_tensor({2, 3, 3}, 1), true);
  const std::size_t before = current_tape().size();
  const auto y =
      model.graph.forward({{"source", x}, {"target", Value(random_tensor({2, 3, 2}, 2))}});
  BOOST_TEST(current_tape().size() == before);
  BOOST_TEST(!y.at("prediction").requires_grad());
}

BOOST_AUTO_TEST_CASE(fan_out_and_a_two_port_layer) {
  // x feeds two layers, whose outputs meet in the ports of an add layer; "left" is also an output.
  Graph graph;
  auto left = affine("left", 3, 1), right = affine("right", 3, 2);
  graph.add_input("x").add_layer(left).add_layer(right).add_layer(std::make_shared<AddLayer>());
  const std::string add = graph.layers().back()->name();
  graph.connect("x", "left").connect("x", "right");
  graph.connect("left.out", add + ".a").connect("right", add + ".b");
  graph.add_output("sum", add + ".out").add_output("left", "left.out");
  const Tensor x = random_tensor({2, 4}, 3);
  const auto y = graph.forward({{"x", Value(x)}});
  const Value expected = (*left)(Value(x)) + (*right)(Value(x));
  BOOST_TEST(bitwise_equal(y.at("sum").value(), expected.value()));
  BOOST_TEST(bitwise_equal(y.at("left").value(), (*left)(Value(x)).value()));
  // The gradient of x sums over both paths.
  testing::require_gradients(
      [&](const std::vector<Value>& v) {
        return graph.forward({{"x", v[0]}}).at("sum");
      },
      {x});
}

BOOST_AUTO_TEST_CASE(a_graph_of_one_input_and_output_is_a_layer) {
  auto graph = std::make_shared<Graph>();
  auto recurrent = seeded_gru("recurrent", 3, 4, true);
  auto head = affine("head", 2, 5);
  graph->add_input("x").add_layer(recurrent).add_layer(head);
  graph->connect("x", "recurrent").connect("recurrent", "head").add_output("y", "head");
  const Tensor x = random_tensor({2, 3, 2}, 6);
  const Value y = (*graph)(Value(x));
  const Value expected = (*head)((*recurrent)(Value(x)));
  BOOST_TEST(bitwise_equal(y.value(), expected.value()));
  BOOST_TEST(graph->built());
  BOOST_TEST(graph->input_ports().size() == 1u);
  BOOST_TEST(graph->input_ports()[0].name == "x");
  BOOST_TEST((graph->output_ports() == std::vector<std::string>{"y"}));

  // lda_coeff scales the gradient reaching the graph's input, as for any layer.
  Value plain(x, true), scaled(x, true);
  const Tensor seed = random_tensor(y.shape(), 7);
  (*graph)(plain).backward(seed);
  graph->set_lda_coeff(-0.5);
  (*graph)(scaled).backward(seed);
  for (std::size_t i = 0; i < x.size(); ++i)
    BOOST_TEST(scaled.grad().flat(i) == -0.5 * plain.grad().flat(i));
}

BOOST_AUTO_TEST_CASE(a_graph_inside_a_graph_is_wired_by_its_input_and_output_names) {
  auto inner = std::make_shared<Graph>();
  auto recurrent = seeded_gru("recurrent", 3, 4, true);
  inner->add_input("in")
      .add_layer(recurrent)
      .connect("in", "recurrent")
      .add_output("out", "recurrent");
  inner->set_name("inner");
  Graph outer;
  auto head = affine("head", 2, 5);
  outer.add_input("x").add_layer(inner).add_layer(head);
  outer.connect("x", "inner.in").connect("inner.out", "head.in").add_output("y", "head");
  const Tensor x = random_tensor({2, 4, 2}, 6);
  const Tensor mask = Tensor::from_values({2, 4}, {1, 1, 0, 1, 1, 0, 0, 0}, DType::float64);
  const GraphOutputs y = outer.run({{"x", Value(x)}}, {{"x", mask}});
  GruInputs masked;
  masked.mask = mask;
  const Value expected = (*head)(recurrent->run(Value(x), masked).output);
  BOOST_TEST(bitwise_equal(y.values.at("y").value(), expected.value()));
  // The mask went in at the inner graph's "in" and came out at its "out", then through head.
  BOOST_TEST(bitwise_equal(y.masks.at("y"), mask));
  BOOST_TEST(outer.named_parameters()[0].first == "inner.recurrent.kernel");
}

BOOST_AUTO_TEST_CASE(deep_gru_hidden_ports_carry_one_state_per_level) {
  auto encoder = seeded_gru("encoder", 3, 1, false, 2),
       decoder = seeded_gru("decoder", 3, 2, true, 2);
  Graph graph;
  graph.add_input("source").add_input("target").add_layer(encoder).add_layer(decoder);
  graph.connect("source", "encoder").connect("target", "decoder");
  graph.connect("encoder.hidden", "decoder.hidden");
  graph.add_output("y", "decoder").add_output("hidden", "encoder.hidden");
  const Tensor x = random_tensor({2, 4, 2}, 3), t = random_tensor({2, 3, 2}, 4);
  const auto y = graph.forward({{"source", Value(x)}, {"target", Value(t)}});

  const GruResult encoded = encoder->run(Value(x));
  GruInputs carried;
  carried.initial_states = encoded.states;
  const GruResult decoded = decoder->run(Value(t), carried);
  BOOST_TEST(bitwise_equal(y.at("y").value(), decoded.output.value()));
  // (depth, batch, units), level 1 first.
  const Value hidden = y.at("hidden");
  BOOST_TEST((hidden.shape() == Shape{2, 2, 3}));
  for (std::size_t level = 0; level < 2; ++level)
    BOOST_TEST(bitwise_equal(select(hidden, 0, level).value(), encoded.states[level].value()));
}

BOOST_AUTO_TEST_CASE(gru_ports_match_run) {
  Gru layer(GruOptions(3).seed(5));
  const Tensor x = random_tensor({2, 4, 2}, 1), h0 = random_tensor({2, 3}, 2);
  BOOST_TEST(layer.input_ports().size() == 2u);
  BOOST_TEST((layer.input_ports()[1].name == "hidden" && !layer.input_ports()[1].required));
  BOOST_TEST((layer.output_ports() == std::vector<std::string>{"out", "hidden"}));
  const auto ports = layer.forward_ports({{"in", Value(x)}, {"hidden", Value(h0)}});
  GruInputs inputs;
  inputs.initial_states = {Value(h0)};
  const GruResult expected = layer.run(Value(x), inputs);
  BOOST_TEST(bitwise_equal(ports.at("out").value(), expected.output.value()));
  BOOST_TEST(bitwise_equal(ports.at("hidden").value(), expected.states[0].value()));
  // The default ports of a one-input layer: "in" -> "out" is operator().
  AffineLayer head(2, 3);
  BOOST_TEST(head.input_ports().size() == 1u);
  BOOST_TEST((head.output_ports() == std::vector<std::string>{"out"}));
  const Tensor z = random_tensor({2, 3}, 4);
  BOOST_TEST(bitwise_equal(head.forward_ports({{"in", Value(z)}}).at("out").value(),
                           head(Value(z)).value()));
}

BOOST_AUTO_TEST_CASE(masks_travel_along_in_and_out_edges_only) {
  // source (masked) -> sequence (return_sequences) -> last; reversed (go_backwards) reads the
  // sequence too; sequence.hidden -> decoder.hidden, decoder reading the unmasked target.
  auto sequence = seeded_gru("sequence", 3, 1, true), last = seeded_gru("last", 2, 2);
  auto reversed = std::make_shared<Gru>(
      GruOptions(2).seed(3).name("reversed").return_sequences(true).go_backwards(true));
  auto decoder = seeded_gru("decoder", 3, 4, true);
  Graph graph;
  graph.add_input("source").add_input("target");
  for (const auto& layer : {sequence, last, reversed, decoder}) graph.add_layer(layer);
  graph.connect("source", "sequence").connect("sequence", "last").connect("sequence", "reversed");
  graph.connect("target", "decoder").connect("sequence.hidden", "decoder.hidden");
  graph.add_output("sequence", "sequence").add_output("last", "last");
  graph.add_output("reversed", "reversed").add_output("decoder", "decoder");
  const Tensor x = random_tensor({2, 4, 2}, 5), t = random_tensor({2, 3, 2}, 6);
  const Tensor mask = Tensor::from_values({2, 4}, {1, 1, 1, 0, 1, 0, 0, 0}, DType::float64);
  const GraphOutputs y =
      graph.run({{"source", Value(x)}, {"target", Value(t)}}, {{"source", mask}});

  GruInputs masked;
  masked.mask = mask;
  const GruResult seq = sequence->run(Value(x), masked);
  BOOST_TEST(
      bitwise_equal(y.values.at("last").value(), last->run(seq.output, masked).output.value()));
  BOOST_TEST(bitwise_equal(y.values.at("reversed").value(),
                           reversed->run(seq.output, masked).output.value()));
  GruInputs carried;
  carried.initial_states = seq.states;
  BOOST_TEST(bitwise_equal(y.values.at("decoder").value(),
                           decoder->run(Value(t), carried).output.value()));

  BOOST_TEST(bitwise_equal(y.masks.at("sequence"), mask));
  BOOST_TEST(y.masks.count("last") == 0u);     // a GRU's last output has no time axis
  BOOST_TEST(y.masks.count("decoder") == 0u);  // no mask reached its "in"
  // The backward GRU's sequence is in reading order: its mask is the input's, reversed in time.
  const Tensor flipped = Tensor::from_values({2, 4}, {0, 1, 1, 1, 0, 0, 0, 1}, DType::float64);
  BOOST_TEST(bitwise_equal(y.masks.at("reversed"), flipped));
}

BOOST_AUTO_TEST_CASE(gradients_through_a_graph_in_float64) {
  // h0 is a graph input feeding the encoder's hidden port; the source is masked.
  EncoderDecoder model;
  model.graph.add_input("h0");
  model.graph.connect("h0", "encoder.hidden");
  const Tensor mask = Tensor::from_values({2, 3}, {1, 1, 0, 1, 0, 1}, DType::float64);
  const auto run = [&](const Value& x, const Value& t, const Value& h0) {
    const GraphOutputs y =
        model.graph.run({{"source", x}, {"target", t}, {"h0", h0}}, {{"source", mask}});
    return concat({reshape(y.values.at("prediction"), {16}), reshape(y.values.at("state"), {8})},
                  0);
  };
  const Tensor x = random_tensor({2, 3, 3}, 1), t = random_tensor({2, 4, 2}, 2),
               h0 = random_tensor({2, 4}, 3, -0.5, 0.5);
  testing::require_gradients([&](const std::vector<Value>& v) { return run(v[0], v[1], v[2]); },
                             {x, t, h0});
  testing::require_layer_parameter_gradients(model.graph,
                                             [&] { return run(Value(x), Value(t), Value(h0)); });
}

BOOST_AUTO_TEST_CASE(to_json_lists_inputs_layers_connections_and_outputs) {
  EncoderDecoder model;
  model.graph.set_name("seq2seq");
  Graph shaped;
  shaped.add_input("x", Shape{5, 3});
  const nlohmann::json json = model.graph.to_json();
  BOOST_TEST(json.at("type") == "graph");
  BOOST_TEST(json.at("name") == "seq2seq");
  BOOST_TEST(json.at("update") == true);
  BOOST_TEST(json.at("inputs").size() == 2u);
  BOOST_TEST(json.at("inputs")[0].at("name") == "source");
  BOOST_TEST(json.at("inputs")[0].at("shape").is_null());
  BOOST_TEST((shaped.to_json().at("inputs")[0].at("shape") == nlohmann::json({5, 3})));
  BOOST_TEST(json.at("layers").size() == 3u);
  BOOST_TEST(json.at("layers")[1].at("name") == "decoder");
  BOOST_TEST(json.at("layers")[1].at("layer") == model.decoder->to_json());
  BOOST_TEST(json.at("connections")[1].at("from") == "encoder.hidden");
  BOOST_TEST(json.at("connections")[1].at("to") == "decoder.hidden");
  BOOST_TEST(json.at("outputs")[0].at("name") == "prediction");
  BOOST_TEST(json.at("outputs")[0].at("from") == "head.out");
}

BOOST_AUTO_TEST_SUITE_END()
