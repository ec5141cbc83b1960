#pragma once
// A model of layers wired into any directed acyclic graph by named ports: Keras' functional
// models, MATLAB's layerGraph. The graph has named inputs and named outputs; each layer port is
// "layer.port", its input ports fed by one source each (a graph input or another layer's output
// port), its output ports feeding any number of ports and graph outputs.
//
//   Graph g;
//   g.add_input("source").add_input("target");
//   g.add_layer(encoder).add_layer(decoder).add_layer(head);
//   g.connect("source", "encoder.in");
//   g.connect("encoder.hidden", "decoder.hidden");   // the encoder's final state
//   g.connect("target", "decoder");                  // a layer alone: its port "in"
//   g.connect("decoder", "head");                    // as a source: its port "out"
//   g.add_output("prediction", "head.out");
//   std::map<std::string, Value> y = g.forward({{"source", x}, {"target", t}});
//
// Every layer runs once per call, after its sources (in the order the layers were added, where
// the wiring allows). A graph keeps the name a layer had when it was added. Names, ports and
// ports fed twice are checked as they are wired; the rest when the graph runs
// (execution_order): a required input port without a source and a cycle are ValueErrors naming
// the port or the cycle; a layer that throws a ShapeError or ValueError on its inputs is named
// with each input's source and shape.
//
// Masks travel along "in" -> "out" edges, as in Sequential: a layer gets the mask of the value
// feeding its port "in", and its port "out" carries output_mask(that value, that mask). Graph
// inputs take masks by name; other ports carry none.
//
// The layers are sublayers under their names: flags set on the graph reach them and their
// parameters are "layer.parameter". A graph is itself a layer: with one input and one output
// it is called like any layer, and inside another graph its ports are its inputs and outputs.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "layers/layer.hpp"

namespace grutape {

struct GraphOutputs {
  /// The value of every graph output, by name.
  std::map<std::string, Value> values;
  /// The mask of every graph output that has one, by name.
  std::map<std::string, Tensor> masks;
};

class Graph : public Layer {
 public:
  Graph();

  /// Adds the graph input `name`; with `sample_shape`, its values must be (batch, sample_shape).
  /// A ValueError for an empty name or one an input or layer of the graph already has.
  Graph& add_input(const std::string& name, std::optional<Shape> sample_shape = std::nullopt);
  /// Adds `layer` under its name. A ValueError for a null layer, the graph itself, or a name an
  /// input or layer of the graph already has.
  Graph& add_layer(std::shared_ptr<Layer> layer);
  /// Feeds the input port `to` ("layer.port"; a layer's name alone means its port "in") from
  /// `from` (a graph input, "layer.port", or a layer's name alone for its port "out"). A
  /// ValueError names an unknown input, layer or port, and a port that already has a source.
  Graph& connect(const std::string& from, const std::string& to);
  /// Makes `from` (as in connect) the graph output `name`; a ValueError for an empty or used
  /// name or an unknown source.
  Graph& add_output(const std::string& name, const std::string& from);

  /// The input names in the order they were added.
  std::vector<std::string> input_names() const;
  /// The output names in the order they were added.
  std::vector<std::string> output_names() const;
  /// The layers in the order they were added.
  std::vector<std::shared_ptr<Layer>> layers() const;
  /// The layer names in the order they were added.
  std::vector<std::string> layer_names() const;
  /// The layer called `name`; a ValueError lists the names there are.
  std::shared_ptr<Layer> layer(const std::string& name) const;
  /// Every connection as (from, to), "layer.port" or an input name, in the order made.
  std::vector<std::pair<std::string, std::string>> connections() const;

  /// Checks the wiring (see above) and returns the layer names in the order forward runs them.
  std::vector<std::string> execution_order() const;

  /// Runs the graph on a value for every input (a ValueError names a missing or unknown one;
  /// a ShapeError one whose shape differs from its declared sample shape), with optional
  /// (batch, timesteps) masks by input name. Applies the graph's flags like operator().
  GraphOutputs run(const std::map<std::string, Value>& inputs,
                   const std::map<std::string, Tensor>& masks = {});
  /// run(...).values.
  std::map<std::string, Value> forward(const std::map<std::string, Value>& inputs,
                                       const std::map<std::string, Tensor>& masks = {});

  /// The layer interface of a graph of one input and one output (a ValueError otherwise).
  Value forward(const Value& input) override;
  /// The same with a mask of the input.
  Value forward_masked(const Value& input, const Tensor& mask) override;
  /// The output mask of the last call, whose input and mask these must be (a ValueError
  /// otherwise: the graph does not run again to find it). The output is "out" or the only one.
  Tensor output_mask(const Value& input, const Tensor& input_mask) const override;

  /// One required port per graph input, by its name.
  std::vector<InputPort> input_ports() const override;
  /// One port per graph output, by its name.
  std::vector<std::string> output_ports() const override;

  /// The Keras-style table of a functional model: one row per layer in running order with its
  /// name and type, parameter count and the sources of its input ports, then the total,
  /// trainable and non-trainable counts. Layers not built yet count 0 parameters.
  std::string summary() const;

  /// {"type": "graph", "name", "update", "lda_coeff", "inputs": [{"name", "shape"}], "layers":
  /// [{"name", "layer": its to_json}], "connections": [{"from", "to"}], "outputs": [{"name",
  /// "from"}]}; a shape is null when not declared.
  nlohmann::json to_json() const override;
  /// The inverse of to_json: each layer through layer_from_json, under its graph name. A
  /// ValueError names the key at fault ("inputs[1]: key \"shape\"") and passes on the wiring
  /// errors of add_input, add_layer, connect and add_output.
  static std::shared_ptr<Graph> from_json(const nlohmann::json& json);

 protected:
  /// A graph of one input runs one zero sample of batch 1 (training off, nothing recorded,
  /// states reset afterwards) so that every layer builds; with several inputs each layer builds
  /// on its first input.
  void build_parameters(const Shape& input_shape, DType dtype) override;
  /// forward() on the ports' values; `mask` is the mask of the input "in", if the graph has one.
  std::map<std::string, Value> compute_ports(const std::map<std::string, Value>& inputs,
                                             const Tensor& mask) override;

 private:
  /// A port: a layer's (`port` set) or a graph input (`port` empty).
  struct Endpoint {
    std::string node;
    std::string port;
    std::string text() const { return port.empty() ? node : node + "." + port; }
    bool operator==(const Endpoint& other) const {
      return node == other.node && port == other.port;
    }
  };
  struct Connection {
    Endpoint from;
    Endpoint to;
  };
  struct GraphInput {
    std::string name;
    std::optional<Shape> sample_shape;
  };
  struct Node {
    std::string name;
    std::shared_ptr<Layer> layer;
  };
  /// The last call's input and mask of the masked input ("in" or the only one) and the mask
  /// of the masked output ("out" or the only one), for output_mask.
  struct LastCall {
    Tensor input;
    Tensor input_mask;
    Tensor output_mask;
  };

  bool has_input(const std::string& name) const;
  const Node* find_node(const std::string& name) const;
  void require_new_name(const std::string& name, const std::string& where) const;
  Endpoint source(const std::string& text, const std::string& where) const;
  Endpoint target(const std::string& text, const std::string& where) const;
  /// The node indices in running order; throws for unfed required ports and cycles.
  std::vector<std::size_t> ordered_nodes() const;
  /// The nodes whose outputs feed node `index`, without repeats.
  std::vector<std::size_t> sources_of(std::size_t index) const;
  std::string describe_cycle(const std::vector<bool>& placed) const;
  void check_inputs(const std::map<std::string, Value>& inputs,
                    const std::map<std::string, Tensor>& masks) const;
  /// The graph on inputs already prepared for the flags.
  GraphOutputs evaluate(const std::map<std::string, Value>& inputs,
                        const std::map<std::string, Tensor>& masks);
  /// The name of the input a single mask belongs to, of the output whose mask output_mask
  /// reports: "in" / "out" when there is one, else the only one, else empty.
  std::string masked_input() const;
  std::string masked_output() const;
  std::pair<std::string, std::string> single_input_output(const std::string& where) const;

  std::vector<GraphInput> inputs_;
  std::vector<Node> nodes_;
  std::vector<Connection> connections_;
  std::vector<std::pair<std::string, Endpoint>> outputs_;
  LastCall last_;
};

}  // namespace grutape
