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

# GEMM providers (docs/gemm.md holds the measurement behind the choice). float64 is OpenBLAS's
# dgemm (oneDNN has none). float32 is GRUTAPE_GEMM's choice: oneDNN's dnnl_sgemm, the faster on
# the GRU's shapes, or OpenBLAS's sgemm; "auto" takes oneDNN when it is installed. oneDNN is a
# benchmark peer too, so the library never needs it. Only core/gemm*.cpp see a provider.
set(GRUTAPE_GEMM auto CACHE STRING
    "float32 GEMM provider: auto (oneDNN when libdnnl-dev is installed, else OpenBLAS), onednn, openblas")
set_property(CACHE GRUTAPE_GEMM PROPERTY STRINGS auto onednn openblas)
if(NOT GRUTAPE_GEMM MATCHES "^(auto|onednn|openblas)$")
  message(FATAL_ERROR "GRUTAPE_GEMM must be auto, onednn or openblas, got \"${GRUTAPE_GEMM}\"")
endif()

set(BLA_VENDOR OpenBLAS)
find_package(BLAS QUIET)
find_path(GRUTAPE_CBLAS_INCLUDE_DIR cblas.h
  PATHS /usr/include/x86_64-linux-gnu/openblas-pthread /usr/include/openblas
  PATH_SUFFIXES openblas-pthread NO_DEFAULT_PATH)
if(NOT BLAS_FOUND OR NOT GRUTAPE_CBLAS_INCLUDE_DIR)
  grutape_missing("OpenBLAS (GEMM)" "libopenblas-dev")
endif()
set(GRUTAPE_GEMM_LIBRARIES ${BLAS_LIBRARIES})
set(GRUTAPE_GEMM_INCLUDE_DIRS ${GRUTAPE_CBLAS_INCLUDE_DIR})

if(NOT GRUTAPE_GEMM STREQUAL "openblas")
  find_path(GRUTAPE_DNNL_INCLUDE_DIR dnnl.h PATH_SUFFIXES oneapi/dnnl)
  find_library(GRUTAPE_DNNL_LIBRARY dnnl)
  # oneDNN's CPU runtime is OpenMP in Debian: core/gemm_float32_onednn.cpp sets the OpenMP
  # thread count of each call.
  find_package(OpenMP QUIET COMPONENTS CXX)
  set(GRUTAPE_DNNL_USABLE OFF)
  if(GRUTAPE_DNNL_INCLUDE_DIR AND GRUTAPE_DNNL_LIBRARY AND OpenMP_CXX_FOUND)
    set(GRUTAPE_DNNL_USABLE ON)
  endif()
  if(GRUTAPE_GEMM STREQUAL "onednn" AND NOT GRUTAPE_DNNL_USABLE)
    if(NOT OpenMP_CXX_FOUND)
      grutape_missing("OpenMP (oneDNN's thread runtime, GRUTAPE_GEMM=onednn)" "libgomp1")
    endif()
    grutape_missing("oneDNN (GRUTAPE_GEMM=onednn)" "libdnnl-dev")
  endif()
endif()

if(GRUTAPE_GEMM STREQUAL "onednn" OR (GRUTAPE_GEMM STREQUAL "auto" AND GRUTAPE_DNNL_USABLE))
  set(GRUTAPE_GEMM_PROVIDER onednn)
  # Only the OpenMP runtime library: no source is compiled with -fopenmp.
  list(APPEND GRUTAPE_GEMM_LIBRARIES ${GRUTAPE_DNNL_LIBRARY} ${OpenMP_CXX_LIBRARIES})
  list(APPEND GRUTAPE_GEMM_INCLUDE_DIRS ${GRUTAPE_DNNL_INCLUDE_DIR})
  message(STATUS "grutape: float32 GEMM by oneDNN's dnnl_sgemm (GRUTAPE_GEMM=${GRUTAPE_GEMM}), "
                 "float64 by OpenBLAS")
else()
  set(GRUTAPE_GEMM_PROVIDER openblas)
  set(grutape_gemm_note "")
  if(GRUTAPE_GEMM STREQUAL "auto")
    set(grutape_gemm_note "; oneDNN not found: libdnnl-dev gives the faster float32 GEMM")
  endif()
  message(STATUS "grutape: float32 and float64 GEMM by OpenBLAS (GRUTAPE_GEMM=${GRUTAPE_GEMM}${grutape_gemm_note})")
endif()
