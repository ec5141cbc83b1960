#pragma once
// A saved model with what `grutape train` kept beside it in the model file's metadata: the data
// pipeline (columns, windows, normalisers) and the loss and metrics. A model file written by a
// program without that metadata reads its input files as arrays, unnormalised, with the mean
// squared error.

#include <memory>
#include <string>

#include "layers/layer.hpp"
#include "optim/data/data_config.hpp"
#include "optim/training/fit_options.hpp"

namespace grutape::cli {

struct SavedModel {
  std::shared_ptr<Layer> model;
  DataPipeline pipeline;
  EvaluateOptions evaluation;
};

/// The model file at `path` with its metadata; IoErrors and ValueErrors name the file.
SavedModel load_saved_model(const std::string& path);

}  // namespace grutape::cli
