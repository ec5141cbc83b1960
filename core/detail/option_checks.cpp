#include "core/detail/option_checks.hpp"

#include <cmath>
#include <cstdio>

#include "core/error.hpp"

namespace grutape::detail {

std::string number_to_string(double value) {
  char buffer[32];
  // The fewest significant digits that survive the round trip keep messages short and exact.
  for (int digits = 1; digits <= 17; ++digits) {
    std::snprintf(buffer, sizeof buffer, "%.*g", digits, value);
    if (std::strtod(buffer, nullptr) == value) break;
  }
  return buffer;
}

void require_option(bool ok, const std::string& where, const std::string& name,
                    const std::string& condition, double value) {
  if (!ok) throw ValueError(where, name + " " + condition, name + " = " + number_to_string(value));
}

bool finite_non_negative(double value) {
  return std::isfinite(value) && value >= 0;
}

bool in_unit_interval_open(double value) {
  return value >= 0 && value < 1;
}

}  // namespace grutape::detail
