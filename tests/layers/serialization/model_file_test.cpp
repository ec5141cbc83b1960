// Model files: bit-exact round trips in float32 and float64, the header's contents (format,
// version, input, weights by name, each GRU's gate layout), loading weights into an existing
// model, refusals when saving, and atomic writes.
#include <boost/test/unit_test.hpp>

#include <sys/resource.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <limits>
#include <system_error>

#include <nlohmann/json.hpp>

#include "core/io/atomic_file.hpp"
#include "layers/basic/activation_layer.hpp"
#include "layers/basic/dense.hpp"
#include "layers/basic/dropout.hpp"
#include "layers/basic/embedding.hpp"
#include "layers/basic/flatten.hpp"
#include "layers/basic/input_layer.hpp"
#include "layers/gru/gru.hpp"
#include "layers/layer_registry.hpp"
#include "layers/models/sequential.hpp"
#include "layers/serialization/model_file.hpp"
#include "tests/file_size_limit.hpp"
#include "tests/layers/serialization/model_file_bytes.hpp"
#include "tests/temp_dir.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;
using testing::bitwise_equal;
using testing::FileSizeLimit;
using testing::require_error;
using testing::TempDir;

namespace {

// Ids (batch, free timesteps) -> embedding -> GRU sequence -> dropout -> GRU last -> dense.
std::shared_ptr<Sequential> text_model() {
  auto model = std::make_shared<Sequential>();
  model->add(std::make_shared<InputLayer>(ShapePattern{std::nullopt}));
  model->add(std::make_shared<Embedding>(EmbeddingOptions(10, 4).mask_zero(true).seed(1)));
  model->add(std::make_shared<Gru>(GruOptions(5).return_sequences(true).seed(2)));
  model->add(std::make_shared<Dropout>(DropoutOptions(0.25).seed(3)));
  model->add(std::make_shared<Gru>(
      GruOptions(3).reset_gate_mode(ResetGateMode::before_multiplication).seed(4)));
  model->add(std::make_shared<Dense>(DenseOptions(2).activation("tanh").seed(5)));
  model->build();
  return model;
}

// Sequence (batch, free timesteps, 3) in float64 -> deep GRU -> flatten-free dense head.
std::shared_ptr<Sequential> float64_model() {
  auto model = std::make_shared<Sequential>();
  model->add(sequence_input(3, std::nullopt, DType::float64));
  model->add(std::make_shared<Gru>(GruOptions(4)
                                       .depth(2)
                                       .reset_gate_mode(ResetGateMode::after_multiplication)
                                       .activation("softsign")
                                       .seed(6)));
  model->add(std::make_shared<Dense>(DenseOptions(1).seed(7)));
  model->add(std::make_shared<Activation>("sigmoid"));
  model->build();
  return model;
}

Tensor ids() {
  return Tensor::from_values({2, 4}, {3, 1, 0, 0, 9, 2, 7, 5});
}

// Same names, same order, bitwise the same values.
void require_same_weights(const Layer& a, const Layer& b) {
  const auto pa = a.named_parameters(), pb = b.named_parameters();
  BOOST_REQUIRE_EQUAL(pa.size(), pb.size());
  for (std::size_t i = 0; i < pa.size(); ++i) {
    BOOST_TEST(pa[i].first == pb[i].first);
    BOOST_TEST(bitwise_equal(pa[i].second.value(), pb[i].second.value()), pa[i].first);
  }
}

Tensor inference(Layer& model, const Tensor& x) {
  model.set_training(false);
  return model(Value(x)).value();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(model_file_test)

BOOST_AUTO_TEST_CASE(a_float32_model_round_trips_bit_exactly) {
  auto model = text_model();
  // Values that decimal text or a careless conversion would change.
  Tensor& kernel = model->layers().back()->parameter("kernel").mutable_value();
  auto& k = kernel.array<float>();
  k(0, 0) = std::numeric_limits<float>::denorm_min();
  k(0, 1) = -0.0f;
  k(1, 0) = std::numeric_limits<float>::max();
  k(1, 1) = std::numeric_limits<float>::min();
  k(2, 0) = 0.1f;
  TempDir dir;
  const std::string path = dir.file("text.grutape");
  save_model(path, *model);
  const std::shared_ptr<Layer> loaded = load_model(path);
  BOOST_REQUIRE(std::dynamic_pointer_cast<Sequential>(loaded));
  BOOST_TEST(loaded->built());
  BOOST_TEST(loaded->to_json() == model->to_json());
  require_same_weights(*model, *loaded);
  const auto& back = loaded->parameter(model->layers().back()->name() + ".kernel").value();
  BOOST_TEST(std::signbit(back.array<float>()(0, 1)));
  BOOST_TEST(back.array<float>()(0, 0) == std::numeric_limits<float>::denorm_min());
  BOOST_TEST(bitwise_equal(inference(*loaded, ids()), inference(*model, ids())));
  // Saving the loaded model again gives the same bytes.
  BOOST_TEST(format_model(*loaded) == read_file(path));
}

BOOST_AUTO_TEST_CASE(a_float64_model_round_trips_bit_exactly) {
  auto model = float64_model();
  const std::shared_ptr<Layer> loaded = parse_model(format_model(*model));
  BOOST_TEST(loaded->built_dtype() == DType::float64);
  require_same_weights(*model, *loaded);
  for (const auto& [name, value] : loaded->named_parameters()) {
    BOOST_TEST((value.dtype() == DType::float64), name);
  }
  const Tensor x = testing::random_tensor({2, 5, 3}, 11);
  BOOST_TEST(bitwise_equal(inference(*loaded, x), inference(*model, x)));
}

BOOST_AUTO_TEST_CASE(a_bare_gru_keeps_its_initial_states_and_flags) {
  Gru gru(GruOptions(2).input_size(3).use_bias(false).seed(8));
  gru.set_weights(initialize_gru_weights(GruOptions(2).use_bias(false), 3, DType::float32));
  gru.set_initial_states({Tensor::from_values({2}, {0.5, -0.25})});
  gru.set_update(false);
  gru.set_lda_coeff(-0.5);
  const std::shared_ptr<Layer> loaded = parse_model(format_model(gru));
  auto* back = dynamic_cast<Gru*>(loaded.get());
  BOOST_REQUIRE(back);
  BOOST_TEST(back->name() == gru.name());
  BOOST_TEST(!back->flags().update);
  BOOST_TEST(back->flags().lda_coeff == -0.5);
  BOOST_TEST(back->to_json() == gru.to_json());
  require_same_weights(gru, *back);
  BOOST_REQUIRE_EQUAL(back->initial_states().size(), 1u);
  BOOST_TEST(bitwise_equal(back->initial_states()[0], gru.initial_states()[0]));
}

BOOST_AUTO_TEST_CASE(the_header_states_format_input_weights_and_gru_layouts) {
  auto model = text_model();
  const auto parts = testing::split_model_file(format_model(*model));
  const nlohmann::json& h = parts.header;
  BOOST_TEST(h.at("format") == "grutape-model");
  BOOST_TEST(h.at("version") == 1);
  BOOST_TEST(h.at("input") == (nlohmann::json{{"shape", {1, 1}}, {"dtype", "float32"}}));
  BOOST_TEST(h.at("model") == model->to_json());
  // Weights in named_parameters order, contiguous, their byte counts from the shapes.
  const auto parameters = model->named_parameters();
  BOOST_REQUIRE_EQUAL(h.at("weights").size(), parameters.size());
  std::size_t offset = 0;
  for (std::size_t i = 0; i < parameters.size(); ++i) {
    const nlohmann::json& w = h.at("weights")[i];
    BOOST_TEST(w.at("name") == parameters[i].first);
    BOOST_TEST(w.at("dtype") == "float32");
    BOOST_TEST(w.at("shape") == parameters[i].second.shape());
    BOOST_TEST(w.at("offset") == offset);
    BOOST_TEST(w.at("bytes") == 4 * parameters[i].second.value().size());
    offset += 4 * parameters[i].second.value().size();
  }
  BOOST_TEST(h.at("data").at("bytes") == offset);
  BOOST_TEST(parts.data.size() == offset);
  BOOST_TEST(h.at("data").at("checksum") ==
             "fnv1a-64:" + testing::hex16(testing::fnv1a(parts.data)));
  // The first weight's bytes are its float32 elements, little-endian.
  const Tensor first = parameters[0].second.value();
  const float value = first.array<float>().data()[0];
  std::uint32_t bits;
  std::memcpy(&bits, &value, 4);
  for (int b = 0; b < 4; ++b) {
    BOOST_TEST(static_cast<unsigned char>(parts.data[b]) == ((bits >> (8 * b)) & 0xff));
  }
  // Each GRU states its mode, layout and gate order.
  const nlohmann::json& grus = h.at("gru_layers");
  BOOST_REQUIRE_EQUAL(grus.size(), 2u);
  const std::string first_gru = model->layers()[2]->name(), second_gru = model->layers()[4]->name();
  BOOST_TEST(grus[0].at("path") == first_gru);
  BOOST_TEST(grus[0].at("reset_gate_mode") == "recurrent_bias_after_multiplication");
  BOOST_TEST(grus[1].at("reset_gate_mode") == "before_multiplication");
  for (const auto& gru : grus) {
    BOOST_TEST(gru.at("layout") == "internal");
    BOOST_TEST(gru.at("gate_order") == (nlohmann::json{"update", "reset", "candidate"}));
    BOOST_TEST(gru.at("gate_axis") == "last");
    BOOST_TEST(gru.at("initial_states").empty());
  }
  BOOST_TEST(grus[1].at("parameters") ==
             (nlohmann::json{second_gru + ".kernel", second_gru + ".recurrent_kernel",
                             second_gru + ".bias"}));
  // The data starts at a multiple of 64 bytes.
  const std::string bytes = format_model(*model);
  BOOST_TEST((bytes.size() - parts.data.size()) % 64 == 0u);
}

BOOST_AUTO_TEST_CASE(weights_load_into_an_existing_model_by_name) {
  TempDir dir;
  auto source = float64_model();
  save_model(dir.file("m"), *source);
  // A model of the same architecture and names, not built yet: built for the saved input.
  auto target = std::dynamic_pointer_cast<Sequential>(layer_from_json(source->to_json()));
  BOOST_REQUIRE(!target->built());
  load_weights(dir.file("m"), *target);
  BOOST_TEST(target->built());
  require_same_weights(*source, *target);

  // Another architecture: the first parameter that differs is named, nothing changes.
  auto other = std::make_shared<Sequential>();
  other->add(sequence_input(3, std::nullopt, DType::float64));
  auto gru = std::make_shared<Gru>(GruOptions(4).depth(2).seed(1));
  gru->set_name(source->layers()[1]->name());
  other->add(gru);
  other->build();
  const Tensor before = gru->parameter("kernel").value().clone();
  require_error<IoError>([&] { load_weights(dir.file("m"), *other); },
                         {"model file \"" + dir.file("m") + "\"", "\"weights\"",
                          "an entry for parameter \"" + gru->name() + ".recurrent_bias\"", "none"});
  BOOST_TEST(bitwise_equal(gru->parameter("kernel").value(), before));
}

BOOST_AUTO_TEST_CASE(saving_refuses_an_unbuilt_model_and_non_finite_weights) {
  Sequential unbuilt;
  unbuilt.add(std::make_shared<Dense>(DenseOptions(2)));
  require_error<ValueError>([&] { format_model(unbuilt); },
                            {"format_model", "a built model", unbuilt.name(), "not built"});
  auto model = float64_model();
  const std::string name = model->layers()[2]->name() + ".bias";
  model->parameter(name).mutable_value().array<double>()(0) = std::nan("");
  require_error<ValueError>(
      [&] { format_model(*model); },
      {"format_model: weights \"" + name + "\"", "finite values", "nan at element 0"});
}

BOOST_AUTO_TEST_CASE(a_failed_save_leaves_the_old_file) {
  TempDir dir;
  const std::string path = dir.file("model.grutape");
  auto small = float64_model();
  save_model(path, *small);
  const std::string old = read_file(path);
  auto big = text_model();
  {
    FileSizeLimit limit(old.size() / 2);
    require_error<IoError>([&] { save_model(path, *big); },
                           {"write_file_atomically", path, "while writing"});
  }
  BOOST_TEST(read_file(path) == old);
  BOOST_TEST((dir.entries() == std::vector<std::string>{"model.grutape"}));
  // A refused model writes nothing either.
  big->parameter(big->layers()[1]->name() + ".embeddings").mutable_value().array<float>()(0, 0) =
      std::numeric_limits<float>::infinity();
  require_error<ValueError>([&] { save_model(path, *big); }, {"inf at element 0"});
  BOOST_TEST(read_file(path) == old);
  BOOST_TEST(load_model(path)->to_json() == small->to_json());
}

BOOST_AUTO_TEST_SUITE_END()
