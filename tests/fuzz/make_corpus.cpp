// Writes the seed corpus of the model-file fuzzer (tests/fuzz/corpus): small valid model files
// and a checkpoint, and damaged variants of them (truncated, a flipped bit, edited headers).
// Usage: make_corpus DIRECTORY. Built with -DGRUTAPE_FUZZ=ON; the corpus in the repository was
// written by it, plus the inputs the fuzzer found that once failed (named crash-*).

#include <cstdint>
#include <iostream>
#include <string>

#include <nlohmann/json.hpp>

#include "core/io/atomic_file.hpp"
#include "layers/basic/dense.hpp"
#include "layers/basic/dropout.hpp"
#include "layers/basic/embedding.hpp"
#include "layers/basic/input_layer.hpp"
#include "layers/gru/gru.hpp"
#include "layers/models/sequential.hpp"
#include "layers/serialization/model_file.hpp"
#include "optim/optimizers/sgd.hpp"
#include "optim/training/checkpoint.hpp"

using namespace grutape;

namespace {

std::shared_ptr<Sequential> gru_model() {
  auto model = std::make_shared<Sequential>();
  model->set_name("m");
  auto input = sequence_input(2);
  input->set_name("i");
  auto gru = std::make_shared<Gru>(GruOptions(2).seed(1));
  gru->set_name("g");
  auto dense = std::make_shared<Dense>(DenseOptions(1).seed(2));
  dense->set_name("d");
  model->add(input).add(gru).add(dense);
  model->build();
  return model;
}

std::shared_ptr<Sequential> embedding_model() {
  auto model = std::make_shared<Sequential>();
  model->set_name("e");
  auto input = std::make_shared<InputLayer>(ShapePattern{3});
  input->set_name("i");
  auto embedding = std::make_shared<Embedding>(EmbeddingOptions(4, 2).mask_zero(true).seed(3));
  embedding->set_name("t");
  auto gru = std::make_shared<Gru>(
      GruOptions(1).reset_gate_mode(ResetGateMode::before_multiplication).depth(2).seed(4));
  gru->set_name("g");
  auto dropout = std::make_shared<Dropout>(DropoutOptions(0.5).seed(5));
  dropout->set_name("p");
  model->add(input).add(embedding).add(gru).add(dropout);
  model->build();
  return model;
}

// Splits a file at its header: prefix and header text, data.
std::pair<std::string, std::string> split(const std::string& bytes) {
  std::uint64_t length = 0;
  for (int i = 7; i >= 0; --i) length = (length << 8) | static_cast<unsigned char>(bytes[8 + i]);
  return {bytes.substr(16, length), bytes.substr(16 + length)};
}

std::string join(const std::string& header, const std::string& data) {
  std::string bytes = "\x89GRUTAPE";
  std::uint64_t length = header.size();
  for (int i = 0; i < 8; ++i, length >>= 8) bytes.push_back(static_cast<char>(length & 0xff));
  return bytes + header + data;
}

// The file with `edit` applied to its header (the checksum left as it was).
template <class Edit>
std::string edited(const std::string& bytes, Edit edit) {
  auto [text, data] = split(bytes);
  nlohmann::json header = nlohmann::json::parse(text);
  edit(header);
  return join(header.dump(), data);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: make_corpus DIRECTORY\n";
    return 2;
  }
  const std::string dir = argv[1];
  const auto write = [&](const std::string& name, const std::string& bytes) {
    write_file_atomically(dir + "/" + name, bytes);
  };
  const std::string gru = format_model(*gru_model());
  const std::string embedding = format_model(*embedding_model());
  write("valid-gru", gru);
  write("valid-embedding", embedding);
  Dense dense(DenseOptions(2).seed(6));
  dense.build({1, 3}, DType::float64);
  write("valid-dense-float64", format_model(dense));
  {
    auto model = gru_model();
    Sgd sgd;
    for (const auto& [name, parameter] : model->named_parameters())
      sgd.add_parameter(name, parameter);
    save_checkpoint(dir + "/valid-checkpoint", *model, sgd, {});
  }
  write("truncated-header", gru.substr(0, gru.size() / 3));
  write("truncated-data", gru.substr(0, gru.size() - 5));
  std::string flipped = gru;
  flipped[flipped.size() - 7] ^= 0x04;
  write("flipped-data-bit", flipped);
  write("version-2", edited(gru, [](nlohmann::json& h) { h["version"] = 2; }));
  write("unknown-layer",
        edited(gru, [](nlohmann::json& h) { h["model"]["layers"][1]["type"] = "x"; }));
  write("wrong-shape", edited(gru, [](nlohmann::json& h) { h["weights"][0]["shape"] = {6, 2}; }));
  write("missing-weights", edited(gru, [](nlohmann::json& h) { h.erase("weights"); }));
  write("units-changed", edited(embedding, [](nlohmann::json& h) {
          h["model"]["layers"][2]["options"]["units"] = 3;
        }));
  write("depth-changed", edited(embedding, [](nlohmann::json& h) {
          h["model"]["layers"][2]["options"]["depth"] = 7;
        }));
  write("offset-outside",
        edited(gru, [](nlohmann::json& h) { h["weights"][1]["offset"] = 1u << 30; }));
  return 0;
}
