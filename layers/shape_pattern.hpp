#pragma once
// Shapes in which some extents are free, written "None" as in Keras: the shape an input layer
// declares (timesteps may vary from batch to batch) and a dropout noise shape. JSON writes a free
// extent as null: [null, 8].

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/shape.hpp"

namespace grutape {

/// One entry per axis: an extent, or std::nullopt for any extent.
using ShapePattern = std::vector<std::optional<std::size_t>>;

/// "(None, 8)"; a pattern of rank 0 is "()".
std::string shape_pattern_to_string(const ShapePattern& pattern);

/// True when `shape` has the pattern's rank and every extent the pattern fixes.
bool shape_matches(const ShapePattern& pattern, const Shape& shape);

/// The pattern with every extent fixed as in `shape`.
ShapePattern fixed_pattern(const Shape& shape);

/// [null, 8].
nlohmann::json shape_pattern_to_json(const ShapePattern& pattern);
/// The inverse of shape_pattern_to_json; a ValueError naming `where` for anything but an array of
/// non-negative integers and nulls.
ShapePattern shape_pattern_from_json(const nlohmann::json& json, const std::string& where);

}  // namespace grutape
