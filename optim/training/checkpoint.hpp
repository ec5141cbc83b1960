#pragma once
// Checkpoints: everything a training loop needs to resume bitwise as if it had never stopped, in
// one file written atomically. A checkpoint is a model file (layers/serialization/model_file.hpp)
// whose header also holds (docs/model_files.md):
//
//   "optimizer"  its config() and state(): step count, learning rate, every parameter's steps,
//                moments and scalars exactly (moment tensors in the data section)
//   "training"   the TrainingState below
//   "random"     the process-wide generator (default_random()) and every generator the model's
//                layers own (seeded Dropout and GRU dropout), as Random::state() text
//   "carried_states"  the carried states of every layer (Layer::named_states(StateKind::carried):
//                a stateful GRU's states for its next call), by layer path
//                (layers/serialization/detail/layer_entries.hpp); checkpoints written before
//                that name hold them as "gru_states", which loads the same way
//
// load_model() reads a checkpoint's model too.

#include <cstddef>
#include <map>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "layers/layer.hpp"
#include "optim/optimizers/optimizer.hpp"

namespace grutape {

/// The format name in a checkpoint's header.
constexpr const char* kCheckpointFormat = "grutape-checkpoint";

/// Where a training loop stands, beyond the model and the optimizer.
struct TrainingState {
  /// Epochs completed; default 0.
  std::size_t epoch = 0;
  /// Optimizer steps (batches) completed in all; default 0. Schedules are pure functions of the
  /// epoch or the step (optim/schedules/schedule.hpp), so these two are their position.
  std::size_t step = 0;
  /// ReduceOnPlateau::state() when the loop uses one; default null (none).
  nlohmann::json plateau;
  /// The states (Random::state()) of the loop's own generators by name, e.g. the one that
  /// shuffles the batches; default none.
  std::map<std::string, std::string> random_states;
  /// Anything else the loop needs (a history, the best metric so far), saved as given; default
  /// null.
  nlohmann::json extra;
};

/// Writes `model` (built), the state of `optimizer`, `training`, default_random()'s state and the
/// model's generators and carried states to `path` atomically. A ValueError for a model
/// format_model refuses, an IoError when the file cannot be written.
void save_checkpoint(const std::string& path, const Layer& model, const Optimizer& optimizer,
                     const TrainingState& training);

/// A checkpoint read back into new objects.
struct Checkpoint {
  /// The model rebuilt with its weights, stored and carried states and generators.
  std::shared_ptr<Layer> model;
  /// The optimizer's config(): make_optimizer(optimizer_config) makes a fresh one.
  nlohmann::json optimizer_config;
  /// The optimizer's state(): load_state it once the model's parameters are registered.
  nlohmann::json optimizer_state;
  /// Where the loop stood.
  TrainingState training;
};

/// Reads the checkpoint at `path` and restores default_random(). An IoError naming the file and
/// the defect for a damaged or other-version file (as load_model).
Checkpoint load_checkpoint(const std::string& path);

/// The same from checkpoint `bytes` held in memory; errors name `source` as the file.
Checkpoint parse_checkpoint(const std::string& bytes, const std::string& source = "<bytes>");

/// Restores the checkpoint at `path` into existing objects: the weights of `model` by parameter
/// name (an unbuilt model is built for the saved input first), its stored and carried states and
/// its generators, the state of `optimizer` (whose parameters are registered under the names they
/// had when saved) and default_random(); returns the training state. An IoError naming the file and
/// the defect; the objects may then be partly restored and should be discarded.
TrainingState load_checkpoint(const std::string& path, Layer& model, Optimizer& optimizer);

}  // namespace grutape
