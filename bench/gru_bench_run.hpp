#pragma once
// What gru_bench measures and how: per shape and engine, the median time of inference (forward)
// and of training (forward + backward of the sum of the outputs), the peak heap memory of one
// training step, and the output sequence's checksum and distance to the composite engine's; then
// the 1-vs-2-thread scaling of training at batch >= 16.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bench/gru_bench_engines.hpp"

namespace grutape::bench {

/// What to run (the command line's options, gru_bench_options.hpp).
struct GruBenchConfig {
  /// The shapes, in order.
  std::vector<GruShape> shapes;
  /// The engines, in the order of all_gru_engines().
  std::vector<GruEngineKind> engines;
  /// Timed calls per measurement, after one untimed call; the median is reported.
  int repeats = 5;
  /// Threads of the main tables.
  std::size_t threads = 2;
  /// Whether to measure 1 vs 2 threads at batch >= 16.
  bool scaling = true;
  /// The seed of every problem.
  std::uint64_t seed = 1;
};

/// One engine on one shape with one thread count.
struct GruMeasurement {
  GruShape shape;
  GruEngineKind engine = GruEngineKind::composite;
  std::size_t threads = 0;
  /// Empty when the engine ran; else why it did not ("built without ...").
  std::string absent;
  /// How the engine was called (GruRunner::called_as).
  std::string called_as;
  /// Timed calls in ms, in the order they ran; empty when not measured.
  std::vector<double> forward_ms, training_ms;
  /// Peak heap bytes of one training step above the problem's tensors; unset when not measured.
  std::optional<std::size_t> training_peak_bytes;
  /// FNV-1a of the bytes of the forward output sequence; 0 when not measured.
  std::uint64_t output_fnv1a = 0;
  /// Largest |difference| of the output sequence to the composite engine's; unset when either
  /// was not measured or the engine computes another cell (oneDNN's vanilla GRU).
  std::optional<double> max_difference;

  bool present() const { return absent.empty(); }
  /// The medians, NaN when not measured.
  double forward_median_ms() const;
  double training_median_ms() const;
  /// GF/s of the medians: F per forward, 3F per training step.
  double forward_gflops() const;
  double training_gflops() const;
};

struct GruBenchResults {
  GruBenchConfig config;
  /// Every shape x engine on config.threads threads.
  std::vector<GruMeasurement> main;
  /// Training on 1 and on 2 threads, per shape with batch >= 16 and engine.
  std::vector<GruMeasurement> scaling;
  /// How the fused engine was called.
  std::string fused_called_as;
  /// Percent of the machine used by other processes while the run lasted (bench_common.hpp).
  double other_load_percent = 0;
  /// /proc/loadavg at the start.
  std::string load_average;

  /// The main measurement of `shape` and `engine`, or null.
  const GruMeasurement* find(const GruShape& shape, GruEngineKind engine) const;
  /// The scaling measurement of `shape`, `engine` and `threads`, or null.
  const GruMeasurement* find_scaling(const GruShape& shape, GruEngineKind engine,
                                     std::size_t threads) const;
};

/// Runs everything `config` asks for, printing one line per measurement to stderr as it goes.
GruBenchResults run_gru_bench(const GruBenchConfig& config);

/// Whether two shapes are the same.
bool same_shape(const GruShape& a, const GruShape& b);

}  // namespace grutape::bench
