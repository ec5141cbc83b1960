#pragma once
// Sums of outer products over all steps * batch rows, A^T B, for the weight gradients of the
// fused GRU (dW = x^T dx_g, dU = h^T dy_g): the register tiles of layers/gru/fused/detail/gemm.hpp
// on operands packed chunk by chunk. Not a public header.

#include <array>
#include <cstddef>

namespace grutape::detail {

/// One gate's operands: A (rows x m, row stride lda) and B (rows x units, row stride ldb). Row p
/// of the sum pairs row a_rows[p] of A (row p when a_rows is null) with row p of B.
template <class T>
struct OuterOperands {
  const T* a;
  std::size_t lda;
  const T* b;
  std::size_t ldb;
  const std::size_t* a_rows = nullptr;
};

/// out (m, 3 units) row-major with gate block g (columns g * units + j) = A_g^T B_g summed over
/// `rows` rows. The rows are taken in fixed chunks (each one phase of run_phases) and out in
/// fixed blocks (the items), so the sums are bitwise the same for any thread count.
template <class T>
void outer_products(std::size_t rows, std::size_t m, std::size_t units,
                    const std::array<OuterOperands<T>, 3>& operands, T* out);

}  // namespace grutape::detail
