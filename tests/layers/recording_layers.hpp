#pragma once
// Small layers for model tests: one that records the mask it received, one that counts resets.

#include <nlohmann/json.hpp>

#include "layers/layer.hpp"
#include "layers/layer_json.hpp"

namespace grutape::testing {

/// The identity; keeps the mask of its last call (undefined when it got none).
class MaskRecorder : public Layer {
 public:
  MaskRecorder() : Layer("mask_recorder") {}
  Value forward(const Value& input) override {
    received = Tensor();
    return input;
  }
  Value forward_masked(const Value& input, const Tensor& mask) override {
    received = mask;
    return input;
  }
  nlohmann::json to_json() const override { return layer_json_header(*this); }

  Tensor received;

 protected:
  void build_parameters(const Shape&, DType) override {}
};

/// The identity; counts the calls of reset_states.
class ResetCounter : public Layer {
 public:
  ResetCounter() : Layer("reset_counter") {}
  Value forward(const Value& input) override { return input; }
  void reset_states() override { ++resets; }
  nlohmann::json to_json() const override { return layer_json_header(*this); }

  /// Calls of reset_states().
  int resets = 0;

 protected:
  void build_parameters(const Shape&, DType) override {}
};

}  // namespace grutape::testing
