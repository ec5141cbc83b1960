// Sequence classification: handwritten digits read as sequences. Each 8x8 image of
// examples/data/digits.csv is 8 time steps (its pixel rows) of 8 features (the pixels of a row,
// divided by 16). A GRU reads the rows top to bottom; a Dense layer with softmax turns its last
// state into the probabilities of the 10 digits. 20% of the images, chosen by a seeded shuffle,
// are held out and never trained on; the accuracy on them is the result.
//
//   sequence_classification [epochs] [units] [min_accuracy]   (defaults 60, 64, 0.97)
//
// Exits with 1 when the held-out accuracy is below min_accuracy.

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include <grutape/grutape.hpp>

#ifndef GRUTAPE_EXAMPLE_DATA
#define GRUTAPE_EXAMPLE_DATA "examples/data"
#endif

using namespace grutape;

int main(int argc, char** argv) {
  const std::size_t epochs = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 60;
  const std::size_t units = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 64;
  const double min_accuracy = argc > 3 ? std::atof(argv[3]) : 0.97;
  if (epochs < 1 || units < 1) {
    std::fprintf(stderr, "usage: sequence_classification [epochs] [units] [min_accuracy]\n");
    return 2;
  }

  // 1797 rows of 64 pixels and a label; no header.
  const Tensor table = load_csv(std::string(GRUTAPE_EXAMPLE_DATA) + "/digits.csv",
                                CsvOptions().header(CsvHeader::absent));
  const std::size_t count = table.shape()[0];
  std::vector<double> pixels, labels;
  for (std::size_t r = 0; r < count; ++r) {
    for (std::size_t c = 0; c < 64; ++c) pixels.push_back(table.flat(r * 65 + c) / 16.0);
    labels.push_back(table.flat(r * 65 + 64));
  }
  const Tensor images = Tensor::from_values({count, 8, 8}, pixels);  // (samples, steps, features)
  const Tensor classes = Tensor::from_values({count}, labels);       // class ids 0..9

  // A seeded shuffle, then 80% for training and 20% held out.
  const Split split =
      split_indices(count, SplitOptions().train(0.8).validation(0).shuffle(true).seed(2024));
  const Tensor x_train = take_rows(images, split.train), y_train = take_rows(classes, split.train);
  const Tensor x_test = take_rows(images, split.test), y_test = take_rows(classes, split.test);

  // Variational dropout (the same mask at every step) keeps the GRU from memorising the 1438
  // training images; a learning rate decaying along a cosine settles the weights at the end.
  Sequential model;
  model.add(std::make_shared<Gru>(GruOptions(units).seed(4).dropout(0.2).recurrent_dropout(0.3)))
      .add(std::make_shared<Dense>(DenseOptions(10).activation("softmax").seed(104)));
  const Loss loss("sparse_categorical_crossentropy");  // class ids against probabilities
  fit(model, x_train, y_train,
      FitOptions()
          .loss(loss)
          .optimizer(std::make_shared<Adam>())
          .callbacks({std::make_shared<LearningRateScheduler>(
              std::make_shared<CosineDecay>(0.01, epochs, 0.0002))})
          .metrics({"accuracy"})
          .epochs(epochs)
          .batch_size(32)
          .seed(4));

  const Logs scores =
      evaluate(model, x_test, y_test, EvaluateOptions().loss(loss).metrics({"accuracy"}));
  const double accuracy = scores.at("accuracy");
  std::printf("held-out accuracy %.4f on %zu images (chance: 0.1; required: %.2f)\n", accuracy,
              split.test.size(), min_accuracy);
  return accuracy >= min_accuracy ? 0 : 1;
}
