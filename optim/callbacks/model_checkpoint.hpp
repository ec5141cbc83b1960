#pragma once
// Save the model during training (Keras' ModelCheckpoint). The saving itself is a function the
// caller supplies, std::function<void(const std::string& path)>, so any format works: a model
// file writer, weights only, or the caller's own; ModelCheckpoint decides when and under which
// path.
//
// The path is a pattern: "{epoch}" becomes the epoch counted from 1 (as Keras formats it), and
// "{KEY}" for any logs entry becomes its value with 4 decimals ("ckpt-{epoch}-{val_loss}.json"
// -> "ckpt-3-0.1234.json"). A placeholder that names no entry is a ValueError listing the keys.
//
// Every epoch it saves, or with save_best_only only when the monitored value improves on the
// best so far (monitor_improves, min_delta 0).

#include <functional>
#include <optional>
#include <string>

#include "core/option_arg.hpp"
#include "optim/callbacks/callback.hpp"

namespace grutape {

/// Writes the model to the given path.
using ModelSaver = std::function<void(const std::string& path)>;

struct ModelCheckpointOptions {
  /// The logs entry that decides with save_best_only; default "val_loss".
  GRUTAPE_ARG_DEFAULT(std::string, monitor, "val_loss");
  /// Save only when the monitor improves; default false (every epoch).
  GRUTAPE_ARG_DEFAULT(bool, save_best_only, false);
  /// Lower or higher is better; default automatic (resolve_monitor_mode).
  GRUTAPE_ARG_DEFAULT(MonitorMode, mode, MonitorMode::automatic);

 public:
  /// The fields as configs name them (core/fields.hpp).
  template <class Self, class Visit>
  static void fields(Self& self, Visit&& visit) {
    visit("monitor", self.monitor_);
    visit("save_best_only", self.save_best_only_);
    visit("mode", self.mode_);
  }
};

class ModelCheckpoint : public Callback {
 public:
  /// Writes: the first process of a data-parallel run alone runs it.
  bool leader_only() const override { return true; }
  /// A ValueError for an empty pattern or an empty saver.
  ModelCheckpoint(std::string path_pattern, ModelSaver saver, ModelCheckpointOptions options = {});

  void on_train_begin(TrainingRun& run) override;
  /// Saves as described above; a ValueError naming the monitor when save_best_only and the logs
  /// lack it.
  void on_epoch_end(TrainingRun& run, std::size_t epoch, Logs& logs) override;

  /// The path of the last save; none before.
  const std::optional<std::string>& last_path() const { return last_path_; }
  /// The best monitored value so far (save_best_only).
  double best() const { return best_; }

 private:
  std::string pattern_;
  ModelSaver saver_;
  ModelCheckpointOptions options_;
  MonitorMode mode_;
  double best_;
  std::optional<std::string> last_path_;
};

/// `pattern` with "{epoch}" replaced by epoch + 1 and "{KEY}" by logs[KEY] with 4 decimals; a
/// ValueError for an unknown key or an unclosed brace.
std::string format_checkpoint_path(const std::string& pattern, std::size_t epoch, const Logs& logs);

}  // namespace grutape
