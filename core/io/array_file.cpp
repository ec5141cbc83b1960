#include "core/io/array_file.hpp"

#include <algorithm>
#include <cctype>

#include "core/error.hpp"
#include "core/io/npy.hpp"

namespace grutape {
namespace {

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

ArrayFormat array_format(const std::string& path) {
  std::string lower = path;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (ends_with(lower, ".npy")) return ArrayFormat::npy;
  if (ends_with(lower, ".csv")) return ArrayFormat::csv;
  throw IoError("array file \"" + path + "\"", "a name ending in .npy or .csv", "\"" + path + "\"");
}

Tensor load_array(const std::string& path, const CsvOptions& csv, std::vector<std::string>* names) {
  if (array_format(path) == ArrayFormat::npy) {
    if (names) names->clear();
    return load_npy(path);
  }
  CsvTable table = load_csv_table(path, csv);
  if (names) *names = std::move(table.names);
  return table.values;
}

void save_array(const std::string& path, const Tensor& array) {
  if (array_format(path) == ArrayFormat::npy) {
    save_npy(path, array);
    return;
  }
  if (array.rank() != 1 && array.rank() != 2) {
    throw ShapeError("save_array \"" + path + "\"", "rank 1 or 2 for a CSV file",
                     "shape " + shape_to_string(array.shape()));
  }
  save_csv(path, array.rank() == 1 ? array.reshaped({array.shape()[0], 1}) : array);
}

}  // namespace grutape
