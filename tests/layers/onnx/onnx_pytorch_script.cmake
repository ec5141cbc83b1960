# Reruns tests/data/onnx/make_pytorch_models.py into WORK_DIR and compares its .npy outputs with
# the committed ones (numpy.allclose, 1e-6). Skipped (a
# "skipped: ..." line, which ctest reports as skipped) without python3-torch.
# Usage: cmake -DSOURCE_DIR=<tests/data/onnx> -DWORK_DIR=<dir> -P onnx_pytorch_script.cmake
find_program(PYTHON3 python3 PATHS /usr/bin NO_DEFAULT_PATH)
if(NOT PYTHON3)
  find_program(PYTHON3 python3)
endif()
execute_process(COMMAND ${PYTHON3} -c "import torch, numpy" RESULT_VARIABLE has_torch
                OUTPUT_QUIET ERROR_QUIET)
if(NOT PYTHON3 OR NOT has_torch EQUAL 0)
  message("skipped: python3 with torch and numpy (python3-torch) is not installed")
  return()
endif()
file(REMOVE_RECURSE ${WORK_DIR})
execute_process(COMMAND ${PYTHON3} ${SOURCE_DIR}/make_pytorch_models.py ${WORK_DIR}
                RESULT_VARIABLE status ERROR_VARIABLE errors)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "make_pytorch_models.py failed: ${errors}")
endif()
file(GLOB outputs RELATIVE ${SOURCE_DIR} ${SOURCE_DIR}/*.npy)
foreach(name ${outputs})
  execute_process(COMMAND ${PYTHON3} -c
    "import numpy, sys; a = numpy.load(sys.argv[1]); b = numpy.load(sys.argv[2]); sys.exit(0 if a.shape == b.shape and numpy.allclose(a, b, rtol=0, atol=1e-6) else 1)"
    ${SOURCE_DIR}/${name} ${WORK_DIR}/${name} RESULT_VARIABLE same)
  if(NOT same EQUAL 0)
    message(FATAL_ERROR "${name}: the rerun differs from the committed file")
  endif()
endforeach()
message("make_pytorch_models.py reproduces the committed outputs")
