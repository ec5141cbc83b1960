#include "layers/gru/fused/engine.hpp"

#include <array>

#include "core/indexing.hpp"
#include "layers/gru/fused/node.hpp"

namespace grutape {
namespace {

// The (batch, steps) mask with its time axis reversed: reading order for go_backwards.
Tensor reversed_in_time(const Tensor& mask) {
  const std::size_t batch = mask.shape()[0], steps = mask.shape()[1];
  const std::vector<double> values = mask.to_vector();
  std::vector<double> reversed(values.size());
  for (std::size_t b = 0; b < batch; ++b)
    for (std::size_t t = 0; t < steps; ++t)
      reversed[b * steps + t] = values[b * steps + steps - 1 - t];
  return Tensor::from_values(mask.shape(), reversed, mask.dtype());
}

// The per-gate blocks of a (3, batch, n) dropout mask; undefined blocks without one.
std::array<Tensor, 3> gate_masks(const Tensor& masks) {
  std::array<Tensor, 3> gates;
  if (!masks.defined()) return gates;
  for (std::size_t g = 0; g < gates.size(); ++g) gates[g] = detail::select_tensor(masks, 0, g);
  return gates;
}

}  // namespace

GruResult run_gru_fused(const GruOptions& options, const std::vector<GruLevelWeights>& levels,
                        const Value& x, const GruInputs& inputs, const std::string& where) {
  const GruCall call = check_gru_call(options, levels, x, inputs, where);
  GruFusedConfig config = gru_fused_config(options);
  Tensor mask = call.mask;
  Value sequence = x;
  GruResult result;
  result.return_state = options.return_state();
  for (std::size_t k = 0; k < options.depth(); ++k) {
    const GruLevelWeights& w = levels[k];
    GruFusedInputs in;
    in.input = sequence;
    in.initial_state = call.initial_states[k];
    in.kernel = w.kernel;
    in.recurrent_kernel = w.recurrent_kernel;
    in.bias = w.bias;
    in.recurrent_bias = w.recurrent_bias;
    in.mask = mask;
    if (!inputs.dropout_masks.empty()) {
      in.input_dropout = gate_masks(inputs.dropout_masks[k].input);
      in.recurrent_dropout = gate_masks(inputs.dropout_masks[k].recurrent);
    }
    const std::vector<Value> outputs = gru_fused(in, config);
    sequence = outputs[0];
    result.states.push_back(outputs[1]);
    if (config.go_backwards) {
      // The next level reads this level's sequence, already in reading order, forwards.
      config.go_backwards = false;
      if (mask.defined()) mask = reversed_in_time(mask);
    }
  }
  result.output = options.return_sequences() ? sequence : result.states.back();
  return result;
}

}  // namespace grutape
