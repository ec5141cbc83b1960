#include <cblas.h>

#include <climits>
#include <string>

#include "core/detail/gemm_provider.hpp"
#include "core/error.hpp"

namespace grutape::detail {
namespace {

int blas_int(std::size_t value) {
  if (value > static_cast<std::size_t>(INT_MAX)) {
    throw ValueError("gemm", "extents and strides below 2^31 (OpenBLAS takes int)",
                     std::to_string(value));
  }
  return static_cast<int>(value);
}

// OpenBLAS's thread count is process-wide; it is kept at 1 (and set back to 1 should other code
// of the process have raised it), since gemm runs its pieces on TBB threads.
void keep_one_thread() {
  if (openblas_get_num_threads() != 1) openblas_set_num_threads(1);
}

CBLAS_TRANSPOSE transpose(bool t) {
  return t ? CblasTrans : CblasNoTrans;
}

}  // namespace

void openblas_gemm(bool ta, bool tb, std::size_t m, std::size_t n, std::size_t k, float alpha,
                   const float* a, std::size_t lda, const float* b, std::size_t ldb, float beta,
                   float* c, std::size_t ldc) {
  keep_one_thread();
  cblas_sgemm(CblasRowMajor, transpose(ta), transpose(tb), blas_int(m), blas_int(n), blas_int(k),
              alpha, a, blas_int(lda), b, blas_int(ldb), beta, c, blas_int(ldc));
}

void openblas_gemm(bool ta, bool tb, std::size_t m, std::size_t n, std::size_t k, double alpha,
                   const double* a, std::size_t lda, const double* b, std::size_t ldb, double beta,
                   double* c, std::size_t ldc) {
  keep_one_thread();
  cblas_dgemm(CblasRowMajor, transpose(ta), transpose(tb), blas_int(m), blas_int(n), blas_int(k),
              alpha, a, blas_int(lda), b, blas_int(ldb), beta, c, blas_int(ldc));
}

std::string openblas_provider() {
  // openblas_get_config() reads "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH ...".
  const std::string config = openblas_get_config();
  const std::size_t begin = config.find(' ') + 1;
  return "OpenBLAS " + config.substr(begin, config.find(' ', begin) - begin) + " " +
         openblas_get_corename();
}

}  // namespace grutape::detail
