#pragma once
// The byte container of model files and checkpoints (docs/model_files.md):
//
//   bytes 0..7     magic "\x89GRUTAPE" (the high first byte catches 7-bit transfers)
//   bytes 8..15    N, the header's length, unsigned 64-bit little-endian
//   16 .. 16+N     the header: a UTF-8 JSON object, padded with spaces and a final newline so
//                  that the data starts at a multiple of 64 bytes
//   16+N .. end    the data: tensors' elements one after another, each element's IEEE bit
//                  pattern little-endian, row-major
//
// The header starts with "format" and "version" and ends with "data": {"bytes": the data's
// length, "checksum": "fnv1a-64:<16 hex digits>"} (core/io/checksum.hpp) over the data. Tensors in
// the header are references {"dtype", "shape", "offset", "bytes"} into the data, which together
// cover it exactly once. The file ends where the data ends.
//
// Every defect found while reading is an IoError whose message starts with the `where` given
// (e.g. `model file "m.grutape"`) and says what was expected and what came.

#include <new>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/tensor.hpp"

namespace grutape {

/// The version of the container and of the header layouts this build writes and reads.
constexpr int kModelFormatVersion = 1;

/// Appends tensors to a data section and returns their references.
class TensorWriter {
 public:
  /// Appends the elements of `tensor` and returns {"dtype", "shape", "offset", "bytes"}.
  nlohmann::json add(const Tensor& tensor);
  /// The data written so far.
  const std::string& data() const { return data_; }

 private:
  std::string data_;
};

/// Reads tensors from a data section by their references and checks that they cover it.
class TensorReader {
 public:
  /// Reads from `data`; messages start with `where`.
  TensorReader(std::string_view data, std::string where);

  /// The tensor `reference` points at; an IoError naming `what` for a reference that is not an
  /// object of the four keys, an unknown dtype, a shape that does not fit its byte count, or
  /// bytes outside the data.
  Tensor read(const nlohmann::json& reference, const std::string& what);

  /// An IoError unless the tensors read cover the data exactly once (no gap, no overlap).
  void finish() const;

 private:
  std::string_view data_;
  std::string where_;
  /// (offset, bytes) of every tensor read.
  std::vector<std::pair<std::size_t, std::size_t>> spans_;
};

/// The container of `header` (an object holding "format" and "version") and `data`; adds
/// "data": {"bytes", "checksum"} to the header.
std::string pack_container(nlohmann::json header, const std::string& data);

/// A container taken apart: the header and a view of the data in the bytes it was read from.
struct Container {
  /// The parsed header.
  nlohmann::json header;
  /// The data section, checked against the header's length and checksum.
  std::string_view data;
};

/// Checks and splits `bytes`: the magic, the header length, the header's JSON (an object, nested
/// at most 128 levels deep), its "format" (one of `formats`) and "version" (kModelFormatVersion),
/// the file's length against the header's and the data's, and the data's checksum. An IoError
/// naming `where` and the defect otherwise.
Container unpack_container(std::string_view bytes, const std::string& where,
                           const std::vector<std::string>& formats);

/// Runs `read` and turns what a damaged file can make it throw into an IoError naming `where`:
/// grutape errors (an IoError passes unchanged), JSON type errors and allocation failures (a
/// model too large for memory).
template <class Read>
auto as_io_error(const std::string& where, Read&& read) {
  try {
    return read();
  } catch (const IoError&) {
    throw;
  } catch (const Error& error) {
    throw IoError(where + ": " + error.what());
  } catch (const nlohmann::json::exception& error) {
    throw IoError(where + ": " + error.what());
  } catch (const std::bad_alloc&) {
    throw IoError(where, "a model that fits in memory", "one whose build failed to allocate");
  } catch (const std::length_error&) {
    throw IoError(where, "a model that fits in memory", "one whose build failed to allocate");
  }
}

}  // namespace grutape
