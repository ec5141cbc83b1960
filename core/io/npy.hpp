#pragma once
// NumPy's .npy files (format versions 1.0, 2.0 and 3.0): one array with its dtype and shape.
//
// Reading accepts the dtypes '<f4' (as float32), '<f8' (as float64), and '<i4' and '<i8' (as
// float64; an int64 beyond 2^53 in magnitude, which float64 cannot hold exactly, is an error),
// also in big-endian byte order ('>'), and C or Fortran order (a Fortran-order file is reordered
// so that the tensor holds the same array). Every defect is an IoError naming the file and what is
// wrong: a bad magic string, an unknown version, a damaged header, an unsupported dtype, or data
// shorter or longer than the header promises, with both byte counts. docs/data.md shows them.
//
// Writing produces what numpy.save produces: version 1.0 (2.0 for a header beyond 64 KiB), '<f4'
// or '<f8', C order, the header padded to a multiple of 64 bytes.

#include <string>

#include "core/tensor.hpp"

namespace grutape {

/// The array in the .npy file `path`.
Tensor load_npy(const std::string& path);

/// The array in .npy `bytes` held in memory; errors name `source` as the file.
Tensor parse_npy(const std::string& bytes, const std::string& source = "<bytes>");

/// The .npy bytes of `tensor` (float32 as '<f4', float64 as '<f8').
std::string format_npy(const Tensor& tensor);

/// Writes format_npy(tensor) to `path` atomically (core/io/atomic_file.hpp).
void save_npy(const std::string& path, const Tensor& tensor);

}  // namespace grutape
