#include "core/random.hpp"

#include <cmath>
#include <sstream>

namespace grutape {

double Random::uniform() {
  return static_cast<double>(engine_() >> 11) * 0x1.0p-53;
}

double Random::normal() {
  // Box-Muller: 1 - u lies in (0, 1], so the logarithm is finite.
  const double u1 = 1.0 - uniform();
  const double u2 = uniform();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
}

template <class Draw>
Tensor Random::generate(const Shape& shape, DType dtype, Draw draw) {
  Tensor tensor = Tensor::zeros(shape, dtype);
  tensor.visit([&](auto& array) {
    using T = typename std::decay_t<decltype(array)>::value_type;
    for (auto& element : array) element = static_cast<T>(draw());
  });
  return tensor;
}

Tensor Random::uniform(const Shape& shape, double low, double high, DType dtype) {
  if (!(low <= high)) {
    throw ValueError("Random::uniform", "low <= high",
                     "low " + std::to_string(low) + ", high " + std::to_string(high));
  }
  return generate(shape, dtype, [&] { return low + (high - low) * uniform(); });
}

Tensor Random::normal(const Shape& shape, double mean, double stddev, DType dtype) {
  if (!(stddev >= 0)) throw ValueError("Random::normal", "stddev >= 0", std::to_string(stddev));
  return generate(shape, dtype, [&] { return mean + stddev * normal(); });
}

Tensor Random::truncated_normal(const Shape& shape, double mean, double stddev, DType dtype) {
  if (!(stddev >= 0))
    throw ValueError("Random::truncated_normal", "stddev >= 0", std::to_string(stddev));
  return generate(shape, dtype, [&] {
    double z = normal();
    while (std::abs(z) > 2.0) z = normal();
    return mean + stddev * z;
  });
}

Tensor Random::bernoulli(const Shape& shape, double p, DType dtype) {
  if (!(p >= 0 && p <= 1)) throw ValueError("Random::bernoulli", "p in [0, 1]", std::to_string(p));
  return generate(shape, dtype, [&] { return uniform() < p ? 1.0 : 0.0; });
}

std::string Random::state() const {
  std::ostringstream out;
  out << engine_;
  return out.str();
}

void Random::set_state(const std::string& state) {
  std::istringstream in(state);
  std::mt19937_64 engine;
  in >> engine;
  if (in.fail())
    throw ValueError("Random::set_state", "a state written by Random::state", "unreadable text");
  engine_ = engine;
}

Random& default_random() {
  static Random source(0);
  return source;
}

void manual_seed(std::uint64_t seed) {
  default_random().seed(seed);
}

}  // namespace grutape
