// grutape: train, run, inspect and convert models from the command line (README, docs/config.md).
// Every failure ends the program with exit code 1 (2 for a command line CLI11 refuses) and one
// line on standard error, "grutape: <what>", never a stack trace.

#include <exception>
#include <iostream>

#include <CLI/CLI.hpp>

#include "commands.hpp"

int main(int argc, char** argv) {
  CLI::App app(
      "grutape: train GRU models from JSON configs, predict, evaluate, inspect and "
      "convert them",
      "grutape");
  app.require_subcommand(1);
  for (const auto& add : grutape::cli::all_commands()) add(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& help) {
    return app.exit(help);
  } catch (const CLI::CallForAllHelp& help) {
    return app.exit(help);
  } catch (const CLI::ParseError& error) {
    std::cerr << "grutape: " << error.what() << " (see grutape --help)\n";
    return 2;
  } catch (const grutape::cli::ExitStatus& status) {
    return status.code;
  } catch (const std::exception& error) {
    std::cerr << "grutape: " << error.what() << "\n";
    return 1;
  }
  return 0;
}
