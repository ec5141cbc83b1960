// Every error of a Graph and of the port interface, with its message: names, unknown ports,
// ports fed twice, unfed required ports, cycles, inputs, and shape conflicts between layers.
#include <boost/test/unit_test.hpp>

#include "layers/gru/gru.hpp"
#include "layers/models/graph.hpp"
#include "tests/layers/models/graph_support.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;
using testing::AddLayer;
using testing::AffineLayer;
using testing::random_tensor;
using testing::require_error;

namespace {

std::shared_ptr<Gru> gru(const std::string& name, std::size_t units, bool sequences = false,
                         std::size_t depth = 1) {
  return std::make_shared<Gru>(
      GruOptions(units).seed(1).name(name).return_sequences(sequences).depth(depth));
}

std::shared_ptr<AffineLayer> affine_layer(const std::string& name, std::size_t units) {
  auto layer = std::make_shared<AffineLayer>(units, 2);
  layer->set_name(name);
  return layer;
}

// A layer that forgets to return its output port.
class SilentLayer : public Layer {
 public:
  SilentLayer() : Layer("silent") {}
  Value forward(const Value& x) override { return x; }
  nlohmann::json to_json() const override { return {{"type", "silent"}}; }

 protected:
  void build_parameters(const Shape&, DType) override {}
  std::map<std::string, Value> compute_ports(const std::map<std::string, Value>&,
                                             const Tensor&) override {
    return {};
  }
};

// source -> enc; enc.hidden -> dec.hidden; target -> dec; output dec.out.
void wire_encoder_decoder(Graph& graph, std::size_t encoder_units, std::size_t decoder_units) {
  graph.set_name("model");
  graph.add_input("source").add_input("target");
  graph.add_layer(gru("enc", encoder_units)).add_layer(gru("dec", decoder_units, true));
  graph.connect("source", "enc.in").connect("enc.hidden", "dec.hidden");
  graph.connect("target", "dec.in").add_output("y", "dec.out");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(graph_errors_test)

BOOST_AUTO_TEST_CASE(names_must_be_new) {
  Graph graph;
  graph.set_name("model");
  graph.add_input("x").add_layer(affine_layer("a", 2));
  require_error<ValueError>([&] { graph.add_layer(affine_layer("a", 3)); },
                            {"model: add_layer", "a name no input or layer of the graph has",
                             "\"a\", the name of a layer"});
  require_error<ValueError>([&] { graph.add_layer(affine_layer("x", 3)); },
                            {"model: add_layer", "\"x\", the name of an input"});
  require_error<ValueError>([&] { graph.add_input("a"); },
                            {"model: add_input", "\"a\", the name of a layer"});
  require_error<ValueError>([&] { graph.add_input(""); }, {"model: add_input", "non-empty"});
  require_error<ValueError>([&] { graph.add_layer(nullptr); }, {"model: add_layer", "null"});
  std::shared_ptr<Graph> self = std::make_shared<Graph>();
  require_error<ValueError>([&] { self->add_layer(self); }, {"add_layer", "the graph itself"});
  graph.connect("x", "a").add_output("y", "a");
  require_error<ValueError>([&] { graph.add_output("y", "x"); },
                            {"model: add_output", "a new output name", "\"y\" twice"});
  require_error<ValueError>([&] { graph.add_output("", "x"); }, {"model: add_output", "non-empty"});
  require_error<ValueError>([&] { graph.layer("b"); }, {"model: layer", "one of [a]", "\"b\""});
}

BOOST_AUTO_TEST_CASE(unknown_layers_and_ports) {
  Graph graph;
  graph.set_name("model");
  graph.add_input("source").add_layer(gru("enc", 3)).add_layer(gru("dec", 3));
  require_error<ValueError>(
      [&] { graph.connect("enc.state", "dec.hidden"); },
      {"model: connect", "an output port of layer \"enc\": one of [out, hidden]", "\"state\""});
  require_error<ValueError>(
      [&] { graph.connect("enc.hidden", "dec.state"); },
      {"model: connect", "an input port of layer \"dec\": one of [in, hidden]", "\"state\""});
  require_error<ValueError>([&] { graph.connect("nobody.out", "dec.in"); },
                            {"model: connect", "a graph input [source]", "unknown \"nobody.out\""});
  require_error<ValueError>([&] { graph.connect("source", "nobody.in"); },
                            {"model: connect", "layers [enc, dec]", "unknown \"nobody.in\""});
  require_error<ValueError>([&] { graph.connect("enc", "source"); },
                            {"model: connect", "a layer's input port", "graph input \"source\""});
  require_error<ValueError>(
      [&] { graph.connect("source.x", "enc"); },
      {"model: connect", "graph input \"source\" by its name alone", "\"source.x\""});
  require_error<ValueError>([&] { graph.add_output("y", "enc.in"); },
                            {"model: add_output", "an output port of layer \"enc\"", "\"in\""});
  // A layer's name alone means "out", which an add layer has; its input ports are a and b.
  graph.add_layer(std::make_shared<AddLayer>());
  const std::string add = graph.layers().back()->name();
  require_error<ValueError>([&] { graph.connect("source", add); },
                            {"an input port of layer \"" + add + "\": one of [a, b]", "\"in\""});
}

BOOST_AUTO_TEST_CASE(a_port_has_one_source) {
  Graph graph;
  wire_encoder_decoder(graph, 3, 3);
  require_error<ValueError>([&] { graph.connect("source", "dec.hidden"); },
                            {"model: connect", "an input port with no source yet",
                             "\"dec.hidden\", already fed by \"enc.hidden\""});
  // Graph outputs and several targets may share a source.
  graph.add_output("state", "enc.hidden");
  graph.add_output("state_again", "enc.hidden");
}

BOOST_AUTO_TEST_CASE(required_ports_need_a_source) {
  Graph graph;
  graph.set_name("model");
  graph.add_input("source").add_layer(gru("enc", 3)).add_layer(gru("dec", 3));
  graph.connect("source", "enc").connect("enc.hidden", "dec.hidden").add_output("y", "dec");
  require_error<ValueError>(
      [&] { graph.execution_order(); },
      {"model: wiring", "a source for every required input port", "none for \"dec.in\""});
  require_error<ValueError>(
      [&] {
        graph.forward({{"source", Value(random_tensor({1, 2, 3}, 1))}});
      },
      {"none for \"dec.in\""});
  Graph empty;
  empty.set_name("empty");
  require_error<ValueError>([&] { empty.execution_order(); },
                            {"empty: wiring", "at least one output", "none"});
}

BOOST_AUTO_TEST_CASE(cycles_are_named) {
  Graph graph;
  graph.set_name("model");
  graph.add_input("x")
      .add_layer(affine_layer("first", 2))
      .add_layer(affine_layer("a", 2))
      .add_layer(affine_layer("b", 2));
  graph.connect("x", "first").connect("b", "a").connect("a", "b").add_output("y", "first");
  require_error<ValueError>([&] { graph.execution_order(); },
                            {"model: wiring", "wiring without cycles",
                             "the cycle \"a\" -> \"b\" -> \"a\" (a.out -> b.in, b.out -> a.in)"});
  // A layer feeding itself.
  Graph loop;
  loop.add_input("x")
      .add_layer(gru("enc", 3))
      .connect("x", "enc")
      .connect("enc.hidden", "enc.hidden");
  loop.add_output("y", "enc");
  require_error<ValueError>([&] { loop.execution_order(); },
                            {"the cycle \"enc\" -> \"enc\" (enc.hidden -> enc.hidden)"});
}

BOOST_AUTO_TEST_CASE(a_cycle_behind_other_layers_is_found) {
  // c reads the cycle a <-> b (through an add layer's ports), and is added first.
  Graph graph;
  auto sum = std::make_shared<AddLayer>();
  sum->set_name("sum");
  graph.add_input("x").add_layer(affine_layer("c", 2)).add_layer(sum).add_layer(affine_layer("b", 2));
  graph.connect("x", "sum.a").connect("b", "sum.b").connect("sum", "b").connect("b", "c");
  graph.add_output("y", "c");
  require_error<ValueError>(
      [&] { graph.execution_order(); },
      {"the cycle \"sum\" -> \"b\" -> \"sum\" (sum.out -> b.in, b.out -> sum.b)"});
}

BOOST_AUTO_TEST_CASE(shape_conflicts_name_both_layers_and_shapes) {
  Graph graph;
  wire_encoder_decoder(graph, 5, 3);
  const Value x(random_tensor({2, 4, 2}, 1)), t(random_tensor({2, 3, 2}, 2));
  require_error<ShapeError>(
      [&] {
        graph.forward({{"source", x}, {"target", t}});
      },
      {"model: layer \"dec\"", "inputs it accepts: dec: initial state",
       "in from \"target\" of shape (2, 3, 2)", "hidden from \"enc.hidden\" of shape (2, 5)"});
  // Two layers whose outputs cannot be added.
  Graph sum;
  sum.set_name("model");
  sum.add_input("x").add_layer(affine_layer("left", 3)).add_layer(affine_layer("right", 4));
  auto add = std::make_shared<AddLayer>();
  add->set_name("add");
  sum.add_layer(add).connect("x", "left").connect("x", "right");
  sum.connect("left", "add.a").connect("right", "add.b").add_output("y", "add");
  require_error<ShapeError>(
      [&] {
        sum.forward({{"x", Value(random_tensor({2, 2}, 3))}});
      },
      {"model: layer \"add\"", "a from \"left.out\" of shape (2, 3)",
       "b from \"right.out\" of shape (2, 4)"});
}

BOOST_AUTO_TEST_CASE(deep_hidden_ports_need_one_state_per_level) {
  Graph graph;
  graph.set_name("model");
  graph.add_input("source")
      .add_input("target")
      .add_layer(gru("enc", 3))
      .add_layer(gru("dec", 3, true, 2));
  graph.connect("source", "enc").connect("target", "dec").connect("enc.hidden", "dec.hidden");
  graph.add_output("y", "dec");
  const Value x(random_tensor({2, 4, 2}, 1));
  require_error<ShapeError>(
      [&] {
        graph.forward({{"source", x}, {"target", x}});
      },
      {"model: layer \"dec\"", "dec: port hidden",
       "shape (2, batch, units): one per level (depth 2)", "got shape (2, 3)"});
}

BOOST_AUTO_TEST_CASE(inputs_must_match_the_graph) {
  Graph graph;
  wire_encoder_decoder(graph, 3, 3);
  graph.add_input("extra", Shape{4});
  graph.add_layer(affine_layer("side", 2)).connect("extra", "side").add_output("z", "side");
  const Value x(random_tensor({2, 4, 2}, 1)), e(random_tensor({2, 4}, 2));
  require_error<ValueError>(
      [&] {
        graph.forward({{"source", x}, {"target", x}});
      },
      {"model: forward", "a value for every input [source, target, extra]", "none for \"extra\""});
  require_error<ValueError>(
      [&] {
        graph.forward({{"source", x}, {"target", x}, {"extra", e}, {"other", e}});
      },
      {"model: forward", "values for the inputs [source, target, extra]", "unknown \"other\""});
  require_error<ValueError>(
      [&] {
        graph.forward({{"source", x}, {"target", x}, {"extra", Value()}});
      },
      {"model: forward", "a value for input \"extra\"", "none"});
  require_error<ShapeError>(
      [&] {
        graph.forward({{"source", x}, {"target", x}, {"extra", Value(random_tensor({2, 5}, 3))}});
      },
      {"model: input \"extra\"", "shape (batch, 4)", "shape (2, 5)"});
  require_error<ValueError>(
      [&] {
        graph.run({{"source", x}, {"target", x}, {"extra", e}}, {{"other", Tensor()}});
      },
      {"model: forward", "masks for inputs among", "unknown \"other\""});
  require_error<ValueError>(
      [&] { graph(x); }, {"model: forward", "one input and one output", "3 inputs and 2 outputs"});
}

BOOST_AUTO_TEST_CASE(output_mask_belongs_to_the_last_call) {
  Graph graph;
  graph.set_name("model");
  graph.add_input("x").add_layer(gru("enc", 3, true)).connect("x", "enc").add_output("y", "enc");
  const Value x(random_tensor({1, 2, 2}, 1));
  const Tensor mask = Tensor::ones({1, 2}, DType::float64);
  graph(x, mask);
  BOOST_TEST(testing::bitwise_equal(graph.output_mask(x, mask), mask));
  require_error<ValueError>(
      [&] {
        graph.output_mask(Value(random_tensor({1, 2, 2}, 1)), mask);
      },
      {"model: output_mask", "the input and mask of the last call", "another input or mask"});
}

BOOST_AUTO_TEST_CASE(forward_ports_checks_the_ports) {
  Gru layer(GruOptions(3).name("enc"));
  const Value x(random_tensor({1, 2, 2}, 1));
  require_error<ValueError>(
      [&] {
        layer.forward_ports({{"in", x}, {"state", x}});
      },
      {"enc: forward_ports", "input ports among [in, hidden]", "\"state\""});
  require_error<ValueError>(
      [&] {
        layer.forward_ports({{"hidden", x}});
      },
      {"enc: forward_ports", "a value at every required port", "none at \"in\""});
  require_error<ValueError>(
      [&] {
        layer.forward_ports({{"in", Value()}});
      },
      {"enc: forward_ports", "a value at port \"in\"", "none"});
  SilentLayer silent;
  silent.set_name("silent");
  require_error<ValueError>(
      [&] {
        silent.forward_ports({{"in", x}});
      },
      {"silent: forward_ports", "a value at every output port of [out]", "none at \"out\""});
}

BOOST_AUTO_TEST_SUITE_END()
