#pragma once
// The Sequential model of an import's chain (import_state.hpp): an InputLayer, then each layer
// with the graph's weights. Internal to layers/onnx.

#include <memory>

#include "layers/layer.hpp"
#include "layers/onnx/detail/import_state.hpp"

namespace grutape::onnx_detail {

/// The model, built, with the chain's weights; a ShapeError naming the ONNX node whose weights
/// do not fit the input the layer gets.
std::shared_ptr<Layer> build_imported_model(const ImportState& state);

}  // namespace grutape::onnx_detail
