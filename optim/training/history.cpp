#include "optim/training/history.hpp"

#include <cmath>
#include <limits>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/io/atomic_file.hpp"
#include "core/io/csv.hpp"
#include "core/text.hpp"

namespace grutape {
namespace {

constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();

}  // namespace

void Logs::set(const std::string& key, double value) {
  for (auto& [existing, existing_value] : items_) {
    if (existing == key) {
      existing_value = value;
      return;
    }
  }
  items_.emplace_back(key, value);
}

bool Logs::contains(const std::string& key) const {
  for (const auto& [existing, _] : items_) {
    if (existing == key) return true;
  }
  return false;
}

double Logs::at(const std::string& key, const std::string& where) const {
  for (const auto& [existing, value] : items_) {
    if (existing == key) return value;
  }
  throw ValueError(where, "a key among [" + join(keys()) + "]", "\"" + key + "\"");
}

std::vector<std::string> Logs::keys() const {
  std::vector<std::string> keys;
  for (const auto& [key, _] : items_) keys.push_back(key);
  return keys;
}

void History::append(std::size_t epoch, const Logs& logs) {
  epochs_.push_back(epoch);
  for (const auto& [key, value] : logs.items()) {
    if (!contains(key))
      columns_.emplace_back(key, std::vector<double>(epochs_.size() - 1, kMissing));
  }
  for (auto& [key, values] : columns_) {
    values.push_back(logs.contains(key) ? logs.at(key) : kMissing);
  }
}

std::vector<std::string> History::keys() const {
  std::vector<std::string> keys;
  for (const auto& [key, _] : columns_) keys.push_back(key);
  return keys;
}

bool History::contains(const std::string& key) const {
  for (const auto& [existing, _] : columns_) {
    if (existing == key) return true;
  }
  return false;
}

const std::vector<double>& History::operator[](const std::string& key) const {
  for (const auto& [existing, values] : columns_) {
    if (existing == key) return values;
  }
  throw ValueError("History", "a key among [" + join(keys()) + "]", "\"" + key + "\"");
}

Logs History::logs(std::size_t index) const {
  if (index >= size()) {
    throw ValueError("History::logs", "a record index below " + std::to_string(size()),
                     std::to_string(index));
  }
  Logs logs;
  for (const auto& [key, values] : columns_) {
    if (!std::isnan(values[index])) logs.set(key, values[index]);
  }
  return logs;
}

nlohmann::json History::to_json() const {
  nlohmann::json json = nlohmann::json::object();
  json["epoch"] = epochs_;
  for (const auto& [key, values] : columns_) {
    nlohmann::json column = nlohmann::json::array();
    for (double value : values)
      column.push_back(std::isnan(value) ? nlohmann::json(nullptr) : nlohmann::json(value));
    json[key] = column;
  }
  return json;
}

std::string History::to_csv(char delimiter) const {
  std::vector<double> table;
  for (std::size_t row = 0; row < size(); ++row) {
    table.push_back(static_cast<double>(epochs_[row]));
    for (const auto& [_, values] : columns_) table.push_back(values[row]);
  }
  std::vector<std::string> header{"epoch"};
  for (const auto& key : keys()) header.push_back(key);
  const Tensor values = Tensor::from_values({size(), header.size()}, table, DType::float64);
  return format_csv(values, CsvWriteOptions().header(header).delimiter(delimiter));
}

void History::save_json(const std::string& path) const {
  write_file_atomically(path, to_json().dump(2) + "\n");
}

void History::save_csv(const std::string& path, char delimiter) const {
  write_file_atomically(path, to_csv(delimiter));
}

}  // namespace grutape
