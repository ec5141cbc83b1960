#pragma once
// One seeded random source. Its generator (mt19937_64) and the transforms below are fully
// specified, so a seed reproduces the same numbers on every platform and compiler.

#include <cstdint>
#include <random>
#include <string>

#include "core/tensor.hpp"

namespace grutape {

class Random {
 public:
  explicit Random(std::uint64_t seed = 0) : engine_(seed) {}

  void seed(std::uint64_t seed) { engine_.seed(seed); }
  std::uint64_t next_u64() { return engine_(); }
  /// Uniform in [0, 1) with 53 random bits.
  double uniform();
  /// Standard normal by the Box-Muller transform.
  double normal();

  Tensor uniform(const Shape& shape, double low, double high, DType dtype = DType::float32);
  Tensor normal(const Shape& shape, double mean, double stddev, DType dtype = DType::float32);
  /// Normal values redrawn until they fall within two standard deviations of the mean.
  Tensor truncated_normal(const Shape& shape, double mean, double stddev,
                          DType dtype = DType::float32);
  /// 1 with probability `p`, else 0.
  Tensor bernoulli(const Shape& shape, double p, DType dtype = DType::float32);

  /// The generator's whole state as text, for checkpoints; set_state restores it exactly.
  std::string state() const;
  void set_state(const std::string& state);

 private:
  template <class Draw>
  Tensor generate(const Shape& shape, DType dtype, Draw draw);

  std::mt19937_64 engine_;
};

/// The process-wide source used when no other is given; manual_seed reseeds it.
Random& default_random();
void manual_seed(std::uint64_t seed);

}  // namespace grutape
