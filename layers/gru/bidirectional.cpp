#include "layers/gru/bidirectional.hpp"

#include <nlohmann/json.hpp>

#include "autodiff/grad_mode.hpp"
#include "autodiff/ops/elementwise.hpp"
#include "autodiff/ops/shape.hpp"
#include "core/json_reader.hpp"
#include "layers/gru/ports.hpp"
#include "layers/layer_json.hpp"

namespace grutape {
namespace {

// Mixed into a given seed for the backward copy, so that the two directions do not start from
// the same weights.
constexpr std::uint64_t kBackwardSeedMix = 0xD1B54A32D192ED03ull;

// The forward copy's options with the direction flipped, named and seeded for the backward copy.
GruOptions backward_options(const GruOptions& options, const std::string& base) {
  GruOptions backward = GruOptions(options).go_backwards(!options.go_backwards());
  backward.name("backward_" + base);
  if (options.seed()) backward.seed(*options.seed() ^ kBackwardSeedMix);
  return backward;
}

// Splits a Keras-style list, the forward copy's `per_copy` entries then the backward copy's.
template <class T>
void split_list(const std::vector<T>& list, std::size_t per_copy, const std::string& where,
                std::vector<T>& forward, std::vector<T>& backward) {
  forward.clear();
  backward.clear();
  if (list.empty()) return;
  if (list.size() != 2 * per_copy) {
    throw ValueError(where,
                     std::to_string(2 * per_copy) + " (" + std::to_string(per_copy) +
                         " for the forward copy, then as many for the backward copy)",
                     std::to_string(list.size()));
  }
  forward.assign(list.begin(), list.begin() + per_copy);
  backward.assign(list.begin() + per_copy, list.end());
}

}  // namespace

const char* merge_mode_name(MergeMode mode) {
  return enum_name(mode);
}

// Keras lists merge modes comma-separated: "one of concat, sum, mul, ave, none".
MergeMode merge_mode_from_name(const std::string& name) {
  for (const auto& entry : EnumNames<MergeMode>::values) {
    if (name == entry.name) return entry.value;
  }
  throw ValueError("merge_mode_from_name", "one of " + join(enum_names<MergeMode>()),
                   double_quoted(name));
}

std::vector<Value> BidirectionalResult::outputs() const {
  std::vector<Value> list;
  if (output.defined()) {
    list.push_back(output);
  } else {
    list = {forward_output, backward_output};
  }
  if (return_state) {
    list.insert(list.end(), forward_states.begin(), forward_states.end());
    list.insert(list.end(), backward_states.begin(), backward_states.end());
  }
  return list;
}

Bidirectional::Bidirectional(const GruOptions& options, MergeMode merge_mode)
    : Layer("bidirectional"), merge_mode_(merge_mode) {
  forward_ = std::make_shared<Gru>(options);
  const std::string base = forward_->name();
  forward_->set_name("forward_" + base);
  backward_ = std::make_shared<Gru>(backward_options(options, base));
  register_sublayer("forward", forward_);
  register_sublayer("backward", backward_);
}

Bidirectional::Bidirectional(std::shared_ptr<Gru> forward, std::shared_ptr<Gru> backward,
                             MergeMode merge_mode)
    : Layer("bidirectional"),
      merge_mode_(merge_mode),
      forward_(std::move(forward)),
      backward_(std::move(backward)) {
  register_sublayer("forward", forward_);
  register_sublayer("backward", backward_);
}

std::shared_ptr<Bidirectional> Bidirectional::from_json(const nlohmann::json& json) {
  JsonReader in(json, "Bidirectional::from_json");
  const LayerHeader header = read_layer_header(in, "bidirectional");
  const MergeMode merge_mode = merge_mode_from_name(in.string("merge_mode", "concat"));
  auto forward = Gru::from_json(in.value("forward"));
  auto backward = Gru::from_json(in.value("backward"));
  in.finish();
  const GruOptions& ahead = forward->options();
  const GruOptions& behind = backward->options();
  if (ahead.go_backwards() == behind.go_backwards() || ahead.units() != behind.units()) {
    throw ValueError(in.where("backward"),
                     "a copy of " + std::to_string(ahead.units()) + " units reading " +
                         (ahead.go_backwards() ? "forwards" : "backwards"),
                     "one of " + std::to_string(behind.units()) + " units reading " +
                         (behind.go_backwards() ? "backwards" : "forwards"));
  }
  std::shared_ptr<Bidirectional> layer(
      new Bidirectional(std::move(forward), std::move(backward), merge_mode));
  apply_layer_header(header, *layer);
  return layer;
}

void Bidirectional::build_parameters(const Shape& input_shape, DType dtype) {
  forward_->build(input_shape, dtype);
  backward_->build(input_shape, dtype);
}

BidirectionalResult Bidirectional::compute(const Value& x, const GruInputs& forward_inputs,
                                           const GruInputs& backward_inputs) {
  if (!built() && x.defined()) build(x.shape(), x.dtype());
  const GruResult forward = forward_->run(x, forward_inputs);
  const GruResult backward = backward_->run(x, backward_inputs);
  BidirectionalResult result;
  result.return_state = forward_->options().return_state();
  result.forward_states = forward.states;
  result.backward_states = backward.states;
  result.forward_output = forward.output;
  // The backward copy's sequence is in its reading order, last time step first (Keras flips it).
  result.backward_output =
      forward_->options().return_sequences() ? reverse_time(backward.output) : backward.output;
  const Value& f = result.forward_output;
  const Value& b = result.backward_output;
  switch (merge_mode_) {
    case MergeMode::concat:
      result.output = concat({f, b}, -1);
      break;
    case MergeMode::sum:
      result.output = f + b;
      break;
    case MergeMode::mul:
      result.output = f * b;
      break;
    case MergeMode::ave:
      result.output = (f + b) * 0.5;
      break;
    case MergeMode::none:
      break;
  }
  return result;
}

BidirectionalResult Bidirectional::call(const Value& x, GruInputs forward_inputs,
                                        GruInputs backward_inputs) {
  if (!flags().training) {
    NoGradScope inference;
    return compute(x, forward_inputs, backward_inputs);
  }
  for (GruInputs* inputs : {&forward_inputs, &backward_inputs}) {
    for (Value& state : inputs->initial_states)
      if (state.defined()) state = prepare_input(state);
  }
  return compute(x.defined() ? prepare_input(x) : x, forward_inputs, backward_inputs);
}

BidirectionalResult Bidirectional::run(const Value& x, const GruInputs& inputs) {
  const std::size_t depth = forward_->options().depth();
  GruInputs forward_inputs = inputs, backward_inputs = inputs;
  split_list(inputs.initial_states, depth, name() + ": initial states",
             forward_inputs.initial_states, backward_inputs.initial_states);
  split_list(inputs.dropout_masks, depth, name() + ": dropout masks", forward_inputs.dropout_masks,
             backward_inputs.dropout_masks);
  return call(x, forward_inputs, backward_inputs);
}

Value Bidirectional::forward(const Value& x) {
  return forward_masked(x, Tensor());
}

Value Bidirectional::forward_masked(const Value& x, const Tensor& mask) {
  if (merge_mode_ == MergeMode::none) {
    throw ValueError(name() + ": forward",
                     "a merge mode other than none (run or forward_ports give both outputs)",
                     "none");
  }
  GruInputs inputs;
  inputs.mask = mask;
  return compute(x, inputs, inputs).output;
}

Tensor Bidirectional::output_mask(const Value& x, const Tensor& input_mask) const {
  return forward_->output_mask(x, input_mask);
}

std::vector<InputPort> Bidirectional::input_ports() const {
  return {{"in", true}, {"forward_hidden", false}, {"backward_hidden", false}};
}

std::vector<std::string> Bidirectional::output_ports() const {
  if (merge_mode_ == MergeMode::none)
    return {"forward_out", "backward_out", "forward_hidden", "backward_hidden"};
  return {"out", "forward_hidden", "backward_hidden"};
}

std::map<std::string, Value> Bidirectional::compute_ports(
    const std::map<std::string, Value>& inputs, const Tensor& mask) {
  const std::size_t depth = forward_->options().depth();
  GruInputs forward_inputs, backward_inputs;
  forward_inputs.mask = backward_inputs.mask = mask;
  if (inputs.count("forward_hidden")) {
    forward_inputs.initial_states = gru_states_from_hidden(inputs.at("forward_hidden"), depth,
                                                           name() + ": port forward_hidden");
  }
  if (inputs.count("backward_hidden")) {
    backward_inputs.initial_states = gru_states_from_hidden(inputs.at("backward_hidden"), depth,
                                                            name() + ": port backward_hidden");
  }
  const BidirectionalResult result = call(inputs.at("in"), forward_inputs, backward_inputs);
  std::map<std::string, Value> outputs{
      {"forward_hidden", gru_hidden_from_states(result.forward_states)},
      {"backward_hidden", gru_hidden_from_states(result.backward_states)}};
  if (merge_mode_ == MergeMode::none) {
    outputs["forward_out"] = result.forward_output;
    outputs["backward_out"] = result.backward_output;
  } else {
    outputs["out"] = result.output;
  }
  return outputs;
}

std::string Bidirectional::summary_type() const {
  return type() + ", " + engine_name(forward_->engine());
}

nlohmann::json Bidirectional::to_json() const {
  return {{"type", "bidirectional"},
          {"name", name()},
          {"update", flags().update},
          {"lda_coeff", flags().lda_coeff},
          {"merge_mode", merge_mode_name(merge_mode_)},
          {"forward", forward_->to_json()},
          {"backward", backward_->to_json()}};
}

}  // namespace grutape
