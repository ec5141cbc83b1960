#pragma once
// Random (semi-)orthogonal matrices for the orthogonal initializer, computed in double.

#include <cstddef>
#include <vector>

#include "core/random.hpp"

namespace grutape {

/// A rows x cols row-major matrix with orthonormal rows when rows < cols, else orthonormal
/// columns (Keras' Orthogonal): the Q factor of a Householder QR of a standard normal
/// (max x min) matrix, its columns signed so that R has a positive diagonal (which makes Q
/// uniformly distributed), transposed when rows < cols.
std::vector<double> random_orthogonal(std::size_t rows, std::size_t cols, Random& random);

/// The thin Q factor (m x n, row-major) of the row-major m x n matrix `a`, m >= n, by Householder
/// reflections, with every column signed so that the matching diagonal entry of R is >= 0.
std::vector<double> householder_q(std::vector<double> a, std::size_t m, std::size_t n);

}  // namespace grutape
