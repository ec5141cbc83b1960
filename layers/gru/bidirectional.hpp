#pragma once
// Keras' Bidirectional wrapper around a GRU. A forward copy reads the sequence as the options
// say; a backward copy, the same options with go_backwards flipped, reads it the other way. The
// backward copy's output sequence comes in its reading order and is reversed back, so that step
// t of both outputs belongs to input step t (Keras). The outputs are then merged:
//
//   concat  [forward, backward] on the last axis (2 * units)     sum  forward + backward
//   mul     forward * backward                                  ave  (forward + backward) / 2
//   none    no merge: both outputs, separately
//
// Parameters are the copies' under "forward." and "backward." ("forward.kernel", ...). The
// copies are named "forward_" and "backward_" + the GRU's name (its option, else gru_N); with a
// seed, the backward copy draws from the seed mixed with a constant, so the directions start
// from different weights. A mask reaches both copies (each carries its state over the masked
// steps in its own reading order); the output mask is the forward copy's (the input's mask
// with return_sequences, else none).
//
// Ports (graph.hpp): "in", "forward_hidden", "backward_hidden" (optional initial states) ->
// "out" (merged; with merge none "forward_out" and "backward_out" instead), "forward_hidden",
// "backward_hidden" (final states). Hidden values are laid out as for the GRU
// (layers/gru/ports.hpp).

#include <memory>
#include <string>
#include <vector>

#include "core/enum_names.hpp"
#include "layers/gru/gru.hpp"

namespace grutape {

enum class MergeMode { concat, sum, mul, ave, none };

template <>
struct EnumNames<MergeMode> {
  static constexpr NamedValue<MergeMode> values[] = {{MergeMode::concat, "concat"},
                                                     {MergeMode::sum, "sum"},
                                                     {MergeMode::mul, "mul"},
                                                     {MergeMode::ave, "ave"},
                                                     {MergeMode::none, "none"}};
};

/// "concat", "sum", "mul", "ave", "none" (Keras' merge_mode).
const char* merge_mode_name(MergeMode mode);
/// The inverse of merge_mode_name; a ValueError names the unknown string.
MergeMode merge_mode_from_name(const std::string& name);

struct BidirectionalResult {
  /// The merged output; undefined with merge mode none.
  Value output;
  /// The forward copy's output.
  Value forward_output;
  /// The backward copy's output: the sequence aligned with time (reversed back) with
  /// return_sequences, else its final state.
  Value backward_output;
  /// The forward copy's final state of each level, (batch, units).
  std::vector<Value> forward_states;
  /// The backward copy's final state of each level (its state after reading time step 0).
  std::vector<Value> backward_states;
  /// Whether `outputs()` lists the states (the return_state option).
  bool return_state = false;

  /// Keras' output list: {output}, or {forward_output, backward_output} without a merge, then
  /// with return_state the forward states and the backward states.
  std::vector<Value> outputs() const;
};

class Bidirectional : public Layer {
 public:
  /// A forward and a backward GRU of `options` (see above), merged by `merge_mode`.
  explicit Bidirectional(const GruOptions& options, MergeMode merge_mode = MergeMode::concat);
  /// The layer to_json wrote, both copies with their own options and names; a ValueError names
  /// the key that is missing or wrong, or copies that do not read in opposite directions.
  static std::shared_ptr<Bidirectional> from_json(const nlohmann::json& json);

  /// How the two outputs are merged.
  MergeMode merge_mode() const { return merge_mode_; }
  /// The copy that reads as the options say (sublayer "forward").
  Gru& forward_layer() const { return *forward_; }
  /// The copy that reads the other way (sublayer "backward").
  Gru& backward_layer() const { return *backward_; }

  /// The merged output; a ValueError with merge mode none (use run or forward_ports).
  Value forward(const Value& x) override;
  /// The same with a (batch, timesteps) mask of valid steps.
  Value forward_masked(const Value& x, const Tensor& mask) override;
  /// The forward copy's output mask: the input's with return_sequences, else none.
  Tensor output_mask(const Value& x, const Tensor& input_mask) const override;
  /// The full call, applying the flags. `inputs` as for Gru::run; its initial_states and
  /// dropout_masks, when given, hold the forward copy's entries then the backward copy's (Keras'
  /// initial_state list), 2 * depth of them (a ValueError otherwise).
  BidirectionalResult run(const Value& x, const GruInputs& inputs = {});

  /// Ports "in" (required), "forward_hidden" and "backward_hidden" (optional initial states).
  std::vector<InputPort> input_ports() const override;
  /// "out" ("forward_out", "backward_out" with merge mode none), "forward_hidden",
  /// "backward_hidden".
  std::vector<std::string> output_ports() const override;

  /// {"type": "bidirectional", "name", "update", "lda_coeff", "merge_mode", "forward": the
  /// forward copy's JSON, "backward": the backward copy's}.
  nlohmann::json to_json() const override;
  /// "bidirectional, fused": the kind and the engine its copies run.
  std::string summary_type() const override;

 protected:
  /// Builds both copies for `input_shape`.
  void build_parameters(const Shape& input_shape, DType dtype) override;
  /// run() with the hidden ports as each copy's initial states and `mask` as both copies' mask.
  std::map<std::string, Value> compute_ports(const std::map<std::string, Value>& inputs,
                                             const Tensor& mask) override;

 private:
  /// Two copies read back by from_json.
  Bidirectional(std::shared_ptr<Gru> forward, std::shared_ptr<Gru> backward, MergeMode merge_mode);
  /// Both copies and the merge, on an input already prepared for the flags.
  BidirectionalResult compute(const Value& x, const GruInputs& forward_inputs,
                              const GruInputs& backward_inputs);
  /// compute() after applying the flags to x and the initial states.
  BidirectionalResult call(const Value& x, GruInputs forward_inputs, GruInputs backward_inputs);

  MergeMode merge_mode_;
  std::shared_ptr<Gru> forward_;
  std::shared_ptr<Gru> backward_;
};

}  // namespace grutape
