#pragma once
// Matrix products of tensors, all through core/gemm.

#include "core/tensor.hpp"

namespace grutape {

/// The matrix product of the last two axes, as torch.matmul: a (..., m, k) times b (..., k, n)
/// gives (..., m, n), the leading (batch) axes broadcast numpy-style. transpose_a / transpose_b
/// swap the last two axes of that operand first. Both operands need rank >= 2 and one dtype. When
/// b holds a single matrix and a is not transposed, a's batch folds into rows: (B, T, I) x (I, N)
/// is one GEMM of B*T rows. A ShapeError naming both shapes when they do not fit.
Tensor matmul(const Tensor& a, const Tensor& b, bool transpose_a = false, bool transpose_b = false);

/// The sum over every axis but the last of a[..., i] * b[..., j]: a and b are read as matrices
/// (rows, p) and (rows, q) with their leading axes flattened into the rows, and a^T b (p, q) is
/// one GEMM of inner extent rows. Both need rank >= 1 and equally many rows; a ShapeError naming
/// both shapes otherwise.
Tensor contract_leading_axes(const Tensor& a, const Tensor& b);

}  // namespace grutape
