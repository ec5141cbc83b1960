#pragma once
// Option checks shared by the optimizers, schedules and constraints.

#include <string>

namespace grutape::detail {

/// The shortest decimal form that reads back as `value` ("0.1", "1e-09", "nan").
std::string number_to_string(double value);

/// A ValueError "where: expected NAME CONDITION, got NAME = VALUE" unless `ok`.
void require_option(bool ok, const std::string& where, const std::string& name,
                    const std::string& condition, double value);

/// True for a finite value >= 0 (false for NaN).
bool finite_non_negative(double value);

/// True for a finite value in [0, 1) (false for NaN).
bool in_unit_interval_open(double value);

}  // namespace grutape::detail
