#pragma once
// Test support for the fused GRU engine: a plain double-loop forward with every activation and
// the variational dropout masks (independent of the kernel: one sample, one unit at a time), a
// random problem generator, and a call of gru_fused over Values.

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "layers/gru/fused/node.hpp"
#include "layers/gru/weights.hpp"
#include "tests/test_helpers.hpp"

namespace grutape::testing {

/// Every activation of gru_activation_names() by its textbook formula.
inline double fused_reference_activation(const std::string& name, double x) {
  const double selu_alpha = 1.6732632423543772848170429916717;
  const double selu_scale = 1.0507009873554804934193349852946;
  if (name == "sigmoid") return 1 / (1 + std::exp(-x));
  if (name == "tanh") return std::tanh(x);
  if (name == "hard_sigmoid") return std::clamp(0.2 * x + 0.5, 0.0, 1.0);
  if (name == "hard_sigmoid_keras3") return std::clamp(x / 6 + 0.5, 0.0, 1.0);
  if (name == "softsign") return x / (1 + std::abs(x));
  if (name == "relu") return std::max(x, 0.0);
  if (name == "elu") return x > 0 ? x : std::expm1(x);
  if (name == "selu") return selu_scale * (x > 0 ? x : selu_alpha * std::expm1(x));
  if (name == "softplus") return std::max(x, 0.0) + std::log1p(std::exp(-std::abs(x)));
  if (name == "gelu") return 0.5 * x * (1 + std::erf(x / std::sqrt(2.0)));
  if (name == "linear") return x;
  throw ValueError("fused_reference_activation", "an activation the reference knows", name);
}

/// The three reset gate modes.
constexpr ResetGateMode kFusedModes[] = {ResetGateMode::before_multiplication,
                                         ResetGateMode::after_multiplication,
                                         ResetGateMode::recurrent_bias_after_multiplication};

/// A kernel configuration.
inline GruFusedConfig fused_config(ResetGateMode mode, const std::string& gate = "sigmoid",
                                   const std::string& state = "tanh", bool backwards = false) {
  GruFusedConfig c;
  c.reset_gate_mode = mode;
  c.recurrent_activation = gate;
  c.activation = state;
  c.go_backwards = backwards;
  return c;
}

/// One random GRU problem in float64 (internal weight layout).
struct FusedProblem {
  GruFusedConfig config;
  std::size_t batch = 2, steps = 3, input = 2, units = 3;
  Tensor x, h0, kernel, recurrent_kernel, bias, recurrent_bias, mask;
  std::array<Tensor, 3> input_dropout, recurrent_dropout;
};

struct FusedProblemOptions {
  bool bias = true, initial_state = true, mask = false, input_dropout = false,
       recurrent_dropout = false;
};

/// Random operands for `config` and the extents; masks of 0/1 with at least one 0 per sample
/// when asked for; dropout masks of 0 and 1 / (1 - 0.3) values.
inline FusedProblem random_problem(const GruFusedConfig& config, std::size_t batch,
                                   std::size_t steps, std::size_t input, std::size_t units,
                                   const FusedProblemOptions& o, std::uint64_t seed) {
  FusedProblem p;
  p.config = config;
  p.batch = batch;
  p.steps = steps;
  p.input = input;
  p.units = units;
  p.x = random_tensor({batch, steps, input}, seed, -1.5, 1.5);
  if (o.initial_state) p.h0 = random_tensor({batch, units}, seed + 1, -0.8, 0.8);
  p.kernel = random_tensor({input, 3 * units}, seed + 2, -0.8, 0.8);
  p.recurrent_kernel = random_tensor({units, 3 * units}, seed + 3, -0.8, 0.8);
  if (o.bias) {
    p.bias = random_tensor({3 * units}, seed + 4, -0.5, 0.5);
    if (config.reset_gate_mode == ResetGateMode::recurrent_bias_after_multiplication)
      p.recurrent_bias = random_tensor({3 * units}, seed + 5, -0.5, 0.5);
  }
  Random random(seed + 6);
  const auto bernoulli = [&](const Shape& shape, double keep, double scale) {
    std::vector<double> v = random.uniform(shape, 0, 1, DType::float64).to_vector();
    for (double& e : v) e = e < keep ? scale : 0.0;
    return Tensor::from_values(shape, v, DType::float64);
  };
  if (o.mask) {
    std::vector<double> m = bernoulli({batch, steps}, 0.7, 1).to_vector();
    for (std::size_t b = 0; b < batch && steps > 1; ++b) m[b * steps + (b + 1) % steps] = 0;
    p.mask = Tensor::from_values({batch, steps}, m, DType::float64);
  }
  for (std::size_t g = 0; g < 3; ++g) {
    if (o.input_dropout) p.input_dropout[g] = bernoulli({batch, input}, 0.7, 1 / 0.7);
    if (o.recurrent_dropout) p.recurrent_dropout[g] = bernoulli({batch, units}, 0.7, 1 / 0.7);
  }
  return p;
}

/// max |a - b| / max(1, max |b|): absolute for values up to 1, relative beyond (a in any dtype,
/// b float64).
inline double scaled_error(const Tensor& a, const Tensor& b) {
  double scale = 1;
  for (std::size_t i = 0; i < b.size(); ++i) scale = std::max(scale, std::abs(b.flat(i)));
  return max_abs_diff(a.to(DType::float64), b) / scale;
}

/// The problem converted to `dtype`.
inline FusedProblem converted(const FusedProblem& p, DType dtype) {
  FusedProblem q = p;
  for (Tensor* t : {&q.x, &q.h0, &q.kernel, &q.recurrent_kernel, &q.bias, &q.recurrent_bias})
    if (t->defined()) *t = t->to(dtype);
  for (std::size_t g = 0; g < 3; ++g) {
    if (q.input_dropout[g].defined()) q.input_dropout[g] = q.input_dropout[g].to(dtype);
    if (q.recurrent_dropout[g].defined()) q.recurrent_dropout[g] = q.recurrent_dropout[g].to(dtype);
  }
  return q;
}

/// The differentiable operands of a problem in gru_fused's order: x, h0, W, U, b, rb (only the
/// defined ones).
inline std::vector<Tensor> problem_operands(const FusedProblem& p) {
  std::vector<Tensor> out;
  for (const Tensor& t : {p.x, p.h0, p.kernel, p.recurrent_kernel, p.bias, p.recurrent_bias})
    if (t.defined()) out.push_back(t);
  return out;
}

/// gru_fused on the problem with `values` standing for problem_operands(p).
inline std::vector<Value> run_fused(const FusedProblem& p, const std::vector<Value>& values) {
  GruFusedInputs in;
  std::size_t next = 0;
  const auto take = [&](const Tensor& t) { return t.defined() ? values.at(next++) : Value(); };
  in.input = take(p.x);
  in.initial_state = take(p.h0);
  in.kernel = take(p.kernel);
  in.recurrent_kernel = take(p.recurrent_kernel);
  in.bias = take(p.bias);
  in.recurrent_bias = take(p.recurrent_bias);
  in.mask = p.mask;
  in.input_dropout = p.input_dropout;
  in.recurrent_dropout = p.recurrent_dropout;
  return gru_fused(in, p.config);
}

/// gru_fused on the problem's own tensors, as constants.
inline std::vector<Value> run_fused(const FusedProblem& p) {
  std::vector<Value> values;
  for (const Tensor& t : problem_operands(p)) values.emplace_back(t);
  return run_fused(p, values);
}

/// The cell of layers/gru/options.hpp with dropout, one sample and one unit at a time, in double.
inline std::vector<Tensor> reference_fused_forward(const FusedProblem& p) {
  const std::size_t B = p.batch, T = p.steps, n = p.input, u = p.units;
  const GruFusedConfig& c = p.config;
  const auto at = [](const Tensor& t, std::size_t i, double absent) {
    return t.defined() ? t.flat(i) : absent;
  };
  const auto gate = [&](double v) { return fused_reference_activation(c.recurrent_activation, v); };
  const auto state = [&](double v) { return fused_reference_activation(c.activation, v); };
  std::vector<double> sequence(B * T * u), last(B * u);
  for (std::size_t s = 0; s < B; ++s) {
    std::vector<double> h(u);
    for (std::size_t j = 0; j < u; ++j) h[j] = at(p.h0, s * u + j, 0);
    for (std::size_t k = 0; k < T; ++k) {
      const std::size_t t = c.go_backwards ? T - 1 - k : k;
      if (at(p.mask, s * T + t, 1) != 0) {
        // pre[g][j] = (x m_g) W_g + b_g, rec[g][j] = (h rm_g) U_g (+ rb_g)
        std::vector<double> pre(3 * u), rec(3 * u), z(u), r(u), next(u);
        for (std::size_t g = 0; g < 3; ++g) {
          for (std::size_t j = 0; j < u; ++j) {
            const std::size_t col = g * u + j;
            pre[col] = at(p.bias, col, 0);
            for (std::size_t i = 0; i < n; ++i)
              pre[col] += p.x.flat((s * T + t) * n + i) * at(p.input_dropout[g], s * n + i, 1) *
                          p.kernel.flat(i * 3 * u + col);
            rec[col] = at(p.recurrent_bias, col, 0);
            for (std::size_t i = 0; i < u; ++i)
              rec[col] += h[i] * at(p.recurrent_dropout[g], s * u + i, 1) *
                          p.recurrent_kernel.flat(i * 3 * u + col);
          }
        }
        for (std::size_t j = 0; j < u; ++j) {
          z[j] = gate(pre[j] + rec[j]);
          r[j] = gate(pre[u + j] + rec[u + j]);
        }
        for (std::size_t j = 0; j < u; ++j) {
          double recurrent = 0;
          if (c.reset_gate_mode == ResetGateMode::before_multiplication) {
            for (std::size_t i = 0; i < u; ++i)
              recurrent += r[i] * h[i] * at(p.recurrent_dropout[2], s * u + i, 1) *
                           p.recurrent_kernel.flat(i * 3 * u + 2 * u + j);
          } else {
            recurrent = r[j] * rec[2 * u + j];
          }
          const double candidate = state(pre[2 * u + j] + recurrent);
          next[j] = z[j] * h[j] + (1 - z[j]) * candidate;
        }
        h = next;
      }
      std::copy(h.begin(), h.end(), sequence.begin() + (s * T + k) * u);
    }
    std::copy(h.begin(), h.end(), last.begin() + s * u);
  }
  return {Tensor::from_values({B, T, u}, sequence, DType::float64),
          Tensor::from_values({B, u}, last, DType::float64)};
}

}  // namespace grutape::testing
