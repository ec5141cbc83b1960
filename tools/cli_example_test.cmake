# The example config (examples/json_config/sunspots.json) trained for a few epochs into a fresh
# folder, then predict, evaluate, summary and convert on the results.
include(${CMAKE_CURRENT_LIST_DIR}/cli_test_support.cmake)
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})
set(config ${SOURCE_DIR}/examples/json_config/sunspots.json)
set(data ${SOURCE_DIR}/examples/data/sunspots.csv)
set(run ${WORK_DIR}/run)

cli_run(CODE 0 CONTAINS "Epoch 5/5" COMMAND ${GRUTAPE} train ${config} --epochs 5 --output-dir ${run})
foreach(file model.grutape history.csv loss.svg)
  cli_require_file(${run}/${file})
endforeach()
# 5 epochs, one line each after the header.
file(STRINGS ${run}/history.csv log_lines)
list(LENGTH log_lines count)
if(NOT count EQUAL 6)
  message(FATAL_ERROR "history.csv: expected a header and 5 epochs, got ${count} lines")
endif()
file(READ ${run}/loss.svg svg)
if(NOT svg MATCHES "^<svg" OR NOT svg MATCHES "val_loss")
  message(FATAL_ERROR "loss.svg: expected an SVG chart with the validation loss")
endif()
cli_run(CODE 0 CONTAINS "--quiet" COMMAND ${GRUTAPE} train --help)

# 309 years, windows of 12: 298 predictions, finite, in sunspot numbers (not normalised: the
# series' mean is about 50, so a mean above 10 shows the normaliser was inverted).
cli_run(CODE 0 CONTAINS "(298, 1)" COMMAND ${GRUTAPE} predict ${run}/model.grutape --input ${data}
        --output ${WORK_DIR}/predicted.csv)
cli_run(CODE 0 COMMAND ${CHECK} rows ${WORK_DIR}/predicted.csv 298 10 150)
cli_run(CODE 0 COMMAND ${GRUTAPE} predict ${run}/model.grutape --input ${data}
        --output ${WORK_DIR}/predicted.npy)
cli_run(CODE 0 COMMAND ${CHECK} rows ${WORK_DIR}/predicted.npy 298 10 150)
cli_run(CODE 0 COMMAND ${CHECK} same-arrays ${WORK_DIR}/predicted.npy ${WORK_DIR}/predicted.csv)

# The normalised series has variance 1: after 5 epochs the loss is well below that.
cli_run(CODE 0 CONTAINS "mae: " COMMAND ${GRUTAPE} evaluate ${run}/model.grutape --input ${data}
        --max-loss 0.9)
cli_run(CODE 1 CONTAINS "(--max-loss)" COMMAND ${GRUTAPE} evaluate ${run}/model.grutape
        --input ${data} --max-loss 0.000001)

cli_run(CODE 0 CONTAINS "Total params: 929" COMMAND ${GRUTAPE} summary ${run}/model.grutape)

# A GRU's weights: Keras -> PyTorch by the program must equal the library's own PyTorch export,
# and back to Keras must give the files it started from.
cli_run(CODE 0 COMMAND ${CHECK} gru-weights ${WORK_DIR}/keras keras)
cli_run(CODE 0 COMMAND ${CHECK} gru-weights ${WORK_DIR}/pytorch_direct pytorch)
cli_run(CODE 0 CONTAINS "4 units" COMMAND ${GRUTAPE} convert --from keras --to pytorch
        ${WORK_DIR}/keras ${WORK_DIR}/pytorch)
foreach(name weight_ih_l0 weight_hh_l0 bias_ih_l0 bias_hh_l0)
  cli_run(CODE 0 COMMAND ${CHECK} same-arrays ${WORK_DIR}/pytorch/${name}.npy
          ${WORK_DIR}/pytorch_direct/${name}.npy)
endforeach()
cli_run(CODE 0 COMMAND ${GRUTAPE} convert --from pytorch --to keras ${WORK_DIR}/pytorch
        ${WORK_DIR}/keras_again)
foreach(name kernel recurrent_kernel bias)
  cli_run(CODE 0 COMMAND ${CHECK} same-arrays ${WORK_DIR}/keras/${name}.npy
          ${WORK_DIR}/keras_again/${name}.npy)
endforeach()
# The graph example (examples/json_config/digits_graph.json): a Graph model, classification with
# class ids, a shuffled split and a plateau callback. After 3 epochs the loss on the whole file
# is below 1.0, far under that of a uniform guess (ln 10 = 2.30).
set(digits_run ${WORK_DIR}/digits)
cli_run(CODE 0 CONTAINS "learning_rate" COMMAND ${GRUTAPE} train --epochs 3 --output-dir
        ${digits_run} ${SOURCE_DIR}/examples/json_config/digits_graph.json)
cli_require_file(${digits_run}/model.grutape)
cli_run(CODE 0 CONTAINS "accuracy: " COMMAND ${GRUTAPE} evaluate ${digits_run}/model.grutape
        --input ${SOURCE_DIR}/examples/data/digits.csv --max-loss 1.0)
# GRU(32) on 8 features: 8x96 + 32x96 + 2x96 = 4032; Dense 32 -> 10: 330.
cli_run(CODE 0 CONTAINS "Total params: 4,362" COMMAND ${GRUTAPE} summary
        ${digits_run}/model.grutape)
cli_run(CODE 0 CONTAINS "(1797, 10)" COMMAND ${GRUTAPE} predict ${digits_run}/model.grutape
        --input ${SOURCE_DIR}/examples/data/digits.csv --output ${WORK_DIR}/logits.npy)
cli_run(CODE 0 COMMAND ${CHECK} rows ${WORK_DIR}/logits.npy 1797 -100 100)
file(REMOVE_RECURSE ${WORK_DIR})
