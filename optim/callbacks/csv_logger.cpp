#include "optim/callbacks/csv_logger.hpp"

#include <filesystem>

#include "core/io/atomic_file.hpp"

namespace grutape {

CsvLogger::CsvLogger(std::string path, CsvLoggerOptions options)
    : path_(std::move(path)), options_(options) {
  if (path_.empty()) throw ValueError("CsvLogger", "a file path", "\"\"");
}

void CsvLogger::on_train_begin(TrainingRun&) {
  rows_ = History();
  kept_.clear();
  if (options_.append() && std::filesystem::exists(path_)) {
    kept_ = read_file(path_);
    if (!kept_.empty() && kept_.back() != '\n') kept_ += '\n';
  }
}

void CsvLogger::on_epoch_end(TrainingRun&, std::size_t epoch, Logs& logs) {
  rows_.append(epoch, logs);
  std::string text = rows_.to_csv(options_.delimiter());
  // Rows appended to an existing file go without a second header.
  if (!kept_.empty()) text = kept_ + text.substr(text.find('\n') + 1);
  write_file_atomically(path_, text);
}

}  // namespace grutape
