// How to train a stateful GRU with fit() and then predict with another batch size: the GRU API
// path (Gru::run with GruInputs::initial_states) that fit.hpp points to.
#include <boost/test/unit_test.hpp>

#include <cmath>

#include "layers/gru/gru.hpp"
#include "layers/models/sequential.hpp"
#include "optim/data/dataset.hpp"
#include "optim/optimizers/adam.hpp"
#include "optim/training/fit.hpp"
#include "tests/optim/fit_helpers.hpp"

using namespace grutape;
using testing::require_error;

namespace {

constexpr std::size_t kStreams = 4, kChunk = 5, kStatefulUnits = 4;

// Stream s is sin(0.3 t + s); rows 0..3 hold the first chunk of each stream, rows 4..7 the
// second: with batches of 4 and no shuffling, batch 1 continues the sequences of batch 0.
Tensor chunks(std::size_t offset) {
  std::vector<double> values;
  for (std::size_t chunk = 0; chunk < 2; ++chunk) {
    for (std::size_t s = 0; s < kStreams; ++s) {
      for (std::size_t t = 0; t < kChunk; ++t) {
        values.push_back(std::sin(0.3 * (chunk * kChunk + t + offset) + s));
      }
    }
  }
  return Tensor::from_values({2 * kStreams, kChunk, 1}, values, DType::float64);
}

Tensor rows(const Tensor& x, std::size_t first, std::size_t count) {
  std::vector<std::size_t> indices;
  for (std::size_t i = first; i < first + count; ++i) indices.push_back(i);
  return take_rows(x, indices);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(fit_stateful_test)

BOOST_AUTO_TEST_CASE(train_in_batches_then_predict_one_stream_with_explicit_states) {
  auto gru =
      std::make_shared<Gru>(GruOptions(kStatefulUnits).seed(1).stateful(true).return_sequences(true));
  auto dense = std::make_shared<Dense>(DenseOptions(1).seed(2));
  Sequential model;
  model.add(gru).add(dense);
  const Tensor x = chunks(0), y = chunks(1);  // predict the next value of each stream
  const History history =
      fit(model, x, y,
          FitOptions()
              .optimizer(std::make_shared<Adam>(AdamOptions().learning_rate(0.02)))
              .epochs(20)
              .batch_size(kStreams)
              .shuffle(false)
              .verbosity(Verbosity::quiet));
  BOOST_TEST(history["loss"].back() < history["loss"].front());

  // Batched prediction: both chunks through the carried states, starting from zeros.
  model.reset_states();
  const Tensor first = predict(model, rows(x, 0, kStreams), kStreams);
  const Tensor second = predict(model, rows(x, kStreams, kStreams), kStreams);
  // The carried states fix the batch: another batch size is an error that says how to free it.
  require_error<ShapeError>(
      [&] { predict(model, rows(x, 0, 1)); },
      {gru->name(), "a batch of 4", "reset_states() frees it", "a batch of 1"});

  // One stream alone: drop the carried states, then pass the state along by hand.
  gru->reset_states();
  const std::size_t stream = 2;
  model.set_training(false);
  GruInputs start;
  start.initial_states = {Value(Tensor::zeros({1, kStatefulUnits}, DType::float64))};
  const GruResult a = gru->run(Value(rows(x, stream, 1)), start);
  GruInputs carry;
  carry.initial_states = {a.states[0]};
  const GruResult b = gru->run(Value(rows(x, kStreams + stream, 1)), carry);
  const Tensor single_first = (*dense)(a.output).value();
  const Tensor single_second = (*dense)(b.output).value();
  BOOST_TEST(testing::max_abs_diff(single_first, rows(first, stream, 1)) < 1e-12);
  BOOST_TEST(testing::max_abs_diff(single_second, rows(second, stream, 1)) < 1e-12);
}

BOOST_AUTO_TEST_SUITE_END()
