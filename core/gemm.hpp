#pragma once
// The one matrix-multiply entry point of grutape. The providers behind it (float32: oneDNN or
// OpenBLAS, chosen at configure time by GRUTAPE_GEMM; float64: OpenBLAS; docs/gemm.md has the
// measurement behind the choice) are seen only by core/gemm*.cpp, so they can change without
// touching a caller.
//
// Threads: a large call is cut into two pieces fixed by its shape and layout alone, never by the
// thread count; each piece is one single-threaded provider call, and the pieces run on TBB
// threads. Results are therefore bitwise the same for any thread count. The providers' own thread
// pools are never used: their results change with their thread count (docs/gemm.md).

#include <cstddef>

namespace grutape {

/// C = alpha * op(A) * op(B) + beta * C on row-major matrices, where op(A) is m x k (A is stored
/// k x m when transpose_a) and op(B) is k x n (B is stored n x k when transpose_b); lda, ldb and
/// ldc are the row strides of A, B and C as stored. With m or n == 0 nothing is touched; with
/// k == 0, C = beta * C. beta == 0 overwrites C without reading it (as in BLAS). A ShapeError when
/// a row stride is shorter than its row.
void gemm(bool transpose_a, bool transpose_b, std::size_t m, std::size_t n, std::size_t k,
          float alpha, const float* a, std::size_t lda, const float* b, std::size_t ldb, float beta,
          float* c, std::size_t ldc);
void gemm(bool transpose_a, bool transpose_b, std::size_t m, std::size_t n, std::size_t k,
          double alpha, const double* a, std::size_t lda, const double* b, std::size_t ldb,
          double beta, double* c, std::size_t ldc);

/// The providers this build calls and their versions, e.g. "oneDNN 2.6.3 (float32), OpenBLAS
/// 0.3.21 Haswell (float64)", or "OpenBLAS 0.3.21 Haswell (float32), OpenBLAS 0.3.21 Haswell
/// (float64)" when built with GRUTAPE_GEMM=openblas. For benchmarks and version output.
const char* gemm_provider();

/// The number of threads a gemm call made now on this thread may use: max_threads(), lowered by
/// the innermost GemmThreads alive on this thread.
std::size_t gemm_threads();

/// Limits the gemm calls made on this thread to `threads` threads while it lives; 1 runs them on
/// the calling thread only. Meant for callers that are parallel already, such as GEMMs inside TBB
/// tasks. Results do not change, only where the pieces run. Scopes nest; a ValueError for 0.
class GemmThreads {
 public:
  explicit GemmThreads(std::size_t threads);
  ~GemmThreads();
  GemmThreads(const GemmThreads&) = delete;
  GemmThreads& operator=(const GemmThreads&) = delete;

 private:
  std::size_t previous_;
};

}  // namespace grutape
