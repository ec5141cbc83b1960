// The GRU layer's states: stored initial states, carried states of a stateful layer, resets.
#include "core/reduce.hpp"
#include "core/tensor_math.hpp"
#include "core/text.hpp"
#include "layers/gru/gru.hpp"

namespace grutape {

void Gru::set_initial_states(std::vector<Tensor> states) {
  const std::string where = name() + ": set_initial_states";
  if (!states.empty() && states.size() != options_.depth()) {
    throw ValueError(where, std::to_string(options_.depth()) + " states (one per level)",
                     std::to_string(states.size()));
  }
  for (std::size_t k = 0; k < states.size(); ++k) {
    const Shape shape = states[k].defined() ? states[k].shape() : Shape();
    const bool fits = (shape.size() == 1 || shape.size() == 2) && shape.back() == options_.units();
    if (!fits) {
      throw ShapeError(where + ": state " + std::to_string(k + 1),
                       "shape (" + std::to_string(options_.units()) + ") or (batch, " +
                           std::to_string(options_.units()) + ")",
                       states[k].defined() ? shape_to_string(shape) : "none");
    }
    states[k] = states[k].clone();
  }
  initial_states_ = std::move(states);
}

std::vector<Value> Gru::default_states(std::size_t batch) const {
  std::vector<Value> states;
  if (options_.stateful() && !states_.empty()) {
    const std::size_t carried = states_[0].shape()[0];
    if (carried != batch) {
      throw ShapeError(name(),
                       "a batch of " + std::to_string(carried) +
                           " (stateful: the batch of the carried states; reset_states() frees it)",
                       "a batch of " + std::to_string(batch));
    }
    for (const Tensor& state : states_) states.emplace_back(state);
    return states;
  }
  return stored_states(batch);
}

std::vector<Value> Gru::stored_states(std::size_t batch) const {
  std::vector<Value> states;
  for (const Tensor& state : initial_states_) {
    const Shape wanted{batch, options_.units()};
    if (state.rank() == 2 && state.shape() != wanted) {
      throw ShapeError(name() + ": stored initial state",
                       "shape " + shape_to_string(wanted) + " for this batch",
                       shape_to_string(state.shape()));
    }
    states.emplace_back(broadcast_to(state.to(dtype_), wanted));
  }
  return states;
}

void Gru::register_gru_states() {
  register_state("initial_states", StateKind::stored,
                 {[this] { return initial_states_; },
                  [this](std::vector<Tensor> states) { set_initial_states(std::move(states)); }});
  // None carried is the state reset_states() leaves; a checkpoint of a layer that carried none
  // restores it so.
  register_state("states", StateKind::carried,
                 {[this] { return states_; },
                  [this](std::vector<Tensor> states) {
                    if (states.empty()) {
                      states_.clear();
                    } else {
                      reset_states(states);
                    }
                  }});
}

void Gru::reset_states(const std::vector<Tensor>& states) {
  const std::string where = name() + ": reset_states";
  require_built("reset_states");
  if (states.size() != options_.depth()) {
    throw ValueError(where, std::to_string(options_.depth()) + " states (one per level)",
                     std::to_string(states.size()));
  }
  std::vector<Tensor> carried;
  for (std::size_t k = 0; k < states.size(); ++k) {
    const std::string what = where + ": state " + std::to_string(k + 1);
    if (!states[k].defined()) throw ValueError(what, "a (batch, units) tensor", "none");
    const Shape shape = states[k].shape();
    const std::size_t batch = shape.empty() ? 0 : shape[0];
    require_shape(states[k], {batch, options_.units()}, what);
    if (k > 0 && batch != carried[0].shape()[0]) {
      throw ShapeError(what, "the batch of state 1, " + std::to_string(carried[0].shape()[0]),
                       shape_to_string(shape));
    }
    carried.push_back(states[k].to(dtype_));
  }
  states_ = std::move(carried);
}

void Gru::reset_samples(const Tensor& samples) {
  const std::string where = name() + ": reset_samples";
  if (states_.empty()) return;
  const std::size_t batch = states_[0].shape()[0];
  require_shape(samples, {batch}, where + ": samples");
  for (double s : samples.to_vector()) {
    if (s != 0.0 && s != 1.0)
      throw ValueError(where + ": samples", "values 0 and 1", format_number(s));
  }
  // state = samples ? initial : state, row by row; exact, as the factors are 0 and 1.
  const Tensor reset = samples.to(dtype_).reshaped({batch, 1});
  const Tensor keep = sub(Tensor::ones({batch, 1}, dtype_), reset);
  const std::vector<Value> initial = stored_states(batch);
  for (std::size_t k = 0; k < states_.size(); ++k) {
    const Tensor start =
        initial.empty() ? Tensor::zeros(states_[k].shape(), dtype_) : initial[k].value();
    states_[k] = add(mul(states_[k], keep), mul(start, reset));
  }
}

}  // namespace grutape
