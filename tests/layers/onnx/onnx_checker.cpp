// onnx_checker_verdict: ONNX's own C++ checker (libonnx), linked into the tests only.

#include "tests/layers/onnx/onnx_support.hpp"

#ifdef GRUTAPE_TEST_ONNX_CHECKER
#include <onnx/checker.h>
#include <onnx/onnx_pb.h>
#endif

namespace grutape::testing {

std::string onnx_checker_verdict(const std::string& bytes) {
#ifdef GRUTAPE_TEST_ONNX_CHECKER
  onnx::ModelProto model;
  if (!model.ParseFromString(bytes)) return "the bytes do not parse as a ModelProto";
  try {
    onnx::checker::check_model(model);
  } catch (const std::exception& error) {
    return error.what();
  }
#else
  (void)bytes;
#endif
  return "";
}

}  // namespace grutape::testing
