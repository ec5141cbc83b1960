#pragma once
// The engines gru_bench runs side by side, behind one interface: grutape's composite and fused
// engines, oneDNN's vanilla GRU and LBR-GRU primitives and PyTorch's torch::nn::GRU. Every engine
// reads the same problem (GruProblem: one fixed-seed input and one set of weights) converted
// into its own layout before any measurement, so that all of them compute the same numbers
// (oneDNN's vanilla GRU excepted: its cell puts the reset gate before the recurrent product).
//
// The peers are optional: bench/CMakeLists.txt compiles gru_bench_onednn.cpp and
// gru_bench_torch.cpp only when it finds the libraries, and defines GRUTAPE_BENCH_DNNL and
// GRUTAPE_BENCH_TORCH; make_gru_runner reports a peer the build lacks as absent.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/tensor.hpp"

namespace grutape::bench {

/// One benchmark shape: a (batch, steps, input) sequence through a layer of `units`.
struct GruShape {
  std::size_t steps = 0, batch = 0, input = 0, units = 0;

  /// F = 2 B T 3H (I + H): the multiply-adds of the forward's products, counted twice.
  double forward_flops() const {
    return 2.0 * static_cast<double>(batch * steps * 3 * units * (input + units));
  }
  /// "(T, B, I, H)" as "(100, 1, 256, 256)".
  std::string text() const;
};

/// The problem every engine solves: float32 tensors in grutape's layout (layers/gru/gates.hpp),
/// drawn from grutape::Random(seed): x uniform in [-1, 1], W and U uniform in +-1/sqrt(H), b and rb
/// uniform in +-0.1. The initial state is zeros.
struct GruProblem {
  GruShape shape;
  /// x (batch, steps, input).
  Tensor input;
  /// W (input, 3 * units).
  Tensor kernel;
  /// U (units, 3 * units).
  Tensor recurrent_kernel;
  /// b (3 * units).
  Tensor bias;
  /// rb (3 * units).
  Tensor recurrent_bias;
};

/// The problem of `shape` drawn from `seed`.
GruProblem make_gru_problem(const GruShape& shape, std::uint64_t seed);

enum class GruEngineKind { composite, fused, onednn_gru, onednn_lbr_gru, pytorch };

/// Every engine, in the order of the tables.
const std::vector<GruEngineKind>& all_gru_engines();
/// "composite", "fused", "onednn_gru", "onednn_lbr_gru", "pytorch": the names of --engines and
/// of the JSON file.
const char* gru_engine_id(GruEngineKind kind);
/// "composite", "fused", "oneDNN GRU", "oneDNN LBR-GRU", "PyTorch nn.GRU": table headers.
const char* gru_engine_title(GruEngineKind kind);

/// One engine set up on one problem. Each call runs a whole sequence on the threads the runner
/// was made for.
class GruRunner {
 public:
  virtual ~GruRunner() = default;
  /// Creates what a mode needs beyond the problem's tensors in the engine's layout (oneDNN's
  /// primitives, workspace and weights reordered into the layout each primitive chose); outside
  /// the timed region. The other engines allocate as they run.
  virtual void prepare(bool training) { (void)training; }
  /// Inference: one forward pass with nothing recorded for backward.
  virtual void forward() = 0;
  /// Training: a forward pass, then the backward of the sum of the output sequence into the
  /// input and every weight. Gradients from the previous call are dropped first.
  virtual void training() = 0;
  /// The output sequence of the last forward() as (batch, steps, units) row-major floats.
  virtual std::vector<float> sequence() = 0;
  /// How the engine was called, for the notes ("the Gru layer", "gru_fused()").
  virtual std::string called_as() const = 0;
};

/// The runner of `kind` on `problem` for `threads` threads; null when this build lacks the
/// engine (`absent` then says why).
std::unique_ptr<GruRunner> make_gru_runner(GruEngineKind kind, const GruProblem& problem,
                                           std::size_t threads, std::string& absent);

/// Makes the engine's own thread pool use `threads` threads (TBB through grutape::ThreadLimit
/// for grutape, OpenMP for oneDNN, torch::set_num_threads for PyTorch) while it lives.
class GruThreads {
 public:
  GruThreads(GruEngineKind kind, std::size_t threads);
  ~GruThreads();
  GruThreads(const GruThreads&) = delete;
  GruThreads& operator=(const GruThreads&) = delete;

 private:
  struct Scope;
  std::unique_ptr<Scope> scope_;
};

/// The version of each peer in this build ("2.6.3", "1.13.1"), or "absent".
std::string onednn_version();
std::string pytorch_version();

// The factories of each engine file.
std::unique_ptr<GruRunner> make_composite_runner(const GruProblem& problem);
std::unique_ptr<GruRunner> make_fused_runner(const GruProblem& problem);
#ifdef GRUTAPE_BENCH_DNNL
std::unique_ptr<GruRunner> make_onednn_runner(const GruProblem& problem, bool linear_before_reset);
void set_onednn_threads(std::size_t threads);
std::string onednn_library_version();
#endif
#ifdef GRUTAPE_BENCH_TORCH
std::unique_ptr<GruRunner> make_torch_runner(const GruProblem& problem);
/// Sets PyTorch's intra-op threads (and OpenBLAS's, which its products call); returns the
/// previous intra-op count.
std::size_t set_torch_threads(std::size_t threads);
std::string torch_library_version();
#endif

}  // namespace grutape::bench
