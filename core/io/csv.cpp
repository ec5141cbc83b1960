#include "core/io/csv.hpp"

#include <charconv>
#include <string_view>

#include "core/io/atomic_file.hpp"
#include "core/io/detail/csv_cells.hpp"

namespace grutape {
namespace {

using detail::CsvContext;

// The lines of `text` with their 1-based numbers, without line ends, without a leading byte
// order mark and without the blank lines at the end.
std::vector<std::pair<std::size_t, std::string_view>> split_lines(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::vector<std::pair<std::size_t, std::string_view>> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    const std::size_t next = end == std::string_view::npos ? text.size() : end + 1;
    if (end == std::string_view::npos) end = text.size();
    if (end > start && text[end - 1] == '\r') --end;
    lines.emplace_back(lines.size() + 1, text.substr(start, end - start));
    start = next;
  }
  while (!lines.empty() && detail::is_blank_line(lines.back().second)) lines.pop_back();
  return lines;
}

// Maps the chosen columns onto cell indices of a row of `width` cells.
std::vector<std::size_t> resolve_columns(const CsvOptions& options, const CsvContext& context,
                                         std::size_t width, bool has_header,
                                         std::string_view first_line) {
  std::vector<std::size_t> chosen;
  if (options.columns().empty()) {
    for (std::size_t i = 0; i < width; ++i) chosen.push_back(i);
    return chosen;
  }
  for (const CsvColumn& column : options.columns()) {
    if (column.by_index()) {
      if (column.index() < 0) {
        throw ValueError("load_csv", "column indices >= 0",
                         "index " + std::to_string(column.index()));
      }
      if (static_cast<std::size_t>(column.index()) >= width) {
        throw IoError("load_csv",
                      "a column index below " + std::to_string(width) + " (the cells of " +
                          context.place(1) + ")",
                      "index " + std::to_string(column.index()));
      }
      chosen.push_back(static_cast<std::size_t>(column.index()));
      continue;
    }
    if (!has_header) {
      throw IoError("load_csv",
                    "a header line naming column \"" + column.name() + "\" at " + context.place(1),
                    options.header() == CsvHeader::absent
                        ? std::string("CsvOptions::header(CsvHeader::absent)")
                        : "a line of numbers: " + detail::quoted(first_line));
    }
    std::vector<std::size_t> matches;
    for (std::size_t i = 0; i < width; ++i) {
      if (context.names[i] == column.name()) matches.push_back(i);
    }
    if (matches.empty()) {
      std::vector<std::string> names;
      for (const auto& name : context.names) names.push_back("\"" + name + "\"");
      std::string list;
      for (std::size_t i = 0; i < names.size(); ++i) list += (i ? ", " : "") + names[i];
      throw IoError("load_csv",
                    "a column named \"" + column.name() + "\" in the header at " + context.place(1),
                    "the columns " + list);
    }
    if (matches.size() > 1) {
      throw IoError(
          "load_csv",
          "one column named \"" + column.name() + "\" in the header at " + context.place(1),
          "columns at index " + std::to_string(matches[0]) + " and index " +
              std::to_string(matches[1]));
    }
    chosen.push_back(matches[0]);
  }
  return chosen;
}

// A ValueError unless `delimiter` can separate cells.
void require_delimiter(char delimiter, const char* where) {
  if (delimiter == '"' || delimiter == '\n' || delimiter == '\r' || delimiter == '\0') {
    throw ValueError(where, "a delimiter other than a quote, a line break or NUL",
                     "delimiter code " + std::to_string(static_cast<int>(delimiter)));
  }
}

template <class T>
Tensor read_values(const std::vector<std::pair<std::size_t, std::string_view>>& lines,
                   std::size_t first_data, std::size_t width,
                   const std::vector<std::size_t>& chosen, const CsvContext& context) {
  const std::size_t rows = lines.size() - first_data;
  Tensor::Array<T> values = Tensor::Array<T>::from_shape({rows, chosen.size()});
  T* out = values.data();
  for (std::size_t r = first_data; r < lines.size(); ++r) {
    const auto& [number, text] = lines[r];
    if (detail::is_blank_line(text)) {
      throw IoError("load_csv",
                    std::to_string(width) + " cells per row (as on line " +
                        std::to_string(lines[0].first) + ") at " + context.place(number),
                    "an empty line");
    }
    const std::vector<std::string> cells = context.split(text, number);
    context.require_width(cells.size(), width, number, lines[0].first, text);
    for (std::size_t column : chosen) *out++ = context.number<T>(cells[column], number, column);
  }
  return Tensor(std::move(values));
}

}  // namespace

std::string CsvColumn::to_string() const {
  return by_index_ ? "index " + std::to_string(index_) : "\"" + name_ + "\"";
}

CsvTable parse_csv(const std::string& text, const CsvOptions& options, const std::string& source) {
  require_delimiter(options.delimiter(), "load_csv");
  const auto lines = split_lines(text);
  CsvContext context{source, options.delimiter(), {}};
  if (lines.empty()) {
    throw IoError("load_csv", "a header or a row of numbers in \"" + source + "\"",
                  "an empty file");
  }
  const auto& [first_number, first_text] = lines[0];
  if (detail::is_blank_line(first_text)) {
    throw IoError("load_csv", "a header or a row of numbers at " + context.place(first_number),
                  "an empty line");
  }
  const std::vector<std::string> first_cells = context.split(first_text, first_number);
  bool has_header = options.header() == CsvHeader::present;
  if (options.header() == CsvHeader::detect) {
    // An empty cell says nothing: a first row with a missing value is still data (and then an
    // error naming the cell), while pandas' unnamed index column leaves a header's cell empty.
    for (const auto& cell : first_cells) {
      has_header = has_header || (!cell.empty() && !detail::is_number(cell));
    }
  }
  if (has_header) context.names = first_cells;
  const std::size_t width = first_cells.size();
  const std::vector<std::size_t> chosen =
      resolve_columns(options, context, width, has_header, first_text);

  CsvTable table;
  const std::size_t first_data = has_header ? 1 : 0;
  table.values = options.dtype() == DType::float32
                     ? read_values<float>(lines, first_data, width, chosen, context)
                     : read_values<double>(lines, first_data, width, chosen, context);
  if (has_header) {
    for (std::size_t column : chosen) table.names.push_back(context.names[column]);
  }
  return table;
}

CsvTable load_csv_table(const std::string& path, const CsvOptions& options) {
  return parse_csv(read_file(path), options, path);
}

Tensor load_csv(const std::string& path, const CsvOptions& options) {
  return load_csv_table(path, options).values;
}

std::string format_csv(const Tensor& table, const CsvWriteOptions& options) {
  require_delimiter(options.delimiter(), "save_csv");
  if (table.rank() != 2) {
    throw ShapeError("save_csv", "a table of rank 2 (rows, columns)",
                     "shape " + shape_to_string(table.shape()));
  }
  const std::size_t rows = table.shape()[0];
  const std::size_t columns = table.shape()[1];
  const auto& header = options.header();
  if (!header.empty() && header.size() != columns) {
    throw ValueError("save_csv", "a header of " + std::to_string(columns) + " names",
                     std::to_string(header.size()) + " names");
  }
  std::string text;
  for (std::size_t c = 0; c < header.size(); ++c) {
    if (c) text += options.delimiter();
    text += detail::header_cell(header[c], options.delimiter());
  }
  if (!header.empty()) text += '\n';
  table.visit([&](const auto& array) {
    // The shortest text that reads back to the same value: 9 significant digits at most for
    // float32, 17 for float64, plus sign, point and exponent.
    char buffer[40];
    for (std::size_t r = 0; r < rows; ++r) {
      for (std::size_t c = 0; c < columns; ++c) {
        if (c) text += options.delimiter();
        const auto result =
            std::to_chars(buffer, buffer + sizeof buffer, array.data()[r * columns + c]);
        text.append(buffer, result.ptr);
      }
      text += '\n';
    }
  });
  return text;
}

void save_csv(const std::string& path, const Tensor& table, const CsvWriteOptions& options) {
  write_file_atomically(path, format_csv(table, options));
}

}  // namespace grutape
