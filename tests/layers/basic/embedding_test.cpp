#include <boost/test/unit_test.hpp>

#include <cmath>

#include <nlohmann/json.hpp>

#include "layers/basic/embedding.hpp"
#include "tests/layers/layer_gradients.hpp"
#include "tests/test_helpers.hpp"

using namespace grutape;
using testing::require_error;

BOOST_AUTO_TEST_SUITE(embedding_test)

BOOST_AUTO_TEST_CASE(rows_of_the_table) {
  Embedding embedding(EmbeddingOptions(5, 4).seed(1));
  const std::vector<double> ids{1, 0, 4, 3, 3, 2};
  const Tensor y = embedding(Value(Tensor::from_values({2, 3}, ids))).value();
  BOOST_TEST((y.shape() == Shape{2, 3, 4}));
  const Tensor table = embedding.parameter("embeddings").value();
  BOOST_TEST((table.shape() == Shape{5, 4}));
  BOOST_TEST(table.dtype() == DType::float32);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    for (std::size_t j = 0; j < 4; ++j) {
      BOOST_TEST(y.flat(i * 4 + j) == table.flat(static_cast<std::size_t>(ids[i]) * 4 + j));
    }
  }
  // Keras' default initializer: uniform in [-0.05, 0.05).
  for (std::size_t i = 0; i < table.size(); ++i) BOOST_TEST(std::abs(table.flat(i)) <= 0.05);
  const Tensor flat = embedding(Value(Tensor::from_values({3}, {4, 4, 0}))).value();
  BOOST_TEST((flat.shape() == Shape{3, 4}));
}

BOOST_AUTO_TEST_CASE(mask_zero_marks_padding) {
  Embedding masked(EmbeddingOptions(6, 2).mask_zero(true));
  const Value ids(Tensor::from_values({2, 4}, {3, 1, 0, 0, 5, 0, 2, 0}));
  masked(ids);
  const Tensor mask = masked.output_mask(ids, Tensor());
  BOOST_TEST((mask.shape() == Shape{2, 4}));
  BOOST_TEST(mask.to_vector() == (std::vector<double>{1, 1, 0, 0, 1, 0, 1, 0}));
  Embedding plain(EmbeddingOptions(6, 2));
  plain(ids);
  BOOST_TEST(!plain.output_mask(ids, Tensor::ones({2, 4})).defined());
}

BOOST_AUTO_TEST_CASE(gradients_sum_over_repeated_ids) {
  Embedding embedding(EmbeddingOptions(5, 3).seed(2));
  const Tensor ids = Tensor::from_values({2, 3}, {1, 3, 3, 0, 3, 1}, DType::float64);
  testing::require_parameter_gradients(embedding, [&] { return embedding(Value(ids)); });
  // With d(loss)/d(output) = 1 the gradient of a row counts the uses of its id.
  embedding.parameter("embeddings").zero_grad();
  embedding(Value(ids)).backward(Tensor::ones({2, 3, 3}, DType::float64));
  const Tensor grad = embedding.parameter("embeddings").grad();
  const std::vector<double> uses{1, 2, 0, 3, 0};
  for (std::size_t row = 0; row < 5; ++row) {
    for (std::size_t j = 0; j < 3; ++j) BOOST_TEST(grad.flat(row * 3 + j) == uses[row]);
  }
}

BOOST_AUTO_TEST_CASE(bad_ids_are_named_with_their_position) {
  Embedding embedding(EmbeddingOptions(5, 2));
  embedding.set_name("words");
  auto with = [](double bad) { return Value(Tensor::from_values({2, 3}, {0, 1, 2, 3, 4, bad})); };
  require_error<ValueError>([&] { embedding(with(5)); },
                            {"words", "whole numbers in [0, 5)", "got 5 at [1, 2]"});
  require_error<ValueError>([&] { embedding(with(-1)); }, {"got -1 at [1, 2]"});
  require_error<ValueError>([&] { embedding(with(1.5)); }, {"got 1.5 at [1, 2]"});
  require_error<ValueError>([&] { embedding(with(NAN)); }, {"got nan at [1, 2]"});
  require_error<ValueError>([] { Embedding{EmbeddingOptions(0, 2)}; }, {"input_dim > 0", "0"});
  require_error<ValueError>([] { Embedding{EmbeddingOptions(3, 0)}; }, {"output_dim > 0", "0"});
  require_error<ValueError>(
      [] { Embedding{EmbeddingOptions(3, 2).embeddings_regularizer({"l9"})}; },
      {"embeddings_regularizer", "\"l9\""});
}

BOOST_AUTO_TEST_CASE(json_round_trip) {
  Embedding embedding(EmbeddingOptions(100, 16).mask_zero(true).seed(4).embeddings_initializer(
      {"normal", {{"stddev", 0.1}}}));
  embedding.set_name("tokens");
  const nlohmann::json json = embedding.to_json();
  BOOST_TEST(json.at("mask_zero") == true);
  auto back = Embedding::from_json(json);
  BOOST_TEST(back->options().mask_zero());
  BOOST_TEST(back->to_json() == json);
  auto minimal = Embedding::from_json({{"type", "embedding"}, {"input_dim", 4}, {"output_dim", 2}});
  BOOST_TEST(minimal->options().embeddings_initializer() ==
             InitializerSpec("uniform", {{"minval", -0.05}, {"maxval", 0.05}}));
  require_error<ValueError>(
      [] {
        Embedding::from_json({{"type", "embedding"}, {"input_dim", 4}});
      },
      {"Embedding::from_json", "the key \"output_dim\""});
  require_error<ValueError>(
      [] {
        Embedding::from_json(
            {{"type", "embedding"}, {"input_dim", 4}, {"output_dim", 2}, {"mask_zero", 1}});
      },
      {"key \"mask_zero\"", "a boolean"});
}

BOOST_AUTO_TEST_SUITE_END()
