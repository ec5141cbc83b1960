#pragma once
// Small text helpers for messages and configs.

#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

namespace grutape {

/// The shortest decimal text that reads back to the same double: 0.5 -> "0.5", 1e-300 -> "1e-300".
inline std::string format_number(double value) {
  for (int precision = 1; precision <= 17; ++precision) {
    std::ostringstream out;
    out.precision(precision);
    out << value;
    // strtod, unlike stod, reads subnormals and infinities without throwing.
    if (std::strtod(out.str().c_str(), nullptr) == value || value != value) return out.str();
  }
  std::ostringstream out;
  out.precision(17);
  out << value;
  return out.str();
}

/// The text between double quotes, as messages show names: "encoder".
inline std::string double_quoted(const std::string& text) {
  return "\"" + text + "\"";
}

/// The items separated by `separator`: {"a", "b"} -> "a, b".
inline std::string join(const std::vector<std::string>& items,
                        const std::string& separator = ", ") {
  std::string text;
  for (std::size_t i = 0; i < items.size(); ++i) text += (i ? separator : "") + items[i];
  return text;
}

/// 1234567 -> "1,234,567", as Keras prints its parameter totals.
inline std::string with_thousands(std::size_t count) {
  std::string digits = std::to_string(count), text;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) text += ',';
    text += digits[i];
  }
  return text;
}

}  // namespace grutape
