#pragma once
// The providers behind grutape::gemm (core/gemm.hpp), for core/gemm*.cpp only. Each function is
// one single-threaded call on row-major matrices, with BLAS's meaning of the arguments and the
// checks of gemm already done. float64 is always OpenBLAS; float32 is the provider GRUTAPE_GEMM
// chose at configure time: exactly one of core/detail/gemm_float32_onednn.cpp and
// core/detail/gemm_float32_openblas.cpp is compiled (cmake/dependencies.cmake, docs/gemm.md).

#include <cstddef>
#include <string>

namespace grutape::detail {

/// The float32 provider chosen at configure time.
void float32_gemm(bool ta, bool tb, std::size_t m, std::size_t n, std::size_t k, float alpha,
                  const float* a, std::size_t lda, const float* b, std::size_t ldb, float beta,
                  float* c, std::size_t ldc);

/// The float32 provider and its version, e.g. "oneDNN 2.6.3".
std::string float32_provider();

/// OpenBLAS's sgemm and dgemm (core/detail/gemm_openblas.cpp).
void openblas_gemm(bool ta, bool tb, std::size_t m, std::size_t n, std::size_t k, float alpha,
                   const float* a, std::size_t lda, const float* b, std::size_t ldb, float beta,
                   float* c, std::size_t ldc);
void openblas_gemm(bool ta, bool tb, std::size_t m, std::size_t n, std::size_t k, double alpha,
                   const double* a, std::size_t lda, const double* b, std::size_t ldb, double beta,
                   double* c, std::size_t ldc);

/// OpenBLAS's version and the kernel set it runs, e.g. "OpenBLAS 0.3.21 Haswell".
std::string openblas_provider();

}  // namespace grutape::detail
