#pragma once
// The base of every layer: named parameters, states and sublayers, a deferred build from the first
// input, a name from a prefix and a unique index, and the training flags every layer carries.
//
// States (PyTorch's buffers) are tensors a layer keeps beside its parameters, registered by name
// with their kind: stored ones are part of the model (a GRU's initial states), carried ones pass
// from one call to the next (a stateful GRU's last states). Model files and checkpoints save and
// restore them by name through named_states() and set_state(), whatever the layer's type.
//
// Flags (LabVIEW's names):
//   training  records for backward and enables dropout; off: pure inference, nothing recorded
//   store     keeps the last gradient of each parameter, read with stored_gradients()
//   update    false freezes the parameters: optimizers leave them bitwise unchanged
//   lda_coeff multiplies the gradient this layer sends back to its input (1: plain, 0: stop,
//             negative: reversed, as in gradient-reversal training)
//
// Activity losses (Keras' layer.losses): a layer with an activity regularizer adds a loss term on
// its output at every call, training or not (recorded only when recording is on). A top-level
// call (one not made from inside another layer's call) first drops the terms of the previous
// top-level call, in the layer and its sublayers, so they never pile up; activity_losses() reads
// those of the last one.

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "autodiff/value.hpp"
#include "core/random.hpp"
#include "layers/params/parameter_specs.hpp"

namespace grutape {

struct LayerFlags {
  /// Record for backward, dropout on; default true.
  bool training = true;
  /// Keep each parameter's last gradient; default false.
  bool store = false;
  /// Let optimizers change the parameters; default true.
  bool update = true;
  /// Factor on the gradient sent to the previous layer; default 1.
  double lda_coeff = 1.0;
};

/// What a state a layer carries is for (register_state), which decides who saves it.
enum class StateKind {
  /// Part of the model, as its weights are (a GRU's stored initial states): model files and
  /// checkpoints save it; reset_states() keeps it.
  stored,
  /// Carried from one call to the next (a stateful GRU's last states): checkpoints save it;
  /// reset_states() drops it.
  carried,
};

/// How a layer reads and replaces one of its states. A state is a list of tensors, empty when the
/// layer holds none (a GRU's states: one per level, all or none).
struct StateAccess {
  /// The state's tensors now.
  std::function<std::vector<Tensor>()> get;
  /// Replaces them: checks them first and throws, changing nothing, when they do not fit. An
  /// empty list means none.
  std::function<void(std::vector<Tensor>)> set;
};

/// Where a model file lists a layer beside its weights (layers/serialization/model_file.hpp):
/// the header key of the list that holds the layer's entry, and the noun its messages use.
struct FileSection {
  /// The header key, e.g. "gru_layers".
  std::string key;
  /// The layer in messages, e.g. "GRU": "an entry for the GRU at ...".
  std::string noun;
};

/// One input port of a layer (layer graphs wire layers by port name): its name and whether a
/// graph must connect it.
struct InputPort {
  /// The port's name, e.g. "in" or "hidden".
  std::string name;
  /// True when the layer cannot run without it; default true.
  bool required = true;
};

class Layer {
 public:
  /// `prefix` names the layer kind ("gru", "dense"); the name is prefix_N unless set.
  explicit Layer(std::string prefix);
  virtual ~Layer();
  Layer(const Layer&) = delete;
  Layer& operator=(const Layer&) = delete;

  const std::string& name() const { return name_; }
  /// Names the layer explicitly: set_prefix no longer renames it.
  void set_name(std::string name);
  const std::string& prefix() const { return prefix_; }
  /// Makes `prefix` the layer's name prefix; a layer without an explicit name takes the next
  /// name for it (prefix_N). A ValueError for an empty prefix.
  void set_prefix(std::string prefix);
  /// The layer kind: the prefix it was constructed with ("dense", "gru"), written as the "type"
  /// of its JSON and read back by layer_from_json (layer_registry.hpp). set_prefix keeps it.
  const std::string& type() const { return type_; }

  const LayerFlags& flags() const { return flags_; }
  /// Sets the flags of this layer and of its sublayers.
  void set_flags(const LayerFlags& flags);
  void set_training(bool training);
  void set_store(bool store);
  void set_update(bool update);
  void set_lda_coeff(double lda_coeff);

  bool built() const { return built_; }
  /// Creates the parameters for inputs of `input_shape` (batch axis first); once only.
  void build(const Shape& input_shape, DType dtype);
  /// The input shape the layer was built for (empty before build); model files rebuild with it.
  const Shape& built_input_shape() const { return built_input_shape_; }
  /// The input dtype the layer was built for (float32 before build).
  DType built_dtype() const { return built_dtype_; }

  /// Builds on first use, applies the flags, then runs forward().
  Value operator()(const Value& input);
  /// The same with a (batch, timesteps) mask of valid steps (1 valid, 0 padding), as Keras
  /// passes masks from Embedding(mask_zero) or Masking to the layers after them.
  Value operator()(const Value& input, const Tensor& mask);

  /// The layer's computation on an input of its built shape.
  virtual Value forward(const Value& input) = 0;
  /// The computation with a mask; layers that honour masks override it, the rest ignore it.
  virtual Value forward_masked(const Value& input, const Tensor& mask);
  /// The mask of this layer's output, given its input and the input's mask (undefined when none):
  /// by default the input's mask passes through (right for layers applied per time step).
  virtual Tensor output_mask(const Value& input, const Tensor& input_mask) const;

  /// Drops the states a stateful layer carries from one call to the next (a stateful GRU's last
  /// hidden states), so that the next call starts from the layer's initial states with any batch
  /// size (Keras' reset_states, MATLAB's resetState). By default it sets every carried state the
  /// layer registered to none, then resets the sublayers, so a container resets what it holds.
  virtual void reset_states();

  /// The states of `kind` of this layer and its sublayers (register_state), as "name" or
  /// "sublayer.name", this layer's first, in registration order: what model files (stored) and
  /// checkpoints (both kinds) save, as named_parameters() is for the weights.
  std::vector<std::pair<std::string, std::vector<Tensor>>> named_states(StateKind kind) const;
  /// The states of `kind` this layer registered itself (not its sublayers'), in registration
  /// order.
  std::vector<std::pair<std::string, std::vector<Tensor>>> own_states(StateKind kind) const;
  /// The tensors of state `name` ("name" or "sublayer.name"); a ValueError lists the states
  /// there are.
  std::vector<Tensor> state(const std::string& name) const;
  /// Replaces state `name` with `tensors`; the layer that owns it checks them first, and its
  /// error (nothing changed) passes through. A ValueError lists the states for another name.
  void set_state(const std::string& name, std::vector<Tensor> tensors);

  /// Parameters of this layer and its sublayers, as "name" or "sublayer.name".
  std::vector<std::pair<std::string, Value>> named_parameters() const;
  std::vector<Value> parameters() const;
  std::size_t parameter_count() const;
  /// The parameter `name` of this layer; a ValueError lists the names there are.
  Value parameter(const std::string& name) const;
  /// The parameters this layer registered itself (not its sublayers'), in registration order.
  const std::vector<std::pair<std::string, Value>>& own_parameters() const { return parameters_; }
  /// The regularizer, constraint and factors the options give the own parameter `name`; by
  /// default none and factors 1. A ValueError lists the own parameters for another name.
  virtual ParameterSettings parameter_settings(const std::string& name) const;
  /// The activity loss terms of the last top-level call, this layer's then its sublayers'.
  std::vector<Value> activity_losses() const;
  /// Gradients kept by the store flag, by parameter name (empty until a backward ran).
  std::map<std::string, Tensor> stored_gradients() const;

  const std::vector<std::pair<std::string, std::shared_ptr<Layer>>>& sublayers() const {
    return sublayers_;
  }

  /// The state (Random::state()) of every random generator this layer and its sublayers own, as
  /// "name" or "sublayer.name": what a checkpoint needs to repeat their draws.
  std::map<std::string, std::string> random_states() const;
  /// Restores random_states() output. A ValueError names a generator the map lacks or a name
  /// the layer does not have; the generators are unchanged when it throws.
  void set_random_states(const std::map<std::string, std::string>& states);

  /// Options and kind as JSON (weights are saved separately).
  virtual nlohmann::json to_json() const = 0;
  /// The list a model file keeps this layer's entry in, when it writes one: for a layer that
  /// registered stored states or states something (file_statement). Default {"layer_states",
  /// "layer"}.
  virtual FileSection file_section() const;
  /// What this layer's model-file entry states beside its path, name and stored states, for
  /// readers that must know how the weights are laid out; loading checks it against the
  /// rebuilt layer's, key by key. `path` is the layer's place in the model ("" for the model
  /// itself), the prefix of its parameters' names. Default null: nothing (a GRU states its reset
  /// gate mode, layout and gate order).
  virtual nlohmann::json file_statement(const std::string& path) const;
  /// One line: "gru_1 (gru): 3 parameters, 9,600 weights".
  virtual std::string describe() const;
  /// The kind as a model summary shows it: type() by default; a GRU adds the engine it runs
  /// ("gru, fused").
  virtual std::string summary_type() const { return type(); }

  // Ports, for layer graphs (graph.hpp). By default a layer has one input port "in" and one
  // output port "out", and forward_ports is operator(). Layers with several inputs or outputs
  // (the GRU's "hidden") override input_ports, output_ports and compute_ports.

  /// The input ports, in the order the layer documents them; default {"in", required}.
  virtual std::vector<InputPort> input_ports() const;
  /// The output ports; default {"out"}.
  virtual std::vector<std::string> output_ports() const;
  /// Runs the layer on values by input port, `mask` being the (batch, timesteps) mask of port
  /// "in" (undefined: none), and returns a value for every output port. A ValueError names an
  /// unknown port, a missing required one or an output port the layer left without a value.
  std::map<std::string, Value> forward_ports(const std::map<std::string, Value>& inputs,
                                             const Tensor& mask = Tensor());

 protected:
  /// forward_ports after its checks: every key of `inputs` is a port of input_ports(), every
  /// required port is there. The default calls operator()(inputs "in", mask) for "out".
  virtual std::map<std::string, Value> compute_ports(const std::map<std::string, Value>& inputs,
                                                     const Tensor& mask);
  /// Creates this layer's parameters; called once by build().
  virtual void build_parameters(const Shape& input_shape, DType dtype) = 0;
  Value register_parameter(const std::string& name, Tensor initial);
  void register_sublayer(const std::string& name, std::shared_ptr<Layer> layer);
  /// Lists a state the layer carries, read and replaced through `access` (whose functions may
  /// refer to the layer: they live as long as it). A ValueError for a name used twice or an
  /// access without both functions.
  void register_state(const std::string& name, StateKind kind, StateAccess access);
  /// The same for a state of one tensor held in a member (undefined when none); the pointer
  /// must live as long as the layer. Nothing checks a tensor set so: the first form can.
  void register_state(const std::string& name, StateKind kind, Tensor* tensor);
  /// Lists a generator the layer owns (a member, so the pointer lives as long as the layer)
  /// for random_states; a ValueError for a name used twice.
  void register_random(const std::string& name, Random* generator);
  /// Applies lda_coeff to an input and enters inference mode when training is off; forward()
  /// implementations with several inputs call it on each.
  Value prepare_input(const Value& input) const;
  /// A ValueError naming `where` and listing the own parameters unless `name` is one of them.
  void require_own_parameter(const std::string& name, const std::string& where) const;
  /// Adds the activity term of `spec` on `output` (layers/params/regularizers.hpp); nothing for an
  /// empty spec or an output without samples.
  void add_activity_regularization(const RegularizerSpec& spec, const Value& output);

  /// Marks a call: when it is the thread's outermost layer call, the activity losses of `layer`
  /// and its sublayers are dropped first. operator() holds one; entry points that bypass it
  /// (Gru::run) hold their own.
  class CallScope {
   public:
    explicit CallScope(Layer& layer);
    ~CallScope();
    CallScope(const CallScope&) = delete;
    CallScope& operator=(const CallScope&) = delete;
  };

 private:
  void attach_store_hook(const std::string& name, Value& parameter);
  void apply_random_states(const std::map<std::string, std::string>& states,
                           const std::string& prefix);
  /// The registered state `name` of this layer or a sublayer, or null.
  const StateAccess* find_state(const std::string& name) const;
  /// The same, a ValueError listing the states when there is none of that name.
  const StateAccess& require_state(const std::string& name) const;
  void clear_activity_losses();

  std::string type_;
  std::string prefix_;
  std::string name_;
  bool explicitly_named_ = false;
  LayerFlags flags_;
  bool built_ = false;
  Shape built_input_shape_;
  DType built_dtype_ = DType::float32;
  std::vector<std::pair<std::string, Random*>> generators_;
  std::vector<std::pair<std::string, Value>> parameters_;
  std::vector<std::pair<std::string, std::shared_ptr<Layer>>> sublayers_;
  struct RegisteredState {
    std::string name;
    StateKind kind;
    StateAccess access;
  };
  std::vector<RegisteredState> registered_states_;
  std::vector<Value> activity_losses_;
  /// Shared with the parameters' hooks, which may outlive the layer.
  struct GradientStore {
    bool enabled = false;
    std::map<std::string, Tensor> gradients;
  };
  std::shared_ptr<GradientStore> store_;
};

/// The next unique name for `prefix`: prefix_1, prefix_2, ... (process-wide, thread-safe).
std::string unique_layer_name(const std::string& prefix);

}  // namespace grutape
