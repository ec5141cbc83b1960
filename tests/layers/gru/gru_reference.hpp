#pragma once
// A plain GRU forward for the tests only: double loops over the equations of layers/gru/options.hpp
// and the internal layout of layers/gru/weights.hpp, no library ops. It checks the layout
// converters and the gate order against the golden cases before any engine exists.

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "layers/gru/weights.hpp"

namespace grutape::testing {

inline double reference_activation(const std::string& name, double x) {
  if (name == "sigmoid") return 1 / (1 + std::exp(-x));
  if (name == "tanh") return std::tanh(x);
  if (name == "hard_sigmoid") return std::clamp(0.2 * x + 0.5, 0.0, 1.0);
  if (name == "hard_sigmoid_keras3") return std::clamp(x / 6 + 0.5, 0.0, 1.0);
  if (name == "softsign") return x / (1 + std::abs(x));
  if (name == "relu") return std::max(x, 0.0);
  if (name == "linear") return x;
  throw ValueError("reference_activation", "an activation the reference knows", name);
}

struct ReferenceGruOutput {
  /// (batch, timesteps, units), in reading order.
  Tensor sequence_output;
  /// (batch, units).
  Tensor final_state;
};

/// The GRU over `input` (batch, timesteps, features) from `initial_state` (batch, units), with an
/// optional (batch, timesteps) 0/1 `mask` (a masked step carries the state and outputs it).
inline ReferenceGruOutput reference_gru_forward(const GruWeights& w, const GruOptions& options,
                                                const Tensor& input, const Tensor& initial_state,
                                                const Tensor& mask) {
  const std::size_t batch = input.shape()[0], steps = input.shape()[1], n = input.shape()[2];
  const std::size_t u = options.units();
  const std::size_t z = gate_index(GruGate::update) * u, r = gate_index(GruGate::reset) * u,
                    c = gate_index(GruGate::candidate) * u;
  const auto W = [&](std::size_t i, std::size_t col) { return w.kernel.flat(i * 3 * u + col); };
  const auto U = [&](std::size_t i, std::size_t col) {
    return w.recurrent_kernel.flat(i * 3 * u + col);
  };
  const auto b = [&](std::size_t col) { return w.bias.defined() ? w.bias.flat(col) : 0.0; };
  const auto rb = [&](std::size_t col) {
    return w.recurrent_bias.defined() ? w.recurrent_bias.flat(col) : 0.0;
  };
  const auto gate = [&](double x) {
    return reference_activation(options.recurrent_activation(), x);
  };
  const auto state = [&](double x) { return reference_activation(options.activation(), x); };
  const ResetGateMode mode = options.reset_gate_mode();

  std::vector<double> sequence(batch * steps * u), last(batch * u);
  for (std::size_t s = 0; s < batch; ++s) {
    std::vector<double> h(u);
    for (std::size_t j = 0; j < u; ++j) h[j] = initial_state.flat(s * u + j);
    for (std::size_t step = 0; step < steps; ++step) {
      const std::size_t t = options.go_backwards() ? steps - 1 - step : step;
      const bool valid = !mask.defined() || mask.flat(s * steps + t) != 0;
      if (valid) {
        const auto x = [&](std::size_t i) { return input.flat((s * steps + t) * n + i); };
        // xw[col] = x W + b, hu[col] = h U over all 3u columns.
        std::vector<double> xw(3 * u), hu(3 * u);
        for (std::size_t col = 0; col < 3 * u; ++col) {
          xw[col] = b(col);
          for (std::size_t i = 0; i < n; ++i) xw[col] += x(i) * W(i, col);
          for (std::size_t i = 0; i < u; ++i) hu[col] += h[i] * U(i, col);
        }
        std::vector<double> zg(u), rg(u), next(u);
        for (std::size_t j = 0; j < u; ++j) {
          zg[j] = gate(xw[z + j] + hu[z + j] + rb(z + j));
          rg[j] = gate(xw[r + j] + hu[r + j] + rb(r + j));
        }
        for (std::size_t j = 0; j < u; ++j) {
          double recurrent = 0;
          if (mode == ResetGateMode::before_multiplication) {
            for (std::size_t i = 0; i < u; ++i) recurrent += rg[i] * h[i] * U(i, c + j);
          } else {
            recurrent = rg[j] * (hu[c + j] + rb(c + j));
          }
          const double candidate = state(xw[c + j] + recurrent);
          next[j] = zg[j] * h[j] + (1 - zg[j]) * candidate;
        }
        h = next;
      }
      for (std::size_t j = 0; j < u; ++j) sequence[(s * steps + step) * u + j] = h[j];
    }
    for (std::size_t j = 0; j < u; ++j) last[s * u + j] = h[j];
  }
  return {Tensor::from_values({batch, steps, u}, sequence, DType::float64),
          Tensor::from_values({batch, u}, last, DType::float64)};
}

}  // namespace grutape::testing
