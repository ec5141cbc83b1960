// A program outside the grutape tree, built against an installed grutape (see CMakeLists.txt):
// a GRU followed by a Dense layer learns the mean of the first feature minus the mean of the
// second over a short random sequence. Prints the loss of every epoch and fails (exit code 1)
// when the last loss is not below the first.

#include <cstdio>
#include <memory>
#include <vector>

#include <grutape/grutape.hpp>

using namespace grutape;

int main() {
  const std::size_t samples = 64, timesteps = 6, features = 2;
  Random random(7);
  const Tensor x = random.uniform({samples, timesteps, features}, -1.0, 1.0);
  std::vector<double> targets(samples, 0.0);
  for (std::size_t s = 0; s < samples; ++s) {
    for (std::size_t t = 0; t < timesteps; ++t) {
      const std::size_t at = (s * timesteps + t) * features;
      targets[s] += (x.flat(at) - x.flat(at + 1)) / timesteps;
    }
  }
  const Tensor y = Tensor::from_values({samples, 1}, targets, DType::float32);

  Sequential model;
  model.add(std::make_shared<Gru>(GruOptions(8).seed(1)))
      .add(std::make_shared<Dense>(DenseOptions(1).seed(2)));
  const History history =
      fit(model, x, y,
          FitOptions()
              .optimizer(std::make_shared<Adam>(AdamOptions().learning_rate(0.01)))
              .epochs(8)
              .batch_size(16)
              .verbosity(Verbosity::quiet));

  const std::vector<double>& loss = history["loss"];
  for (std::size_t epoch = 0; epoch < loss.size(); ++epoch) {
    std::printf("epoch %zu: loss %.6f\n", epoch, loss[epoch]);
  }
  if (loss.empty() || !(loss.back() < loss.front())) {
    std::printf("the loss did not decrease\n");
    return 1;
  }
  std::printf("the loss fell from %.6f to %.6f\n", loss.front(), loss.back());
  return 0;
}
