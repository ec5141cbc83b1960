#pragma once
// Integer ids carried in float tensors: embedding lookups and sparse class targets.

#include <string>
#include <vector>

#include "core/tensor.hpp"

namespace grutape {

/// The elements of `ids` in row-major order as indices. A ValueError naming `where` for the first
/// element that is not a whole number in [0, limit), with its value and position ("12 at [0, 3]").
std::vector<std::size_t> read_ids(const Tensor& ids, std::size_t limit, const std::string& where);

}  // namespace grutape
