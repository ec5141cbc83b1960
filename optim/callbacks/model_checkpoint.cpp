#include "optim/callbacks/model_checkpoint.hpp"

#include <cstdio>

namespace grutape {

ModelCheckpoint::ModelCheckpoint(std::string path_pattern, ModelSaver saver,
                                 ModelCheckpointOptions options)
    : pattern_(std::move(path_pattern)),
      saver_(std::move(saver)),
      options_(std::move(options)),
      mode_(resolve_monitor_mode(options_.mode(), options_.monitor())),
      best_(monitor_worst(mode_)) {
  if (pattern_.empty()) throw ValueError("ModelCheckpoint", "a path pattern", "\"\"");
  if (!saver_) throw ValueError("ModelCheckpoint", "a saver function", "an empty function");
}

void ModelCheckpoint::on_train_begin(TrainingRun&) {
  best_ = monitor_worst(mode_);
}

void ModelCheckpoint::on_epoch_end(TrainingRun&, std::size_t epoch, Logs& logs) {
  if (options_.save_best_only()) {
    const double value = logs.at(options_.monitor(), "ModelCheckpoint: monitor");
    if (!monitor_improves(value, best_, 0.0, mode_)) return;
    best_ = value;
  }
  const std::string path = format_checkpoint_path(pattern_, epoch, logs);
  saver_(path);
  last_path_ = path;
}

std::string format_checkpoint_path(const std::string& pattern, std::size_t epoch,
                                   const Logs& logs) {
  std::string path;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] != '{') {
      path += pattern[i];
      continue;
    }
    const std::size_t close = pattern.find('}', i);
    if (close == std::string::npos) {
      throw ValueError("format_checkpoint_path", "a '}' closing the '{' at " + std::to_string(i),
                       "\"" + pattern + "\"");
    }
    const std::string key = pattern.substr(i + 1, close - i - 1);
    if (key == "epoch") {
      path += std::to_string(epoch + 1);
    } else {
      char text[64];
      std::snprintf(text, sizeof text, "%.4f", logs.at(key, "format_checkpoint_path"));
      path += text;
    }
    i = close;
  }
  return path;
}

}  // namespace grutape
