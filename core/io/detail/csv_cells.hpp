#pragma once
// The cell level of the CSV reader and writer (core/io/csv.hpp): splitting a line into cells,
// reading a cell as a number, and the wording of every error about a place in the file.

#include <string>
#include <string_view>
#include <vector>

namespace grutape::detail {

/// True for a line of nothing but spaces and tabs.
bool is_blank_line(std::string_view line);

/// True when `cell` reads completely as a number (float64).
bool is_number(std::string_view cell);

/// `text` in double quotes for a message, cut after 80 characters.
std::string quoted(std::string_view text);

/// `name` as a header cell: in quotes (inner quotes doubled) when it holds the delimiter, a quote,
/// a line break or spaces at either end, else as it is.
std::string header_cell(const std::string& name, char delimiter);

/// Where the reader is: the file (or other source) and, once read, its header names.
struct CsvContext {
  /// The file name (or other source) that messages name.
  std::string source;
  /// The cell separator.
  char delimiter;
  /// The header's cells; empty when the file has none.
  std::vector<std::string> names;

  /// "\"f.csv\" line 7".
  std::string place(std::size_t line) const;
  /// "column \"YEAR\" (index 0)" with a header, "column index 0" without.
  std::string column(std::size_t index) const;
  /// The cells of line `line`, unquoted and trimmed; an IoError for a quote left open or text
  /// after a closing quote.
  std::vector<std::string> split(std::string_view text, std::size_t line) const;
  /// An IoError unless a row has `width` cells, naming the first missing or extra column.
  void require_width(std::size_t cells, std::size_t width, std::size_t line, std::size_t first_line,
                     std::string_view text) const;
  /// `cell` as a T (float or double); an IoError naming the place for anything but a number in
  /// T's range.
  template <class T>
  T number(const std::string& cell, std::size_t line, std::size_t column) const;
};

}  // namespace grutape::detail
