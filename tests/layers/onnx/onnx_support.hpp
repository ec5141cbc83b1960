#pragma once
// Helpers of the ONNX suites: models with random weights, the C++ ONNX checker, and comparisons.

#include <boost/test/unit_test.hpp>

#include <memory>
#include <string>

#include "layers/layers.hpp"
#include "tests/test_helpers.hpp"

namespace grutape::testing {

/// True when this build has ONNX; otherwise logs that the case is skipped.
inline bool onnx_or_skip() {
  if (onnx_available()) return true;
  BOOST_TEST_MESSAGE("skipped: this build has no ONNX (GRUTAPE_ONNX=OFF or libonnx-dev missing)");
  return false;
}

/// Every parameter of `model` drawn anew from [-0.5, 0.5) (so zero-initialised biases matter).
inline void randomize_parameters(Layer& model, std::uint64_t seed) {
  for (Value parameter : model.parameters()) {
    parameter.mutable_value() =
        random_tensor(parameter.shape(), seed++, -0.5, 0.5, parameter.dtype());
  }
}

/// A Sequential of `layers` after an input of (steps, features), steps free unless given, built, weights random.
inline std::shared_ptr<Sequential> onnx_test_model(std::vector<std::shared_ptr<Layer>> layers,
                                                   std::size_t features, DType dtype,
                                                   std::uint64_t seed,
                                                   std::optional<std::size_t> steps = std::nullopt) {
  auto model = std::make_shared<Sequential>();
  model->add(sequence_input(features, steps, dtype));
  for (auto& layer : layers) model->add(layer);
  model->build();
  randomize_parameters(*model, seed);
  return model;
}

/// The ONNX checker's verdict on `bytes` ("" when it accepts them); empty too without ONNX.
std::string onnx_checker_verdict(const std::string& bytes);

/// Asserts that `imported` has the parameters of `original`, in order, bitwise.
inline void require_same_parameters(const Layer& original, const Layer& imported) {
  const std::vector<Value> a = original.parameters(), b = imported.parameters();
  BOOST_TEST_REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    BOOST_TEST_INFO("parameter " << i);
    BOOST_TEST(bitwise_equal(a[i].value(), b[i].value()));
  }
}

}  // namespace grutape::testing
