// The shapes a GRU takes and gives, as LabVIEW's GRU demo shows them.
//
// 1. One batch: data (batch 10, timesteps 7, features 5) -> an input layer -> a GRU of `units`
//    units -> the prediction (batch 10, units): the GRU's last state for every sequence.
// 2. "Number of batches": data (9, 10, 7, 5) holds 9 ready-made batches of 10 sequences, the form
//    LabVIEW passes to training. fit() and predict() take it as it is (rank 4 = batches):
//    predict gives (9, 10, units), and batch b of it equals the model called on batch b alone.
//    fit() trains one step per batch; here the GRU learns to output the mean of each feature over
//    the sequence, and the loss must fall to a third of its start.
//
//   labview_demo [units] [epochs]    (defaults 5 and 30)
//
// Exits with 1 if a shape is wrong, the batched prediction differs from the per-batch one, or the
// loss did not fall as far as stated.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include <grutape/grutape.hpp>

using namespace grutape;

int main(int argc, char** argv) {
  const std::size_t units = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 5;
  const std::size_t epochs = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 30;
  const std::size_t batch = 10, timesteps = 7, features = 5, batches = 9;
  if (units < 1 || epochs < 1) {
    std::fprintf(stderr, "usage: labview_demo [units >= 1] [epochs >= 1]\n");
    return 2;
  }

  // The model: an input layer declaring one sample as (timesteps, features), then the GRU. Its
  // default options are Keras' (tanh, sigmoid gates, reset after the multiplication).
  Sequential model;
  model.add(sequence_input(features, timesteps))
      .add(std::make_shared<Gru>(GruOptions(units).seed(1)));

  // 1. One batch (10, 7, 5) -> (10, units).
  Random random(42);
  const Tensor one_batch = random.uniform({batch, timesteps, features}, -1, 1);
  const Tensor prediction = model(Value(one_batch)).value();
  std::printf("one batch:          input %s -> prediction %s\n",
              shape_to_string(one_batch.shape()).c_str(),
              shape_to_string(prediction.shape()).c_str());
  bool ok = prediction.shape() == Shape{batch, units};

  // 2. The number-of-batches form (9, 10, 7, 5) -> (9, 10, units).
  const Tensor data = random.uniform({batches, batch, timesteps, features}, -1, 1);
  const Tensor batched = predict(model, data);
  std::printf("number of batches:  input %s -> prediction %s\n",
              shape_to_string(data.shape()).c_str(), shape_to_string(batched.shape()).c_str());
  ok = ok && batched.shape() == Shape{batches, batch, units};
  // Batch 3 (from 0) of the batched prediction is the model called on batch 3 of the data alone.
  if (ok) {
    const Tensor alone =
        model(Value(take_rows(data, {3}).reshaped({batch, timesteps, features}))).value();
    double worst = 0;
    for (std::size_t i = 0; i < batch * units; ++i) {
      worst = std::max(worst, std::abs(batched.flat(3 * batch * units + i) - alone.flat(i)));
    }
    std::printf("batch 3 predicted alone differs by at most %.3g\n", worst);
    ok = worst <= 1e-6;
  }

  // Training on the batched form: targets (9, 10, units), the mean over time of feature j % 5.
  std::vector<double> targets;
  for (std::size_t s = 0; s < batches * batch; ++s) {
    for (std::size_t j = 0; j < units; ++j) {
      double total = 0;
      for (std::size_t t = 0; t < timesteps; ++t) {
        total += data.flat((s * timesteps + t) * features + j % features);
      }
      targets.push_back(total / timesteps);
    }
  }
  const Tensor y = Tensor::from_values({batches, batch, units}, targets);
  const History history =
      fit(model, data, y,
          FitOptions()
              .optimizer(std::make_shared<Adam>(AdamOptions().learning_rate(0.01)))
              .epochs(epochs)
              .seed(3)
              .verbosity(Verbosity::quiet));
  const double first = history["loss"].front(), last = history["loss"].back();
  std::printf("fit on %zu batches per epoch: loss %.4f after epoch 1, %.4f after epoch %zu\n",
              batches, first, last, epochs);
  ok = ok && last <= first / 3;
  std::printf("%s\n", ok ? "OK" : "FAILED");
  return ok ? 0 : 1;
}
