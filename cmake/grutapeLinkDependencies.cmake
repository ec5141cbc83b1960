# The libraries libgrutape calls but does not carry: the GEMM providers (docs/gemm.md) and, with
# oneDNN, OpenMP's runtime. They are imported targets named grutape::<what>, defined here for the
# build (cmake/dependencies.cmake) and again by an installed package's grutapeConfig.cmake when
# libgrutape is static: the consumer finds each by its library file, never through a provider's
# own CMake package (Debian's oneDNN package config looks for OpenCL, a GPU runtime grutape does
# not use). A shared libgrutape carries them itself, and its consumers need none of this.

# Defines grutape::${name} for lib${name}.so from the Debian package ${package}; on failure sets
# ${missing} to a sentence naming the package, and leaves it empty otherwise.
function(grutape_import_library name package missing)
  set(${missing} "" PARENT_SCOPE)
  if(TARGET grutape::${name})
    return()
  endif()
  find_library(GRUTAPE_${name}_LIBRARY ${name})
  if(NOT GRUTAPE_${name}_LIBRARY)
    set(${missing} "lib${name} (install the Debian package ${package})" PARENT_SCOPE)
    return()
  endif()
  add_library(grutape::${name} UNKNOWN IMPORTED)
  set_target_properties(grutape::${name} PROPERTIES IMPORTED_LOCATION "${GRUTAPE_${name}_LIBRARY}")
endfunction()

# OpenMP's runtime library only (oneDNN's CPU runtime in Debian): no -fopenmp for the consumer.
function(grutape_import_openmp_runtime missing)
  set(${missing} "" PARENT_SCOPE)
  if(TARGET grutape::openmp_runtime)
    return()
  endif()
  find_package(OpenMP QUIET COMPONENTS CXX)
  if(NOT OpenMP_CXX_FOUND)
    set(${missing} "OpenMP's runtime (install the Debian package libgomp1)" PARENT_SCOPE)
    return()
  endif()
  add_library(grutape::openmp_runtime INTERFACE IMPORTED)
  set_target_properties(grutape::openmp_runtime PROPERTIES
    INTERFACE_LINK_LIBRARIES "${OpenMP_CXX_LIBRARIES}")
endfunction()

# The targets of one float32 GEMM provider (openblas or onednn; float64 is always OpenBLAS), in
# ${targets}; what could not be found, in ${missing} (empty when all was found).
function(grutape_import_gemm_providers provider targets missing)
  grutape_import_library(openblas libopenblas-dev missing_openblas)
  set(found grutape::openblas)
  set(absent ${missing_openblas})
  if(provider STREQUAL "onednn")
    grutape_import_library(dnnl libdnnl-dev missing_dnnl)
    grutape_import_openmp_runtime(missing_openmp)
    list(APPEND found grutape::dnnl grutape::openmp_runtime)
    list(APPEND absent ${missing_dnnl} ${missing_openmp})
  endif()
  set(${targets} ${found} PARENT_SCOPE)
  list(JOIN absent ", " absent)
  set(${missing} "${absent}" PARENT_SCOPE)
endfunction()

# The ONNX schema's generated code and protobuf (layers/onnx), in ${targets}; what could not be
# found, in ${missing} (empty when all was found).
function(grutape_import_onnx targets missing)
  grutape_import_library(onnx_proto libonnx-dev missing_onnx)
  grutape_import_library(protobuf libprotobuf-dev missing_protobuf)
  set(${targets} grutape::onnx_proto grutape::protobuf PARENT_SCOPE)
  set(absent ${missing_onnx} ${missing_protobuf})
  list(JOIN absent ", " absent)
  set(${missing} "${absent}" PARENT_SCOPE)
endfunction()
