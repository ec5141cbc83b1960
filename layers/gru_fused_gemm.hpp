#pragma once
// The small products of the fused GRU's time loop: a block of rows of a row-major A times a
// panel of weights packed for the kernel (gru_fused_pack.hpp), accumulated in registers over
// the whole inner extent and handed to an epilogue tile by tile. Not a public header.
//
// A panel holds NV batches of L = xsimd::batch<T>::size columns for every inner index, one row
// of NV * L values after the other (row stride ldb), so that the kernel reads it as one stream.
// A tile of up to kTileRows rows keeps kTileRows * NV accumulators in registers; one row is a
// matrix-vector product, where a single accumulator chain per batch would wait on the FMA
// latency, so it keeps four partial sums per batch instead (added in a fixed order). Every
// result depends only on the operands and on the row count of its tile, never on a thread.

#include <cstddef>

#include <xsimd/xsimd.hpp>

namespace grutape::detail {

/// One term of a product: A (rows of `a`, row stride lda) times the k panel rows at `b`.
template <class T>
struct Segment {
  const T* a;
  std::size_t lda;
  const T* b;
  std::size_t k;
};

/// The most rows a tile keeps in registers (kTileRows * NV + NV of the 32 vector registers).
constexpr std::size_t kTileRows = 8;

/// c (MR x NV*L, row stride ldc) = the sum over segments of A[row0 .. row0 + MR) times B.
template <class T, std::size_t MR, std::size_t NV>
void tile_product(const Segment<T>* segments, std::size_t count, std::size_t row0, std::size_t ldb,
                  T* c, std::size_t ldc) {
  using B = xsimd::batch<T>;
  constexpr std::size_t L = B::size;
  B acc[MR][NV];
  for (std::size_t r = 0; r < MR; ++r)
    for (std::size_t v = 0; v < NV; ++v) acc[r][v] = B(T(0));
  for (std::size_t s = 0; s < count; ++s) {
    const T* a = segments[s].a + row0 * segments[s].lda;
    const std::size_t lda = segments[s].lda;
    const T* b = segments[s].b;
    for (std::size_t p = 0; p < segments[s].k; ++p, b += ldb) {
      B w[NV];
      for (std::size_t v = 0; v < NV; ++v) w[v] = B::load_unaligned(b + v * L);
      for (std::size_t r = 0; r < MR; ++r) {
        const B x(a[r * lda + p]);
        for (std::size_t v = 0; v < NV; ++v) acc[r][v] = xsimd::fma(x, w[v], acc[r][v]);
      }
    }
  }
  for (std::size_t r = 0; r < MR; ++r)
    for (std::size_t v = 0; v < NV; ++v) acc[r][v].store_unaligned(c + r * ldc + v * L);
}

/// The one-row product (a matrix-vector product), c (1 x NV*L) as tile_product, with four
/// partial sums per batch over the inner index modulo 4, summed in a fixed order.
template <class T, std::size_t NV>
void vector_product(const Segment<T>* segments, std::size_t count, std::size_t row0,
                    std::size_t ldb, T* c) {
  using B = xsimd::batch<T>;
  constexpr std::size_t L = B::size, P = 4;
  B acc[P][NV];
  for (std::size_t q = 0; q < P; ++q)
    for (std::size_t v = 0; v < NV; ++v) acc[q][v] = B(T(0));
  for (std::size_t s = 0; s < count; ++s) {
    const T* a = segments[s].a + row0 * segments[s].lda;
    const T* b = segments[s].b;
    const std::size_t k = segments[s].k;
    std::size_t p = 0;
    for (; p + P <= k; p += P) {
      for (std::size_t q = 0; q < P; ++q) {
        const B x(a[p + q]);
        for (std::size_t v = 0; v < NV; ++v)
          acc[q][v] = xsimd::fma(x, B::load_unaligned(b + (p + q) * ldb + v * L), acc[q][v]);
      }
    }
    for (; p < k; ++p) {
      const B x(a[p]);
      for (std::size_t v = 0; v < NV; ++v)
        acc[0][v] = xsimd::fma(x, B::load_unaligned(b + p * ldb + v * L), acc[0][v]);
    }
  }
  for (std::size_t v = 0; v < NV; ++v)
    ((acc[0][v] + acc[1][v]) + (acc[2][v] + acc[3][v])).store_unaligned(c + v * L);
}

/// c (rows x NV*L, row stride ldc) for rows [row0, row0 + rows), rows <= kTileRows.
template <class T, std::size_t NV>
void tile_rows(std::size_t rows, const Segment<T>* segments, std::size_t count, std::size_t row0,
               std::size_t ldb, T* c, std::size_t ldc) {
  switch (rows) {
    case 1:
      return vector_product<T, NV>(segments, count, row0, ldb, c);
    case 2:
      return tile_product<T, 2, NV>(segments, count, row0, ldb, c, ldc);
    case 3:
      return tile_product<T, 3, NV>(segments, count, row0, ldb, c, ldc);
    case 4:
      return tile_product<T, 4, NV>(segments, count, row0, ldb, c, ldc);
    case 5:
      return tile_product<T, 5, NV>(segments, count, row0, ldb, c, ldc);
    case 6:
      return tile_product<T, 6, NV>(segments, count, row0, ldb, c, ldc);
    case 7:
      return tile_product<T, 7, NV>(segments, count, row0, ldb, c, ldc);
    default:
      return tile_product<T, kTileRows, NV>(segments, count, row0, ldb, c, ldc);
  }
}

/// For rows [0, rows) in tiles of up to kTileRows: computes the tile's product into a buffer
/// (tile rows x NV*L, row stride NV*L) and calls epilogue(row0, tile_rows, buffer).
template <class T, std::size_t NV, class Epilogue>
void product_rows(std::size_t rows, const Segment<T>* segments, std::size_t count, std::size_t ldb,
                  Epilogue&& epilogue) {
  alignas(64) T buffer[kTileRows * NV * xsimd::batch<T>::size];
  for (std::size_t row0 = 0; row0 < rows; row0 += kTileRows) {
    const std::size_t tile = rows - row0 < kTileRows ? rows - row0 : kTileRows;
    tile_rows<T, NV>(tile, segments, count, row0, ldb, buffer, NV * xsimd::batch<T>::size);
    epilogue(row0, tile, static_cast<const T*>(buffer));
  }
}

}  // namespace grutape::detail
