#pragma once
// One name -> factory table per kind of thing that configs and model files name: layer types,
// optimizers, metrics, initializers, constraints, schedules and callbacks each keep one Registry.
// The built-ins of a kind are handed over in one list by the file that owns the kind, rather than
// registered by static objects in their own files, because a static library drops object files
// that nothing refers to, and their registrations with them. Users add their own at run time,
// from any thread, and remove them again; a built-in can be neither replaced nor removed.
//
// Every message names the function, what was expected and what came:
//   register_optimizer: expected a new name, not built in, got "adam", which is already known
//   make_optimizer: expected an optimizer among sgd, adam, ... or a registered one, got "lbfgs"

#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "core/text.hpp"

namespace grutape {

/// How a registry's messages speak of its entries.
struct RegistryWords {
  /// What configs call an entry's key: "type" (layers, callbacks) or "name".
  std::string key;
  /// One entry with its article, as in "expected an optimizer among ...".
  std::string entry;
  /// The functions that add and remove entries, named in their messages.
  std::string register_function;
  std::string unregister_function;
};

/// A thread-safe table from names to factories. `Factory` is copyable and tests false when empty
/// (a std::function, or a struct with an explicit operator bool).
template <class Factory>
class Registry {
 public:
  /// `builtins` in the order names() lists them.
  Registry(RegistryWords words, std::vector<std::pair<std::string, Factory>> builtins)
      : words_(std::move(words)), builtins_(std::move(builtins)) {}

  /// Adds `factory` under `name`; a ValueError for an empty name or factory, a built-in name or
  /// one registered already.
  void add(const std::string& name, Factory factory) {
    const std::string& where = words_.register_function;
    if (name.empty()) throw ValueError(where, "a non-empty " + words_.key, "\"\"");
    if (!factory) {
      throw ValueError(where, "a factory (a callable function)",
                       "an empty function for \"" + name + "\"");
    }
    if (builtin(name)) {
      throw ValueError(where, "a new " + words_.key + ", not built in",
                       "\"" + name + "\", which is already known");
    }
    std::lock_guard<std::mutex> lock(mutex_);
    if (!registered_.emplace(name, std::move(factory)).second) {
      throw ValueError(where, "a new " + words_.key + ", not yet registered",
                       "\"" + name + "\" again, which is already known");
    }
  }

  /// Removes a registered name; a ValueError for a built-in name or one not registered.
  void remove(const std::string& name) {
    const std::string& where = words_.unregister_function;
    if (builtin(name)) {
      throw ValueError(where, "a registered " + words_.key,
                       "the built-in " + words_.key + " \"" + name + "\"");
    }
    std::lock_guard<std::mutex> lock(mutex_);
    if (registered_.erase(name) == 0) {
      throw ValueError(where, "a registered " + words_.key,
                       "\"" + name + "\", which is not registered");
    }
  }

  /// The built-in names in their order, then the registered ones, sorted.
  std::vector<std::string> names() const {
    std::vector<std::string> names = builtin_names();
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& [name, _] : registered_) names.push_back(name);
    return names;
  }

  /// The built-in names alone, in their order.
  std::vector<std::string> builtin_names() const {
    std::vector<std::string> names;
    for (const auto& [name, _] : builtins_) names.push_back(name);
    return names;
  }

  /// True for a built-in or registered name.
  bool contains(const std::string& name) const {
    if (builtin(name)) return true;
    std::lock_guard<std::mutex> lock(mutex_);
    return registered_.count(name) > 0;
  }

  /// A copy of the factory of `name`, so that the lock is released before it runs (a container
  /// layer's factory looks up its sublayers); a ValueError naming `where` and listing every known
  /// name otherwise.
  Factory find(const std::string& name, const std::string& where) const {
    for (const auto& [builtin_name, factory] : builtins_) {
      if (builtin_name == name) return factory;
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      const auto found = registered_.find(name);
      if (found != registered_.end()) return found->second;
    }
    throw ValueError(where, words_.entry + " among " + join(names()) + " or a registered one",
                     "\"" + name + "\"");
  }

 private:
  bool builtin(const std::string& name) const {
    for (const auto& [builtin_name, _] : builtins_) {
      if (builtin_name == name) return true;
    }
    return false;
  }

  const RegistryWords words_;
  const std::vector<std::pair<std::string, Factory>> builtins_;
  mutable std::mutex mutex_;
  std::map<std::string, Factory> registered_;
};

}  // namespace grutape
