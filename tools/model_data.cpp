#include "model_data.hpp"

#include <nlohmann/json.hpp>

#include "layers/serialization/model_file.hpp"
#include "optim/training/train_config.hpp"

namespace grutape::cli {

SavedModel load_saved_model(const std::string& path) {
  SavedModel saved;
  saved.model = load_model(path);
  const nlohmann::json metadata = load_model_metadata(path);
  const std::string where = "model file \"" + path + "\": metadata";
  if (metadata.contains("data")) {
    saved.pipeline = DataPipeline::from_json(metadata.at("data"), where + ": key \"data\"");
  } else {
    saved.pipeline.table = false;
    saved.pipeline.dtype = saved.model->built_dtype();
  }
  if (metadata.contains("evaluation")) {
    saved.evaluation =
        evaluate_options_from_json(metadata.at("evaluation"), where + ": key \"evaluation\"");
  }
  return saved;
}

}  // namespace grutape::cli
