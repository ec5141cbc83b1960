#pragma once
// Writes the epochs' logs to a CSV file as training runs (Keras' CSVLogger): after every epoch
// the whole file is rewritten atomically (core/io/atomic_file.hpp), so a crash leaves the last
// complete version, never a torn line. Columns: "epoch" (from 0), then the logs' keys in order
// of first appearance, the header growing when an epoch adds one ("nan" where an epoch had none).
// Place it after callbacks that add entries (learning_rate) to see them.

#include <optional>
#include <string>

#include "core/option_arg.hpp"
#include "optim/callbacks/callback.hpp"

namespace grutape {

struct CsvLoggerOptions {
  /// The cell separator; default ','.
  GRUTAPE_ARG_DEFAULT(char, delimiter, ',');
  /// Keep the lines an existing file holds and add this run's rows (without a header) after
  /// them; default false: the file is replaced.
  GRUTAPE_ARG_DEFAULT(bool, append, false);

 public:
  /// The fields as configs name them (core/fields.hpp).
  template <class Self, class Visit>
  static void fields(Self& self, Visit&& visit) {
    visit("delimiter", self.delimiter_);
    visit("append", self.append_);
  }
};

class CsvLogger : public Callback {
 public:
  /// Writes: the first process of a data-parallel run alone runs it.
  bool leader_only() const override { return true; }
  /// A ValueError for an empty path.
  explicit CsvLogger(std::string path, CsvLoggerOptions options = {});

  /// Reads the existing file when appending (an IoError names it when unreadable).
  void on_train_begin(TrainingRun& run) override;
  /// Rewrites the file; an IoError names the path when that fails.
  void on_epoch_end(TrainingRun& run, std::size_t epoch, Logs& logs) override;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
  CsvLoggerOptions options_;
  std::string kept_;
  History rows_;
};

}  // namespace grutape
