#pragma once
// Arrays in files whose extension names the format: ".npy" (core/io/npy.hpp, any rank) or ".csv"
// (core/io/csv.hpp, a (rows, columns) table), for programs that take either.

#include <string>
#include <vector>

#include "core/io/csv.hpp"
#include "core/tensor.hpp"

namespace grutape {

/// The two formats an array file may have.
enum class ArrayFormat { npy, csv };

/// The format `path`'s extension names (case-insensitive); an IoError naming the path for
/// another extension.
ArrayFormat array_format(const std::string& path);

/// The array in `path`: an .npy file as saved, a CSV file as load_csv_table reads it with
/// `csv` (its header names, if any, in `names` when given).
Tensor load_array(const std::string& path, const CsvOptions& csv = {},
                  std::vector<std::string>* names = nullptr);

/// Writes `array` to `path` atomically: .npy of any rank, or CSV of rank 1 (one column) or 2.
/// A ShapeError for a CSV of another rank.
void save_array(const std::string& path, const Tensor& array);

}  // namespace grutape
