#pragma once
// Exact JSON forms of the tensors and numbers in optimizer and schedule checkpoints.
//
// A tensor is {"dtype": "float32", "shape": [4, 6], "bits": "3f800000..."}: each element's IEEE
// bit pattern as fixed-width hex (8 digits for float32, 16 for float64), row-major. Decimal text
// would lose NaN and infinity, which a diverged run's moments may hold; the bits restore every
// value, so a resumed run continues bitwise as if it had never stopped.

#include <string>

#include <nlohmann/json_fwd.hpp>

#include "core/tensor.hpp"

namespace grutape {

/// The exact JSON form of `tensor` described above.
nlohmann::json tensor_to_json(const Tensor& tensor);

/// The inverse of tensor_to_json; a ValueError naming `where` for a missing or ill-typed key, an
/// unknown dtype or a bit string of the wrong length or with a non-hex digit.
Tensor tensor_from_json(const nlohmann::json& json, const std::string& where);

/// A double as the hex of its bits ("3fb999999999999a"), exact for every value.
std::string double_to_hex(double value);

/// The inverse of double_to_hex; a ValueError naming `where` for anything but 16 hex digits.
double double_from_hex(const std::string& text, const std::string& where);

}  // namespace grutape
