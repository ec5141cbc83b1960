#pragma once
// The one setter helper of the options structs: GRUTAPE_ARG(T, name) declares a field `name_`, a
// chained setter `name(value)` and a getter `name()`, in the style of the PyTorch C++ frontend.
// Give the default with GRUTAPE_ARG_DEFAULT or in the constructor; document it on the line above.

#include <utility>

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

// clang-format off
#define GRUTAPE_ARG_DEFAULT(T, name, ...) GRUTAPE_ARG(T, name){__VA_ARGS__}
// clang-format on
