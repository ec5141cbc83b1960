#pragma once
// The entry point of the GRU benchmark, callable from any command-line program (bench/gru_bench
// is its own; the target grutape_gru_bench holds it).

namespace grutape::bench {

/// Runs the benchmark for a command line (gru_bench_options.cpp: --help lists the options);
/// returns the exit status: 0 done, 1 failed, 2 bad arguments.
int gru_bench_main(int argc, char** argv);

}  // namespace grutape::bench
