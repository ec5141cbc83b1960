# Helpers of the command-line tests (cmake -P scripts): run a command, check its exit code and
# that its standard output or error contains a text.

# cli_run(CODE <exit code> [CONTAINS <text>] COMMAND <program> <args>...)
function(cli_run)
  cmake_parse_arguments(RUN "" "CODE;CONTAINS" "COMMAND" ${ARGN})
  execute_process(COMMAND ${RUN_COMMAND} RESULT_VARIABLE code OUTPUT_VARIABLE out
                  ERROR_VARIABLE err)
  string(REPLACE ";" " " shown "${RUN_COMMAND}")
  if(NOT code STREQUAL "${RUN_CODE}")
    message(FATAL_ERROR "${shown}\nexpected exit code ${RUN_CODE}, got ${code}\n"
                        "stdout: ${out}\nstderr: ${err}")
  endif()
  if(DEFINED RUN_CONTAINS)
    string(FIND "${out}${err}" "${RUN_CONTAINS}" at)
    if(at EQUAL -1)
      message(FATAL_ERROR "${shown}\nexpected the text: ${RUN_CONTAINS}\n"
                          "stdout: ${out}\nstderr: ${err}")
    endif()
  endif()
  # A failure is one line, starting "grutape: " (never a stack trace).
  if(NOT code EQUAL 0 AND RUN_COMMAND MATCHES "grutape")
    string(STRIP "${err}" stripped)
    if(NOT stripped MATCHES "^grutape: " OR stripped MATCHES "\n")
      message(FATAL_ERROR "${shown}\nexpected one line 'grutape: ...' on stderr, got: ${err}")
    endif()
  endif()
  set(CLI_OUT "${out}" PARENT_SCOPE)
endfunction()

function(cli_require_file path)
  if(NOT EXISTS "${path}")
    message(FATAL_ERROR "expected the file ${path}")
  endif()
endfunction()
