#pragma once
// The golden GRU cases of tests/data/golden (copied from the shared golden set; README.md there
// describes the fields): one float64 forward and backward pass each, computed by an independent
// reference in the layout of Keras, PyTorch or MATLAB. load_golden_case reads a case into tensors
// and options; golden_to_internal and internal_to_golden move its weights (or their gradients)
// between the file's layout and the internal one with the library's converters.

#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/tensor.hpp"
#include "layers/gru/layouts/layouts.hpp"

namespace grutape::testing {

struct GoldenCase {
  std::string name;
  /// "keras", "pytorch" or "matlab": the layout of `weights` and `grad_weights`.
  std::string convention;
  /// units, input_size, reset_gate_mode, activations, use_bias and go_backwards of the case.
  GruOptions options{1};
  Tensor input;
  Tensor initial_state;
  /// (batch, timesteps) of 0/1, or undefined when the case has none.
  Tensor mask;
  Tensor sequence_output;
  Tensor final_state;
  /// The loss is sum(sequence_output * grad_sequence_output) + sum(final_state * grad_final_state).
  Tensor grad_sequence_output;
  Tensor grad_final_state;
  /// Its gradients with respect to the input and the initial state.
  Tensor grad_input;
  Tensor grad_initial_state;
  /// The file's weights and their gradients by the file's names, in the file's layout.
  std::map<std::string, Tensor> weights;
  std::map<std::string, Tensor> grad_weights;
};

/// Every golden case, by file stem.
inline const std::vector<std::string>& golden_case_names() {
  static const std::vector<std::string> names = {
      "keras_go_backwards",
      "keras_masked_right_padding",
      "keras_no_bias_keras3_hard_sigmoid",
      "keras_reset_after_false_hard_sigmoid",
      "keras_reset_after_true",
      "matlab_after_multiplication_softsign",
      "matlab_recurrent_bias_after",
      "pytorch_basic",
  };
  return names;
}

/// A float64 tensor from nested JSON arrays of numbers (the shape from the nesting).
inline Tensor tensor_from_json(const nlohmann::json& json) {
  Shape shape;
  for (const nlohmann::json* level = &json; level->is_array(); level = &level->at(0)) {
    shape.push_back(level->size());
    if (level->empty()) break;
  }
  std::vector<double> values;
  const auto flatten = [&](const nlohmann::json& node, const auto& self) -> void {
    if (node.is_array()) {
      for (const auto& child : node) self(child, self);
    } else {
      values.push_back(node.get<double>());
    }
  };
  flatten(json, flatten);
  return Tensor::from_values(shape, values, DType::float64);
}

/// The case `name` read from tests/data/golden.
inline GoldenCase load_golden_case(const std::string& name) {
  const std::string path = std::string(GRUTAPE_TEST_DATA) + "/golden/" + name + ".json";
  std::ifstream file(path);
  if (!file) throw IoError("load_golden_case", "a readable file", path);
  const nlohmann::json json = nlohmann::json::parse(file);
  GoldenCase c;
  c.name = json.at("name").get<std::string>();
  c.convention = json.at("convention").get<std::string>();
  std::string mode = json.at("reset_gate_mode").get<std::string>();
  for (char& ch : mode) ch = ch == '-' ? '_' : ch;  // the files spell MATLAB's hyphenated names
  const auto& shape = json.at("shape");
  c.options = GruOptions(shape.at("units").get<std::size_t>())
                  .input_size(shape.at("input").get<std::size_t>())
                  .reset_gate_mode(reset_gate_mode_from_name(mode))
                  .recurrent_activation(json.at("gate_activation").get<std::string>())
                  .activation(json.at("state_activation").get<std::string>())
                  .use_bias(json.at("use_bias").get<bool>())
                  .go_backwards(json.at("go_backwards").get<bool>())
                  .return_sequences(true);
  c.input = tensor_from_json(json.at("input"));
  c.initial_state = tensor_from_json(json.at("initial_state"));
  if (json.contains("mask")) c.mask = tensor_from_json(json.at("mask"));
  c.sequence_output = tensor_from_json(json.at("sequence_output"));
  c.final_state = tensor_from_json(json.at("final_state"));
  c.grad_sequence_output = tensor_from_json(json.at("grad_sequence_output"));
  c.grad_final_state = tensor_from_json(json.at("grad_final_state"));
  c.grad_input = tensor_from_json(json.at("grad_input"));
  c.grad_initial_state = tensor_from_json(json.at("grad_initial_state"));
  for (const auto& item : json.at("weights").items())
    c.weights[item.key()] = tensor_from_json(item.value());
  for (const auto& item : json.at("grad_weights").items())
    c.grad_weights[item.key()] = tensor_from_json(item.value());
  return c;
}

namespace detail {
inline Tensor entry(const std::map<std::string, Tensor>& tensors, const std::string& key) {
  const auto found = tensors.find(key);
  return found == tensors.end() ? Tensor() : found->second;
}
}  // namespace detail

/// Tensors in the case's file layout (its weights, or gradients of the same names) converted to
/// the internal layout.
inline GruWeights golden_to_internal(const GoldenCase& c, const std::map<std::string, Tensor>& t) {
  using detail::entry;
  if (c.convention == "keras") {
    return gru_from_keras({entry(t, "kernel"), entry(t, "recurrent_kernel"), entry(t, "bias")},
                          c.options);
  }
  if (c.convention == "pytorch") {
    return gru_from_pytorch(
        {entry(t, "weight_ih"), entry(t, "weight_hh"), entry(t, "bias_ih"), entry(t, "bias_hh")},
        c.options);
  }
  return gru_from_matlab({entry(t, "InputWeights"), entry(t, "RecurrentWeights"), entry(t, "Bias")},
                         c.options);
}

/// Internal weights converted to the case's file layout, by the file's names (absent biases are
/// left out).
inline std::map<std::string, Tensor> internal_to_golden(const GoldenCase& c,
                                                        const GruWeights& weights) {
  std::map<std::string, Tensor> t;
  const auto put = [&t](const std::string& key, const Tensor& value) {
    if (value.defined()) t[key] = value;
  };
  if (c.convention == "keras") {
    const KerasGruWeights k = gru_to_keras(weights, c.options);
    put("kernel", k.kernel);
    put("recurrent_kernel", k.recurrent_kernel);
    put("bias", k.bias);
  } else if (c.convention == "pytorch") {
    const PytorchGruWeights p = gru_to_pytorch(weights, c.options);
    put("weight_ih", p.weight_ih);
    put("weight_hh", p.weight_hh);
    put("bias_ih", p.bias_ih);
    put("bias_hh", p.bias_hh);
  } else {
    const MatlabGruWeights m = gru_to_matlab(weights, c.options);
    put("InputWeights", m.input_weights);
    put("RecurrentWeights", m.recurrent_weights);
    put("Bias", m.bias);
  }
  return t;
}

}  // namespace grutape::testing
