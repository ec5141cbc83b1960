#pragma once
// The names of an enum's values, written once in a table next to the enum:
//
//   template <>
//   struct EnumNames<Reduction> {
//     static constexpr NamedValue<Reduction> values[] = {
//         {Reduction::mean, "mean"}, {Reduction::sum, "sum"}, {Reduction::none, "none"}};
//   };
//
// enum_name and enum_from_name read the table both ways (an unknown name is a ValueError listing
// the names), and the field lists of options structs (core/fields.hpp) write such enums as names.

#include <string>
#include <type_traits>
#include <vector>

#include "core/error.hpp"

namespace grutape {

template <class E>
struct NamedValue {
  E value;
  const char* name;
};

/// Specialised for each enum with names; the primary template has none.
template <class E>
struct EnumNames;

/// True for an enum with an EnumNames table.
template <class E, class = void>
struct has_enum_names : std::false_type {};
template <class E>
struct has_enum_names<E, std::void_t<decltype(EnumNames<E>::values)>> : std::true_type {};

/// The name of `value` (the table lists every value).
template <class E>
const char* enum_name(E value) {
  for (const auto& entry : EnumNames<E>::values) {
    if (entry.value == value) return entry.name;
  }
  return "?";
}

/// Every name, in the table's order.
template <class E>
std::vector<std::string> enum_names() {
  std::vector<std::string> names;
  for (const auto& entry : EnumNames<E>::values) names.emplace_back(entry.name);
  return names;
}

/// "a, b or c", for messages.
inline std::string names_or(const std::vector<std::string>& names) {
  std::string text;
  for (std::size_t i = 0; i < names.size(); ++i) {
    text += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + names[i];
  }
  return text;
}

/// The value named `name`; a ValueError "where: expected a, b or c, got "name"" otherwise.
template <class E>
E enum_from_name(const std::string& name, const std::string& where) {
  for (const auto& entry : EnumNames<E>::values) {
    if (name == entry.name) return entry.value;
  }
  throw ValueError(where, names_or(enum_names<E>()), "\"" + name + "\"");
}

}  // namespace grutape
