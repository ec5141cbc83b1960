#pragma once
// gru_bench's command line.

#include <string>
#include <vector>

#include "bench/gru_bench_run.hpp"

namespace grutape::bench {

/// The shapes of the issue, in order: --shapes picks from them by number (1-based).
const std::vector<GruShape>& standard_gru_shapes();

struct GruBenchOptions {
  GruBenchConfig config;
  /// Output files; empty: not written.
  std::string json, markdown, svg;
  bool help = false;
};

/// The options of `argc`/`argv`; a ValueError naming the bad argument.
GruBenchOptions parse_gru_bench_options(int argc, char** argv);

/// The --help text.
std::string gru_bench_usage();

}  // namespace grutape::bench
