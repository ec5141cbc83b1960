#pragma once
// gru_bench's outputs: the tables (stdout and the markdown section), the targets of the issue
// checked against the measurements, the JSON file and the SVG chart.

#include <iosfwd>
#include <string>
#include <vector>

#include "bench/bench_common.hpp"
#include "bench/gru_bench_run.hpp"

namespace grutape::bench {

/// One target checked on one measurement.
struct GruTargetCheck {
  /// "fused vs oneDNN LBR-GRU, forward" ...
  std::string target;
  GruShape shape;
  /// The measured ratio (the peer's time over ours, or 1-thread over 2-thread time) or GF/s.
  double measured = 0;
  double threshold = 0;
  /// "x" or "GF/s".
  std::string unit;
  bool met() const { return measured >= threshold; }
};

/// Every target whose measurements are present: fused >= 1.0x oneDNN LBR-GRU forward and
/// forward + backward (>= 2x forward + backward at batch 1); fused >= 300 GF/s forward + backward
/// at (50, 64, 512, 512); composite >= 1.0x PyTorch; 2 threads >= 1.7x 1 thread for the fused
/// and composite engines at batch >= 16.
std::vector<GruTargetCheck> gru_bench_targets(const GruBenchResults& results);

/// The tables: time, GF/s, memory, agreement of the outputs, targets, thread scaling.
std::vector<Table> gru_bench_tables(const GruBenchResults& results);

/// The notes above the tables: machine, load, versions, method.
std::vector<std::string> gru_bench_notes(const GruBenchResults& results);

/// The markdown between the gru_bench markers; `svg` (relative to the markdown file) is linked
/// when not empty. `command` is the command line that produced it.
std::string gru_bench_markdown(const GruBenchResults& results, const std::string& command,
                               const std::string& svg);

/// Replaces the part of `path` between the lines <!-- gru_bench:begin --> and
/// <!-- gru_bench:end --> with `section`, appending both markers when the file has neither and
/// creating the file when it does not exist; written atomically. A ValueError when only one
/// marker is present (the text outside them is never changed).
void write_markdown_section(const std::string& path, const std::string& section);

/// Every result as JSON text.
std::string gru_bench_json(const GruBenchResults& results, const std::string& command);

/// A grouped bar chart of forward + backward GF/s per shape and engine, as SVG text.
std::string gru_bench_svg(const GruBenchResults& results);

}  // namespace grutape::bench
