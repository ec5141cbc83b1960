// The float32 provider when GRUTAPE_GEMM chose oneDNN (cmake/dependencies.cmake): dnnl_sgemm,
// faster than Debian's OpenBLAS on the GRU's shapes (docs/gemm.md).

#include <dnnl.h>
#include <dnnl_debug.h>
#include <omp.h>

#include <string>

#include "core/detail/gemm_provider.hpp"
#include "core/error.hpp"

#if DNNL_CPU_RUNTIME != DNNL_RUNTIME_OMP && DNNL_CPU_RUNTIME != DNNL_RUNTIME_SEQ
#error \
    "core/detail/gemm_float32_onednn.cpp keeps oneDNN to one OpenMP thread per call; this oneDNN uses another runtime"
#endif

namespace grutape::detail {

// oneDNN's OpenMP build starts a team of omp_get_max_threads() threads per call, on top of
// gemm's TBB threads; the caller's OpenMP setting is restored afterwards.
void float32_gemm(bool ta, bool tb, std::size_t m, std::size_t n, std::size_t k, float alpha,
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

std::string float32_provider() {
  const dnnl_version_t* version = dnnl_version();
  return "oneDNN " + std::to_string(version->major) + "." + std::to_string(version->minor) + "." +
         std::to_string(version->patch);
}

}  // namespace grutape::detail
