// grutape -> ONNX -> grutape: every reset gate mode, activation pairs, depth 2, go_backwards,
// Bidirectional merges, masks (Masking, Embedding mask_zero) and the layers around the GRU, in
// float32 and float64, give bitwise the same weights and outputs; ONNX's C++ checker accepts
// every exported model.

#include "tests/layers/onnx/onnx_support.hpp"

using namespace grutape;
using testing::random_tensor;

namespace {

using Layers = std::vector<std::shared_ptr<Layer>>;

// Exports, checks, imports, and compares parameters and outputs on x (and its mask's padding).
void require_round_trip(const std::shared_ptr<Sequential>& model, const Tensor& x) {
  const std::string bytes = format_onnx(*model);
  BOOST_TEST(testing::onnx_checker_verdict(bytes) == "");
  const std::shared_ptr<Layer> imported = parse_onnx(bytes, "round trip");
  testing::require_same_parameters(*model, *imported);
  model->set_training(false);
  imported->set_training(false);
  const Tensor before = (*model)(Value(x)).value();
  const Tensor after = (*imported)(Value(x)).value();
  BOOST_TEST(testing::bitwise_equal(before, after));
}

Tensor sequence(DType dtype, std::size_t features = 3, std::uint64_t seed = 7) {
  return random_tensor({2, 5, features}, seed, -1, 1, dtype);
}

const DType dtypes[] = {DType::float32, DType::float64};
const ResetGateMode modes[] = {ResetGateMode::before_multiplication,
                               ResetGateMode::after_multiplication,
                               ResetGateMode::recurrent_bias_after_multiplication};

}  // namespace

BOOST_AUTO_TEST_SUITE(onnx_round_trip_test)

BOOST_AUTO_TEST_CASE(every_reset_gate_mode_in_both_dtypes) {
  if (!testing::onnx_or_skip()) return;
  for (DType dtype : dtypes) {
    for (ResetGateMode mode : modes) {
      for (bool sequences : {true, false}) {
        BOOST_TEST_CONTEXT(reset_gate_mode_name(mode) << " sequences " << sequences) {
          auto model = testing::onnx_test_model(
              {std::make_shared<Gru>(GruOptions(4).reset_gate_mode(mode).return_sequences(sequences)),
               std::make_shared<Dense>(DenseOptions(2).activation("tanh"))},
              3, dtype, 11);
          require_round_trip(model, sequence(dtype));
          const auto imported = std::static_pointer_cast<Sequential>(parse_onnx(format_onnx(*model)));
          const auto& gru = static_cast<const Gru&>(*imported->layers()[1]);
          BOOST_TEST(std::string(reset_gate_mode_name(gru.options().reset_gate_mode())) == reset_gate_mode_name(mode));
        }
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(activation_pairs) {
  if (!testing::onnx_or_skip()) return;
  const std::vector<std::pair<std::string, std::string>> pairs = {
      {"hard_sigmoid", "softsign"}, {"hard_sigmoid_keras3", "relu"}, {"sigmoid", "linear"},
      {"sigmoid", "elu"},           {"softsign", "softplus"}};
  for (const auto& [gate, state] : pairs) {
    BOOST_TEST_CONTEXT(gate << "/" << state) {
      auto model = testing::onnx_test_model(
          {std::make_shared<Gru>(
              GruOptions(3).recurrent_activation(gate).activation(state).return_sequences(true))},
          2, DType::float32, 3);
      require_round_trip(model, sequence(DType::float32, 2));
    }
  }
}

BOOST_AUTO_TEST_CASE(depth_two_forward_and_backwards) {
  if (!testing::onnx_or_skip()) return;
  for (DType dtype : dtypes) {
    for (bool backwards : {false, true}) {
      for (bool sequences : {true, false}) {
        auto model = testing::onnx_test_model(
            {std::make_shared<Gru>(
                GruOptions(4).depth(2).go_backwards(backwards).return_sequences(sequences))},
            3, dtype, 5);
        require_round_trip(model, sequence(dtype));
        const auto imported = std::static_pointer_cast<Sequential>(parse_onnx(format_onnx(*model)));
        BOOST_TEST(static_cast<const Gru&>(*imported->layers()[1]).options().depth() == 2u);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(bidirectional_merges) {
  if (!testing::onnx_or_skip()) return;
  for (DType dtype : dtypes) {
    for (MergeMode merge : {MergeMode::concat, MergeMode::sum, MergeMode::mul, MergeMode::ave}) {
      for (bool sequences : {true, false}) {
        BOOST_TEST_CONTEXT(merge_mode_name(merge) << " sequences " << sequences) {
          auto model = testing::onnx_test_model(
              {std::make_shared<Bidirectional>(GruOptions(3).return_sequences(sequences), merge)}, 2,
              dtype, 9);
          require_round_trip(model, sequence(dtype, 2));
          const auto imported =
              std::static_pointer_cast<Sequential>(parse_onnx(format_onnx(*model)));
          BOOST_TEST(std::string(merge_mode_name(static_cast<const Bidirectional&>(*imported->layers()[1]).merge_mode())) == merge_mode_name(merge));
        }
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(masking_gives_sequence_lengths) {
  if (!testing::onnx_or_skip()) return;
  for (DType dtype : dtypes) {
    Tensor x = sequence(dtype);
    // Sample 1 is 3 steps long: its last 2 steps are padding.
    std::vector<double> values = x.to_vector();
    for (std::size_t t = 3; t < 5; ++t) {
      for (std::size_t f = 0; f < 3; ++f) values[(5 + t) * 3 + f] = 0;
    }
    x = Tensor::from_values(x.shape(), values, dtype);
    auto model = testing::onnx_test_model(
        {std::make_shared<Masking>(0.0), std::make_shared<Gru>(GruOptions(4))}, 3, dtype, 13);
    require_round_trip(model, x);
    const std::string bytes = format_onnx(*model);
    BOOST_TEST(bytes.find("ReduceSum") != std::string::npos);
    // The padding changes nothing: sample 1 alone over its 3 steps gives the same last state.
    Tensor short_x = Tensor::from_values({1, 3, 3}, {values.begin() + 15, values.begin() + 24}, dtype);
    model->set_training(false);
    const Tensor padded = (*parse_onnx(bytes))(Value(x)).value();
    const Tensor alone = (*model)(Value(short_x)).value();
    const std::vector<double> p = padded.to_vector(), a = alone.to_vector();
    BOOST_TEST_REQUIRE(a.size() == 4u);
    for (std::size_t i = 0; i < 4; ++i) BOOST_TEST(std::abs(p[4 + i] - a[i]) < 1e-6);
  }
}

BOOST_AUTO_TEST_CASE(embedding_with_mask_zero) {
  if (!testing::onnx_or_skip()) return;
  auto model = std::make_shared<Sequential>();
  model->add(std::make_shared<InputLayer>(ShapePattern{std::nullopt}));
  model->add(std::make_shared<Embedding>(EmbeddingOptions(6, 3).mask_zero(true)));
  model->add(std::make_shared<Gru>(GruOptions(2)));
  model->build();
  testing::randomize_parameters(*model, 21);
  const Tensor ids = Tensor::from_values({2, 4}, {1, 5, 2, 0, 3, 4, 0, 0});
  require_round_trip(model, ids);
  const auto imported = std::static_pointer_cast<Sequential>(parse_onnx(format_onnx(*model)));
  BOOST_TEST(static_cast<const Embedding&>(*imported->layers()[1]).options().mask_zero());
}

BOOST_AUTO_TEST_CASE(layers_around_the_gru) {
  if (!testing::onnx_or_skip()) return;
  for (DType dtype : dtypes) {
    auto model = testing::onnx_test_model(
        {std::make_shared<Dense>(DenseOptions(4).activation("relu")),
         std::make_shared<Dropout>(DropoutOptions(0.3)),
         std::make_shared<Gru>(GruOptions(4).return_sequences(true)),
         std::make_shared<Activation>("selu"), std::make_shared<Reshape>(std::vector<long>{-1, 2}),
         std::make_shared<Flatten>(), std::make_shared<Dense>(DenseOptions(3).use_bias(false)),
         std::make_shared<Activation>("hard_sigmoid"), std::make_shared<Softmax>(-1)},
        3, dtype, 17, 5);
    require_round_trip(model, sequence(dtype));
  }
}

BOOST_AUTO_TEST_CASE(imported_models_train_further) {
  if (!testing::onnx_or_skip()) return;
  auto model = testing::onnx_test_model({std::make_shared<Gru>(GruOptions(3)),
                                         std::make_shared<Dense>(DenseOptions(1))},
                                        2, DType::float64, 4);
  const std::shared_ptr<Layer> imported = parse_onnx(format_onnx(*model));
  imported->set_training(true);
  Value loss = sum(square((*imported)(Value(sequence(DType::float64, 2)))));
  loss.backward();
  for (const Value& parameter : imported->parameters()) {
    BOOST_TEST(parameter.has_grad());
    BOOST_TEST(parameter.grad().shape() == parameter.shape());
  }
}

BOOST_AUTO_TEST_SUITE_END()
