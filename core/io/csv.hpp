#pragma once
// CSV tables of numbers: a reader into a (rows, columns) tensor and an atomic writer.
//
// The reader takes RFC 4180 text: cells split by a delimiter, optionally in double quotes (a
// quote inside a quoted cell is written twice), lines ended by \n or \r\n, an optional UTF-8 byte
// order mark, blank lines at the end ignored. Spaces and tabs around a cell are ignored. Every
// defect is an IoError naming the file, the 1-based line, the column (by header name and 0-based
// index) and the offending text. docs/data.md shows the messages.

#include <string>
#include <type_traits>
#include <vector>

#include "core/option_arg.hpp"
#include "core/tensor.hpp"

namespace grutape {

/// Whether the first line of a CSV file names the columns.
enum class CsvHeader {
  detect,   ///< a header when any non-empty cell of the first line is not a number
  present,  ///< the first line is a header
  absent    ///< every line is data
};

/// A column chosen by its header name or by its 0-based index.
class CsvColumn {
 public:
  /// The column whose header cell is `name`.
  CsvColumn(const char* name) : name_(name) {}
  CsvColumn(std::string name) : name_(std::move(name)) {}
  /// The column at 0-based `index` (any integer type, so that {0, 2} reads as indices).
  template <class I, std::enable_if_t<std::is_integral_v<I>, int> = 0>
  CsvColumn(I index) : index_(static_cast<long long>(index)), by_index_(true) {}

  /// True when chosen by index, false when by name.
  bool by_index() const { return by_index_; }
  /// The header name (when chosen by name).
  const std::string& name() const { return name_; }
  /// The 0-based index (when chosen by index; negative values are rejected by the reader).
  long long index() const { return index_; }
  /// "\"YEAR\"" or "index 1", as the error messages name it.
  std::string to_string() const;

 private:
  std::string name_;
  long long index_ = 0;
  bool by_index_ = false;
};

/// How load_csv reads a file.
class CsvOptions {
 public:
  /// Whether the first line is a header; default CsvHeader::detect.
  GRUTAPE_ARG_DEFAULT(CsvHeader, header, CsvHeader::detect);
  /// The cell separator; default ','. Neither a quote nor a line break.
  GRUTAPE_ARG_DEFAULT(char, delimiter, ',');
  /// The columns to load, in this order, by name (needs a header) or index; default all.
  GRUTAPE_ARG(std::vector<CsvColumn>, columns);
  /// The element type of the loaded tensor; default float64.
  GRUTAPE_ARG_DEFAULT(DType, dtype, DType::float64);
};

/// The chosen columns of a CSV file.
struct CsvTable {
  /// (rows, chosen columns), one row per data line.
  Tensor values;
  /// The chosen columns' header names, in order; empty when the file has no header.
  std::vector<std::string> names;
};

/// The chosen columns of the CSV file `path` with their names. Only the chosen columns must hold
/// numbers, but every row must have as many cells as the first line. A file of a header only
/// gives zero rows; an empty file is an IoError.
CsvTable load_csv_table(const std::string& path, const CsvOptions& options = {});

/// The chosen columns of the CSV file `path` as a (rows, columns) tensor.
Tensor load_csv(const std::string& path, const CsvOptions& options = {});

/// load_csv_table on CSV text held in memory; errors name `source` as the file.
CsvTable parse_csv(const std::string& text, const CsvOptions& options = {},
                   const std::string& source = "<text>");

/// How save_csv writes a table.
class CsvWriteOptions {
 public:
  /// Column names for a header line, one per column; default none (no header line).
  GRUTAPE_ARG(std::vector<std::string>, header);
  /// The cell separator; default ','. Neither a quote nor a line break.
  GRUTAPE_ARG_DEFAULT(char, delimiter, ',');
};

/// The CSV text of a rank-2 tensor: one line per row, each value in the shortest decimal form
/// that reads back to the same float32 or float64 ("nan", "inf", "-inf" for non-finite values).
/// Header names are quoted where needed. A ShapeError for another rank, a ValueError for a header
/// of the wrong length or a bad delimiter.
std::string format_csv(const Tensor& table, const CsvWriteOptions& options = {});

/// Writes format_csv(table, options) to `path` atomically (core/io/atomic_file.hpp).
void save_csv(const std::string& path, const Tensor& table, const CsvWriteOptions& options = {});

}  // namespace grutape
