// Graph::summary: the Keras-style table of a functional model's layers and their wiring.

#include "layers/models/detail/summary_table.hpp"
#include "layers/models/graph.hpp"
#include "layers/models/sequential.hpp"

namespace grutape {

std::string Graph::summary() const {
  std::vector<detail::SummaryRow> rows;
  for (const GraphInput& input : inputs_) rows.push_back({{input.name + " (input)", "0", ""}});
  for (const std::string& name : execution_order()) {
    const Node& node = *find_node(name);
    detail::SummaryRow row = {{name + " (" + node.layer->type() + ")",
                               std::to_string(node.layer->parameter_count()), ""}};
    // One line per input port: the first beside the layer, the others below it.
    for (const Connection& c : connections_) {
      if (c.to.node != name) continue;
      const std::string source = c.from.text() + " -> " + c.to.port;
      if (row[0][2].empty())
        row[0][2] = source;
      else
        row.push_back({"", "", source});
    }
    rows.push_back(row);
  }
  for (const auto& [output, from] : outputs_)
    rows.push_back({{output + " (output)", "0", from.text()}});
  // Keras' functional columns (layer, parameters, connected to), the first two widened to fit.
  return detail::summary_table(
      name(), {{{"Layer (type)", 29}, {"Param #", 10}, {"Connected to", 30, true}}}, rows,
      parameter_count(), trainable_parameter_count(*this));
}

}  // namespace grutape
