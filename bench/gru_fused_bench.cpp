// Times the fused GRU engine (layers/gru_fused.hpp) on the shapes of the issue, float32:
// forward (inference: nothing saved) and forward + backward (training), the median of repeats,
// with 1 and 2 threads, beside oneDNN's LBR-GRU primitive (bench/gru_onednn_reference.hpp) on
// the same shape and thread count (timed after the fused engine, once the pools are idle).
// F = 2 B T 3H (I + H) flops per forward; forward + backward counts 3F. "x" is oneDNN's time
// over the fused engine's.
//
//   gru_fused_bench [--threads 1,2] [--min-seconds 0.5] [--onednn 1] [--shape T,B,I,H]...

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "autodiff/grad_mode.hpp"
#include "core/gemm.hpp"
#include "core/parallel.hpp"
#include "core/random.hpp"
#include "gru_onednn_reference.hpp"
#include "layers/gru_fused.hpp"

using namespace grutape;

namespace {

using Clock = std::chrono::steady_clock;

struct Shape4 {
  std::size_t steps, batch, input, units;
};

// The median wall time of f() in seconds over at least 5 calls and `min_seconds`, after one
// untimed call.
template <class F>
double median_seconds(F&& f, double min_seconds) {
  f();
  std::vector<double> times;
  double total = 0;
  while (times.size() < 5 || (total < min_seconds && times.size() < 1000)) {
    const auto start = Clock::now();
    f();
    times.push_back(std::chrono::duration<double>(Clock::now() - start).count());
    total += times.back();
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

// Lets idle pool threads (TBB's, oneDNN's OpenMP team) stop spinning before the other engine is
// timed: alternating the two call by call, each would run beside the other's spinning threads.
void settle() {
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
}

std::vector<std::size_t> parse_list(const std::string& text) {
  std::vector<std::size_t> values;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) values.push_back(std::stoul(item));
  return values;
}

struct Timing {
  double forward = 0, training = 0;
};

// The fused engine's times and (when `onednn`) oneDNN's, on `threads` threads.
std::pair<Timing, Timing> time_shape(const Shape4& s, std::size_t threads, bool onednn,
                                     double min_seconds) {
  ThreadLimit limit(threads);
  Random random(1);
  const double scale = 1 / std::sqrt(static_cast<double>(s.units));
  const Tensor x = random.uniform({s.batch, s.steps, s.input}, -1, 1, DType::float32);
  GruFusedInputs in;
  in.input = Value(x, true);
  in.initial_state = Value(random.uniform({s.batch, s.units}, -1, 1, DType::float32), true);
  in.kernel = Value(random.uniform({s.input, 3 * s.units}, -scale, scale, DType::float32), true);
  in.recurrent_kernel =
      Value(random.uniform({s.units, 3 * s.units}, -scale, scale, DType::float32), true);
  in.bias = Value(random.uniform({3 * s.units}, -0.1, 0.1, DType::float32), true);
  in.recurrent_bias = Value(random.uniform({3 * s.units}, -0.1, 0.1, DType::float32), true);
  const GruFusedConfig config;  // recurrent_bias_after_multiplication, sigmoid, tanh
  const Tensor seed = random.uniform({s.batch, s.steps, s.units}, -1, 1, DType::float32);
  const std::vector<Value*> leaves = {
      &in.input, &in.initial_state, &in.kernel, &in.recurrent_kernel, &in.bias, &in.recurrent_bias};
  std::unique_ptr<bench::OnednnLbrGru> peer;
  if (onednn) {
    peer = std::make_unique<bench::OnednnLbrGru>(s.steps, s.batch, s.input, s.units,
                                                 static_cast<int>(threads));
  }
  const auto forward = [&] {
    NoGradScope no_grad;
    gru_fused(in, config);
  };
  const auto training = [&] {
    for (Value* v : leaves) v->zero_grad();
    std::vector<Value> out = gru_fused(in, config);
    out[0].backward(seed);
  };
  const double f = median_seconds(forward, min_seconds);
  const double t = median_seconds(training, min_seconds);
  double pf = 0, pt = 0;
  if (onednn) {
    settle();
    pf = median_seconds([&] { peer->forward(); }, min_seconds);
    pt = median_seconds([&] { peer->training(); }, min_seconds);
    settle();
  }
  Timing ours, theirs;
  ours.forward = f;
  ours.training = t;
  theirs.forward = pf;
  theirs.training = pt;
  return {ours, theirs};
}

std::string fixed(double value, int digits) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", digits, value);
  return text;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::size_t> threads = {1, 2};
  double min_seconds = 0.5;
  bool onednn = true;
  std::vector<Shape4> shapes;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--threads") {
      threads = parse_list(value);
    } else if (flag == "--min-seconds") {
      min_seconds = std::stod(value);
    } else if (flag == "--onednn") {
      onednn = value != "0";
    } else if (flag == "--shape") {
      const std::vector<std::size_t> v = parse_list(value);
      if (v.size() != 4) return std::fprintf(stderr, "--shape takes T,B,I,H\n"), 2;
      shapes.push_back({v[0], v[1], v[2], v[3]});
    } else {
      return std::fprintf(stderr, "unknown flag %s\n", flag.c_str()), 2;
    }
  }
  if (shapes.empty()) {
    shapes = {{100, 1, 256, 256},  {100, 1, 512, 512},   {50, 16, 512, 512}, {50, 64, 512, 512},
              {100, 64, 128, 256}, {50, 64, 1024, 1024}, {300, 20, 800, 800}};
  }
  std::printf("fused GRU, float32, recurrent_bias_after_multiplication, sigmoid/tanh; GEMM: %s\n",
              gemm_provider());
  std::printf("%5s %4s %5s %5s %3s | %9s %8s %9s %5s | %9s %8s %9s %5s\n", "T", "B", "I", "H",
              "thr", "fwd ms", "GF/s", "oneDNN", "x", "f+b ms", "GF/s", "oneDNN", "x");
  for (const Shape4& s : shapes) {
    const double flops = 2.0 * s.batch * s.steps * 3 * s.units * (s.input + s.units);
    for (std::size_t n : threads) {
      const auto [t, peer] = time_shape(s, n, onednn, min_seconds);
      const auto ratio = [&](double theirs, double ours) {
        return onednn ? fixed(theirs / ours, 2) : std::string("-");
      };
      std::printf("%5zu %4zu %5zu %5zu %3zu | %9s %8s %9s %5s | %9s %8s %9s %5s\n", s.steps,
                  s.batch, s.input, s.units, n, fixed(t.forward * 1e3, 3).c_str(),
                  fixed(flops / t.forward * 1e-9, 1).c_str(), fixed(peer.forward * 1e3, 3).c_str(),
                  ratio(peer.forward, t.forward).c_str(), fixed(t.training * 1e3, 3).c_str(),
                  fixed(3 * flops / t.training * 1e-9, 1).c_str(),
                  fixed(peer.training * 1e3, 3).c_str(), ratio(peer.training, t.training).c_str());
      std::fflush(stdout);
    }
  }
}
