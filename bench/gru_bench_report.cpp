#include "bench/gru_bench_report.hpp"

#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "bench/gru_bench_memory.hpp"
#include "core/error.hpp"
#include "core/gemm.hpp"
#include "core/io/atomic_file.hpp"

namespace grutape::bench {
namespace {

const char* const kBegin = "<!-- gru_bench:begin -->";
const char* const kEnd = "<!-- gru_bench:end -->";

bool is_standard_shape(const GruShape& shape, std::size_t t, std::size_t b, std::size_t i,
                       std::size_t h) {
  return same_shape(shape, GruShape{t, b, i, h});
}

std::string cpu_model() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line))
    if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
  return "unknown CPU";
}

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm parts{};
  gmtime_r(&now, &parts);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text;
}

// "12.345" with three significant decimals for small times.
std::string ms_text(double ms) {
  return std::isnan(ms) ? "-" : fixed(ms, ms < 10 ? 3 : ms < 100 ? 2 : 1);
}

std::string gflops_text(double gflops) {
  return std::isnan(gflops) ? "-" : fixed(gflops, 1);
}

std::string mode_name(bool training) {
  return training ? "fwd+bwd" : "fwd";
}

// T * B * 4H floats: the activations a GRU must keep for backward at the least (three gates and
// the state per step), in bytes.
double activation_floor_bytes(const GruShape& s) {
  return 4.0 * static_cast<double>(s.steps * s.batch * 4 * s.units);
}

std::string check_text(double measured, double threshold) {
  return fixed(measured, 2) + (measured >= threshold ? " ok" : " miss");
}

}  // namespace

std::vector<GruTargetCheck> gru_bench_targets(const GruBenchResults& results) {
  std::vector<GruTargetCheck> checks;
  const auto ratio_checks = [&](GruEngineKind ours, GruEngineKind peer, const std::string& what) {
    for (const GruShape& shape : results.config.shapes) {
      const GruMeasurement* a = results.find(shape, ours);
      const GruMeasurement* b = results.find(shape, peer);
      if (!a || !b || !a->present() || !b->present()) continue;
      const double batch_one = ours == GruEngineKind::fused && shape.batch == 1 ? 2.0 : 1.0;
      checks.push_back(
          {what + ", forward", shape, b->forward_median_ms() / a->forward_median_ms(), 1.0, "x"});
      checks.push_back({what + ", forward + backward", shape,
                        b->training_median_ms() / a->training_median_ms(), batch_one, "x"});
    }
  };
  ratio_checks(GruEngineKind::fused, GruEngineKind::onednn_lbr_gru, "fused vs oneDNN LBR-GRU");
  ratio_checks(GruEngineKind::composite, GruEngineKind::pytorch, "composite vs PyTorch nn.GRU");
  for (const GruShape& shape : results.config.shapes) {
    const GruMeasurement* fused = results.find(shape, GruEngineKind::fused);
    if (is_standard_shape(shape, 50, 64, 512, 512) && fused && fused->present()) {
      checks.push_back(
          {"fused forward + backward GF/s", shape, fused->training_gflops(), 300, "GF/s"});
    }
  }
  for (GruEngineKind kind : {GruEngineKind::fused, GruEngineKind::composite}) {
    for (const GruShape& shape : results.config.shapes) {
      const GruMeasurement* one = results.find_scaling(shape, kind, 1);
      const GruMeasurement* two = results.find_scaling(shape, kind, 2);
      if (!one || !two || !one->present() || !two->present()) continue;
      checks.push_back({std::string(gru_engine_title(kind)) + " 2 threads vs 1, forward + backward",
                        shape, one->training_median_ms() / two->training_median_ms(), 1.7, "x"});
    }
  }
  return checks;
}

std::vector<Table> gru_bench_tables(const GruBenchResults& results) {
  const GruBenchConfig& config = results.config;
  std::vector<Table> tables;
  const std::string threads =
      std::to_string(config.threads) + " thread" + (config.threads == 1 ? "" : "s");

  std::vector<std::string> header = {"shape (T, B, I, H)", "mode"};
  for (GruEngineKind kind : config.engines) header.push_back(gru_engine_title(kind));
  Table times("Time in ms, median of " + std::to_string(config.repeats) + ", " + threads, header,
              2);
  Table gflops("GF/s (F = 2BT3H(I+H) per forward, 3F per forward + backward), " + threads, header,
               2);
  for (const GruShape& shape : config.shapes) {
    for (bool training : {false, true}) {
      std::vector<std::string> time_row = {shape.text(), mode_name(training)};
      std::vector<std::string> rate_row = time_row;
      for (GruEngineKind kind : config.engines) {
        const GruMeasurement* m = results.find(shape, kind);
        if (!m || !m->present()) {
          time_row.push_back("absent");
          rate_row.push_back("absent");
          continue;
        }
        time_row.push_back(ms_text(training ? m->training_median_ms() : m->forward_median_ms()));
        rate_row.push_back(gflops_text(training ? m->training_gflops() : m->forward_gflops()));
      }
      times.add(time_row);
      gflops.add(rate_row);
    }
  }
  tables.push_back(times);
  tables.push_back(gflops);

  std::vector<std::string> shape_header = {"shape (T, B, I, H)"};
  for (GruEngineKind kind : config.engines) shape_header.push_back(gru_engine_title(kind));
  Table memory("Peak heap memory of one forward + backward, MB (and in units of T*B*4H floats)",
               shape_header, 1);
  Table agreement("Largest |difference| of the output sequence to the composite engine's",
                  shape_header, 1);
  for (const GruShape& shape : config.shapes) {
    std::vector<std::string> memory_row = {shape.text()}, agreement_row = {shape.text()};
    for (GruEngineKind kind : config.engines) {
      const GruMeasurement* m = results.find(shape, kind);
      if (!m || !m->present()) {
        memory_row.push_back("absent");
        agreement_row.push_back("absent");
        continue;
      }
      if (m->training_peak_bytes) {
        const double bytes = static_cast<double>(*m->training_peak_bytes);
        memory_row.push_back(fixed(bytes / 1e6, 1) + " (" +
                             fixed(bytes / activation_floor_bytes(shape), 1) + ")");
      } else {
        memory_row.push_back("-");
      }
      char text[32];
      if (m->max_difference) {
        std::snprintf(text, sizeof text, "%.1e", *m->max_difference);
      } else {
        std::snprintf(text, sizeof text, "%s",
                      kind == GruEngineKind::onednn_gru ? "other cell" : "-");
      }
      agreement_row.push_back(text);
    }
    memory.add(memory_row);
    agreement.add(agreement_row);
  }
  tables.push_back(memory);
  tables.push_back(agreement);

  // The targets as a matrix: one row per shape.
  const std::vector<GruTargetCheck> checks = gru_bench_targets(results);
  const auto cell = [&](const GruShape& shape, const std::string& target) -> std::string {
    for (const GruTargetCheck& c : checks)
      if (same_shape(c.shape, shape) && c.target == target)
        return check_text(c.measured, c.threshold);
    return "-";
  };
  Table targets(
      "Targets: peer time / our time (ok: target met), " + threads,
      {"shape (T, B, I, H)", "fused / LBR fwd (>= 1)", "fused / LBR f+b (>= 1; B = 1: >= 2)",
       "composite / PyTorch fwd (>= 1)", "composite / PyTorch f+b (>= 1)"},
      1);
  for (const GruShape& shape : config.shapes) {
    targets.add({shape.text(), cell(shape, "fused vs oneDNN LBR-GRU, forward"),
                 cell(shape, "fused vs oneDNN LBR-GRU, forward + backward"),
                 cell(shape, "composite vs PyTorch nn.GRU, forward"),
                 cell(shape, "composite vs PyTorch nn.GRU, forward + backward")});
  }
  tables.push_back(targets);

  if (!results.scaling.empty()) {
    std::vector<std::string> scaling_header = {"shape (T, B, I, H)"};
    for (GruEngineKind kind : config.engines) scaling_header.push_back(gru_engine_title(kind));
    Table scaling(
        "Forward + backward on 1 and 2 threads: ms 1 thr / ms 2 thr = speedup (target "
        ">= 1.7 for fused and composite)",
        scaling_header, 1);
    for (const GruShape& shape : config.shapes) {
      if (shape.batch < 16) continue;
      std::vector<std::string> row = {shape.text()};
      for (GruEngineKind kind : config.engines) {
        const GruMeasurement* one = results.find_scaling(shape, kind, 1);
        const GruMeasurement* two = results.find_scaling(shape, kind, 2);
        if (!one || !two || !one->present() || !two->present()) {
          row.push_back("absent");
          continue;
        }
        const double speedup = one->training_median_ms() / two->training_median_ms();
        const bool targeted = kind == GruEngineKind::fused || kind == GruEngineKind::composite;
        row.push_back(ms_text(one->training_median_ms()) + " / " +
                      ms_text(two->training_median_ms()) + " = " +
                      (targeted ? check_text(speedup, 1.7) : fixed(speedup, 2)));
      }
      scaling.add(row);
    }
    tables.push_back(scaling);
  }
  return tables;
}

std::vector<std::string> gru_bench_notes(const GruBenchResults& results) {
  std::vector<std::string> notes;
  notes.push_back("Machine: " + cpu_model() + ", " +
                  std::to_string(std::thread::hardware_concurrency()) + " hardware threads; " +
                  utc_now() + "; load average at the start " + results.load_average +
                  "; other processes used " + fixed(results.other_load_percent, 0) +
                  "% of the machine during the run.");
  notes.push_back("Versions: oneDNN " + onednn_version() + ", PyTorch (libtorch) " +
                  pytorch_version() + "; grutape's float32 GEMM: " + gemm_provider() +
                  "; compiler " + __VERSION__ + ".");
  notes.push_back(
      "Float32, zero initial state, tanh/sigmoid; every engine reads the same "
      "fixed-seed input and weights (seed " +
      std::to_string(results.config.seed) +
      ") and all but oneDNN's vanilla GRU (reset gate before the recurrent product) "
      "compute the same cell, recurrent_bias_after_multiplication (LBR). The JSON file "
      "holds an FNV-1a checksum of each engine's output sequence: the same on every "
      "run for a given seed and thread count.");
  notes.push_back(
      "fwd: inference, nothing recorded for backward. fwd+bwd: forward, then the "
      "backward of the sum of the output sequence into the input and all weights "
      "(previous gradients dropped). Median of " +
      std::to_string(results.config.repeats) +
      " timed calls after one untimed call; engines one after another with a pause "
      "between them.");
  if (!results.fused_called_as.empty())
    notes.push_back("The fused engine is called through " + results.fused_called_as + ".");
  notes.push_back(
      "oneDNN: weights reordered into each primitive's chosen layout once, outside "
      "the timed region; OpenMP threads set with omp_set_num_threads. PyTorch: "
      "torch::nn::GRU, sequence-first input, torch::set_num_threads (and OpenBLAS's "
      "thread count). grutape: grutape::ThreadLimit.");
  if (!heap_counting_active()) {
    notes.push_back(
        "Memory: not measured by this program; the counting allocator is part of the "
        "gru_bench program only (bench/gru_bench_malloc.cpp).");
    return notes;
  }
  notes.push_back(
      "Memory: the bench replaces malloc/free and the aligned variants (what C++ "
      "new, xtensor, oneDNN and PyTorch all allocate through) and counts live bytes; "
      "the figure is the peak above the problem's input and weights during one "
      "forward + backward, including the outputs, saved activations, workspace, "
      "scratch, gradients and (oneDNN) the primitives with their reordered weights. "
      "In parentheses: divided by T*B*4H floats.");
  return notes;
}

std::string gru_bench_markdown(const GruBenchResults& results, const std::string& command,
                               const std::string& svg) {
  std::ostringstream out;
  out << "## GRU engines beside oneDNN and PyTorch (bench/gru_bench)\n\n```\n"
      << command << "\n```\n\n";
  for (const std::string& note : gru_bench_notes(results)) out << "- " << note << "\n";
  if (!svg.empty()) out << "\n![forward + backward GF/s per shape and engine](" << svg << ")\n";
  for (const Table& table : gru_bench_tables(results)) table.markdown(out);
  const std::vector<GruTargetCheck> checks = gru_bench_targets(results);
  std::size_t met = 0;
  for (const GruTargetCheck& c : checks) met += c.met() ? 1 : 0;
  if (!checks.empty()) out << "\nTargets met: " << met << " of " << checks.size() << ".";
  for (const GruTargetCheck& c : checks) {
    if (c.unit == "GF/s") {
      out << " Fused forward + backward at " << c.shape.text() << ": " << fixed(c.measured, 1)
          << " GF/s (target >= 300, " << (c.met() ? "met" : "missed") << ").";
    }
  }
  out << "\n";
  return out.str();
}

void write_markdown_section(const std::string& path, const std::string& section) {
  std::string text;
  if (std::filesystem::exists(path)) text = read_file(path);
  const std::string block = std::string(kBegin) + "\n" + section + kEnd;
  const std::size_t begin = text.find(kBegin);
  const std::size_t end = text.find(kEnd);
  if (begin == std::string::npos && end == std::string::npos) {
    // One blank line between the text before and the section.
    while (!text.empty() && text.back() == '\n') text.pop_back();
    text += (text.empty() ? "" : "\n\n") + block + "\n";
  } else if (begin != std::string::npos && end != std::string::npos && begin < end) {
    text.replace(begin, end + std::string(kEnd).size() - begin, block);
  } else {
    throw ValueError(
        "gru_bench --markdown " + path,
        std::string("both lines ") + kBegin + " and " + kEnd + " in that order, or neither",
        "only one of them, or them out of order");
  }
  write_file_atomically(path, text);
}

std::string gru_bench_json(const GruBenchResults& results, const std::string& command) {
  using nlohmann::json;
  const auto shape_json = [](const GruShape& s) {
    return json{{"T", s.steps}, {"B", s.batch}, {"I", s.input}, {"H", s.units}};
  };
  const auto measurement_json = [&](const GruMeasurement& m) {
    json j = {{"shape", shape_json(m.shape)},
              {"engine", gru_engine_id(m.engine)},
              {"threads", m.threads}};
    if (!m.present()) {
      j["absent"] = m.absent;
      return j;
    }
    j["called_as"] = m.called_as;
    if (!m.forward_ms.empty()) {
      j["forward"] = {{"median_ms", m.forward_median_ms()},
                      {"gflops", m.forward_gflops()},
                      {"samples_ms", m.forward_ms}};
    }
    if (!m.training_ms.empty()) {
      j["forward_backward"] = {{"median_ms", m.training_median_ms()},
                               {"gflops", m.training_gflops()},
                               {"samples_ms", m.training_ms}};
    }
    if (m.training_peak_bytes) {
      j["forward_backward"]["peak_bytes"] = *m.training_peak_bytes;
      j["forward_backward"]["peak_over_TB4H_floats"] =
          static_cast<double>(*m.training_peak_bytes) / activation_floor_bytes(m.shape);
    }
    if (m.output_fnv1a != 0) {
      char hex[24];
      std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(m.output_fnv1a));
      j["output_fnv1a"] = hex;
    }
    if (m.max_difference) j["max_difference_to_composite"] = *m.max_difference;
    return j;
  };
  json out;
  out["command"] = command;
  out["machine"] = {{"cpu", cpu_model()},
                    {"hardware_threads", std::thread::hardware_concurrency()},
                    {"date", utc_now()},
                    {"load_average_at_start", results.load_average},
                    {"other_load_percent", results.other_load_percent}};
  out["versions"] = {{"grutape", GRUTAPE_VERSION},
                     {"onednn", onednn_version()},
                     {"pytorch", pytorch_version()},
                     {"grutape_gemm", gemm_provider()},
                     {"compiler", __VERSION__}};
  json shapes = json::array(), engines = json::array();
  for (const GruShape& shape : results.config.shapes) shapes.push_back(shape_json(shape));
  for (GruEngineKind kind : results.config.engines) engines.push_back(gru_engine_id(kind));
  out["config"] = {{"shapes", shapes},
                   {"engines", engines},
                   {"scaling", results.config.scaling},
                   {"threads", results.config.threads},
                   {"repeats", results.config.repeats},
                   {"seed", results.config.seed},
                   {"flops_per_forward", "2*B*T*3H*(I+H); forward+backward counts 3x"}};
  out["fused_called_as"] = results.fused_called_as;
  out["results"] = json::array();
  for (const GruMeasurement& m : results.main) out["results"].push_back(measurement_json(m));
  out["scaling"] = json::array();
  for (const GruMeasurement& m : results.scaling) out["scaling"].push_back(measurement_json(m));
  out["targets"] = json::array();
  for (const GruTargetCheck& c : gru_bench_targets(results)) {
    out["targets"].push_back({{"target", c.target},
                              {"shape", shape_json(c.shape)},
                              {"measured", c.measured},
                              {"threshold", c.threshold},
                              {"unit", c.unit},
                              {"met", c.met()}});
  }
  return out.dump(2) + "\n";
}

}  // namespace grutape::bench
