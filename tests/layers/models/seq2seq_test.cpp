// End to end: an encoder-decoder wired through the GRU ports learns to reverse short sequences.
// The encoder reads the source; its final state is the decoder's initial state ("hidden" ->
// "hidden"), and the decoder reads only a constant input, so everything it outputs about the
// source must pass through that state. Fixed seeds, a fixed number of plain SGD steps.
#include <boost/test/unit_test.hpp>

#include "autodiff/ops/reduce.hpp"
#include "autodiff/ops/softmax.hpp"
#include "layers/gru/gru.hpp"
#include "layers/models/graph.hpp"
#include "optim/optimizers/sgd.hpp"
#include "tests/layers/models/graph_support.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;

namespace {

constexpr std::size_t kSymbols = 3, kSteps = 3, kSeq2seqUnits = 16;

// Every sequence of kSteps symbols, one-hot: (kSymbols^kSteps, kSteps, kSymbols), and the same
// sequences reversed in time.
std::pair<Tensor, Tensor> reversal_task() {
  std::size_t count = 1;
  for (std::size_t t = 0; t < kSteps; ++t) count *= kSymbols;
  std::vector<double> source(count * kSteps * kSymbols, 0), target(source.size(), 0);
  for (std::size_t n = 0; n < count; ++n) {
    std::size_t code = n;
    for (std::size_t t = 0; t < kSteps; ++t, code /= kSymbols) {
      source[(n * kSteps + t) * kSymbols + code % kSymbols] = 1;
      target[(n * kSteps + (kSteps - 1 - t)) * kSymbols + code % kSymbols] = 1;
    }
  }
  const Shape shape{count, kSteps, kSymbols};
  return {Tensor::from_values(shape, source, DType::float64),
          Tensor::from_values(shape, target, DType::float64)};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(seq2seq_test)

BOOST_AUTO_TEST_CASE(an_encoder_decoder_learns_to_reverse_sequences) {
  auto encoder = std::make_shared<Gru>(GruOptions(kSeq2seqUnits).seed(1).name("encoder"));
  auto decoder =
      std::make_shared<Gru>(GruOptions(kSeq2seqUnits).seed(2).return_sequences(true).name("decoder"));
  auto head = std::make_shared<testing::AffineLayer>(kSymbols, 3);
  head->set_name("head");
  Graph model;
  model.add_input("source").add_input("go").add_layer(encoder).add_layer(decoder).add_layer(head);
  model.connect("source", "encoder").connect("encoder.hidden", "decoder.hidden");
  model.connect("go", "decoder").connect("decoder", "head").add_output("logits", "head");

  const auto [source, target] = reversal_task();
  const std::size_t count = source.shape()[0];
  const Tensor go = Tensor::ones({count, kSteps, 1}, DType::float64);
  // Cross-entropy of the softmax over the symbols, averaged over samples and steps.
  const auto loss = [&] {
    const Value logits = model.forward({{"source", Value(source)}, {"go", Value(go)}}).at("logits");
    return -mean(sum(Value(target) * log_softmax(logits), {-1}));
  };

  // The first call builds the layers, so that their parameters exist.
  const double initial = loss().value().item();
  Sgd sgd(SgdOptions().learning_rate(0.5).momentum(0.9));
  for (const auto& [name, parameter] : model.named_parameters()) sgd.add_parameter(name, parameter);
  double final = initial;
  for (int step = 0; step < 300; ++step) {
    sgd.zero_grad();
    Value value = loss();
    value.backward();
    sgd.step();
    final = value.value().item();
  }
  BOOST_TEST_MESSAGE("reversal: loss " << initial << " -> " << final);
  BOOST_TEST(final < 0.2 * initial);
  // Every symbol of every reversed sequence is the most likely one.
  const Tensor logits =
      model.forward({{"source", Value(source)}, {"go", Value(go)}}).at("logits").value();
  std::size_t correct = 0;
  for (std::size_t row = 0; row < count * kSteps; ++row) {
    std::size_t best = 0;
    for (std::size_t k = 1; k < kSymbols; ++k)
      if (logits.flat(row * kSymbols + k) > logits.flat(row * kSymbols + best)) best = k;
    correct += target.flat(row * kSymbols + best) == 1 ? 1 : 0;
  }
  BOOST_TEST(correct == count * kSteps);
}

BOOST_AUTO_TEST_SUITE_END()
