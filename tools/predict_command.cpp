// grutape predict MODEL --input X --output Y: the model's outputs for the inputs in a file,
// prepared as in training and mapped back to the targets' units.

#include <iostream>
#include <memory>
#include <string>

#include "commands.hpp"
#include "core/io/array_file.hpp"
#include "model_data.hpp"
#include "optim/training/fit.hpp"

namespace grutape::cli {
namespace {

struct PredictArgs {
  std::string model;
  std::string input;
  std::string output;
  std::size_t batch_size = 32;
};

void run_predict(const PredictArgs& args) {
  // The output's format is checked first, so that a bad name fails before any work.
  array_format(args.output);
  SavedModel saved = load_saved_model(args.model);
  const Tensor inputs = saved.pipeline.inputs_from_file(args.input);
  const Tensor outputs = saved.pipeline.invert_targets(
      predict(*saved.model, inputs, args.batch_size).to(DType::float64));
  save_array(args.output, outputs);
  std::cout << "predictions " << shape_to_string(outputs.shape()) << ": " << args.output << "\n";
}

}  // namespace

void add_predict_command(CLI::App& app) {
  auto args = std::make_shared<PredictArgs>();
  CLI::App* command = app.add_subcommand(
      "predict", "Run a saved model on inputs from a .npy or .csv file and write its outputs");
  command->add_option("model", args->model, "The model file grutape train wrote")->required();
  command->add_option("--input,-i", args->input, "The inputs (.npy or .csv)")->required();
  command->add_option("--output,-o", args->output, "Where the outputs go (.npy or .csv)")
      ->required();
  command->add_option("--batch-size", args->batch_size, "Samples per batch (default 32)")
      ->check(CLI::PositiveNumber);
  command->callback([args] { run_predict(*args); });
}

}  // namespace grutape::cli
