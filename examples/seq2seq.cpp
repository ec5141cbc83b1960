// An encoder-decoder (sequence to sequence) model wired as a Graph through the GRU's state ports:
// the encoder GRU reads the source sequence, its final state (port "hidden") becomes the initial
// state of the decoder GRU, and the decoder writes the answer one symbol per step.
//
// The task: reverse a sequence of 5 symbols drawn from 1..8 (0 is the start symbol). Training
// feeds the decoder the true previous symbol (teacher forcing); testing decodes greedily, feeding
// back the decoder's own choices, on 500 sequences never trained on. The training loop is written
// out (forward, loss, backward, optimizer step), since fit() takes models of one input.
//
//   seq2seq [steps] [units] [min_accuracy]   (defaults 1500, 64, 0.95)
//
// Exits with 1 when the held-out symbol accuracy is below min_accuracy.

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <vector>

#include <grutape/grutape.hpp>

using namespace grutape;

namespace {

constexpr std::size_t kLength = 5;   // symbols per sequence
constexpr std::size_t kSymbols = 9;  // 0 = start, 1..8 = the symbols

// (sequences, steps) of symbol ids as one-hot rows (sequences, steps, kSymbols).
Tensor one_hot(const std::vector<std::vector<std::size_t>>& ids) {
  const std::size_t steps = ids.front().size();
  std::vector<double> values(ids.size() * steps * kSymbols, 0.0);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    for (std::size_t t = 0; t < steps; ++t) values[(i * steps + t) * kSymbols + ids[i][t]] = 1;
  }
  return Tensor::from_values({ids.size(), steps, kSymbols}, values);
}

// Teacher forcing: the decoder reads the start symbol, then the answer shifted by one step.
std::vector<std::size_t> decoder_input(const std::vector<std::size_t>& answer) {
  std::vector<std::size_t> input{0};
  input.insert(input.end(), answer.begin(), answer.end() - 1);
  return input;
}

struct Task {
  std::vector<std::vector<std::size_t>> sources, answers;
};

Task make_task(std::size_t count, Random& random) {
  Task task;
  for (std::size_t i = 0; i < count; ++i) {
    std::vector<std::size_t> source(kLength);
    for (auto& symbol : source) symbol = 1 + static_cast<std::size_t>(random.uniform() * 8) % 8;
    task.sources.push_back(source);
    task.answers.emplace_back(source.rbegin(), source.rend());
  }
  return task;
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t steps = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 1500;
  const std::size_t units = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 64;
  const double min_accuracy = argc > 3 ? std::atof(argv[3]) : 0.95;
  if (steps < 1 || units < 1) {
    std::fprintf(stderr, "usage: seq2seq [steps] [units] [min_accuracy]\n");
    return 2;
  }

  // The graph: source -> encoder; encoder.hidden -> decoder.hidden; decoder -> head (logits).
  auto encoder = std::make_shared<Gru>(GruOptions(units).name("encoder").seed(1));
  auto decoder =
      std::make_shared<Gru>(GruOptions(units).name("decoder").return_sequences(true).seed(2));
  auto head = std::make_shared<Dense>(DenseOptions(kSymbols).seed(3));
  head->set_name("head");
  Graph model;
  model.add_input("source").add_input("previous");
  model.add_layer(encoder).add_layer(decoder).add_layer(head);
  model.connect("source", "encoder.in");
  model.connect("encoder.hidden", "decoder.hidden");  // the encoder's final state
  model.connect("previous", "decoder.in");
  model.connect("decoder.out", "head.in");
  model.add_output("logits", "head.out");

  Random random(2024);
  const Task train = make_task(4000, random), test = make_task(500, random);
  std::vector<std::vector<std::size_t>> train_previous;
  for (const auto& answer : train.answers) train_previous.push_back(decoder_input(answer));
  const Tensor x = one_hot(train.sources), previous = one_hot(train_previous);
  std::vector<double> answer_ids;
  for (const auto& answer : train.answers)
    answer_ids.insert(answer_ids.end(), answer.begin(), answer.end());
  const Tensor y = Tensor::from_values({train.answers.size(), kLength}, answer_ids);

  // The loop fit() would run: a shuffled batch, the loss, backward, one optimizer step.
  const Loss loss = Loss("sparse_categorical_crossentropy").from_logits(true);
  Adam optimizer(AdamOptions().learning_rate(0.005));
  // Layers create their weights on their first input, so one call comes before registering them.
  model.forward(
      {{"source", Value(take_rows(x, {0}))}, {"previous", Value(take_rows(previous, {0}))}});
  register_parameters(optimizer, model);
  const std::size_t batch = 32;
  std::vector<double> losses;  // one per step
  // The mean of the last 100 steps' losses: less noisy than one batch's.
  auto recent_loss = [&losses] {
    const std::size_t count = std::min<std::size_t>(losses.size(), 100);
    double total = 0;
    for (std::size_t i = losses.size() - count; i < losses.size(); ++i) total += losses[i];
    return total / static_cast<double>(count);
  };
  std::size_t step = 0;
  for (std::size_t epoch = 0; step < steps; ++epoch) {
    const Batches batches = make_batches(epoch_permutation(train.sources.size(), 9, epoch), batch);
    for (std::size_t b = 0; b < batches.size() && step < steps; ++b, ++step) {
      const auto& rows = batches[b];
      const Value logits = model
                               .forward({{"source", Value(take_rows(x, rows))},
                                         {"previous", Value(take_rows(previous, rows))}})
                               .at("logits");  // (batch, kLength, kSymbols)
      Value batch_loss = loss(take_rows(y, rows), logits);
      batch_loss.backward();
      optimizer.step();
      optimizer.zero_grad();
      losses.push_back(batch_loss.value().item());
      if ((step + 1) % 250 == 0) std::printf("step %5zu  loss %.4f\n", step + 1, recent_loss());
    }
  }

  // Greedy decoding: step t runs the graph on the decoder's own choices so far and takes the most
  // likely symbol at step t. Training off: nothing is recorded.
  model.set_training(false);
  const Tensor test_x = one_hot(test.sources);
  std::vector<std::vector<std::size_t>> chosen(test.sources.size(), std::vector<std::size_t>{0});
  for (std::size_t t = 0; t < kLength; ++t) {
    const Tensor logits =
        model.forward({{"source", Value(test_x)}, {"previous", Value(one_hot(chosen))}})
            .at("logits")
            .value();
    for (std::size_t i = 0; i < chosen.size(); ++i) {
      std::size_t best = 1;
      for (std::size_t s = 2; s < kSymbols; ++s) {
        const std::size_t at = (i * (t + 1) + t) * kSymbols;
        if (logits.flat(at + s) > logits.flat(at + best)) best = s;
      }
      chosen[i].push_back(best);
    }
  }
  std::size_t right_symbols = 0, right_sequences = 0;
  for (std::size_t i = 0; i < chosen.size(); ++i) {
    std::size_t right = 0;
    for (std::size_t t = 0; t < kLength; ++t) right += chosen[i][t + 1] == test.answers[i][t];
    right_symbols += right;
    right_sequences += right == kLength;
  }
  const double accuracy = static_cast<double>(right_symbols) / (chosen.size() * kLength);
  std::printf("loss %.4f at the first step, %.4f over the last 100 of %zu steps\n", losses.front(),
              recent_loss(), steps);
  std::printf(
      "held out, greedy decoding: %.1f%% of symbols and %.1f%% of whole sequences right "
      "(chance: 12.5%% of symbols; required: %.0f%%)\n",
      100 * accuracy, 100.0 * right_sequences / chosen.size(), 100 * min_accuracy);
  return accuracy >= min_accuracy ? 0 : 1;
}
