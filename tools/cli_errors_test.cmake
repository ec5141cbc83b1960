# The command-line program's error paths: each ends with exit code 1 (2 for a command line
# CLI11 refuses) and one line "grutape: ..." that says what is wrong and where.
include(${CMAKE_CURRENT_LIST_DIR}/cli_test_support.cmake)
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

# A small valid config; each case below breaks one thing in a copy of it.
set(valid [=[{
  "model": {"type": "sequential", "layers": [
    {"type": "input", "shape": [4, 1]},
    {"type": "gru", "options": {"units": 2, "seed": 1}},
    {"type": "dense", "units": 1, "seed": 2}]},
  "data": {"file": "@DATA@", "target_columns": ["SUNACTIVITY"], "window": {"size": 4}},
  "training": {"epochs": 1, "batch_size": 64},
  "output": {"model": "m.grutape", "log": null, "plot": null}
}]=])
string(REPLACE "@DATA@" "${SOURCE_DIR}/examples/data/sunspots.csv" valid "${valid}")

# cli_config(<name> <config text>): writes ${WORK_DIR}/<name>.json.
function(cli_config name text)
  file(WRITE ${WORK_DIR}/${name}.json "${text}")
endfunction()
# cli_broken(<name> <from> <to> <expected text>): the valid config with <from> replaced by <to>
# must fail to train with the text in its message.
function(cli_broken name from to expected)
  string(FIND "${valid}" "${from}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "case ${name}: the text to replace is not in the config: ${from}")
  endif()
  string(REPLACE "${from}" "${to}" text "${valid}")
  cli_config(${name} "${text}")
  cli_run(CODE 1 CONTAINS "${expected}" COMMAND ${GRUTAPE} train --quiet ${WORK_DIR}/${name}.json)
endfunction()

cli_config(valid "${valid}")
cli_run(CODE 0 COMMAND ${GRUTAPE} train --quiet ${WORK_DIR}/valid.json)
cli_require_file(${WORK_DIR}/m.grutape)

# Files that are not there, or not JSON.
cli_run(CODE 1 CONTAINS "config \"${WORK_DIR}/none.json\": expected a readable file"
        COMMAND ${GRUTAPE} train ${WORK_DIR}/none.json)
cli_config(syntax "{\"model\": ")
cli_run(CODE 1 CONTAINS "expected JSON" COMMAND ${GRUTAPE} train ${WORK_DIR}/syntax.json)
cli_broken(no_data "${SOURCE_DIR}/examples/data/sunspots.csv" "${WORK_DIR}/none.csv"
           "none.csv")

# An unknown field is named with its path, and so is a value of the wrong type.
cli_broken(unknown_field "\"epochs\": 1" "\"epoch\": 1"
           "key \"training\": expected only the keys batch_size, callbacks")
cli_broken(unknown_field_named "\"epochs\": 1" "\"epoch\": 1" "the unknown key \"epoch\"")
cli_broken(unknown_top "\"training\"" "\"trainig\"" "the unknown key \"trainig\"")
cli_broken(wrong_type "\"epochs\": 1" "\"epochs\": \"one\""
           "key \"training\": key \"epochs\": expected")
cli_broken(window_type "\"window\": {\"size\": 4}" "\"window\": {\"size\": -4}"
           "key \"data\": key \"window\": key \"size\"")
cli_broken(bad_column "[\"SUNACTIVITY\"]" "[\"SUNSPOTS\"]"
           "a column among YEAR, SUNACTIVITY, got \"SUNSPOTS\"")
cli_broken(bad_layer "\"type\": \"dense\"" "\"type\": \"dens\"" "key \"model\": layer_from_json")
cli_broken(bad_optimizer "\"training\"" "\"optimizer\": {\"name\": \"adamm\"}, \"training\""
           "key \"optimizer\": make_optimizer: expected an optimizer among")
cli_broken(bad_callback "\"batch_size\": 64"
           "\"batch_size\": 64, \"callbacks\": [{\"type\": \"early_stop\"}]"
           "key \"callbacks\"[0]: key \"type\": expected a callback type among early_stopping")
cli_broken(bad_loss "\"training\"" "\"loss\": \"mse2\", \"training\"" "key \"loss\": ")

# predict / evaluate / summary on files that are missing or of the wrong kind.
cli_run(CODE 1 CONTAINS "expected a readable file \"${WORK_DIR}/none.grutape\""
        COMMAND ${GRUTAPE} summary ${WORK_DIR}/none.grutape)
cli_run(CODE 1 CONTAINS "model file \"${WORK_DIR}/valid.json\""
        COMMAND ${GRUTAPE} summary ${WORK_DIR}/valid.json)
cli_run(CODE 1 CONTAINS "a name ending in .npy or .csv"
        COMMAND ${GRUTAPE} predict ${WORK_DIR}/m.grutape --input
                ${SOURCE_DIR}/examples/data/sunspots.csv --output ${WORK_DIR}/out.txt)
cli_run(CODE 1 CONTAINS "${WORK_DIR}/none.csv"
        COMMAND ${GRUTAPE} evaluate ${WORK_DIR}/m.grutape --input ${WORK_DIR}/none.csv)

# convert: an unknown layout, and a folder without the files.
cli_run(CODE 1 CONTAINS "convert --from: expected one of keras, pytorch, matlab, onnx"
        COMMAND ${GRUTAPE} convert --from tensorflow --to keras ${WORK_DIR} ${WORK_DIR}/out)
cli_run(CODE 1 CONTAINS "the recurrent weights \"recurrent_kernel.npy\""
        COMMAND ${GRUTAPE} convert --from keras --to onnx ${WORK_DIR} ${WORK_DIR}/out)

# The command line itself: no subcommand, an unknown one, a missing option.
cli_run(CODE 2 CONTAINS "A subcommand is required" COMMAND ${GRUTAPE})
cli_run(CODE 2 COMMAND ${GRUTAPE} fly)
cli_run(CODE 2 CONTAINS "--output is required"
        COMMAND ${GRUTAPE} predict ${WORK_DIR}/m.grutape --input x.csv)
file(REMOVE_RECURSE ${WORK_DIR})
