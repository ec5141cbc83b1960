// Graph::from_json: the inverse of Graph::to_json (graph.cpp), read key by key so that a
// hand-written or edited graph fails with the key at fault.
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/json_reader.hpp"
#include "layers/layer_json.hpp"
#include "layers/layer_registry.hpp"
#include "layers/models/graph.hpp"

namespace grutape {
namespace {

const nlohmann::json& array_at(JsonReader& in, const std::string& key) {
  const nlohmann::json& value = in.value(key);
  if (!value.is_array()) throw ValueError(in.where(key), "an array", json_type_name(value));
  return value;
}

std::string item_where(const JsonReader& in, const std::string& key, std::size_t index) {
  return in.where(key) + "[" + std::to_string(index) + "]";
}

std::optional<Shape> sample_shape(JsonReader& in) {
  const nlohmann::json& json = in.value("shape");
  if (json.is_null()) return std::nullopt;
  if (!json.is_array())
    throw ValueError(in.where("shape"), "an array or null", json_type_name(json));
  Shape shape;
  for (const nlohmann::json& extent : json) {
    if (!extent.is_number_integer() || extent.get<long long>() < 0) {
      throw ValueError(in.where("shape"), "non-negative integer extents", json.dump());
    }
    shape.push_back(extent.get<std::size_t>());
  }
  return shape;
}

}  // namespace

std::shared_ptr<Graph> Graph::from_json(const nlohmann::json& json) {
  JsonReader in(json, "Graph::from_json");
  const LayerHeader header = read_layer_header(in, "graph");
  const nlohmann::json& inputs = array_at(in, "inputs");
  const nlohmann::json& layers = array_at(in, "layers");
  const nlohmann::json& connections = array_at(in, "connections");
  const nlohmann::json& outputs = array_at(in, "outputs");
  in.finish();

  auto graph = std::make_shared<Graph>();
  // Before the layers are added, so that the graph's update flag does not override theirs.
  apply_layer_header(header, *graph);
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    JsonReader item(inputs[i], item_where(in, "inputs", i));
    const std::string name = item.string("name");
    const std::optional<Shape> shape = sample_shape(item);
    item.finish();
    graph->add_input(name, shape);
  }
  for (std::size_t i = 0; i < layers.size(); ++i) {
    JsonReader item(layers[i], item_where(in, "layers", i));
    const std::string name = item.string("name");
    std::shared_ptr<Layer> layer = layer_from_json(item.value("layer"));
    item.finish();
    // The graph's name for the layer is the one its connections use.
    layer->set_name(name);
    graph->add_layer(layer);
  }
  for (std::size_t i = 0; i < connections.size(); ++i) {
    JsonReader item(connections[i], item_where(in, "connections", i));
    const std::string from = item.string("from");
    const std::string to = item.string("to");
    item.finish();
    graph->connect(from, to);
  }
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    JsonReader item(outputs[i], item_where(in, "outputs", i));
    const std::string name = item.string("name");
    const std::string from = item.string("from");
    item.finish();
    graph->add_output(name, from);
  }
  return graph;
}

}  // namespace grutape
