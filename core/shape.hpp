#pragma once
// Shapes, numpy-style broadcasting and axis normalisation.

#include <cstddef>
#include <string>
#include <vector>

namespace grutape {

using Shape = std::vector<std::size_t>;

/// "(4, 7)"; a scalar shape is "()".
std::string shape_to_string(const Shape& shape);

/// The number of elements: the product of the extents (1 for a scalar).
std::size_t shape_size(const Shape& shape);

/// The numpy broadcast of two shapes: trailing axes are aligned, an extent of 1 stretches.
/// A ShapeError names `where` and both shapes when they do not broadcast.
Shape broadcast_shapes(const Shape& a, const Shape& b, const std::string& where);

/// Maps a possibly negative axis onto 0..rank-1; a ShapeError names `where` when out of range.
std::size_t normalize_axis(long axis, std::size_t rank, const std::string& where);

/// Normalised, sorted, de-duplicated axes; an empty list means every axis.
std::vector<std::size_t> normalize_axes(const std::vector<long>& axes, std::size_t rank,
                                        const std::string& where);

}  // namespace grutape
