#include "core/detail/outer_products.hpp"

#include <algorithm>
#include <cstring>

#include "core/detail/phases.hpp"
#include "core/detail/simd.hpp"
#include "core/detail/tile_products.hpp"
#include "core/detail/workspace.hpp"

namespace grutape::detail {

// The sizes of one call and the layout of a packed chunk: each distinct A as tiles of kTileRows
// rows stored inner index by inner index (kTileRows values each), each gate's B as panels of
// kChunkRows rows of 3 L values; zero beyond m and units. (Outside the anonymous namespace: the
// phases' closure, of external linkage, holds a reference to it.)
template <class T>
struct OuterPlan {
  // Rows of the sum taken per chunk: the packed chunk of A and B stays in the caches while every
  // block of out uses it.
  static constexpr std::size_t kChunkRows = 256;
  // A block of out: kBlockTiles tiles of kTileRows rows times kBlockPanels panels of 3 batches.
  static constexpr std::size_t kBlockTiles = 8, kBlockPanels = 4;
  static constexpr std::size_t kWidth = 3 * xsimd::batch<T>::size;
  std::size_t rows, m, units, tiles, panels, row_blocks, col_blocks;
  // Gates whose A is the same matrix share its packed tiles: slot[g] is the packed A of gate g,
  // sources[s] the gate that packs slot s.
  std::array<std::size_t, 3> slot{};
  std::array<std::size_t, 3> sources{};
  std::size_t slots = 0;

  OuterPlan(std::size_t rows_, std::size_t m_, std::size_t units_,
            const std::array<OuterOperands<T>, 3>& operands)
      : rows(rows_),
        m(m_),
        units(units_),
        tiles((m + kTileRows - 1) / kTileRows),
        panels((units + kWidth - 1) / kWidth),
        row_blocks((tiles + kBlockTiles - 1) / kBlockTiles),
        col_blocks((panels + kBlockPanels - 1) / kBlockPanels) {
    for (std::size_t g = 0; g < 3; ++g) {
      slot[g] = slots;
      for (std::size_t e = 0; e < g; ++e) {
        if (operands[e].a == operands[g].a && operands[e].lda == operands[g].lda &&
            operands[e].a_rows == operands[g].a_rows) {
          slot[g] = slot[e];
          break;
        }
      }
      if (slot[g] == slots) sources[slots++] = g;
    }
  }
  std::size_t chunks() const { return (rows + kChunkRows - 1) / kChunkRows; }
  std::size_t a_size() const { return slots * tiles * kTileRows * kChunkRows; }
  std::size_t b_size() const { return 3 * panels * kChunkRows * kWidth; }
  // Packing items: each tile of each distinct A, then each panel of each gate's B.
  std::size_t pack_items() const { return slots * tiles + 3 * panels; }
  // Product items: blocks of out, gate by gate.
  std::size_t product_items() const { return 3 * row_blocks * col_blocks; }
  std::size_t tile_offset(std::size_t s, std::size_t t) const {
    return (s * tiles + t) * kTileRows * kChunkRows;
  }
  std::size_t panel_offset(std::size_t g, std::size_t p) const {
    return (g * panels + p) * kChunkRows * kWidth;
  }
};

namespace {

// Packs item `item` of the chunk of rows [k0, k0 + kk): a tile of an A or a panel of a B.
template <class T>
void pack_outer_item(const OuterPlan<T>& plan, const std::array<OuterOperands<T>, 3>& operands,
                     std::size_t k0, std::size_t kk, std::size_t item, T* a_pack, T* b_pack) {
  constexpr std::size_t W = OuterPlan<T>::kWidth;
  if (item < plan.slots * plan.tiles) {
    const std::size_t s = item / plan.tiles, t = item % plan.tiles, i0 = t * kTileRows;
    const OuterOperands<T>& op = operands[plan.sources[s]];
    T* out = a_pack + plan.tile_offset(s, t);
    const std::size_t valid = std::min(kTileRows, plan.m - i0);
    for (std::size_t p = 0; p < kk; ++p) {
      const T* from = op.a + (op.a_rows ? op.a_rows[k0 + p] : k0 + p) * op.lda + i0;
      if (valid == kTileRows) {
        std::memcpy(out + p * kTileRows, from, kTileRows * sizeof(T));
        continue;
      }
      for (std::size_t r = 0; r < kTileRows; ++r)
        out[p * kTileRows + r] = r < valid ? from[r] : T(0);
    }
    return;
  }
  const std::size_t rest = item - plan.slots * plan.tiles;
  const std::size_t g = rest / plan.panels, p0 = rest % plan.panels, j0 = p0 * W;
  const OuterOperands<T>& op = operands[g];
  T* out = b_pack + plan.panel_offset(g, p0);
  const std::size_t valid = std::min(W, plan.units - j0);
  for (std::size_t p = 0; p < kk; ++p)
    copy_padded(op.b + (k0 + p) * op.ldb + j0, valid, W, out + p * W);
}

// Block `item` of out plus the chunk's product (stored instead for the first chunk).
template <class T>
void multiply_outer_block(const OuterPlan<T>& plan, std::size_t chunk, std::size_t kk,
                          std::size_t item, const T* a_pack, const T* b_pack, T* out) {
  constexpr std::size_t L = xsimd::batch<T>::size, W = OuterPlan<T>::kWidth;
  const std::size_t per_gate = plan.row_blocks * plan.col_blocks;
  const std::size_t g = item / per_gate, rest = item % per_gate;
  const std::size_t t0 = rest / plan.col_blocks * plan.kBlockTiles;
  const std::size_t p0 = rest % plan.col_blocks * plan.kBlockPanels;
  const std::size_t ldo = 3 * plan.units;
  alignas(64) T product[kTileRows * W];
  // Tile by tile (its packed A stays in L1), panel by panel (its packed B in L2).
  for (std::size_t t = t0; t < std::min(plan.tiles, t0 + plan.kBlockTiles); ++t) {
    const std::size_t i0 = t * kTileRows, height = std::min(kTileRows, plan.m - i0);
    for (std::size_t p = p0; p < std::min(plan.panels, p0 + plan.kBlockPanels); ++p) {
      const std::size_t j0 = p * W, cols = std::min(W, plan.units - j0);
      const Segment<T> segment{a_pack + plan.tile_offset(plan.slot[g], t), 1,
                               b_pack + plan.panel_offset(g, p), kk, kTileRows};
      T* corner = out + i0 * ldo + g * plan.units + j0;
      if (height == kTileRows && cols == W) {
        // A whole tile: accumulated in registers straight from and into out.
        tile_product<T, kTileRows, 3>(&segment, 1, 0, PanelLayout{W, L}, corner, ldo, chunk > 0);
        continue;
      }
      tile_product<T, kTileRows, 3>(&segment, 1, 0, PanelLayout{W, L}, product, W);
      for (std::size_t r = 0; r < height; ++r) {
        const T* from = product + r * W;
        T* row = corner + r * ldo;
        for (std::size_t c = 0; c < cols; ++c) row[c] = chunk > 0 ? row[c] + from[c] : from[c];
      }
    }
  }
}

}  // namespace

template <class T>
void outer_products(std::size_t rows, std::size_t m, std::size_t units,
                    const std::array<OuterOperands<T>, 3>& operands, T* out) {
  if (rows == 0) {
    std::fill(out, out + m * 3 * units, T(0));
    return;
  }
  const OuterPlan<T> plan(rows, m, units, operands);
  constexpr std::size_t kChunkRows = OuterPlan<T>::kChunkRows;
  Buffer<T> a_pack(plan.a_size()), b_pack(plan.b_size());
  // Per chunk two phases: pack it, then add its product to every block of out. Each block of
  // out sums its chunks in order: the result does not depend on which thread ran what.
  const double work = static_cast<double>(m) * 3 * units * kChunkRows;
  run_phases(2 * plan.chunks(), std::max(plan.pack_items(), plan.product_items()), work,
             [&](std::size_t phase, std::size_t item) {
               const std::size_t chunk = phase / 2, k0 = chunk * kChunkRows;
               const std::size_t kk = std::min(kChunkRows, rows - k0);
               if (phase % 2 == 0) {
                 if (item < plan.pack_items())
                   pack_outer_item(plan, operands, k0, kk, item, a_pack.data(), b_pack.data());
               } else if (item < plan.product_items()) {
                 multiply_outer_block(plan, chunk, kk, item, a_pack.data(), b_pack.data(), out);
               }
             });
}

template void outer_products<float>(std::size_t, std::size_t, std::size_t,
                                    const std::array<OuterOperands<float>, 3>&, float*);
template void outer_products<double>(std::size_t, std::size_t, std::size_t,
                                     const std::array<OuterOperands<double>, 3>&, double*);

}  // namespace grutape::detail
