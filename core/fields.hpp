#pragma once
// One list of an options struct's fields, behind its JSON form, its checks and its docs. The
// struct (chained setters, core/option_arg.hpp) lists every field once, with its JSON key and,
// where its values are limited, a check:
//
//   template <class Self, class Visit>
//   static void fields(Self& self, Visit&& visit) {
//     visit("momentum", self.momentum_, ranges::non_negative);
//     visit("nesterov", self.nesterov_);
//   }
//
// fields_to_json writes every field under its key; fields_from_json reads the present keys into
// a struct through a JsonReader (a wrong type names the key, what was expected and what came;
// JsonReader::finish then rejects unknown keys listing the accepted ones); check_fields runs the
// checks, so a bad value reads "adam: beta1: expected beta1 in [0, 1), got 1"; field_keys lists
// the keys for the docs tests. Checks across fields stay in the struct's own validation.
//
// Field types: bool, double, int, unsigned integers, std::string, char (a one-character string),
// enums with an EnumNames table (core/enum_names.hpp, written as names), std::optional<T> (null
// when empty), std::vector<T> (an array), and types with `to_json()` and a static
// `from_json(json, where)` (named specs). A field whose JSON form belongs to its owner rather than
// to its type (a GRU's gate factors are written by gate name) lists a JsonForm among its checks.

#include <climits>
#include <cmath>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/enum_names.hpp"
#include "core/error.hpp"
#include "core/json_reader.hpp"
#include "core/text.hpp"

namespace grutape {

/// The check of a numeric field: `holds` tests a value, `condition` says the same in words.
struct Range {
  const char* condition;
  bool (*holds)(double);

  /// A ValueError "owner: key: expected key CONDITION, got VALUE" unless holds(value).
  void operator()(double value, const std::string& owner, const std::string& key) const {
    if (!holds(value)) {
      throw ValueError(owner + ": " + key, key + " " + condition, format_number(value));
    }
  }
};

namespace ranges {
inline constexpr Range non_negative{">= 0 and finite",
                                    [](double v) { return std::isfinite(v) && v >= 0; }};
inline constexpr Range positive{"> 0 and finite",
                                [](double v) { return std::isfinite(v) && v > 0; }};
inline constexpr Range at_least_one{">= 1", [](double v) { return v >= 1; }};
/// [0, 1): decays (at 1 an average never moves) and dropout rates (at 1 nothing passes).
inline constexpr Range unit_open{"in [0, 1)", [](double v) { return v >= 0 && v < 1; }};
inline constexpr Range unit_closed{"in [0, 1]", [](double v) { return v >= 0 && v <= 1; }};
}  // namespace ranges

/// The check of a text field: one of the names `names()` lists.
template <class Names>
struct OneOf {
  Names names;

  constexpr explicit OneOf(Names function) : names(function) {}

  /// A ValueError "owner: key: expected one of a, b, got "value"" unless value is listed.
  void operator()(const std::string& value, const std::string& owner,
                  const std::string& key) const {
    for (const std::string& name : names()) {
      if (name == value) return;
    }
    throw ValueError(owner + ": " + key, "one of " + join(names()), "\"" + value + "\"");
  }
};

/// A field's JSON form given by its owner: listed among a field's checks, it replaces the form
/// of the field's type in fields_to_json and fields_from_json, and check_fields passes over it.
template <class T>
struct JsonForm {
  nlohmann::json (*write)(const T&);
  T (*read)(const nlohmann::json&, const std::string&);
};

namespace detail_fields {

template <class T, class... Extras>
inline constexpr bool has_form = (std::is_same_v<Extras, JsonForm<T>> || ...);

/// The JsonForm<T> among a field's checks (has_form says there is one).
template <class T, class First, class... Rest>
const JsonForm<T>& form_of(const First& first, const Rest&... rest) {
  if constexpr (std::is_same_v<First, JsonForm<T>>) {
    return first;
  } else {
    return form_of<T>(rest...);
  }
}

template <class T, class = void>
struct has_json_members : std::false_type {};
template <class T>
struct has_json_members<T, std::void_t<decltype(std::declval<const T&>().to_json()),
                                       decltype(T::from_json(std::declval<const nlohmann::json&>(),
                                                             std::declval<const std::string&>()))>>
    : std::true_type {};

template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};

template <class T>
struct is_vector : std::false_type {};
template <class T>
struct is_vector<std::vector<T>> : std::true_type {};

template <class T>
T read(const nlohmann::json& json, const std::string& where);

template <class T>
nlohmann::json write(const T& value) {
  if constexpr (is_optional<T>::value) {
    return value ? write(*value) : nlohmann::json(nullptr);
  } else if constexpr (is_vector<T>::value) {
    nlohmann::json array = nlohmann::json::array();
    for (const auto& item : value) array.push_back(write(item));
    return array;
  } else if constexpr (has_json_members<T>::value) {
    return value.to_json();
  } else if constexpr (std::is_enum_v<T>) {
    return enum_name(value);
  } else if constexpr (std::is_same_v<T, char>) {
    return std::string(1, value);
  } else {
    return value;
  }
}

[[noreturn]] inline void wrong_type(const nlohmann::json& json, const std::string& where,
                                    const std::string& expected) {
  throw ValueError(where, expected, json_type_name(json));
}

template <class T>
T read(const nlohmann::json& json, const std::string& where) {
  if constexpr (is_optional<T>::value) {
    if (json.is_null()) return std::nullopt;
    return read<typename T::value_type>(json, where);
  } else if constexpr (is_vector<T>::value) {
    if (!json.is_array()) wrong_type(json, where, "an array");
    T items;
    for (std::size_t i = 0; i < json.size(); ++i) {
      items.push_back(read<typename T::value_type>(json[i], where + "[" + std::to_string(i) + "]"));
    }
    return items;
  } else if constexpr (has_json_members<T>::value) {
    return T::from_json(json, where);
  } else if constexpr (std::is_enum_v<T>) {
    if (!json.is_string()) wrong_type(json, where, "a string");
    return enum_from_name<T>(json.get<std::string>(), where);
  } else if constexpr (std::is_same_v<T, bool>) {
    if (!json.is_boolean()) wrong_type(json, where, "a boolean");
    return json.get<bool>();
  } else if constexpr (std::is_same_v<T, std::string>) {
    if (!json.is_string()) wrong_type(json, where, "a string");
    return json.get<std::string>();
  } else if constexpr (std::is_same_v<T, char>) {
    if (!json.is_string()) wrong_type(json, where, "a string");
    const std::string text = json.get<std::string>();
    if (text.size() != 1) throw ValueError(where, "one character", "\"" + text + "\"");
    return text[0];
  } else if constexpr (std::is_floating_point_v<T>) {
    if (!json.is_number()) wrong_type(json, where, "a number");
    return json.get<T>();
  } else if constexpr (std::is_unsigned_v<T>) {
    // Parsed JSON holds 5 as unsigned, but json built in C++ from an int holds it as signed.
    const bool non_negative =
        json.is_number_unsigned() || (json.is_number_integer() && json.get<std::int64_t>() >= 0);
    if (!non_negative) wrong_type(json, where, "a non-negative integer");
    return json.get<T>();
  } else {
    static_assert(std::is_same_v<T, int>, "a field type fields.hpp can read");
    const bool fits = json.is_number_integer() && json.get<std::int64_t>() >= INT_MIN &&
                      (json.is_number_unsigned() ? json.get<std::uint64_t>() <= INT_MAX
                                                 : json.get<std::int64_t>() <= INT_MAX);
    if (!fits) wrong_type(json, where, "an integer in the range of int");
    return json.get<int>();
  }
}

}  // namespace detail_fields

/// One field's value as JSON (the forms listed above).
template <class T>
nlohmann::json field_to_json(const T& value) {
  return detail_fields::write(value);
}

/// One field's value from JSON; a ValueError naming `where`, what was expected and what came.
template <class T>
T field_from_json(const nlohmann::json& json, const std::string& where) {
  return detail_fields::read<T>(json, where);
}

/// A check of `value` (of an optional: of its value, when there is one). A check takes
/// (value, owner, key) like Range, or (value, where) like the validate functions of specs.
template <class Check, class T>
void run_field_check(const Check& check, const T& value, const std::string& owner,
                     const std::string& key) {
  if constexpr (std::is_same_v<Check, JsonForm<T>>) {
    return;
  } else if constexpr (detail_fields::is_optional<T>::value) {
    if (value) run_field_check(check, *value, owner, key);
  } else if constexpr (std::is_invocable_v<const Check&, const T&, const std::string&>) {
    std::invoke(check, value, owner + ": " + key);
  } else {
    check(value, owner, key);
  }
}

/// Every field of `options` under its key.
template <class Options>
nlohmann::json fields_to_json(const Options& options) {
  nlohmann::json json = nlohmann::json::object();
  Options::fields(options, [&json](const char* key, const auto& member, const auto&... checks) {
    using T = std::decay_t<decltype(member)>;
    if constexpr (detail_fields::has_form<T, std::decay_t<decltype(checks)>...>) {
      json[key] = detail_fields::form_of<T>(checks...).write(member);
    } else {
      json[key] = detail_fields::write(member);
    }
  });
  return json;
}

/// Reads every key of `in` that is a field into `options`; absent keys keep their values. The
/// caller calls in.finish() after reading any keys of its own.
template <class Options>
void fields_from_json(Options& options, JsonReader& in) {
  Options::fields(options, [&in](const char* key, auto& member, const auto&... checks) {
    using T = std::decay_t<decltype(member)>;
    if (!in.has(key)) return;
    if constexpr (detail_fields::has_form<T, std::decay_t<decltype(checks)>...>) {
      member = detail_fields::form_of<T>(checks...).read(in.value(key), in.where(key));
    } else {
      member = detail_fields::read<T>(in.value(key), in.where(key));
    }
  });
}

/// Runs every field's check, in the order of the list; `owner` names the struct in messages.
template <class Options>
void check_fields(const Options& options, const std::string& owner) {
  Options::fields(options, [&owner]([[maybe_unused]] const char* key,
                                    [[maybe_unused]] const auto& member, const auto&... checks) {
    (run_field_check(checks, member, owner, key), ...);
  });
}

/// The keys of the fields of `options`, in the order of the list.
template <class Options>
std::vector<std::string> field_keys(const Options& options) {
  std::vector<std::string> keys;
  Options::fields(
      options, [&keys](const char* key, const auto&, const auto&...) { keys.emplace_back(key); });
  return keys;
}

}  // namespace grutape
