// The wiring of a Graph (graph.hpp): inputs, layers, connections and outputs, their checks, the
// running order and JSON. Running the graph is in graph_run.cpp.
#include "layers/models/graph.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "core/text.hpp"

namespace grutape {
namespace {

std::vector<std::string> port_names(const std::vector<InputPort>& ports) {
  std::vector<std::string> names;
  for (const InputPort& port : ports) names.push_back(port.name);
  return names;
}

bool contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace

Graph::Graph() : Layer("graph") {}

bool Graph::has_input(const std::string& name) const {
  for (const GraphInput& input : inputs_)
    if (input.name == name) return true;
  return false;
}

const Graph::Node* Graph::find_node(const std::string& name) const {
  for (const Node& node : nodes_)
    if (node.name == name) return &node;
  return nullptr;
}

void Graph::require_new_name(const std::string& name, const std::string& where) const {
  if (name.empty()) throw ValueError(where, "a non-empty name", "\"\"");
  if (has_input(name)) {
    throw ValueError(where, "a name no input or layer of the graph has",
                     double_quoted(name) + ", the name of an input");
  }
  if (find_node(name)) {
    throw ValueError(where, "a name no input or layer of the graph has",
                     double_quoted(name) + ", the name of a layer");
  }
}

Graph& Graph::add_input(const std::string& name, std::optional<Shape> sample_shape) {
  require_new_name(name, this->name() + ": add_input");
  inputs_.push_back({name, std::move(sample_shape)});
  return *this;
}

Graph& Graph::add_layer(std::shared_ptr<Layer> layer) {
  const std::string where = name() + ": add_layer";
  if (!layer) throw ValueError(where, "a layer", "a null pointer");
  if (layer.get() == this) throw ValueError(where, "another layer", "the graph itself");
  require_new_name(layer->name(), where);
  register_sublayer(layer->name(), layer);
  nodes_.push_back({layer->name(), std::move(layer)});
  return *this;
}

Graph::Endpoint Graph::source(const std::string& text, const std::string& where) const {
  if (has_input(text)) return {text, ""};
  if (const Node* node = find_node(text)) {
    if (!contains(node->layer->output_ports(), "out")) {
      throw ValueError(where,
                       "a port of layer " + double_quoted(text) +
                           " (it has no port \"out\"): one of [" +
                           join(node->layer->output_ports()) + "]",
                       double_quoted(text));
    }
    return {text, "out"};
  }
  const std::size_t dot = text.rfind('.');
  const std::string node_name = dot == std::string::npos ? text : text.substr(0, dot);
  if (dot != std::string::npos && has_input(node_name)) {
    throw ValueError(where,
                     "graph input " + double_quoted(node_name) + " by its name alone (no port)",
                     double_quoted(text));
  }
  const Node* node = dot == std::string::npos ? nullptr : find_node(node_name);
  if (!node) {
    throw ValueError(where, "a graph input [" + join(input_names()) + "] or a layer's port",
                     "unknown " + double_quoted(text));
  }
  const std::string port = text.substr(dot + 1);
  const std::vector<std::string> ports = node->layer->output_ports();
  if (!contains(ports, port)) {
    throw ValueError(
        where,
        "an output port of layer " + double_quoted(node_name) + ": one of [" + join(ports) + "]",
        double_quoted(port));
  }
  return {node_name, port};
}

Graph::Endpoint Graph::target(const std::string& text, const std::string& where) const {
  if (has_input(text)) {
    throw ValueError(where, "a layer's input port as the target",
                     "graph input " + double_quoted(text));
  }
  const Node* node = find_node(text);
  std::string port = "in";
  if (!node) {
    const std::size_t dot = text.rfind('.');
    if (dot != std::string::npos) {
      node = find_node(text.substr(0, dot));
      port = text.substr(dot + 1);
    }
  }
  if (!node) {
    throw ValueError(where, "an input port of one of the layers [" + join(layer_names()) + "]",
                     "unknown " + double_quoted(text));
  }
  const std::vector<std::string> ports = port_names(node->layer->input_ports());
  if (!contains(ports, port)) {
    throw ValueError(
        where,
        "an input port of layer " + double_quoted(node->name) + ": one of [" + join(ports) + "]",
        double_quoted(port));
  }
  return {node->name, port};
}

Graph& Graph::connect(const std::string& from, const std::string& to) {
  const std::string where = name() + ": connect";
  const Endpoint source_port = source(from, where);
  const Endpoint target_port = target(to, where);
  for (const Connection& existing : connections_) {
    if (existing.to == target_port) {
      throw ValueError(where, "an input port with no source yet (one source per port)",
                       double_quoted(target_port.text()) + ", already fed by " +
                           double_quoted(existing.from.text()));
    }
  }
  connections_.push_back({source_port, target_port});
  return *this;
}

Graph& Graph::add_output(const std::string& name, const std::string& from) {
  const std::string where = this->name() + ": add_output";
  if (name.empty()) throw ValueError(where, "a non-empty name", "\"\"");
  for (const auto& [existing, _] : outputs_) {
    if (existing == name)
      throw ValueError(where, "a new output name", double_quoted(name) + " twice");
  }
  outputs_.emplace_back(name, source(from, where));
  return *this;
}

std::vector<std::string> Graph::input_names() const {
  std::vector<std::string> names;
  for (const GraphInput& input : inputs_) names.push_back(input.name);
  return names;
}

std::vector<std::string> Graph::output_names() const {
  std::vector<std::string> names;
  for (const auto& [name, _] : outputs_) names.push_back(name);
  return names;
}

std::vector<std::shared_ptr<Layer>> Graph::layers() const {
  std::vector<std::shared_ptr<Layer>> layers;
  for (const Node& node : nodes_) layers.push_back(node.layer);
  return layers;
}

std::shared_ptr<Layer> Graph::layer(const std::string& name) const {
  if (const Node* node = find_node(name)) return node->layer;
  throw ValueError(this->name() + ": layer", "one of [" + join(layer_names()) + "]",
                   double_quoted(name));
}

std::vector<std::string> Graph::layer_names() const {
  std::vector<std::string> names;
  for (const Node& node : nodes_) names.push_back(node.name);
  return names;
}

std::vector<std::pair<std::string, std::string>> Graph::connections() const {
  std::vector<std::pair<std::string, std::string>> list;
  for (const Connection& c : connections_) list.emplace_back(c.from.text(), c.to.text());
  return list;
}

std::vector<std::size_t> Graph::sources_of(std::size_t index) const {
  std::vector<std::size_t> sources;
  for (const Connection& c : connections_) {
    if (c.to.node != nodes_[index].name || c.from.port.empty()) continue;
    for (std::size_t k = 0; k < nodes_.size(); ++k) {
      const bool feeds = nodes_[k].name == c.from.node;
      if (feeds && std::find(sources.begin(), sources.end(), k) == sources.end())
        sources.push_back(k);
    }
  }
  return sources;
}

std::vector<std::size_t> Graph::ordered_nodes() const {
  const std::string where = name() + ": wiring";
  if (outputs_.empty()) throw ValueError(where, "at least one output (add_output)", "none");
  for (const Node& node : nodes_) {
    for (const InputPort& port : node.layer->input_ports()) {
      const Endpoint wanted{node.name, port.name};
      const bool fed = std::any_of(connections_.begin(), connections_.end(),
                                   [&](const Connection& c) { return c.to == wanted; });
      if (port.required && !fed) {
        throw ValueError(where, "a source for every required input port",
                         "none for " + double_quoted(wanted.text()));
      }
    }
  }
  // Kahn's order, preferring the order the layers were added.
  std::vector<std::size_t> order;
  std::vector<bool> placed(nodes_.size(), false);
  while (order.size() < nodes_.size()) {
    bool progressed = false;
    for (std::size_t k = 0; k < nodes_.size() && !progressed; ++k) {
      if (placed[k]) continue;
      const std::vector<std::size_t> sources = sources_of(k);
      if (std::all_of(sources.begin(), sources.end(), [&](std::size_t s) { return placed[s]; })) {
        placed[k] = true;
        order.push_back(k);
        progressed = true;
      }
    }
    if (!progressed) throw ValueError(where, "wiring without cycles", describe_cycle(placed));
  }
  return order;
}

std::string Graph::describe_cycle(const std::vector<bool>& placed) const {
  // Every unplaced layer has an unplaced source, so walking sources from one must close a loop.
  std::size_t current = std::find(placed.begin(), placed.end(), false) - placed.begin();
  std::vector<std::size_t> walk;
  while (std::find(walk.begin(), walk.end(), current) == walk.end()) {
    walk.push_back(current);
    for (std::size_t s : sources_of(current)) {
      if (!placed[s]) {
        current = s;
        break;
      }
    }
  }
  std::vector<std::size_t> cycle(std::find(walk.begin(), walk.end(), current), walk.end());
  // The walk went against the data flow; turn it around and start at the first added layer.
  std::reverse(cycle.begin(), cycle.end());
  std::rotate(cycle.begin(), std::min_element(cycle.begin(), cycle.end()), cycle.end());
  std::string layers, edges;
  for (std::size_t i = 0; i < cycle.size(); ++i) {
    const std::string& from = nodes_[cycle[i]].name;
    const std::string& to = nodes_[cycle[(i + 1) % cycle.size()]].name;
    layers += double_quoted(from) + " -> ";
    for (const Connection& c : connections_) {
      if (c.from.node == from && c.to.node == to && !c.from.port.empty()) {
        edges += (edges.empty() ? "" : ", ") + c.from.text() + " -> " + c.to.text();
        break;
      }
    }
  }
  return "the cycle " + layers + double_quoted(nodes_[cycle.front()].name) + " (" + edges + ")";
}

std::vector<std::string> Graph::execution_order() const {
  std::vector<std::string> names;
  for (std::size_t k : ordered_nodes()) names.push_back(nodes_[k].name);
  return names;
}

std::vector<InputPort> Graph::input_ports() const {
  std::vector<InputPort> ports;
  for (const GraphInput& input : inputs_) ports.push_back({input.name, true});
  return ports;
}

std::vector<std::string> Graph::output_ports() const {
  return output_names();
}

nlohmann::json Graph::to_json() const {
  nlohmann::json json = {{"type", "graph"},
                         {"name", name()},
                         {"update", flags().update},
                         {"lda_coeff", flags().lda_coeff}};
  json["inputs"] = nlohmann::json::array();
  for (const GraphInput& input : inputs_) {
    nlohmann::json shape = nullptr;
    if (input.sample_shape) shape = *input.sample_shape;
    json["inputs"].push_back({{"name", input.name}, {"shape", shape}});
  }
  json["layers"] = nlohmann::json::array();
  for (const Node& node : nodes_)
    json["layers"].push_back({{"name", node.name}, {"layer", node.layer->to_json()}});
  json["connections"] = nlohmann::json::array();
  for (const Connection& c : connections_)
    json["connections"].push_back({{"from", c.from.text()}, {"to", c.to.text()}});
  json["outputs"] = nlohmann::json::array();
  for (const auto& [name, from] : outputs_)
    json["outputs"].push_back({{"name", name}, {"from", from.text()}});
  return json;
}

}  // namespace grutape
