#pragma once
// How per-sample (or per-step) results are weighted, shared by losses and metrics. Results have
// shape (batch) or (batch, timesteps); sample weights cover their leading axes, (batch) or
// (batch, timesteps), and broadcast over the rest, as in Keras; a mask (batch, timesteps) marks
// the valid steps (nonzero) and zeroes the others.

#include <string>

#include "core/tensor.hpp"

namespace grutape {

/// `weight` in `dtype`, reshaped with trailing axes of extent 1 so that it broadcasts over
/// `shape`. A ShapeError naming `where` unless its shape is a leading part of `shape` (at least
/// the batch axis).
Tensor align_sample_weight(const Tensor& weight, const Shape& shape, DType dtype,
                           const std::string& where);

/// 1 where `mask` is nonzero, 0 elsewhere, in `dtype`. A ShapeError naming `where` unless the
/// mask has exactly `shape`.
Tensor valid_steps(const Tensor& mask, const Shape& shape, DType dtype, const std::string& where);

/// The number of nonzero elements of a 0/1 tensor, counted exactly.
std::size_t count_valid(const Tensor& valid);

}  // namespace grutape
