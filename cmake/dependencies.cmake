# Every dependency is a Debian package; a missing one stops configure with the package to install
# (scripts/setup installs them all).

function(grutape_missing what package)
  message(FATAL_ERROR "grutape needs ${what}: install the Debian package ${package} "
                      "(apt-get install ${package}, or run scripts/setup)")
endfunction()

find_package(xtl QUIET)
find_package(xtensor QUIET)
if(NOT xtensor_FOUND)
  grutape_missing("xtensor" "libxtensor-dev")
endif()
find_package(xsimd QUIET)
if(NOT xsimd_FOUND)
  grutape_missing("xsimd" "libxsimd-dev")
endif()
find_package(TBB QUIET)
if(NOT TBB_FOUND)
  grutape_missing("oneTBB" "libtbb-dev")
endif()
find_package(nlohmann_json QUIET)
if(NOT nlohmann_json_FOUND)
  grutape_missing("nlohmann/json" "nlohmann-json3-dev")
endif()
if(GRUTAPE_BUILD_TESTS)
  find_package(Boost QUIET COMPONENTS unit_test_framework)
  if(NOT Boost_FOUND)
    grutape_missing("Boost.Test" "libboost-test-dev")
  endif()
endif()

# GEMM providers (docs/gemm.md holds the measurement behind the choice): oneDNN's dnnl_sgemm for
# float32, about twice OpenBLAS's sgemm on the GRU's shapes; OpenBLAS for float64, which oneDNN
# lacks. Only core/gemm.cpp sees either.
find_path(GRUTAPE_DNNL_INCLUDE_DIR dnnl.h PATH_SUFFIXES oneapi/dnnl)
find_library(GRUTAPE_DNNL_LIBRARY dnnl)
if(NOT GRUTAPE_DNNL_INCLUDE_DIR OR NOT GRUTAPE_DNNL_LIBRARY)
  grutape_missing("oneDNN (float32 GEMM)" "libdnnl-dev")
endif()
# oneDNN's CPU runtime is OpenMP in Debian; gemm.cpp sets the OpenMP thread count of each call.
find_package(OpenMP QUIET COMPONENTS CXX)
if(NOT OpenMP_CXX_FOUND)
  grutape_missing("OpenMP (oneDNN's thread runtime)" "libgomp1")
endif()

set(BLA_VENDOR OpenBLAS)
find_package(BLAS QUIET)
find_path(GRUTAPE_CBLAS_INCLUDE_DIR cblas.h
  PATHS /usr/include/x86_64-linux-gnu/openblas-pthread /usr/include/openblas
  PATH_SUFFIXES openblas-pthread NO_DEFAULT_PATH)
if(NOT BLAS_FOUND OR NOT GRUTAPE_CBLAS_INCLUDE_DIR)
  grutape_missing("OpenBLAS (float64 GEMM)" "libopenblas-dev")
endif()
# Only the runtime library: no source is compiled with -fopenmp.
set(GRUTAPE_GEMM_LIBRARIES ${GRUTAPE_DNNL_LIBRARY} ${BLAS_LIBRARIES} ${OpenMP_CXX_LIBRARIES})
set(GRUTAPE_GEMM_INCLUDE_DIRS ${GRUTAPE_DNNL_INCLUDE_DIR} ${GRUTAPE_CBLAS_INCLUDE_DIR})
