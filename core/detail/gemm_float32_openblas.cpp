// The float32 provider when GRUTAPE_GEMM chose OpenBLAS (cmake/dependencies.cmake).

#include "core/detail/gemm_provider.hpp"

namespace grutape::detail {

void float32_gemm(bool ta, bool tb, std::size_t m, std::size_t n, std::size_t k, float alpha,
                  const float* a, std::size_t lda, const float* b, std::size_t ldb, float beta,
                  float* c, std::size_t ldc) {
  openblas_gemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

std::string float32_provider() {
  return openblas_provider();
}

}  // namespace grutape::detail
