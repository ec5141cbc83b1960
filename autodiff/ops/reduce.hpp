#pragma once
// Reductions on values: sum, mean and max over axes. An empty axis list means every axis; axes
// may be negative and repeated (numpy style). With keepdims the reduced axes stay, with extent 1.
// Results are bitwise the same for any number of threads (core/reduce.hpp).

#include <vector>

#include "autodiff/value.hpp"

namespace grutape {

/// The sum over `axes` (empty = all); a sum over no elements (an axis of extent 0) is 0.
Value sum(const Value& x, const std::vector<long>& axes = {}, bool keepdims = false);

/// The mean over `axes` (empty = all). A mean over no elements (an axis of extent 0) is NaN, as
/// in numpy and PyTorch; its gradient reaches no element, since x then has none.
Value mean(const Value& x, const std::vector<long>& axes = {}, bool keepdims = false);

/// The maximum over `axes` (empty = all); NaN when a reduced element is NaN. The gradient goes to
/// the elements equal to the maximum and is split evenly among tied maxima: with k ties each gets
/// g / k (the average of the one-hot subgradients, as for maximum() at ties). An axis of extent 0
/// is a ShapeError, as there is no maximum.
Value max(const Value& x, const std::vector<long>& axes = {}, bool keepdims = false);

}  // namespace grutape
