// Sequential::summary: the Keras-style table of layers, output shapes and parameter counts. The
// layer column shows each layer's summary_type(): a GRU's engine with its kind.

#include "layers/basic/input_layer.hpp"
#include "layers/models/detail/summary_table.hpp"
#include "layers/models/sequential.hpp"

namespace grutape {

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
  std::vector<detail::SummaryRow> rows;
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    const Layer& layer = *layers_[i];
    if (dynamic_cast<const InputLayer*>(&layer)) continue;
    rows.push_back(
        {{layer.name() + " (" + layer.summary_type() + ")",
          shape_pattern_to_string(output_shapes_[i]), std::to_string(layer.parameter_count())}});
  }
  // Keras' columns (29, 26 and 10 characters), widened to fit.
  return detail::summary_table(name(),
                               {{{"Layer (type)", 29}, {"Output Shape", 26}, {"Param #", 10}}},
                               rows, parameter_count(), trainable_parameter_count(*this));
}

}  // namespace grutape
