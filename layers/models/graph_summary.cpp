// Graph::summary: the Keras-style table of a functional model's layers and their wiring.

#include <algorithm>
#include <sstream>

#include "core/text.hpp"
#include "layers/models/graph.hpp"
#include "layers/models/sequential.hpp"

namespace grutape {

std::string Graph::summary() const {
  struct Row {
    std::string layer;
    std::string params;
    std::vector<std::string> sources;
  };
  std::vector<Row> rows;
  for (const GraphInput& input : inputs_) rows.push_back({input.name + " (input)", "0", {}});
  for (const std::string& name : execution_order()) {
    const Node& node = *find_node(name);
    Row row{
        name + " (" + node.layer->type() + ")", std::to_string(node.layer->parameter_count()), {}};
    for (const Connection& c : connections_) {
      if (c.to.node == name) row.sources.push_back(c.from.text() + " -> " + c.to.port);
    }
    rows.push_back(row);
  }
  for (const auto& [output, from] : outputs_)
    rows.push_back({output + " (output)", "0", {from.text()}});
  // Keras' functional columns (layer, parameters, connected to), widened to fit.
  std::size_t widths[2] = {29, 10};
  for (const Row& row : rows) {
    widths[0] = std::max(widths[0], row.layer.size() + 1);
    widths[1] = std::max(widths[1], row.params.size() + 1);
  }
  const std::size_t width = widths[0] + widths[1] + 30;
  auto line = [&](const std::string& a, const std::string& b, const std::string& c) {
    std::string text =
        a + std::string(widths[0] - a.size(), ' ') + b + std::string(widths[1] - b.size(), ' ') + c;
    text.erase(text.find_last_not_of(' ') + 1);
    return text + "\n";
  };
  const std::string rule(width, '_'), double_rule(width, '=');
  std::ostringstream out;
  out << "Model: \"" << name() << "\"\n" << rule << "\n";
  out << line("Layer (type)", "Param #", "Connected to") << double_rule << "\n";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (i > 0) out << rule << "\n";
    const Row& row = rows[i];
    out << line(row.layer, row.params, row.sources.empty() ? "" : row.sources.front());
    for (std::size_t k = 1; k < row.sources.size(); ++k) out << line("", "", row.sources[k]);
  }
  const std::size_t total = parameter_count(), trainable = trainable_parameter_count(*this);
  out << double_rule << "\n";
  out << "Total params: " << with_thousands(total) << "\n";
  out << "Trainable params: " << with_thousands(trainable) << "\n";
  out << "Non-trainable params: " << with_thousands(total - trainable) << "\n";
  out << rule << "\n";
  return out.str();
}

}  // namespace grutape
