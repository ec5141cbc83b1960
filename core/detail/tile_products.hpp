#pragma once
// Register-tiled products beside the provider GEMM of core/gemm.hpp: a block of rows of A times
// NV batches of L = xsimd::batch<T>::size columns of packed weights, accumulated in registers
// over the whole inner extent and handed to an epilogue tile by tile. Not a public header.
//
// Why they exist: the fused GRU (layers/gru/fused/) multiplies per time step a few state rows by
// its recurrent weights and applies the gates to the result while it is in registers or L1. A
// provider call per step would write the product to memory before the gate pass reads it back,
// pack the weights again on every call and cost a call per unit block; here the weights are
// packed once per sequence into the panels the tiles read (at batch 1 the product is a
// matrix-vector product, which the providers run no faster). The weight gradients over all steps
// use them too (core/detail/outer_products.hpp).
//
// A tile of up to kTileRows rows keeps kTileRows * NV accumulators in registers; one row is a
// matrix-vector product, where a single accumulator chain per batch would wait on the FMA
// latency, so it keeps four partial sums per batch instead (added in a fixed order). Every
// result depends only on the operands and on the row count of its tile, never on a thread.

#include <algorithm>
#include <array>
#include <cstddef>
#include <utility>

#include <xsimd/xsimd.hpp>

namespace grutape::detail {

/// One term of a product: A (element (r, p) at a[r * lda + p * ldk]) times the k panel rows at
/// `b`. Rows of a row-major matrix have ldk 1; a packed tile of kTileRows rows stored inner
/// index by inner index (one cache line per two inner indices, as the tile reads it) has
/// lda 1 and ldk kTileRows.
template <class T>
struct Segment {
  const T* a;
  std::size_t lda;
  const T* b;
  std::size_t k;
  std::size_t ldk = 1;
};

/// Where the weights of a product lie: row p of batch v at b + p * ldb + v * vstride (in a
/// packed panel the batches of a row are adjacent: vstride L, ldb a multiple of L).
struct PanelLayout {
  std::size_t ldb, vstride;
};

/// The most rows a tile keeps in registers (kTileRows * NV + NV of the 32 vector registers).
constexpr std::size_t kTileRows = 8;

/// c (MR x NV*L, row stride ldc) = the sum over segments of A[row0 .. row0 + MR) times B, plus
/// c's own values when `accumulate`.
template <class T, std::size_t MR, std::size_t NV>
void tile_product(const Segment<T>* segments, std::size_t count, std::size_t row0,
                  PanelLayout layout, T* c, std::size_t ldc, bool accumulate = false) {
  using B = xsimd::batch<T>;
  constexpr std::size_t L = B::size;
  B acc[MR][NV];
  for (std::size_t r = 0; r < MR; ++r)
    for (std::size_t v = 0; v < NV; ++v)
      acc[r][v] = accumulate ? B::load_unaligned(c + r * ldc + v * L) : B(T(0));
  for (std::size_t s = 0; s < count; ++s) {
    const T* a = segments[s].a + row0 * segments[s].lda;
    const std::size_t lda = segments[s].lda, ldk = segments[s].ldk;
    const T* b = segments[s].b;
    for (std::size_t p = 0; p < segments[s].k; ++p, b += layout.ldb, a += ldk) {
      B w[NV];
      for (std::size_t v = 0; v < NV; ++v) w[v] = B::load_unaligned(b + v * layout.vstride);
      for (std::size_t r = 0; r < MR; ++r) {
        const B x(a[r * lda]);
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
                    PanelLayout layout, T* c) {
  using B = xsimd::batch<T>;
  constexpr std::size_t L = B::size, P = 4;
  B acc[P][NV];
  for (std::size_t q = 0; q < P; ++q)
    for (std::size_t v = 0; v < NV; ++v) acc[q][v] = B(T(0));
  for (std::size_t s = 0; s < count; ++s) {
    const T* a = segments[s].a + row0 * segments[s].lda;
    const T* b = segments[s].b;
    const std::size_t k = segments[s].k, ldk = segments[s].ldk;
    std::size_t p = 0;
    for (; p + P <= k; p += P) {
      for (std::size_t q = 0; q < P; ++q) {
        const B x(a[(p + q) * ldk]);
        for (std::size_t v = 0; v < NV; ++v)
          acc[q][v] = xsimd::fma(
              x, B::load_unaligned(b + (p + q) * layout.ldb + v * layout.vstride), acc[q][v]);
      }
    }
    for (; p < k; ++p) {
      const B x(a[p * ldk]);
      for (std::size_t v = 0; v < NV; ++v)
        acc[0][v] =
            xsimd::fma(x, B::load_unaligned(b + p * layout.ldb + v * layout.vstride), acc[0][v]);
    }
  }
  for (std::size_t v = 0; v < NV; ++v)
    ((acc[0][v] + acc[1][v]) + (acc[2][v] + acc[3][v])).store_unaligned(c + v * L);
}

/// tile_product of 2 + R rows for each R of `counts`, by row count minus 2.
template <class T, std::size_t NV, std::size_t... R>
constexpr auto tile_products_by_rows(std::index_sequence<R...> counts) {
  static_cast<void>(counts);
  using Tile =
      void (*)(const Segment<T>*, std::size_t, std::size_t, PanelLayout, T*, std::size_t, bool);
  return std::array<Tile, sizeof...(R)>{&tile_product<T, 2 + R, NV>...};
}

/// c (rows x NV*L, row stride ldc) for rows [row0, row0 + rows), rows <= kTileRows: the tile
/// product with exactly as many rows of accumulators, or the vector product for one row.
template <class T, std::size_t NV>
void tile_rows(std::size_t rows, const Segment<T>* segments, std::size_t count, std::size_t row0,
               PanelLayout layout, T* c, std::size_t ldc) {
  if (rows == 1) return vector_product<T, NV>(segments, count, row0, layout, c);
  static constexpr auto tiles =
      tile_products_by_rows<T, NV>(std::make_index_sequence<kTileRows - 1>());
  tiles[std::min(rows, kTileRows) - 2](segments, count, row0, layout, c, ldc, false);
}

/// Rows [0, rows) cut into the fewest tiles of at most kTileRows rows, of sizes that differ by
/// at most one (20 rows: 7, 7, 6 rather than 8, 8, 4, whose last tile would leave half of the
/// accumulators idle).
struct RowTiles {
  explicit RowTiles(std::size_t rows)
      : count((rows + kTileRows - 1) / kTileRows),
        base(count ? rows / count : 0),
        extra(count ? rows % count : 0) {}
  std::size_t begin(std::size_t tile) const { return tile * base + std::min(tile, extra); }
  std::size_t size(std::size_t tile) const { return base + (tile < extra ? 1 : 0); }

  std::size_t count, base, extra;
};

/// For the tiles of RowTiles(rows): computes the tile's product into a buffer (tile rows x
/// NV*L, row stride NV*L) and calls epilogue(row0, tile_rows, buffer).
template <class T, std::size_t NV, class Epilogue>
void product_rows(std::size_t rows, const Segment<T>* segments, std::size_t count,
                  PanelLayout layout, Epilogue&& epilogue) {
  alignas(64) T buffer[kTileRows * NV * xsimd::batch<T>::size];
  const RowTiles tiles(rows);
  for (std::size_t tile = 0; tile < tiles.count; ++tile) {
    const std::size_t row0 = tiles.begin(tile), height = tiles.size(tile);
    tile_rows<T, NV>(height, segments, count, row0, layout, buffer, NV * xsimd::batch<T>::size);
    epilogue(row0, height, static_cast<const T*>(buffer));
  }
}

/// product_rows over one panel whose batch of columns v multiplies its own operand v (rows of
/// stride lda, inner extent k): the gates of a GRU with dropout masks, each reading x or h
/// under its own mask. Operands that are all one pointer make it a single product_rows.
template <class T, std::size_t NV, class Epilogue>
void gate_products(std::size_t rows, const std::array<const T*, NV>& operands, std::size_t lda,
                   const T* panel, PanelLayout layout, std::size_t k, Epilogue&& epilogue) {
  constexpr std::size_t L = xsimd::batch<T>::size;
  bool shared = true;
  for (const T* operand : operands) shared = shared && operand == operands[0];
  if (shared) {
    const Segment<T> segment{operands[0], lda, panel, k};
    product_rows<T, NV>(rows, &segment, 1, layout, epilogue);
    return;
  }
  alignas(64) T buffer[kTileRows * NV * L];
  const RowTiles tiles(rows);
  for (std::size_t tile = 0; tile < tiles.count; ++tile) {
    const std::size_t row0 = tiles.begin(tile), height = tiles.size(tile);
    for (std::size_t v = 0; v < NV; ++v) {
      const Segment<T> segment{operands[v], lda, panel + v * layout.vstride, k};
      tile_rows<T, 1>(height, &segment, 1, row0, layout, buffer + v * L, NV * L);
    }
    epilogue(row0, height, static_cast<const T*>(buffer));
  }
}

/// The items of a product too large for the caches (all steps' rows at once): a chunk of rows
/// of A (about kChunkBytes, so it stays in L2) times a group of up to kGroupPanels panels, so
/// that each panel is read once per chunk and each chunk once per group. Items are numbered
/// chunk-major: a thread's consecutive items share their chunk of A. A function of the shape
/// alone.
class ProductBlocks {
 public:
  static constexpr std::size_t kChunkBytes = std::size_t{1} << 19;
  static constexpr std::size_t kGroupPanels = 4;

  ProductBlocks(std::size_t rows, std::size_t k, std::size_t panels, std::size_t element_size)
      : rows_(rows), panels_(panels) {
    const std::size_t fit = kChunkBytes / std::max<std::size_t>(1, k * element_size);
    chunk_ = std::max(kTileRows, fit / kTileRows * kTileRows);
    chunks_ = (rows + chunk_ - 1) / chunk_;
    groups_ = (panels + kGroupPanels - 1) / kGroupPanels;
  }
  std::size_t items() const { return chunks_ * groups_; }
  std::size_t row_begin(std::size_t item) const { return item / groups_ * chunk_; }
  std::size_t row_end(std::size_t item) const { return std::min(rows_, row_begin(item) + chunk_); }
  std::size_t panel_begin(std::size_t item) const { return item % groups_ * kGroupPanels; }
  std::size_t panel_end(std::size_t item) const {
    return std::min(panels_, panel_begin(item) + kGroupPanels);
  }

 private:
  std::size_t rows_, panels_, chunk_, chunks_, groups_;
};

}  // namespace grutape::detail
