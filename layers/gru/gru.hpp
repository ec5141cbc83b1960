#pragma once
// The GRU layer: every option of Keras' GRU, MATLAB's gruLayer, PyTorch's nn.GRU and Korali's
// GRU (layers/gru/options.hpp), the cell's equations in layers/gru/composite/cell.hpp, the gate
// order in layers/gru/gates.hpp.
//
// Parameters, by name: the first level has "kernel" (features, 3u), "recurrent_kernel" (u, 3u),
// "bias" (3u, with use_bias) and "recurrent_bias" (3u, with use_bias in
// recurrent_bias_after_multiplication). Level k >= 2 of a deep layer (depth > 1) has the same
// names with the suffix "_k" ("kernel_2", ...), its kernel (units, 3u): it reads the sequence
// of level k - 1. Weights are drawn at the first call (or set_weights) from the options'
// initializers, multiplied by weight_scaling, from Random(seed) when a seed is given.
//
// Engines: "composite" (layers/gru/composite/engine.hpp, the reference), "fused"
// (layers/gru/fused/engine.hpp, the hand-fused kernel) and "auto", which runs the fused engine.
// Both take every option and give the same numbers up to rounding; engine() says which one a call
// runs, engine_used() which one the last call ran.
//
// Initial states, in order of precedence: the ones a call passes (GruInputs); the states a
// stateful layer carried over from its previous call; the stored initial states
// (set_initial_states, MATLAB's HiddenState); zeros. The stored and the carried states are the
// layer's registered states "initial_states" and "states" (layers/layer.hpp).
//
// Dropout masks are drawn per call when training with a rate above 0 (from a source seeded with
// the options' seed mixed with a fixed constant, so that they do not repeat the weights' draws,
// else from default_random()), or taken from the call's GruInputs; last_dropout_masks() shows
// them. In inference (training off) there is no dropout and nothing is recorded.
//
// Graph ports (layers/gru/ports.hpp): "in", "hidden" -> "out", "hidden".

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/random.hpp"
#include "layers/gru/composite/engine.hpp"
#include "layers/gru/inputs.hpp"
#include "layers/gru/options.hpp"
#include "layers/gru/weight_maps.hpp"
#include "layers/layer.hpp"

namespace grutape {

/// The name of parameter `base` ("kernel", "recurrent_kernel", "bias", "recurrent_bias") of
/// level `level` (1-based): `base` on level 1, base_k on level k >= 2.
std::string gru_parameter_name(const std::string& base, std::size_t level);

class Gru : public Layer {
 public:
  /// A layer of `options` (validated: a ValueError names the first bad option).
  explicit Gru(GruOptions options);

  const GruOptions& options() const { return options_; }

  /// The output for x (batch, timesteps, features): the sequence (batch, timesteps, units) with
  /// return_sequences, else the last state (batch, units).
  Value forward(const Value& x) override;
  /// forward with a (batch, timesteps) mask of valid steps (GruInputs::mask).
  Value forward_masked(const Value& x, const Tensor& mask) override;
  /// The mask of the output: with return_sequences the input's mask, reversed in time with
  /// go_backwards (the output sequence is in reading order); else none (Keras).
  Tensor output_mask(const Value& x, const Tensor& input_mask) const override;
  /// The full call: builds on first use, applies the flags (training, lda_coeff on x and the
  /// initial states), and returns the output and each level's final state.
  GruResult run(const Value& x, const GruInputs& inputs = {});
  /// The settings of parameter `name` of any level: kernel(_k) from the kernel_* options,
  /// recurrent_kernel(_k) from the recurrent_* ones, bias(_k) and recurrent_bias(_k) from the
  /// bias_* ones (regularizer, constraint, learn-rate and L2 factors).
  ParameterSettings parameter_settings(const std::string& name) const override;
  /// The engine a call runs: the options' engine, "auto" being fused.
  GruEngine engine() const;
  /// The engine of the last call (composite or fused); empty before the first.
  std::optional<GruEngine> engine_used() const { return engine_used_; }

  /// Level `level`'s weights (1-based), copies in the internal layout; a ValueError before build.
  GruWeights weights(std::size_t level = 1) const;
  /// Replaces level `level`'s weights with copies of `weights` converted to the layer's dtype.
  /// Setting level 1 first builds an unbuilt layer for the kernel's input size and dtype.
  void set_weights(const GruWeights& weights, std::size_t level = 1);
  /// Level `level`'s weights as named tensors in `layout` (layers/gru/weight_maps.hpp).
  std::map<std::string, Tensor> get_weights(GruLayout layout, std::size_t level = 1) const;
  /// set_weights from named tensors in `layout`.
  void set_weights(GruLayout layout, const std::map<std::string, Tensor>& tensors,
                   std::size_t level = 1);

  /// Stores the default initial state of each level, (units) for every sample or (batch, units);
  /// an empty list clears them (zeros again).
  void set_initial_states(std::vector<Tensor> states);
  const std::vector<Tensor>& initial_states() const { return initial_states_; }
  /// The states a stateful layer carries into its next call (one per level); empty when none.
  const std::vector<Tensor>& states() const { return states_; }
  /// reset_states() drops the carried states (Layer::reset_states: the layer registers them as
  /// its carried state "states"), so the next call starts from the stored initial states (or
  /// zeros) with any batch size: Keras' reset_states(), MATLAB's resetState.
  using Layer::reset_states;
  /// Keras' reset_states(states): the carried states become `states`, (batch, units) per level.
  void reset_states(const std::vector<Tensor>& states);
  /// Per-sample reset: where `samples` (batch) is 1 the carried state returns to the initial
  /// state (stored, else zeros), where it is 0 it stays (streams that end at different calls).
  void reset_samples(const Tensor& samples);

  /// The dropout masks of the last call, one per level; empty when it had no dropout.
  const std::vector<GruDropoutMasks>& last_dropout_masks() const { return last_dropout_masks_; }

  /// The header keys (layer_json.hpp) and "options": the options, their name the layer's.
  nlohmann::json to_json() const override;
  /// The inverse of to_json: "options" is required (GruOptions::from_json reads it).
  static std::shared_ptr<Gru> from_json(const nlohmann::json& json);
  /// "gru_1 (gru): 8 units, depth 1, recurrent_bias_after_multiplication, tanh/sigmoid, last; 4
  /// parameters, 312 weights".
  std::string describe() const override;
  /// "gru, fused" or "gru, composite": the kind and the engine a call runs.
  std::string summary_type() const override;
  /// {"gru_layers", "GRU"}: model files list every GRU there.
  FileSection file_section() const override;
  /// The reset gate mode, "layout": "internal", the gate order, "gate_axis": "last" and the
  /// parameter names under `path`, so that a reader of the file need not know this library's
  /// defaults to interpret the weights.
  nlohmann::json file_statement(const std::string& path) const override;

  /// Ports "in" (required) and "hidden" (optional: the initial states, see layers/gru/ports.hpp).
  std::vector<InputPort> input_ports() const override;
  /// Ports "out" (the output) and "hidden" (the final states, see layers/gru/ports.hpp).
  std::vector<std::string> output_ports() const override;

 protected:
  void build_parameters(const Shape& input_shape, DType dtype) override;
  /// run() with the "hidden" port as initial states and `mask` as GruInputs::mask.
  std::map<std::string, Value> compute_ports(const std::map<std::string, Value>& inputs,
                                             const Tensor& mask) override;

 private:
  /// Registers the stored initial states ("initial_states") and the carried states ("states")
  /// as the layer's states, for model files and checkpoints.
  void register_gru_states();
  GruResult compute(const Value& x, GruInputs inputs);
  /// The initial states of a call that passes none: carried, else stored, else empty (zeros).
  std::vector<Value> default_states(std::size_t batch) const;
  /// The stored initial states broadcast to `batch`, or empty.
  std::vector<Value> stored_states(std::size_t batch) const;
  std::vector<GruDropoutMasks> dropout_masks(const Value& x, const GruInputs& inputs);
  std::size_t level_features(std::size_t level) const;
  void require_level(std::size_t level, const std::string& where) const;
  void require_built(const std::string& where) const;

  GruOptions options_;
  DType dtype_ = DType::float32;
  std::size_t features_ = 0;
  std::vector<GruLevelWeights> levels_;
  std::optional<GruEngine> engine_used_;
  std::vector<Tensor> initial_states_;
  std::vector<Tensor> states_;
  std::vector<GruDropoutMasks> last_dropout_masks_;
  std::optional<Random> dropout_random_;
};

}  // namespace grutape
