#include "core/io/detail/csv_cells.hpp"

#include <algorithm>
#include <charconv>
#include <system_error>

#include "core/dtype.hpp"
#include "core/error.hpp"

namespace grutape::detail {
namespace {

enum class Parsed { ok, not_a_number, out_of_range };

// std::from_chars reads the C locale's form whatever the global locale, and all of the text or
// nothing: "1.5x" is not a number. It refuses a leading '+', which spreadsheets write.
template <class T>
Parsed parse(std::string_view cell, T& value) {
  if (!cell.empty() && cell[0] == '+') {
    cell.remove_prefix(1);
    if (!cell.empty() && cell[0] == '-') return Parsed::not_a_number;
  }
  const char* end = cell.data() + cell.size();
  const auto [stop, error] = std::from_chars(cell.data(), end, value);
  if (error == std::errc::invalid_argument || stop != end) return Parsed::not_a_number;
  if (error == std::errc::result_out_of_range) return Parsed::out_of_range;
  return Parsed::ok;
}

std::string_view trim(std::string_view text, char delimiter) {
  const auto blank = [&](char c) { return (c == ' ' || c == '\t') && c != delimiter; };
  while (!text.empty() && blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && blank(text.back())) text.remove_suffix(1);
  return text;
}

}  // namespace

bool is_blank_line(std::string_view line) {
  return line.find_first_not_of(" \t") == std::string_view::npos;
}

bool is_number(std::string_view cell) {
  double value;
  return parse(cell, value) != Parsed::not_a_number;
}

std::string quoted(std::string_view text) {
  constexpr std::size_t kLimit = 80;
  if (text.size() <= kLimit) return "\"" + std::string(text) + "\"";
  return "\"" + std::string(text.substr(0, kLimit)) + "...\"";
}

std::string header_cell(const std::string& name, char delimiter) {
  const bool plain = name.find_first_of(std::string("\"\r\n") + delimiter) == std::string::npos &&
                     trim(name, delimiter).size() == name.size();
  if (plain) return name;
  std::string cell = "\"";
  for (char c : name) cell += c == '"' ? std::string("\"\"") : std::string(1, c);
  return cell + "\"";
}

std::string CsvContext::place(std::size_t line) const {
  return "\"" + source + "\" line " + std::to_string(line);
}

std::string CsvContext::column(std::size_t index) const {
  if (index < names.size()) {
    return "column \"" + names[index] + "\" (index " + std::to_string(index) + ")";
  }
  return "column index " + std::to_string(index);
}

std::vector<std::string> CsvContext::split(std::string_view text, std::size_t line) const {
  std::vector<std::string> cells;
  std::size_t pos = 0;
  for (;;) {
    const std::size_t start = pos;
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t') && text[pos] != delimiter) {
      ++pos;
    }
    if (pos < text.size() && text[pos] == '"') {
      std::string cell;
      for (++pos;; ++pos) {
        if (pos >= text.size()) {
          throw IoError("load_csv",
                        "a closing quote at " + place(line) + ", " + column(cells.size()),
                        "the end of the line: " + quoted(text));
        }
        if (text[pos] == '"') {
          if (pos + 1 < text.size() && text[pos + 1] == '"') {
            cell += '"';
            ++pos;
            continue;
          }
          ++pos;
          break;
        }
        cell += text[pos];
      }
      while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t') &&
             text[pos] != delimiter) {
        ++pos;
      }
      if (pos < text.size() && text[pos] != delimiter) {
        throw IoError("load_csv",
                      std::string("the delimiter '") + delimiter + "' after the closing quote at " +
                          place(line) + ", " + column(cells.size()),
                      std::string("'") + text[pos] + "' in " + quoted(text));
      }
      cells.push_back(std::move(cell));
    } else {
      std::size_t end = text.find(delimiter, start);
      if (end == std::string_view::npos) end = text.size();
      cells.emplace_back(trim(text.substr(start, end - start), delimiter));
      pos = end;
    }
    if (pos >= text.size()) return cells;
    ++pos;  // past the delimiter
  }
}

void CsvContext::require_width(std::size_t cells, std::size_t width, std::size_t line,
                               std::size_t first_line, std::string_view text) const {
  if (cells == width) return;
  const std::string expected =
      std::to_string(width) + " cells per row (as on line " + std::to_string(first_line) + ")";
  const std::string got = std::to_string(cells) + (cells == 1 ? " cell" : " cells") + " at " +
                          place(line) + "; " + column(std::min(cells, width)) +
                          (cells < width ? " is missing: " : " is extra: ") + quoted(text);
  throw IoError("load_csv", expected, got);
}

template <class T>
T CsvContext::number(const std::string& cell, std::size_t line, std::size_t index) const {
  T value;
  switch (parse(cell, value)) {
    case Parsed::ok:
      return value;
    case Parsed::out_of_range:
      throw IoError("load_csv",
                    std::string("a number in the ") + dtype_name(dtype_of<T>()) + " range at " +
                        place(line) + ", " + column(index),
                    quoted(cell));
    case Parsed::not_a_number:
      break;
  }
  throw IoError("load_csv", "a number at " + place(line) + ", " + column(index),
                cell.empty() ? std::string("an empty cell") : quoted(cell));
}

template float CsvContext::number<float>(const std::string&, std::size_t, std::size_t) const;
template double CsvContext::number<double>(const std::string&, std::size_t, std::size_t) const;

}  // namespace grutape::detail
