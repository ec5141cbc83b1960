// The GRU's ports and masks (layers/gru/ports.hpp): the hidden port values and the Gru members that
// give the layer its ports, its masked call and its output mask.
#include "layers/gru/ports.hpp"

#include <numeric>

#include "autodiff/ops/shape.hpp"
#include "layers/gru/gru.hpp"

namespace grutape {

Value gru_hidden_from_states(const std::vector<Value>& states) {
  return states.size() == 1 ? states.front() : stack(states, 0);
}

std::vector<Value> gru_states_from_hidden(const Value& hidden, std::size_t depth,
                                          const std::string& where) {
  const Shape shape = hidden.shape();
  if (depth == 1) {
    if (shape.size() != 2) {
      throw ShapeError(where, "a hidden state of shape (batch, units)",
                       "shape " + shape_to_string(shape));
    }
    return {hidden};
  }
  if (shape.size() != 3 || shape[0] != depth) {
    throw ShapeError(where,
                     "hidden states of shape (" + std::to_string(depth) +
                         ", batch, units): one per level (depth " + std::to_string(depth) + ")",
                     "shape " + shape_to_string(shape));
  }
  std::vector<Value> states;
  for (std::size_t level = 0; level < depth; ++level) states.push_back(select(hidden, 0, level));
  return states;
}

Value reverse_time(const Value& x) {
  std::vector<std::size_t> steps(x.shape().at(1));
  std::iota(steps.rbegin(), steps.rend(), std::size_t{0});
  return index_select(x, 1, steps);
}

Value Gru::forward_masked(const Value& x, const Tensor& mask) {
  GruInputs inputs;
  inputs.mask = mask;
  return compute(x, inputs).output;
}

Tensor Gru::output_mask(const Value&, const Tensor& input_mask) const {
  if (!options_.return_sequences() || !input_mask.defined()) return Tensor();
  // The output sequence is in reading order: backwards, its step t is the input's T - 1 - t.
  return options_.go_backwards() ? reverse_time(Value(input_mask)).value() : input_mask;
}

std::vector<InputPort> Gru::input_ports() const {
  return {{"in", true}, {"hidden", false}};
}

std::vector<std::string> Gru::output_ports() const {
  return {"out", "hidden"};
}

std::map<std::string, Value> Gru::compute_ports(const std::map<std::string, Value>& inputs,
                                                const Tensor& mask) {
  GruInputs call;
  call.mask = mask;
  const auto hidden = inputs.find("hidden");
  if (hidden != inputs.end()) {
    call.initial_states =
        gru_states_from_hidden(hidden->second, options_.depth(), name() + ": port hidden");
  }
  const GruResult result = run(inputs.at("in"), call);
  return {{"out", result.output}, {"hidden", gru_hidden_from_states(result.states)}};
}

}  // namespace grutape
