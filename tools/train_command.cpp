// grutape train CONFIG.json: one training run as the config describes it (docs/config.md).

#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "core/error.hpp"
#include "core/io/svg_plot.hpp"
#include "layers/serialization/model_file.hpp"
#include "optim/callbacks/csv_logger.hpp"
#include "optim/callbacks/progress.hpp"
#include "optim/distributed/communicator.hpp"
#include "optim/training/fit.hpp"
#include "optim/training/train_config.hpp"

namespace grutape::cli {
namespace {

struct TrainArgs {
  std::string config;
  bool quiet = false;
  std::optional<std::size_t> epochs;
  std::optional<std::string> output_dir;
};

// The loss per epoch, and the validation loss when there is one; epochs counted from 1 as the
// progress lines count them.
LineChart loss_chart(const History& history) {
  LineChart chart;
  chart.title("Loss per epoch").x_label("epoch").y_label("loss");
  std::vector<double> epochs;
  for (std::size_t epoch : history.epochs()) epochs.push_back(static_cast<double>(epoch + 1));
  for (const std::string key : {"loss", "val_loss"}) {
    if (history.contains(key)) chart.add(key, epochs, history[key]);
  }
  return chart;
}

void run_train(const TrainArgs& args) {
  TrainConfig config = TrainConfig::load(args.config);
  if (args.epochs) config.training.epochs = *args.epochs;
  if (args.output_dir) config.output.directory = *args.output_dir;
  std::error_code error;
  std::filesystem::create_directories(config.output.directory, error);
  if (error) {
    throw IoError("train: output directory \"" + config.output.directory + "\"",
                  "a directory that can be created", error.message());
  }

  const PreparedData data = prepare_data(config.data);
  std::shared_ptr<Layer> model = config.build_model();
  const nlohmann::json metadata = {{"data", data.pipeline.to_json()},
                                   {"evaluation", config.evaluation_json()}};
  FitOptions options =
      config.fit_options([&](const std::string& path) { save_model(path, *model, metadata); });
  if (data.validation.x.defined()) options.validation_data(data.validation);
  if (args.quiet) options.verbosity(Verbosity::quiet);
  if (config.output.log) {
    // Last, so that it sees what the other callbacks add to the logs.
    std::vector<std::shared_ptr<Callback>> callbacks = options.callbacks();
    callbacks.push_back(std::make_shared<CsvLogger>(config.output.path(*config.output.log)));
    options.callbacks(callbacks);
  }

  // Under mpirun, a data-parallel run (docs/distributed.md); the first process alone writes.
  const std::shared_ptr<Communicator> processes = launched_communicator();
  options.distributed(processes);
  const History history = fit(*model, data.train, options);
  if (processes->rank() != 0) return;

  std::ostream& out = std::cout;
  if (!args.quiet && processes->size() > 1) {
    out << "trained on " << processes->size() << " processes (" << processes->name() << ")\n";
  }
  if (data.test.x.defined()) {
    EvaluateOptions evaluation;
    evaluation.loss(config.loss).metrics(config.metrics);
    if (!args.quiet)
      out << "test: " << format_logs(evaluate(*model, data.test, evaluation)) << "\n";
  }
  if (config.output.model) {
    const std::string path = config.output.path(*config.output.model);
    save_model(path, *model, metadata);
    if (!args.quiet) out << "model: " << path << "\n";
  }
  if (config.output.log && !args.quiet) {
    out << "log: " << config.output.path(*config.output.log) << "\n";
  }
  if (config.output.plot && !history.empty()) {
    const std::string path = config.output.path(*config.output.plot);
    write_svg(path, loss_chart(history));
    if (!args.quiet) out << "plot: " << path << "\n";
  }
}

}  // namespace

void add_train_command(CLI::App& app) {
  auto args = std::make_shared<TrainArgs>();
  CLI::App* command = app.add_subcommand(
      "train",
      "Train the model a JSON config describes (docs/config.md) and save it with its "
      "data pipeline, the epochs' log and a loss chart");
  command->add_option("config", args->config, "The config file (.json)")->required();
  command->add_flag("--quiet,-q", args->quiet, "Print nothing while training");
  command->add_option("--epochs", args->epochs, "Train this many epochs (overrides the config)")
      ->check(CLI::PositiveNumber);
  command->add_option("--output-dir", args->output_dir,
                      "Write the outputs here (overrides output.directory)");
  command->callback([args] { run_train(*args); });
}

}  // namespace grutape::cli
