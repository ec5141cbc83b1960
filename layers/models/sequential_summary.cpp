// Sequential::summary: the Keras-style table of layers, output shapes and parameter counts. The
// layer column shows each layer's summary_type(): a GRU's engine with its kind.

#include <algorithm>
#include <sstream>

#include "core/text.hpp"
#include "layers/basic/input_layer.hpp"
#include "layers/models/sequential.hpp"

namespace grutape {
namespace {

struct Row {
  std::string layer;
  std::string shape;
  std::string params;
};

}  // namespace

std::string Sequential::summary() {
  if (!shapes_current()) {
    const bool starts_with_input =
        !layers_.empty() && dynamic_cast<const InputLayer*>(layers_.front().get());
    if (!starts_with_input) {
      throw ValueError(name() + ": summary",
                       "a built model (run it once, call build(input_shape) or start it with an "
                       "input layer)",
                       "a model not built since its last layer was added");
    }
    build();
  }
  std::vector<Row> rows;
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    const Layer& layer = *layers_[i];
    if (dynamic_cast<const InputLayer*>(&layer)) continue;
    rows.push_back({layer.name() + " (" + layer.summary_type() + ")",
                    shape_pattern_to_string(output_shapes_[i]),
                    std::to_string(layer.parameter_count())});
  }
  // Keras' columns (29, 26 and 10 characters), widened to fit.
  std::size_t widths[3] = {29, 26, 10};
  for (const Row& row : rows) {
    widths[0] = std::max(widths[0], row.layer.size() + 1);
    widths[1] = std::max(widths[1], row.shape.size() + 1);
    widths[2] = std::max(widths[2], row.params.size());
  }
  const std::size_t width = widths[0] + widths[1] + widths[2];
  auto line = [&](const std::string& a, const std::string& b, const std::string& c) {
    std::string text =
        a + std::string(widths[0] - a.size(), ' ') + b + std::string(widths[1] - b.size(), ' ') + c;
    text.erase(text.find_last_not_of(' ') + 1);
    return text + "\n";
  };
  const std::string rule(width, '_'), double_rule(width, '=');

  std::ostringstream out;
  out << "Model: \"" << name() << "\"\n" << rule << "\n";
  out << line("Layer (type)", "Output Shape", "Param #") << double_rule << "\n";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (i > 0) out << rule << "\n";
    out << line(rows[i].layer, rows[i].shape, rows[i].params);
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
