#pragma once
// Enumerations that messages, options and files name: one table of (value, name) pairs, read
// both ways, instead of a switch for the name and a loop over the values for the inverse. Not a
// public header.

#include <cstddef>
#include <optional>
#include <string>
#include <utility>

namespace grutape::detail {

template <class E>
using NamedValue = std::pair<E, const char*>;

/// The name of `value` in `table`, or `otherwise` for a value the table lacks.
template <class E, std::size_t N>
const char* name_in(const NamedValue<E> (&table)[N], E value, const char* otherwise) {
  for (const auto& [known, name] : table)
    if (known == value) return name;
  return otherwise;
}

/// The value called `name` in `table`; none for a name the table lacks.
template <class E, std::size_t N>
std::optional<E> value_named(const NamedValue<E> (&table)[N], const std::string& name) {
  for (const auto& [value, known] : table)
    if (name == known) return value;
  return std::nullopt;
}

}  // namespace grutape::detail
