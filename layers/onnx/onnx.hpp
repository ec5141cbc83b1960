#pragma once
// ONNX export and import of models (docs/onnx.md). Export writes a Sequential model whose first
// layer is an InputLayer as an ONNX graph of opset onnx_opset(): GRU and Bidirectional as ONNX GRU
// nodes (batch-major, layout 1), Dense as MatMul and Add, activation layers and Softmax as their
// ONNX operators, Dropout as Identity, Flatten and Reshape as Flatten and Reshape. Import reads
// the graphs that this export, torch.onnx.export (nn.GRU, nn.Linear) and the GRU / Gemm / MatMul
// / Add / activation exports of Keras and MATLAB write, into a Sequential model that trains
// further like any other. Anything either side cannot express is a ValueError naming the layer
// or the node, what it is and what is supported.
//
// The functions exist in every build; in a build without ONNX (GRUTAPE_ONNX=OFF, or libonnx-dev
// missing) they throw a ValueError that says so.

#include <memory>
#include <string>

#include "layers/layer.hpp"

namespace grutape {

/// Whether this build has ONNX export and import.
bool onnx_available();

/// The opset the export writes and the newest the import reads.
int onnx_opset();

/// The ONNX model of `model` as serialized protobuf bytes.
std::string format_onnx(const Layer& model);

/// Writes format_onnx(model) to `path`, atomically (an IoError names the path on failure).
void save_onnx(const std::string& path, const Layer& model);

/// The Sequential model of the ONNX bytes `bytes`; `source` names them in messages. An IoError
/// for bytes that are not an ONNX model, a ValueError for a graph the import does not support.
std::shared_ptr<Layer> parse_onnx(const std::string& bytes, const std::string& source = "<bytes>");

/// parse_onnx of the file at `path`.
std::shared_ptr<Layer> load_onnx(const std::string& path);

}  // namespace grutape
