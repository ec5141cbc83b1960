# `grutape bench`: its arguments reach the GRU benchmark (a quick run writes the JSON asked for,
# naming both engines), and its help is the benchmark's own.
include(${CMAKE_CURRENT_LIST_DIR}/cli_test_support.cmake)
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

cli_run(CODE 0 CONTAINS "--quick" COMMAND ${GRUTAPE} bench --help)
cli_run(CODE 0 COMMAND ${GRUTAPE} bench --quick --no-scaling --engines composite,fused
        --json ${WORK_DIR}/quick.json)
cli_require_file(${WORK_DIR}/quick.json)
file(READ ${WORK_DIR}/quick.json json)
foreach(engine composite fused)
  string(FIND "${json}" "\"${engine}\"" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "quick.json names no engine \"${engine}\": ${json}")
  endif()
endforeach()
