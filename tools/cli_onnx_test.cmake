# grutape import / export on the PyTorch reference models (tests/data/onnx): each imported, saved,
# exported again, and the exported file checked by python3-onnx's onnx.checker.check_model when
# it is installed (otherwise that step is skipped with a message).
# Usage: cmake -DGRUTAPE=<grutape> -DSOURCE_DIR=<checkout> -DWORK_DIR=<dir> -P cli_onnx_test.cmake
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})
find_program(PYTHON3 python3 PATHS /usr/bin NO_DEFAULT_PATH)
set(has_onnx 1)
if(PYTHON3)
  execute_process(COMMAND ${PYTHON3} -c "import onnx" RESULT_VARIABLE has_onnx OUTPUT_QUIET ERROR_QUIET)
endif()
if(NOT has_onnx EQUAL 0)
  message("python3-onnx is not installed: the Python ONNX checker step is skipped")
endif()
file(GLOB models ${SOURCE_DIR}/tests/data/onnx/*.onnx)
foreach(model ${models})
  get_filename_component(name ${model} NAME_WE)
  foreach(step "import;${model};-o;${WORK_DIR}/${name}.grutape"
               "export;${WORK_DIR}/${name}.grutape;--format;onnx;-o;${WORK_DIR}/${name}.onnx")
    execute_process(COMMAND ${GRUTAPE} ${step} RESULT_VARIABLE status ERROR_VARIABLE errors)
    if(NOT status EQUAL 0)
      message(FATAL_ERROR "grutape ${step}: ${errors}")
    endif()
  endforeach()
  if(has_onnx EQUAL 0)
    execute_process(COMMAND ${PYTHON3} -c
      "import onnx, sys; onnx.checker.check_model(onnx.load(sys.argv[1]))" ${WORK_DIR}/${name}.onnx
      RESULT_VARIABLE status ERROR_VARIABLE errors)
    if(NOT status EQUAL 0)
      message(FATAL_ERROR "onnx.checker on ${name}.onnx: ${errors}")
    endif()
  endif()
endforeach()
