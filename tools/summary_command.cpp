// grutape summary MODEL: the Keras-style table of a saved sequential or graph model.

#include <iostream>
#include <memory>
#include <string>

#include "commands.hpp"
#include "core/error.hpp"
#include "layers/models/graph.hpp"
#include "layers/models/sequential.hpp"
#include "layers/serialization/model_file.hpp"

namespace grutape::cli {
namespace {

void run_summary(const std::string& path) {
  const std::shared_ptr<Layer> model = load_model(path);
  if (auto* sequential = dynamic_cast<Sequential*>(model.get())) {
    std::cout << sequential->summary();
  } else if (const auto* graph = dynamic_cast<const Graph*>(model.get())) {
    std::cout << graph->summary();
  } else {
    throw ValueError("summary \"" + path + "\"", "a sequential or graph model",
                     "a model of type \"" + model->type() + "\" (" +
                         std::to_string(model->parameter_count()) + " parameters)");
  }
}

}  // namespace

void add_summary_command(CLI::App& app) {
  auto path = std::make_shared<std::string>();
  CLI::App* command = app.add_subcommand(
      "summary",
      "Print a saved model's layers and parameter counts (with output shapes for sequential "
      "models, port sources for graphs)");
  command->add_option("model", *path, "The model file")->required();
  command->callback([path] { run_summary(*path); });
}

}  // namespace grutape::cli
