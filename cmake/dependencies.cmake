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

# The providers' libraries are imported targets (grutape::openblas, grutape::dnnl,
# grutape::openmp_runtime) from cmake/grutapeLinkDependencies.cmake, which an installed package
# uses again to pass them on to the programs that link a static libgrutape.
include(${CMAKE_CURRENT_LIST_DIR}/grutapeLinkDependencies.cmake)
find_path(GRUTAPE_CBLAS_INCLUDE_DIR cblas.h
  PATHS /usr/include/x86_64-linux-gnu/openblas-pthread /usr/include/openblas
  PATH_SUFFIXES openblas-pthread NO_DEFAULT_PATH)
if(NOT GRUTAPE_CBLAS_INCLUDE_DIR)
  grutape_missing("OpenBLAS (GEMM)" "libopenblas-dev")
endif()
set(GRUTAPE_GEMM_INCLUDE_DIRS ${GRUTAPE_CBLAS_INCLUDE_DIR})

set(GRUTAPE_GEMM_PROVIDER openblas)
if(NOT GRUTAPE_GEMM STREQUAL "openblas")
  # oneDNN's CPU runtime is OpenMP in Debian: core/detail/gemm_float32_onednn.cpp sets the OpenMP
  # thread count of each call, so OpenMP's runtime is linked too (no source is built -fopenmp).
  find_path(GRUTAPE_DNNL_INCLUDE_DIR dnnl.h PATH_SUFFIXES oneapi/dnnl)
  grutape_import_gemm_providers(onednn unused_targets missing_for_onednn)
  if(NOT GRUTAPE_DNNL_INCLUDE_DIR AND NOT missing_for_onednn)
    set(missing_for_onednn "dnnl.h (install the Debian package libdnnl-dev)")
  endif()
  if(NOT missing_for_onednn)
    set(GRUTAPE_GEMM_PROVIDER onednn)
    list(APPEND GRUTAPE_GEMM_INCLUDE_DIRS ${GRUTAPE_DNNL_INCLUDE_DIR})
  elseif(GRUTAPE_GEMM STREQUAL "onednn")
    message(FATAL_ERROR "GRUTAPE_GEMM=onednn needs ${missing_for_onednn}, or run scripts/setup")
  endif()
endif()
grutape_import_gemm_providers(${GRUTAPE_GEMM_PROVIDER} GRUTAPE_GEMM_LIBRARIES missing)
if(missing)
  message(FATAL_ERROR "grutape needs ${missing}, or run scripts/setup")
endif()

if(GRUTAPE_GEMM_PROVIDER STREQUAL "onednn")
  message(STATUS "grutape: float32 GEMM by oneDNN's dnnl_sgemm (GRUTAPE_GEMM=${GRUTAPE_GEMM}), "
                 "float64 by OpenBLAS")
else()
  set(grutape_gemm_note "")
  if(GRUTAPE_GEMM STREQUAL "auto")
    set(grutape_gemm_note "; oneDNN not found: libdnnl-dev gives the faster float32 GEMM")
  endif()
  message(STATUS "grutape: float32 and float64 GEMM by OpenBLAS (GRUTAPE_GEMM=${GRUTAPE_GEMM}${grutape_gemm_note})")
endif()

# ONNX export and import (layers/onnx, docs/onnx.md): the ONNX schema's generated C++ (libonnx-dev)
# over protobuf (libprotobuf-dev), linked privately by their library files as the GEMM providers
# are (cmake/grutapeLinkDependencies.cmake). GRUTAPE_ONNX=auto builds it when both are there.
if(NOT GRUTAPE_ONNX MATCHES "^(auto|ON|OFF)$")
  message(FATAL_ERROR "GRUTAPE_ONNX must be auto, ON or OFF, got \"${GRUTAPE_ONNX}\"")
endif()
set(GRUTAPE_ONNX_FOUND FALSE)
if(NOT GRUTAPE_ONNX STREQUAL "OFF")
  find_path(GRUTAPE_ONNX_INCLUDE_DIR onnx/onnx_pb.h)
  grutape_import_onnx(GRUTAPE_ONNX_LIBRARIES missing_for_onnx)
  if(NOT GRUTAPE_ONNX_INCLUDE_DIR AND NOT missing_for_onnx)
    set(missing_for_onnx "onnx/onnx_pb.h (install the Debian package libonnx-dev)")
  endif()
  if(NOT missing_for_onnx)
    set(GRUTAPE_ONNX_FOUND TRUE)
    message(STATUS "grutape: ONNX export and import on (GRUTAPE_ONNX=${GRUTAPE_ONNX})")
  elseif(GRUTAPE_ONNX STREQUAL "ON")
    message(FATAL_ERROR "GRUTAPE_ONNX=ON needs ${missing_for_onnx}, or run scripts/setup")
  else()
    set(GRUTAPE_ONNX_LIBRARIES "")
    message(STATUS "grutape: ONNX export and import off: ${missing_for_onnx} not found")
  endif()
else()
  message(STATUS "grutape: ONNX export and import off (GRUTAPE_ONNX=OFF)")
endif()
