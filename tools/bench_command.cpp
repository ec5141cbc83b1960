// grutape bench [gru_bench options]: the GRU benchmark of bench/gru_bench (grutape's engines
// beside oneDNN's and PyTorch's GRUs when the build found them). Every argument after "bench",
// --help included, goes to the benchmark, which prints its own help and errors.

#include <string>
#include <vector>

#include "commands.hpp"

#ifdef GRUTAPE_CLI_BENCH
#include "bench/gru_bench_main.hpp"
#else
#include "core/error.hpp"
#endif

namespace grutape::cli {
namespace {

void run_bench(const std::vector<std::string>& arguments) {
#ifdef GRUTAPE_CLI_BENCH
  std::vector<std::string> words = {"grutape bench"};
  words.insert(words.end(), arguments.begin(), arguments.end());
  std::vector<char*> argv;
  for (std::string& word : words) argv.push_back(word.data());
  argv.push_back(nullptr);
  const int status = bench::gru_bench_main(static_cast<int>(words.size()), argv.data());
  if (status != 0) throw ExitStatus{status};
#else
  throw ValueError(
      "bench", "a grutape built with its benchmarks (-DGRUTAPE_BUILD_BENCH=ON)",
      "a build without bench/ (" + std::to_string(arguments.size()) + " arguments not run)");
#endif
}

}  // namespace

void add_bench_command(CLI::App& app) {
  CLI::App* command =
      app.add_subcommand("bench", "Run the GRU benchmark (grutape bench --help lists its options)");
  // The benchmark parses its own options, --help among them.
  command->set_help_flag();
  command->prefix_command();
  command->callback([command] { run_bench(command->remaining()); });
}

}  // namespace grutape::cli
