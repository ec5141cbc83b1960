#pragma once
// The subcommands of the grutape program, one source file each. A subcommand adds itself to the
// program with its options and the function that runs it; errors are thrown as grutape::Error
// and reported by main as one line "grutape: <what>". To add a subcommand, write its file with
// an add_*_command function and list it in all_commands() (commands.cpp).

#include <functional>
#include <vector>

#include <CLI/CLI.hpp>

namespace grutape::cli {

/// Thrown by a subcommand that has already reported its outcome and only sets the exit status.
struct ExitStatus {
  int code;
};

/// Adds one subcommand (its options and its callback) to `app`.
using CommandAdder = std::function<void(CLI::App& app)>;

/// Every subcommand, in the order `grutape --help` lists them.
const std::vector<CommandAdder>& all_commands();

/// grutape train CONFIG.json [--quiet] [--epochs N] [--output-dir DIR]
void add_train_command(CLI::App& app);
/// grutape predict MODEL --input X --output Y [--batch-size N]
void add_predict_command(CLI::App& app);
/// grutape evaluate MODEL --input X [--target Y] [--batch-size N] [--max-loss L]
void add_evaluate_command(CLI::App& app);
/// grutape summary MODEL
void add_summary_command(CLI::App& app);
/// grutape convert --from LAYOUT --to LAYOUT IN_DIR OUT_DIR [--reset-gate-mode MODE]
void add_convert_command(CLI::App& app);
/// grutape export MODEL --format onnx -o OUT.onnx
void add_export_command(CLI::App& app);
/// grutape import IN.onnx -o OUT.grutape
void add_import_command(CLI::App& app);
/// grutape bench [the options of bench/gru_bench]
void add_bench_command(CLI::App& app);

}  // namespace grutape::cli
