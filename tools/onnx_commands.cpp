// grutape export MODEL --format onnx -o OUT.onnx and grutape import IN.onnx -o OUT.grutape: a
// model file to ONNX and back (layers/onnx/onnx.hpp, docs/onnx.md).

#include <iostream>
#include <memory>
#include <string>

#include "commands.hpp"
#include "core/error.hpp"
#include "layers/models/sequential.hpp"
#include "layers/onnx/onnx.hpp"
#include "layers/serialization/model_file.hpp"

namespace grutape::cli {
namespace {

struct OnnxArgs {
  std::string input;
  std::string output;
  std::string format = "onnx";
};

void run_export(const OnnxArgs& args) {
  if (args.format != "onnx") throw ValueError("export --format", "onnx", "\"" + args.format + "\"");
  const std::shared_ptr<Layer> model = load_model(args.input);
  if (auto* sequential = dynamic_cast<Sequential*>(model.get()); sequential && !sequential->built()) {
    sequential->build();
  }
  save_onnx(args.output, *model);
  std::cout << "exported \"" << args.input << "\" to ONNX opset " << onnx_opset() << " \""
            << args.output << "\"\n";
}

void run_import(const OnnxArgs& args) {
  const std::shared_ptr<Layer> model = load_onnx(args.input);
  save_model(args.output, *model);
  std::cout << "imported \"" << args.input << "\" as \"" << args.output << "\" ("
            << model->parameter_count() << " parameters)\n";
}

}  // namespace

void add_export_command(CLI::App& app) {
  auto args = std::make_shared<OnnxArgs>();
  CLI::App* command = app.add_subcommand("export", "Export a model file to ONNX (docs/onnx.md)");
  command->add_option("model", args->input, "The model file (grutape train's model.grutape)")
      ->required();
  command->add_option("--format", args->format, "The format: onnx (the default)");
  command->add_option("-o,--output", args->output, "The .onnx file to write")->required();
  command->callback([args] { run_export(*args); });
}

void add_import_command(CLI::App& app) {
  auto args = std::make_shared<OnnxArgs>();
  CLI::App* command = app.add_subcommand(
      "import", "Import an ONNX model (grutape's, PyTorch's nn.GRU, ...) as a model file");
  command->add_option("model", args->input, "The .onnx file")->required();
  command->add_option("-o,--output", args->output, "The model file to write")->required();
  command->callback([args] { run_import(*args); });
}

}  // namespace grutape::cli
