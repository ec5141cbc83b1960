#pragma once
// The registration rules every registry of the library shares (core/registry.hpp), checked the
// same way for each kind: layers, optimizers, metrics, initializers, constraints, schedules and
// callbacks. A suite registers its own entry, checks that configs can use it, then hands it here.

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "tests/test_helpers.hpp"

namespace grutape::testing {

/// One kind's registry as its public functions reach it.
template <class Factory>
struct RegistryKind {
  /// The names messages give the two functions, e.g. "register_optimizer".
  std::string register_function, unregister_function;
  std::function<void(const std::string&, Factory)> add;
  std::function<void(const std::string&)> remove;
  std::function<std::vector<std::string>()> names;
  /// Looks a name up the way configs do (make_optimizer, Metric, ...).
  std::function<void(const std::string&)> use;
  /// The start of the message of an unknown name ("make_optimizer", "Metric").
  std::string use_where;
};

inline bool listed(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

/// With `name` registered (as `factory`): it is listed; registering it again or a built-in name
/// fails; unregistering a built-in fails. Then `name` is unregistered, no longer listed, and
/// using it or unregistering it again fails naming it, the use listing the known names.
template <class Factory>
void check_registry_rules(const RegistryKind<Factory>& kind, const std::string& name,
                          const std::string& builtin, const Factory& factory) {
  BOOST_TEST(listed(kind.names(), name));
  BOOST_TEST(listed(kind.names(), builtin));
  require_error<ValueError>([&] { kind.add(name, factory); },
                            {kind.register_function, "not yet registered",
                             "\"" + name + "\" again, which is already known"});
  require_error<ValueError>(
      [&] { kind.add(builtin, factory); },
      {kind.register_function, "not built in", "\"" + builtin + "\", which is already known"});
  require_error<ValueError>([&] { kind.add("", factory); },
                            {kind.register_function, "a non-empty"});
  require_error<ValueError>([&] { kind.add("empty_" + name, Factory()); },
                            {kind.register_function, "a factory", "an empty function"});
  require_error<ValueError>([&] { kind.remove(builtin); },
                            {kind.unregister_function, "the built-in", "\"" + builtin + "\""});
  kind.remove(name);
  BOOST_TEST(!listed(kind.names(), name));
  require_error<ValueError>([&] { kind.use(name); },
                            {kind.use_where, builtin, "or a registered one", "\"" + name + "\""});
  require_error<ValueError>(
      [&] { kind.remove(name); },
      {kind.unregister_function, "\"" + name + "\", which is not registered"});
}

}  // namespace grutape::testing
