// grutape evaluate MODEL --input X [--target Y]: the loss and metrics the model was trained
// with, on new data.

#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "commands.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "model_data.hpp"
#include "optim/callbacks/progress.hpp"
#include "optim/training/fit.hpp"

namespace grutape::cli {
namespace {

struct EvaluateArgs {
  std::string model;
  std::string input;
  std::optional<std::string> target;
  std::size_t batch_size = 32;
  std::optional<double> max_loss;
};

void run_evaluate(const EvaluateArgs& args) {
  SavedModel saved = load_saved_model(args.model);
  const LabeledData data = args.target ? saved.pipeline.labeled_from_files(args.input, *args.target)
                                       : saved.pipeline.labeled_from_file(args.input);
  EvaluateOptions options = saved.evaluation;
  options.batch_size(args.batch_size);
  const Logs logs = evaluate(*saved.model, data, options);
  std::cout << format_logs(logs) << "\n";
  const double loss = logs.at("loss");
  if (args.max_loss && !(loss <= *args.max_loss)) {
    throw ValueError("evaluate", "a loss <= " + format_number(*args.max_loss) + " (--max-loss)",
                     format_number(loss));
  }
}

}  // namespace

void add_evaluate_command(CLI::App& app) {
  auto args = std::make_shared<EvaluateArgs>();
  CLI::App* command = app.add_subcommand(
      "evaluate",
      "Print a saved model's loss and metrics on data: a table file holding inputs and targets "
      "(as in training), or --input and --target files");
  command->add_option("model", args->model, "The model file grutape train wrote")->required();
  command->add_option("--input,-i", args->input, "The inputs, or the whole table (.npy or .csv)")
      ->required();
  command->add_option("--target,-t", args->target, "The targets (.npy or .csv)");
  command->add_option("--batch-size", args->batch_size, "Samples per batch (default 32)")
      ->check(CLI::PositiveNumber);
  command->add_option("--max-loss", args->max_loss,
                      "Fail (exit code 1) when the loss is above this value");
  command->callback([args] { run_evaluate(*args); });
}

}  // namespace grutape::cli
