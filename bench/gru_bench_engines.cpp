#include "bench/gru_bench_engines.hpp"

#include <cmath>

#include "core/parallel.hpp"
#include "core/random.hpp"

namespace grutape::bench {

std::string GruShape::text() const {
  return "(" + std::to_string(steps) + ", " + std::to_string(batch) + ", " + std::to_string(input) +
         ", " + std::to_string(units) + ")";
}

GruProblem make_gru_problem(const GruShape& shape, std::uint64_t seed) {
  Random random(seed);
  const double scale = 1 / std::sqrt(static_cast<double>(shape.units));
  const std::size_t gates = 3 * shape.units;
  GruProblem problem;
  problem.shape = shape;
  problem.input = random.uniform({shape.batch, shape.steps, shape.input}, -1, 1);
  problem.kernel = random.uniform({shape.input, gates}, -scale, scale);
  problem.recurrent_kernel = random.uniform({shape.units, gates}, -scale, scale);
  problem.bias = random.uniform({gates}, -0.1, 0.1);
  problem.recurrent_bias = random.uniform({gates}, -0.1, 0.1);
  return problem;
}

namespace {

struct EngineNames {
  GruEngineKind kind;
  const char* id;
  const char* title;
};

// Every engine, in the order of all_gru_engines().
constexpr EngineNames kEngineNames[] = {
    {GruEngineKind::composite, "composite", "composite"},
    {GruEngineKind::fused, "fused", "fused"},
    {GruEngineKind::onednn_gru, "onednn_gru", "oneDNN GRU"},
    {GruEngineKind::onednn_lbr_gru, "onednn_lbr_gru", "oneDNN LBR-GRU"},
    {GruEngineKind::pytorch, "pytorch", "PyTorch nn.GRU"},
};

const EngineNames* engine_names(GruEngineKind kind) {
  for (const EngineNames& names : kEngineNames)
    if (names.kind == kind) return &names;
  return nullptr;
}

}  // namespace

const std::vector<GruEngineKind>& all_gru_engines() {
  static const std::vector<GruEngineKind> engines = [] {
    std::vector<GruEngineKind> kinds;
    for (const EngineNames& names : kEngineNames) kinds.push_back(names.kind);
    return kinds;
  }();
  return engines;
}

const char* gru_engine_id(GruEngineKind kind) {
  const EngineNames* names = engine_names(kind);
  return names ? names->id : "";
}

const char* gru_engine_title(GruEngineKind kind) {
  const EngineNames* names = engine_names(kind);
  return names ? names->title : "";
}

std::unique_ptr<GruRunner> make_gru_runner(GruEngineKind kind, const GruProblem& problem,
                                           std::size_t threads, std::string& absent) {
  GruThreads scope(kind, threads);
  absent.clear();
  switch (kind) {
    case GruEngineKind::composite:
      return make_composite_runner(problem);
    case GruEngineKind::fused:
      return make_fused_runner(problem);
    case GruEngineKind::onednn_gru:
    case GruEngineKind::onednn_lbr_gru:
#ifdef GRUTAPE_BENCH_DNNL
      return make_onednn_runner(problem, kind == GruEngineKind::onednn_lbr_gru);
#else
      absent = "built without it (needs libdnnl-dev and GRUTAPE_BENCH_PEERS=ON)";
      return nullptr;
#endif
    case GruEngineKind::pytorch:
#ifdef GRUTAPE_BENCH_TORCH
      return make_torch_runner(problem);
#else
      absent = "built without it (needs libtorch-dev and GRUTAPE_BENCH_PEERS=ON)";
      return nullptr;
#endif
  }
  return nullptr;
}

// grutape's engines run on TBB (ThreadLimit); oneDNN on the calling thread's OpenMP team;
// PyTorch on its intra-op pool, restored afterwards.
struct GruThreads::Scope {
  std::unique_ptr<ThreadLimit> limit;
  std::size_t torch_before = 0;
};

GruThreads::GruThreads(GruEngineKind kind, std::size_t threads)
    : scope_(std::make_unique<Scope>()) {
  scope_->limit = std::make_unique<ThreadLimit>(threads);
#ifdef GRUTAPE_BENCH_DNNL
  if (kind == GruEngineKind::onednn_gru || kind == GruEngineKind::onednn_lbr_gru)
    set_onednn_threads(threads);
#endif
#ifdef GRUTAPE_BENCH_TORCH
  if (kind == GruEngineKind::pytorch) scope_->torch_before = set_torch_threads(threads);
#endif
  (void)kind;
}

GruThreads::~GruThreads() {
#ifdef GRUTAPE_BENCH_TORCH
  if (scope_->torch_before != 0) set_torch_threads(scope_->torch_before);
#endif
}

std::string onednn_version() {
#ifdef GRUTAPE_BENCH_DNNL
  return onednn_library_version();
#else
  return "absent";
#endif
}

std::string pytorch_version() {
#ifdef GRUTAPE_BENCH_TORCH
  return torch_library_version();
#else
  return "absent";
#endif
}

}  // namespace grutape::bench
