#pragma once
// What training reports: Logs, the named numbers of one batch or epoch ("loss", "accuracy",
// "val_loss", ...) in a fixed order, and History, the logs of every epoch of a fit() run (Keras'
// History), with CSV and JSON forms.
//
// Order of the keys: loss, the metrics in the order asked for, then val_loss and the validation
// metrics, then what callbacks add (learning_rate). Epochs are counted from 0, as Keras' History
// and CSVLogger count them; the progress lines count from 1.

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace grutape {

class Logs {
 public:
  /// Sets `key` to `value`; a new key goes after the others.
  void set(const std::string& key, double value);
  bool contains(const std::string& key) const;
  /// The value of `key`; a ValueError naming `where` and listing the keys there are.
  double at(const std::string& key, const std::string& where = "Logs::at") const;
  /// The entries in order.
  const std::vector<std::pair<std::string, double>>& items() const { return items_; }
  /// The keys in order.
  std::vector<std::string> keys() const;
  bool empty() const { return items_.empty(); }

 private:
  std::vector<std::pair<std::string, double>> items_;
};

class History {
 public:
  /// Records the logs of `epoch`. A key not seen before gets NaN for the earlier epochs; a key
  /// absent from these logs gets NaN for this one.
  void append(std::size_t epoch, const Logs& logs);

  /// The number of epochs recorded.
  std::size_t size() const { return epochs_.size(); }
  bool empty() const { return epochs_.empty(); }
  /// The epoch of each record (from 0).
  const std::vector<std::size_t>& epochs() const { return epochs_; }
  /// The keys in order of first appearance.
  std::vector<std::string> keys() const;
  bool contains(const std::string& key) const;
  /// The values of `key`, one per record; a ValueError listing the keys for an unknown one.
  const std::vector<double>& operator[](const std::string& key) const;
  /// The logs of record `index` (< size(), else a ValueError), NaN entries left out.
  Logs logs(std::size_t index) const;

  /// {"epoch": [0, 1, ...], "loss": [...], ...}; NaN is written as null.
  nlohmann::json to_json() const;
  /// A header "epoch,loss,..." and one line per record, each number in the shortest form that
  /// reads back to the same double, "nan" for a missing value.
  std::string to_csv(char delimiter = ',') const;
  /// Writes to_json() (indented) to `path` atomically; an IoError names the path.
  void save_json(const std::string& path) const;
  /// Writes to_csv() to `path` atomically; an IoError names the path.
  void save_csv(const std::string& path, char delimiter = ',') const;

 private:
  std::vector<std::size_t> epochs_;
  std::vector<std::pair<std::string, std::vector<double>>> columns_;
};

}  // namespace grutape
