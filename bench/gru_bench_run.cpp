#include "bench/gru_bench_run.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <map>

#include "bench/bench_common.hpp"
#include "bench/gru_bench_memory.hpp"

namespace grutape::bench {
namespace {

double median_of(std::vector<double> values) {
  if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

// One untimed call, then `repeats` timed ones, in ms.
template <class F>
std::vector<double> timed_ms(F&& f, int repeats) {
  f();
  std::vector<double> times;
  for (int i = 0; i < repeats; ++i) {
    const auto start = Clock::now();
    f();
    times.push_back(seconds_since(start) * 1e3);
  }
  return times;
}

std::uint64_t fnv1a(const std::vector<float>& values) {
  std::uint64_t hash = 0xcbf29ce484222325ull;
  const auto* bytes = reinterpret_cast<const unsigned char*>(values.data());
  for (std::size_t i = 0; i < values.size() * sizeof(float); ++i) {
    hash ^= bytes[i];
    hash *= 0x100000001b3ull;
  }
  return hash;
}

double max_difference(const std::vector<float>& a, const std::vector<float>& b) {
  double worst = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    worst = std::max(worst, std::abs(static_cast<double>(a[i]) - b[i]));
  return worst;
}

struct Plan {
  bool forward = true, training = true, memory = true;
};

// Measures one engine: the memory of the first training step on fresh state (no gradients yet),
// then training, then inference, whose last output is kept in `sequence`.
GruMeasurement measure(const GruProblem& problem, GruEngineKind kind, std::size_t threads,
                       int repeats, const Plan& plan, std::vector<float>& sequence) {
  GruMeasurement m;
  m.shape = problem.shape;
  m.engine = kind;
  m.threads = threads;
  std::unique_ptr<GruRunner> runner = make_gru_runner(kind, problem, threads, m.absent);
  if (!runner) return m;
  m.called_as = runner->called_as();
  GruThreads scope(kind, threads);
  if (plan.memory) {
    PeakMemory peak;
    runner->prepare(true);
    runner->training();
    if (heap_counting_active()) m.training_peak_bytes = peak.peak_bytes();
  }
  if (plan.training) {
    runner->prepare(true);
    m.training_ms = timed_ms([&] { runner->training(); }, repeats);
  }
  if (plan.forward) {
    settle();
    runner->prepare(false);
    m.forward_ms = timed_ms([&] { runner->forward(); }, repeats);
    sequence = runner->sequence();
    m.output_fnv1a = fnv1a(sequence);
  }
  return m;
}

void report(const GruMeasurement& m) {
  std::fprintf(stderr, "  %-15s %zu thr", gru_engine_title(m.engine), m.threads);
  if (!m.present()) std::fprintf(stderr, "  absent: %s", m.absent.c_str());
  if (!m.forward_ms.empty()) std::fprintf(stderr, "  fwd %10.3f ms", m.forward_median_ms());
  if (!m.training_ms.empty()) std::fprintf(stderr, "  f+b %10.3f ms", m.training_median_ms());
  std::fprintf(stderr, "\n");
}

std::string read_load_average() {
  std::ifstream in("/proc/loadavg");
  std::string one, five, fifteen;
  in >> one >> five >> fifteen;
  return one + " " + five + " " + fifteen;
}

}  // namespace

double GruMeasurement::forward_median_ms() const {
  return median_of(forward_ms);
}

double GruMeasurement::training_median_ms() const {
  return median_of(training_ms);
}

double GruMeasurement::forward_gflops() const {
  return shape.forward_flops() / forward_median_ms() * 1e-6;
}

double GruMeasurement::training_gflops() const {
  return 3 * shape.forward_flops() / training_median_ms() * 1e-6;
}

bool same_shape(const GruShape& a, const GruShape& b) {
  return a.steps == b.steps && a.batch == b.batch && a.input == b.input && a.units == b.units;
}

const GruMeasurement* GruBenchResults::find(const GruShape& shape, GruEngineKind engine) const {
  for (const GruMeasurement& m : main)
    if (same_shape(m.shape, shape) && m.engine == engine) return &m;
  return nullptr;
}

const GruMeasurement* GruBenchResults::find_scaling(const GruShape& shape, GruEngineKind engine,
                                                    std::size_t threads) const {
  for (const GruMeasurement& m : scaling)
    if (same_shape(m.shape, shape) && m.engine == engine && m.threads == threads) return &m;
  return nullptr;
}

GruBenchResults run_gru_bench(const GruBenchConfig& config) {
  GruBenchResults results;
  results.config = config;
  results.load_average = read_load_average();
  OtherLoad load;
  for (const GruShape& shape : config.shapes) {
    std::fprintf(stderr, "%s, %zu thread%s\n", shape.text().c_str(), config.threads,
                 config.threads == 1 ? "" : "s");
    const GruProblem problem = make_gru_problem(shape, config.seed);
    std::map<GruEngineKind, std::vector<float>> sequences;
    for (GruEngineKind kind : config.engines) {
      settle();
      GruMeasurement m =
          measure(problem, kind, config.threads, config.repeats, Plan{}, sequences[kind]);
      if (kind == GruEngineKind::fused && m.present()) results.fused_called_as = m.called_as;
      report(m);
      results.main.push_back(std::move(m));
    }
    // Every engine that computes the composite engine's cell, against it.
    const auto reference = sequences.find(GruEngineKind::composite);
    for (GruMeasurement& m : results.main) {
      const auto own = sequences.find(m.engine);
      if (!same_shape(m.shape, shape) || m.engine == GruEngineKind::onednn_gru ||
          reference == sequences.end() || own == sequences.end() || own->second.empty() ||
          reference->second.empty())
        continue;
      m.max_difference = max_difference(own->second, reference->second);
    }
  }
  if (config.scaling) {
    for (const GruShape& shape : config.shapes) {
      if (shape.batch < 16) continue;
      std::fprintf(stderr, "%s, training on 1 and 2 threads\n", shape.text().c_str());
      const GruProblem problem = make_gru_problem(shape, config.seed);
      for (GruEngineKind kind : config.engines) {
        for (std::size_t threads : {std::size_t{1}, std::size_t{2}}) {
          const GruMeasurement* done = results.find(shape, kind);
          if (threads == config.threads && done != nullptr) {
            results.scaling.push_back(*done);
            continue;
          }
          settle();
          std::vector<float> unused;
          const Plan plan{false, true, false};
          results.scaling.push_back(measure(problem, kind, threads, config.repeats, plan, unused));
          report(results.scaling.back());
        }
      }
    }
  }
  results.other_load_percent = load.percent();
  return results;
}

}  // namespace grutape::bench
