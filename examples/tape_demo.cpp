// Trains a small network through the tape: y = sin(3x) on [-1, 1], one hidden tanh layer of 32
// units, full-batch gradient descent with momentum written out by hand. Prints the loss as it
// falls and the final error against the baseline of predicting the mean.
//
//   tape_demo [epochs]   (default 2000)

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "autodiff/ops/activation.hpp"
#include "autodiff/ops/elementwise.hpp"
#include "autodiff/ops/linalg.hpp"
#include "autodiff/ops/reduce.hpp"
#include "core/random.hpp"
#include "core/tensor_math.hpp"

using namespace grutape;

int main(int argc, char** argv) {
  const int epochs = argc > 1 ? std::atoi(argv[1]) : 2000;
  const std::size_t samples = 256, hidden = 32;
  Random random(2024);

  std::vector<double> xs(samples), ys(samples);
  for (std::size_t i = 0; i < samples; ++i) {
    xs[i] = -1.0 + 2.0 * i / (samples - 1);
    ys[i] = std::sin(3.0 * xs[i]);
  }
  const Value x(Tensor::from_values({samples, 1}, xs));
  const Value y(Tensor::from_values({samples, 1}, ys));

  // Parameters: Glorot-uniform weights, zero biases.
  auto glorot = [&](std::size_t in, std::size_t out) {
    const double limit = std::sqrt(6.0 / (in + out));
    return Value(random.uniform({in, out}, -limit, limit), true);
  };
  std::vector<Value> params = {glorot(1, hidden), Value(Tensor::zeros({hidden}), true),
                               glorot(hidden, 1), Value(Tensor::zeros({1}), true)};
  std::vector<Tensor> velocity;
  for (const Value& p : params) velocity.push_back(Tensor::zeros(p.shape()));

  auto predict = [&] {
    return matmul(tanh(matmul(x, params[0]) + params[1]), params[2]) + params[3];
  };
  const double learning_rate = 0.05, momentum = 0.9;
  double loss_value = 0;
  for (int epoch = 1; epoch <= epochs; ++epoch) {
    Value loss = mean(square(predict() - y));
    loss.backward();
    loss_value = loss.value().item();
    for (std::size_t k = 0; k < params.size(); ++k) {
      // v = momentum v - lr g;  w = w + v
      velocity[k] = sub(scale(velocity[k], momentum), scale(params[k].grad(), learning_rate));
      params[k].mutable_value() = add(params[k].value(), velocity[k]);
      params[k].zero_grad();
    }
    if (epoch == 1 || epoch % (epochs / 10 > 0 ? epochs / 10 : 1) == 0) {
      std::printf("epoch %5d  loss %.6f\n", epoch, loss_value);
    }
  }

  double target_mean = 0, baseline = 0;
  for (double v : ys) target_mean += v / samples;
  for (double v : ys) baseline += (v - target_mean) * (v - target_mean) / samples;
  std::printf("final RMSE %.4f against %.4f for predicting the mean (%.1f%% lower)\n",
              std::sqrt(loss_value), std::sqrt(baseline),
              100.0 * (1.0 - std::sqrt(loss_value) / std::sqrt(baseline)));
  return std::sqrt(loss_value) < std::sqrt(baseline) ? 0 : 1;
}
