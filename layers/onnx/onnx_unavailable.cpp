// layers/onnx/onnx.hpp in a build without ONNX: every call says how to get it.

#include "layers/onnx/onnx.hpp"

#include "core/error.hpp"

namespace grutape {
namespace {

[[noreturn]] void no_onnx(const std::string& where) {
  throw ValueError(where,
                   "a grutape built with ONNX (install libonnx-dev and libprotobuf-dev, or run "
                   "scripts/setup, then configure with -DGRUTAPE_ONNX=auto or ON)",
                   "a build without ONNX");
}

}  // namespace

bool onnx_available() { return false; }

int onnx_opset() { return 14; }

std::string format_onnx(const Layer&) { no_onnx("format_onnx"); }

void save_onnx(const std::string& path, const Layer&) { no_onnx("save_onnx \"" + path + "\""); }

std::shared_ptr<Layer> parse_onnx(const std::string&, const std::string& source) {
  no_onnx("parse_onnx " + source);
}

std::shared_ptr<Layer> load_onnx(const std::string& path) {
  no_onnx("load_onnx \"" + path + "\"");
}

}  // namespace grutape
