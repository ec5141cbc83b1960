#pragma once
// The one error hierarchy of grutape. Every message names where the error was found, what was
// expected and what came, in every build type.

#include <stdexcept>
#include <string>

namespace grutape {

/// Base of every error grutape throws.
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
  /// Builds "where: expected EXPECTED, got GOT".
  Error(const std::string& where, const std::string& expected, const std::string& got);
};

/// A shape or rank that does not fit (mismatched operands, wrong input rank, ...).
class ShapeError : public Error {
 public:
  using Error::Error;
};

/// A bad value: an option out of range, a wrong dtype, a NaN where none may be.
class ValueError : public Error {
 public:
  using Error::Error;
};

/// A file that cannot be read or written, or whose contents are damaged.
class IoError : public Error {
 public:
  using Error::Error;
};

}  // namespace grutape
