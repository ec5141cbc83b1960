// A GRU learns to add: each sequence of 10 numbers in [0, 1) maps to its sum.
#include <cstdio>

#include <grutape/grutape.hpp>

using namespace grutape;

int main() {
  Random random(1);
  Tensor x = random.uniform({1000, 10, 1}, 0, 1);  // (samples, timesteps, features)
  Tensor y = sum(Value(x), {1}).value();           // (samples, 1): the sums

  Sequential model;
  model.add(std::make_shared<Gru>(GruOptions(16).seed(2)))
      .add(std::make_shared<Dense>(DenseOptions(1).seed(3)));
  History history = fit(model, x, y,
                        FitOptions()
                            .optimizer(std::make_shared<Adam>(AdamOptions().learning_rate(0.01)))
                            .epochs(40)
                            .validation_split(0.2));

  double error = history["val_loss"].back();  // mean squared error on the held-out 20%
  std::printf("validation loss %.5f\n", error);
  return error < 0.01 ? 0 : 1;
}
