#include "core/gemm.hpp"

#include <algorithm>
#include <climits>
#include <functional>
#include <limits>
#include <string>

#include <cblas.h>
#include <dnnl.h>
#include <dnnl_debug.h>
#include <omp.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/partitioner.h>
#include <tbb/task_arena.h>

#include "core/error.hpp"
#include "core/parallel.hpp"

#if DNNL_CPU_RUNTIME != DNNL_RUNTIME_OMP && DNNL_CPU_RUNTIME != DNNL_RUNTIME_SEQ
#error \
    "core/gemm.cpp keeps oneDNN on one thread per call through OpenMP; this oneDNN uses another runtime"
#endif

namespace grutape {
namespace {

// The tiling of C (bench/gemm_bench and docs/gemm.md measure it). Below kMinSplitWork
// multiply-adds a call is one tile: a second thread would cost more than it saves. Larger calls
// get tiles of at most kMaxTileRows x kMaxTileCols (bigger tiles gain under 3% in one thread) and
// at least kMinTiles of them where each keeps kMinSplitWork / 2 multiply-adds, so that two or four
// threads share the work evenly. Column tiles are multiples of 16 so that they start on a cache
// line of C and B.
constexpr double kMinSplitWork = 1 << 21;
constexpr std::size_t kMaxTileRows = 1024;
constexpr std::size_t kMaxTileCols = 1024;
constexpr std::size_t kMinTileRows = 32;
constexpr std::size_t kMinTileCols = 128;
constexpr std::size_t kMinTiles = 4;
constexpr std::size_t kColumnAlign = 16;

thread_local std::size_t thread_limit = std::numeric_limits<std::size_t>::max();

std::size_t ceil_div(std::size_t a, std::size_t b) {
  return (a + b - 1) / b;
}

// Tile extents of an m x n result with inner extent k; a function of the shape alone.
struct Tiling {
  std::size_t rows;
  std::size_t cols;
};

Tiling choose_tiles(std::size_t m, std::size_t n, std::size_t k) {
  const double work = static_cast<double>(m) * static_cast<double>(n) * static_cast<double>(k);
  if (work < kMinSplitWork) return {m, n};
  std::size_t row_tiles = ceil_div(m, kMaxTileRows), col_tiles = ceil_div(n, kMaxTileCols);
  // Columns first: a column tile repacks only the (small) rows of A it shares with the others.
  while (row_tiles * col_tiles < kMinTiles &&
         work / (2.0 * row_tiles * col_tiles) >= kMinSplitWork / 2) {
    if (n / (2 * col_tiles) >= kMinTileCols)
      col_tiles *= 2;
    else if (m / (2 * row_tiles) >= kMinTileRows)
      row_tiles *= 2;
    else
      break;
  }
  const std::size_t cols =
      std::min(n, ceil_div(ceil_div(n, col_tiles), kColumnAlign) * kColumnAlign);
  return {ceil_div(m, row_tiles), cols};
}

void require_stride(const char* name, std::size_t stride, std::size_t row, const char* matrix,
                    std::size_t rows) {
  if (stride < row) {
    throw ShapeError("gemm",
                     std::string(name) + " >= " + std::to_string(row) + " (" + matrix + " stored " +
                         std::to_string(rows) + " x " + std::to_string(row) + ")",
                     std::string(name) + " " + std::to_string(stride));
  }
}

// One single-threaded oneDNN call. oneDNN's OpenMP build starts a team of omp_get_max_threads()
// threads per call, on top of ours; the caller's OpenMP setting is restored afterwards.
void provider_gemm(bool ta, bool tb, std::size_t m, std::size_t n, std::size_t k, float alpha,
                   const float* a, std::size_t lda, const float* b, std::size_t ldb, float beta,
                   float* c, std::size_t ldc) {
  const int saved = omp_get_max_threads();
  if (saved != 1) omp_set_num_threads(1);
  const dnnl_status_t status = dnnl_sgemm(
      ta ? 'T' : 'N', tb ? 'T' : 'N', static_cast<dnnl_dim_t>(m), static_cast<dnnl_dim_t>(n),
      static_cast<dnnl_dim_t>(k), alpha, a, static_cast<dnnl_dim_t>(lda), b,
      static_cast<dnnl_dim_t>(ldb), beta, c, static_cast<dnnl_dim_t>(ldc));
  if (saved != 1) omp_set_num_threads(saved);
  if (status != dnnl_success) {
    throw Error("gemm", "oneDNN's dnnl_sgemm to succeed",
                std::string("status ") + dnnl_status2str(status));
  }
}

int blas_int(std::size_t value) {
  if (value > static_cast<std::size_t>(INT_MAX)) {
    throw ValueError("gemm", "extents and strides below 2^31 (OpenBLAS takes int)",
                     std::to_string(value));
  }
  return static_cast<int>(value);
}

// One single-threaded OpenBLAS call. OpenBLAS's thread count is process-wide; it is kept at 1
// (and set back to 1 should other code of the process have raised it).
void provider_gemm(bool ta, bool tb, std::size_t m, std::size_t n, std::size_t k, double alpha,
                   const double* a, std::size_t lda, const double* b, std::size_t ldb, double beta,
                   double* c, std::size_t ldc) {
  if (openblas_get_num_threads() != 1) openblas_set_num_threads(1);
  cblas_dgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans,
              blas_int(m), blas_int(n), blas_int(k), alpha, a, blas_int(lda), b, blas_int(ldb),
              beta, c, blas_int(ldc));
}

void run_tiles(std::size_t tiles, const std::function<void(std::size_t)>& run_tile) {
  const std::size_t threads = gemm_threads();
  if (tiles == 1 || threads == 1) {
    for (std::size_t t = 0; t < tiles; ++t) run_tile(t);
    return;
  }
  // One task per tile: there are few, and they are of equal size.
  auto parallel = [&] {
    tbb::parallel_for(
        tbb::blocked_range<std::size_t>(0, tiles, 1),
        [&](const tbb::blocked_range<std::size_t>& range) {
          for (std::size_t t = range.begin(); t < range.end(); ++t) run_tile(t);
        },
        tbb::simple_partitioner());
  };
  if (threads >= max_threads()) {
    parallel();
  } else {
    tbb::task_arena arena(static_cast<int>(threads));
    arena.execute(parallel);
  }
}

template <class T>
void tiled_gemm(bool ta, bool tb, std::size_t m, std::size_t n, std::size_t k, T alpha, const T* a,
                std::size_t lda, const T* b, std::size_t ldb, T beta, T* c, std::size_t ldc) {
  require_stride("lda", lda, ta ? m : k, "A", ta ? k : m);
  require_stride("ldb", ldb, tb ? k : n, "B", tb ? n : k);
  require_stride("ldc", ldc, n, "C", m);
  if (m == 0 || n == 0) return;
  if (k == 0) {
    // op(A) op(B) is an m x n matrix of zeros.
    for (std::size_t i = 0; i < m; ++i) {
      T* row = c + i * ldc;
      if (beta == T(0))
        std::fill(row, row + n, T(0));
      else
        for (std::size_t j = 0; j < n; ++j) row[j] *= beta;
    }
    return;
  }
  const Tiling tiling = choose_tiles(m, n, k);
  const std::size_t col_tiles = ceil_div(n, tiling.cols);
  run_tiles(ceil_div(m, tiling.rows) * col_tiles, [&](std::size_t t) {
    const std::size_t i = (t / col_tiles) * tiling.rows, j = (t % col_tiles) * tiling.cols;
    const T* a_tile = ta ? a + i : a + i * lda;
    const T* b_tile = tb ? b + j * ldb : b + j;
    provider_gemm(ta, tb, std::min(tiling.rows, m - i), std::min(tiling.cols, n - j), k, alpha,
                  a_tile, lda, b_tile, ldb, beta, c + i * ldc + j, ldc);
  });
}

}  // namespace

void gemm(bool transpose_a, bool transpose_b, std::size_t m, std::size_t n, std::size_t k,
          float alpha, const float* a, std::size_t lda, const float* b, std::size_t ldb, float beta,
          float* c, std::size_t ldc) {
  tiled_gemm(transpose_a, transpose_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

void gemm(bool transpose_a, bool transpose_b, std::size_t m, std::size_t n, std::size_t k,
          double alpha, const double* a, std::size_t lda, const double* b, std::size_t ldb,
          double beta, double* c, std::size_t ldc) {
  tiled_gemm(transpose_a, transpose_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

const char* gemm_provider() {
  static const std::string name = [] {
    const dnnl_version_t* dnnl = dnnl_version();
    // openblas_get_config() reads "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH ...".
    const std::string config = openblas_get_config();
    const std::size_t begin = config.find(' ') + 1;
    return "oneDNN " + std::to_string(dnnl->major) + "." + std::to_string(dnnl->minor) + "." +
           std::to_string(dnnl->patch) + " (float32), OpenBLAS " +
           config.substr(begin, config.find(' ', begin) - begin) + " " + openblas_get_corename() +
           " (float64)";
  }();
  return name.c_str();
}

std::size_t gemm_threads() {
  return std::min(max_threads(), thread_limit);
}

GemmThreads::GemmThreads(std::size_t threads) : previous_(thread_limit) {
  if (threads == 0) throw ValueError("GemmThreads", "at least 1 thread", "0");
  thread_limit = threads;
}

GemmThreads::~GemmThreads() {
  thread_limit = previous_;
}

}  // namespace grutape
