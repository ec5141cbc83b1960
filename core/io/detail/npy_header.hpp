#pragma once
// The header of a .npy file (core/io/npy.hpp): a Python dict literal such as
//   {'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }
// read by a small parser of exactly that subset of Python, and written as numpy writes it.

#include <string>
#include <string_view>

#include "core/shape.hpp"

namespace grutape::detail {

/// The three keys every .npy header holds.
struct NpyHeader {
  /// The dtype string, e.g. "<f8".
  std::string descr;
  /// True when the data is stored column-major.
  bool fortran_order = false;
  /// The array's extents; empty for a scalar.
  Shape shape;
};

/// The header dict in `text`; an IoError naming `source` and the character where the text
/// departs from the form above, or the missing key.
NpyHeader parse_npy_header(std::string_view text, const std::string& source);

/// The dict text of a C-order array of `descr` and `shape`, without padding or line end.
std::string format_npy_header(const std::string& descr, const Shape& shape);

/// `bytes` in double quotes for a message, printable ASCII as it is and other bytes as \xHH,
/// cut after 40 bytes.
std::string escaped(std::string_view bytes);

}  // namespace grutape::detail
