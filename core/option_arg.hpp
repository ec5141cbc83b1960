#pragma once
// The setter helper of the options structs: GRUTAPE_ARG(T, name) declares a field `name_`, a
// chained setter `name(value)` and a getter `name()`, in the style of the PyTorch C++ frontend.
// Give the default with GRUTAPE_ARG_DEFAULT; document it on the line above.

#include <utility>

#ifndef GRUTAPE_ARG
#define GRUTAPE_ARG(T, name)       \
 public:                           \
  auto& name(T value) {            \
    name##_ = std::move(value);    \
    return *this;                  \
  }                                \
  const T& name() const noexcept { \
    return name##_;                \
  }                                \
                                   \
 private:                          \
  T name##_
#endif

#ifndef GRUTAPE_ARG_DEFAULT
#define GRUTAPE_ARG_DEFAULT(T, name, ...) \
  GRUTAPE_ARG(T, name) {                  \
    __VA_ARGS__                           \
  }
#endif
