#include "bench/gru_bench_main.hpp"

#include <exception>
#include <filesystem>
#include <iostream>

#include "bench/gru_bench_options.hpp"
#include "bench/gru_bench_report.hpp"
#include "core/error.hpp"
#include "core/io/atomic_file.hpp"

namespace grutape::bench {

int gru_bench_main(int argc, char** argv) {
  GruBenchOptions options;
  try {
    options = parse_gru_bench_options(argc, argv);
  } catch (const ValueError& error) {
    std::cerr << error.what() << "\n\n" << gru_bench_usage();
    return 2;
  }
  if (options.help) {
    std::cout << gru_bench_usage();
    return 0;
  }
  try {
    std::string command;
    for (int i = 0; i < argc; ++i) command += (i ? " " : "") + std::string(argv[i]);
    const GruBenchResults results = run_gru_bench(options.config);
    std::cout << "GRU engines, float32\n";
    for (const std::string& note : gru_bench_notes(results)) std::cout << "- " << note << "\n";
    for (const Table& table : gru_bench_tables(results)) table.print(std::cout);
    if (!options.json.empty())
      write_file_atomically(options.json, gru_bench_json(results, command));
    if (!options.svg.empty()) write_file_atomically(options.svg, gru_bench_svg(results));
    if (!options.markdown.empty()) {
      // The chart is linked relative to the markdown file's directory.
      std::string svg;
      if (!options.svg.empty()) {
        svg = std::filesystem::relative(std::filesystem::absolute(options.svg),
                                        std::filesystem::absolute(options.markdown).parent_path())
                  .generic_string();
      }
      write_markdown_section(options.markdown, gru_bench_markdown(results, command, svg));
    }
  } catch (const std::exception& error) {
    std::cerr << "gru_bench: " << error.what() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace grutape::bench
