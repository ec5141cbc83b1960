// Writes the seed corpus of the ONNX fuzzer (tests/fuzz/corpus/onnx): small valid exports (GRU in
// each reset gate mode, Bidirectional, depth 2, Masking, Embedding, Dense and activations) and
// truncated and bit-flipped variants of one of them. Usage: make_onnx_corpus DIRECTORY. The
// corpus in the repository was written by it, plus copies of the PyTorch reference models
// (tests/data/onnx, named valid-torch-*) and the inputs the fuzzer found that once failed.

#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "core/io/atomic_file.hpp"
#include "layers/layers.hpp"

using namespace grutape;

namespace {

std::string exported(std::vector<std::shared_ptr<Layer>> layers, std::size_t features) {
  auto model = std::make_shared<Sequential>();
  model->add(sequence_input(features));
  for (auto& layer : layers) model->add(layer);
  model->build();
  return format_onnx(*model);
}

std::string embedding_model() {
  auto model = std::make_shared<Sequential>();
  model->add(std::make_shared<InputLayer>(ShapePattern{std::nullopt}));
  model->add(std::make_shared<Embedding>(EmbeddingOptions(5, 2).mask_zero(true)));
  model->add(std::make_shared<Gru>(GruOptions(2)));
  model->build();
  return format_onnx(*model);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: make_onnx_corpus DIRECTORY\n";
    return 2;
  }
  const std::string dir = std::string(argv[1]) + "/";
  const std::string gru = exported({std::make_shared<Gru>(GruOptions(2).seed(1)),
                                    std::make_shared<Dense>(DenseOptions(1).seed(2))},
                                   2);
  write_file_atomically(dir + "valid-gru-dense", gru);
  write_file_atomically(
      dir + "valid-gru-reset-after",
      exported({std::make_shared<Gru>(
                   GruOptions(2).reset_gate_mode(ResetGateMode::after_multiplication))},
               2));
  write_file_atomically(
      dir + "valid-gru-recurrent-bias-after",
      exported({std::make_shared<Gru>(GruOptions(2)
                                          .reset_gate_mode(ResetGateMode::recurrent_bias_after_multiplication)
                                          .return_sequences(true))},
               2));
  write_file_atomically(
      dir + "valid-bidirectional",
      exported({std::make_shared<Bidirectional>(GruOptions(2).return_sequences(true), MergeMode::sum)}, 2));
  write_file_atomically(dir + "valid-depth-2-backwards",
                        exported({std::make_shared<Gru>(GruOptions(2).depth(2).go_backwards(true))}, 2));
  write_file_atomically(dir + "valid-masking",
                        exported({std::make_shared<Masking>(0.0), std::make_shared<Gru>(GruOptions(2)),
                                  std::make_shared<Activation>("relu"), std::make_shared<Softmax>(-1)},
                                 2));
  write_file_atomically(dir + "valid-embedding", embedding_model());
  write_file_atomically(dir + "truncated-half", gru.substr(0, gru.size() / 2));
  write_file_atomically(dir + "truncated-end", gru.substr(0, gru.size() - 3));
  std::string flipped = gru;
  flipped[flipped.size() / 3] = static_cast<char>(flipped[flipped.size() / 3] ^ 0x40);
  write_file_atomically(dir + "flipped-bit", flipped);
  return 0;
}
