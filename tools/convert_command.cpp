// grutape convert --from LAYOUT --to LAYOUT IN_DIR OUT_DIR: one GRU's weights, as .npy files
// named as each framework names them (layers/gru/layouts/npy.hpp), from one layout to another.

#include <cmath>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "commands.hpp"
#include "core/error.hpp"
#include "core/io/npy.hpp"
#include "core/text.hpp"
#include "layers/gru/layouts/npy.hpp"

namespace grutape::cli {
namespace {

struct ConvertArgs {
  std::string from;
  std::string to;
  std::string input_dir;
  std::string output_dir;
  std::string reset_gate_mode;
};

GruLayout layout_named(const std::string& name, const std::string& option) {
  try {
    return gru_layout_from_name(name);
  } catch (const ValueError&) {
    throw ValueError("convert " + option, "one of keras, pytorch, matlab, onnx, internal",
                     "\"" + name + "\"");
  }
}

bool file_exists(const std::string& directory, GruLayout layout, const std::string& tensor) {
  std::error_code error;
  return std::filesystem::exists(
      std::filesystem::path(directory) / gru_npy_file_name(layout, tensor), error);
}

// The units from the recurrent weights, which hold 3 * units * units values in every layout.
std::size_t units_of(const std::string& directory, GruLayout layout) {
  const std::string name = gru_npy_file_name(layout, gru_layout_tensor_names(layout)[1]);
  const std::string path = (std::filesystem::path(directory) / name).string();
  if (!std::filesystem::exists(path)) {
    throw IoError("convert \"" + directory + "\"", "the recurrent weights \"" + name + "\"",
                  "none");
  }
  const Tensor recurrent = load_npy(path);
  const auto units = static_cast<std::size_t>(std::llround(std::sqrt(recurrent.size() / 3.0)));
  if (units == 0 || 3 * units * units != recurrent.size()) {
    throw ValueError("convert \"" + path + "\"", "3 * units * units values",
                     "shape " + shape_to_string(recurrent.shape()));
  }
  return units;
}

void run_convert(const ConvertArgs& args) {
  const GruLayout from = layout_named(args.from, "--from");
  const GruLayout to = layout_named(args.to, "--to");
  // A bias is present when any tensor after the two weight matrices is; ONNX's
  // linear_before_reset is an attribute, not a bias.
  bool use_bias = false;
  const std::vector<std::string>& names = gru_layout_tensor_names(from);
  for (std::size_t i = 2; i < names.size(); ++i) {
    if (names[i] != "linear_before_reset" && file_exists(args.input_dir, from, names[i])) {
      use_bias = true;
    }
  }
  Gru gru(GruOptions(units_of(args.input_dir, from))
              .use_bias(use_bias)
              .reset_gate_mode(reset_gate_mode_from_name(args.reset_gate_mode)));
  import_gru_weights(args.input_dir, gru, from);
  export_gru_weights(args.output_dir, gru, to);
  std::cout << "GRU of " << gru.options().units() << " units: " << gru_layout_name(from) << " \""
            << args.input_dir << "\" -> " << gru_layout_name(to) << " \"" << args.output_dir
            << "\"\n";
}

}  // namespace

void add_convert_command(CLI::App& app) {
  auto args = std::make_shared<ConvertArgs>();
  args->reset_gate_mode = reset_gate_mode_name(GruOptions(1).reset_gate_mode());
  CLI::App* command = app.add_subcommand(
      "convert",
      "Convert one GRU's weights (.npy files) between the Keras, PyTorch, MATLAB and ONNX layouts");
  command->add_option("--from", args->from, "The input layout: keras, pytorch, matlab, onnx")
      ->required();
  command->add_option("--to", args->to, "The output layout: keras, pytorch, matlab, onnx")
      ->required();
  command->add_option("input_dir", args->input_dir, "The folder of the input .npy files")
      ->required();
  command->add_option("output_dir", args->output_dir, "The folder the output files go to")
      ->required();
  command->add_option("--reset-gate-mode", args->reset_gate_mode,
                      "before_multiplication, after_multiplication or "
                      "recurrent_bias_after_multiplication (default; Keras reset_after=True, "
                      "PyTorch)");
  command->callback([args] { run_convert(*args); });
}

}  // namespace grutape::cli
