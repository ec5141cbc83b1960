#pragma once
// Sums of outer products A^T B over many rows, three at once (one per gate), beside the provider
// GEMM of core/gemm.hpp: the weight gradients of the fused GRU over all steps * batch rows
// (dW = x^T dx_g, dU = h^T dy_g), with the register tiles of core/detail/tile_products.hpp on
// operands packed chunk by chunk. Not a public header.
//
// Why not three provider calls: the rows of A are taken where they lie, through a row index
// (the input in its own (batch, time) order, read in the kernel's time-major order, with no
// reordered copy of it), the gates that share an A pack it once for all three, and every block of
// the result sums its chunks in a fixed order, so the sums are the same for any thread count.

#include <array>
#include <cstddef>

namespace grutape::detail {

/// One gate's operands. Row p of the sum pairs row a_rows[p] of A (row p when a_rows is null)
/// with row p of B.
template <class T>
struct OuterOperands {
  /// A, rows x m with row stride lda.
  const T* a;
  std::size_t lda;
  /// B, rows x units with row stride ldb.
  const T* b;
  std::size_t ldb;
  /// Which row of A each row of the sum reads, or null.
  const std::size_t* a_rows = nullptr;
};

/// out (m, 3 units) row-major with gate block g (columns g * units + j) = A_g^T B_g summed over
/// `rows` rows. The rows are taken in fixed chunks (each one phase of run_phases) and out in
/// fixed blocks (the items), so the sums are bitwise the same for any thread count.
template <class T>
void outer_products(std::size_t rows, std::size_t m, std::size_t units,
                    const std::array<OuterOperands<T>, 3>& operands, T* out);

}  // namespace grutape::detail
