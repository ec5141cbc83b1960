#pragma once
// The export of each layer kind: a function from the layer and the ONNX value it reads to the
// value it writes. Internal to layers/onnx.

#include <string>

#include "layers/layer.hpp"
#include "layers/onnx/detail/graph_writer.hpp"

namespace grutape {
class Gru;
class Bidirectional;
}  // namespace grutape

namespace grutape::onnx_detail {

/// A value of the exported graph with what the layers after it need to know.
struct ExportValue {
  /// Its name in the graph.
  std::string name;
  /// Its rank, batch axis included.
  std::size_t rank = 0;
  DType dtype = DType::float32;
  /// The int32 (batch) sequence lengths of the mask it carries ("" when none): what a GRU
  /// passes as sequence_lens.
  std::string lengths;
};

/// The export of `layer` reading `input`; a ValueError names the layer and what ONNX cannot
/// express (its type, or the option).
ExportValue export_layer(const Layer& layer, const ExportValue& input, GraphWriter& writer);

/// A GRU as one ONNX GRU node per level (direction forward, or reverse for go_backwards).
ExportValue export_gru(const Gru& gru, const ExportValue& input, GraphWriter& writer);
/// A Bidirectional GRU as one bidirectional ONNX GRU node, the outputs merged.
ExportValue export_bidirectional(const Bidirectional& layer, const ExportValue& input,
                                 GraphWriter& writer);

}  // namespace grutape::onnx_detail
